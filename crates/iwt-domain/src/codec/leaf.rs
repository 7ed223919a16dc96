//! The leaf header and the full event codec.
//!
//! ```text
//! u8   format_version = 1
//! u16  event_type
//! u8   event_id[16]            UUIDv7
//! i64  occurred_at_us          UTC microseconds
//! u8   actor[16]
//! u8   subject_count           then per subject: u8 kind, u8 id[16], u64 prev (2^64-1 = none)
//! u64  corrects                2^64-1 = none
//! u16  reason length, reason UTF-8 (NFC; length 0 = none)
//! u8   attachment_count        then 32-byte SHA-256 each
//! u8   pii_present (0 or 1)    then 32-byte commitment if 1
//! u32  body length, body       canonical value encoding of the typed body
//! ```
use super::value::{decode_value, encode_value};
use crate::error::DomainError;
use crate::event::{Event, EventBody, Subject};
use crate::kinds::EntityKind;
use crate::records::PersonalData;
use crate::text::is_nfc;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// The leaf format version written by this code.
pub const FORMAT_VERSION: u8 = 1;
/// Marker for "no index" in `prev` and `corrects`.
pub const NONE_INDEX: u64 = u64::MAX;

fn err(msg: impl Into<String>) -> DomainError {
    DomainError::Encoding(msg.into())
}

fn idx(v: Option<u64>) -> Result<u64, DomainError> {
    match v {
        // u64::MAX is the "none" marker; as an index it would decode as `None`.
        Some(NONE_INDEX) => Err(err("index 2^64-1 is reserved for \"none\"")),
        v => Ok(v.unwrap_or(NONE_INDEX)),
    }
}

/// Encodes an event as its canonical leaf bytes.
pub fn encode_event(e: &Event) -> Result<Vec<u8>, DomainError> {
    let mut out = Vec::with_capacity(256);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&e.body.type_code().to_be_bytes());
    out.extend_from_slice(e.event_id.as_bytes());
    out.extend_from_slice(&e.occurred_at_us().to_be_bytes());
    out.extend_from_slice(e.actor.as_bytes());
    let n = u8::try_from(e.subjects.len()).map_err(|_| err("too many subjects"))?;
    out.push(n);
    for s in &e.subjects {
        out.push(s.kind.code());
        out.extend_from_slice(s.id.as_bytes());
        out.extend_from_slice(&idx(s.prev)?.to_be_bytes());
    }
    out.extend_from_slice(&idx(e.corrects)?.to_be_bytes());
    let reason = e.reason.as_deref().unwrap_or("");
    if e.reason.as_deref() == Some("") {
        return Err(err("an empty reason is written as no reason"));
    }
    if !is_nfc(reason) {
        return Err(err("reason is not in NFC"));
    }
    let rlen = u16::try_from(reason.len()).map_err(|_| err("reason too long"))?;
    out.extend_from_slice(&rlen.to_be_bytes());
    out.extend_from_slice(reason.as_bytes());
    let na = u8::try_from(e.attachments.len()).map_err(|_| err("too many attachments"))?;
    out.push(na);
    for a in &e.attachments {
        out.extend_from_slice(a);
    }
    match &e.pii_commitment {
        Some(c) => {
            out.push(1);
            out.extend_from_slice(c);
        }
        None => out.push(0),
    }
    let body = serde_json::to_value(&e.body).map_err(|x| err(x.to_string()))?;
    let mut body_bytes = Vec::with_capacity(128);
    encode_value(&body, &mut body_bytes)?;
    let blen = u32::try_from(body_bytes.len()).map_err(|_| err("body too long"))?;
    out.extend_from_slice(&blen.to_be_bytes());
    out.extend_from_slice(&body_bytes);
    Ok(out)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DomainError> {
        if self.0.len() < n {
            return Err(err("truncated leaf"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DomainError> {
        self.take(N)?.try_into().map_err(|_| err("truncated leaf"))
    }
    fn u8(&mut self) -> Result<u8, DomainError> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, DomainError> {
        Ok(u16::from_be_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, DomainError> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, DomainError> {
        Ok(u64::from_be_bytes(self.array()?))
    }
    fn uuid(&mut self) -> Result<Uuid, DomainError> {
        Ok(Uuid::from_bytes(self.array()?))
    }
    fn opt_index(&mut self) -> Result<Option<u64>, DomainError> {
        let v = self.u64()?;
        Ok((v != NONE_INDEX).then_some(v))
    }
}

/// Decodes canonical leaf bytes into an event. Any byte string that is not the
/// canonical encoding of an event (wrong version, unknown type, trailing bytes, a
/// header that disagrees with the body, non-canonical body) is rejected.
pub fn decode_event(bytes: &[u8]) -> Result<Event, DomainError> {
    let mut r = Reader(bytes);
    let version = r.u8()?;
    if version != FORMAT_VERSION {
        return Err(err(format!("unsupported format version {version}")));
    }
    let type_code = r.u16()?;
    let event_id = r.uuid()?;
    let us = r.u64()? as i64;
    let occurred_at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000)
        .map_err(|_| err("occurred_at out of range"))?;
    let actor = r.uuid()?;
    let n = r.u8()?;
    let mut subjects = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let code = r.u8()?;
        let kind =
            EntityKind::from_code(code).ok_or_else(|| err(format!("unknown kind {code}")))?;
        subjects.push(Subject {
            kind,
            id: r.uuid()?,
            prev: r.opt_index()?,
        });
    }
    let corrects = r.opt_index()?;
    let rlen = r.u16()? as usize;
    let reason = std::str::from_utf8(r.take(rlen)?).map_err(|_| err("reason is not UTF-8"))?;
    let reason = (!reason.is_empty()).then(|| reason.to_owned());
    let na = r.u8()?;
    let attachments = (0..na)
        .map(|_| r.array::<32>())
        .collect::<Result<Vec<_>, _>>()?;
    let pii_commitment = match r.u8()? {
        0 => None,
        1 => Some(r.array::<32>()?),
        f => return Err(err(format!("invalid personal-data flag {f}"))),
    };
    let blen = r.u32()? as usize;
    let body_bytes = r.take(blen)?;
    if !r.0.is_empty() {
        return Err(err("trailing bytes after the body"));
    }
    let (value, rest) = decode_value(body_bytes)?;
    if !rest.is_empty() {
        return Err(err("trailing bytes inside the body"));
    }
    let body: EventBody = serde_json::from_value(value).map_err(|e| err(e.to_string()))?;
    if body.type_code() != type_code {
        return Err(err("header event type differs from the body"));
    }
    let expected: Vec<_> = body.subject_refs();
    let actual: Vec<_> = subjects.iter().map(|s| (s.kind, s.id)).collect();
    if expected != actual {
        return Err(err("header subjects differ from the body"));
    }
    let event = Event {
        event_id,
        occurred_at,
        actor,
        subjects,
        corrects,
        reason,
        attachments,
        pii_commitment,
        body,
    };
    // One valid byte form: whatever decoded must re-encode to exactly the input.
    if encode_event(&event)? != bytes {
        return Err(err("not the canonical encoding"));
    }
    Ok(event)
}

/// The salted commitment to a person's personal data:
/// SHA-256("iwt-pii-v1" || salt || canonical value encoding of the data).
pub fn pii_commitment(salt: &[u8; 16], data: &PersonalData) -> Result<[u8; 32], DomainError> {
    let value = serde_json::to_value(data).map_err(|e| err(e.to_string()))?;
    let mut bytes = Vec::new();
    encode_value(&value, &mut bytes)?;
    let mut h = Sha256::new();
    h.update(b"iwt-pii-v1");
    h.update(salt);
    h.update(&bytes);
    Ok(h.finalize().into())
}
