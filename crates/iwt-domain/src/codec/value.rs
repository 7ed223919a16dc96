//! Canonical binary encoding of a JSON-like value tree (no floats).
//!
//! ```text
//! 0x00 null | 0x01 false | 0x02 true
//! 0x03 i64 (8 bytes, big-endian)         every integer that fits in i64
//! 0x04 u64 (8 bytes, big-endian)         only integers above i64::MAX
//! 0x05 string: u32 length, UTF-8 bytes   NFC only
//! 0x06 array:  u32 count, items
//! 0x07 object: u32 count, (u16 key length, key UTF-8 NFC, value)*  keys strictly ascending
//! ```
use crate::error::DomainError;
use crate::text::{is_nfc, nfc};
use serde_json::{Map, Number, Value};

const MAX_DEPTH: usize = 32;

fn err(msg: impl Into<String>) -> DomainError {
    DomainError::Encoding(msg.into())
}

/// Encodes a value canonically. Floats and non-NFC strings are refused.
pub fn encode_value(v: &Value, out: &mut Vec<u8>) -> Result<(), DomainError> {
    match v {
        Value::Null => out.push(0),
        Value::Bool(false) => out.push(1),
        Value::Bool(true) => out.push(2),
        Value::Number(n) => encode_number(n, out)?,
        Value::String(s) => {
            if !is_nfc(s) {
                return Err(err("string is not in NFC"));
            }
            out.push(5);
            let len = u32::try_from(s.len()).map_err(|_| err("string too long"))?;
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            out.push(6);
            let n = u32::try_from(items.len()).map_err(|_| err("array too long"))?;
            out.extend_from_slice(&n.to_be_bytes());
            for item in items {
                encode_value(item, out)?;
            }
        }
        Value::Object(map) => {
            out.push(7);
            let n = u32::try_from(map.len()).map_err(|_| err("object too large"))?;
            out.extend_from_slice(&n.to_be_bytes());
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            for k in keys {
                if !is_nfc(k) {
                    return Err(err("object key is not in NFC"));
                }
                let len = u16::try_from(k.len()).map_err(|_| err("object key too long"))?;
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(k.as_bytes());
                encode_value(&map[k.as_str()], out)?;
            }
        }
    }
    Ok(())
}

fn encode_number(n: &Number, out: &mut Vec<u8>) -> Result<(), DomainError> {
    if let Some(i) = n.as_i64() {
        out.push(3);
        out.extend_from_slice(&i.to_be_bytes());
    } else if let Some(u) = n.as_u64() {
        out.push(4);
        out.extend_from_slice(&u.to_be_bytes());
    } else {
        return Err(err("floating-point numbers are not allowed"));
    }
    Ok(())
}

/// Decodes one value from the front of `input`, returning it and the rest.
/// Rejects every non-canonical form.
pub fn decode_value(input: &[u8]) -> Result<(Value, &[u8]), DomainError> {
    decode_at(input, 0)
}

fn take(input: &[u8], n: usize) -> Result<(&[u8], &[u8]), DomainError> {
    if input.len() < n {
        return Err(err("truncated value"));
    }
    Ok(input.split_at(n))
}

fn take_u32(input: &[u8]) -> Result<(usize, &[u8]), DomainError> {
    let (b, rest) = take(input, 4)?;
    let n = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Ok((n as usize, rest))
}

fn take_str(input: &[u8], len: usize) -> Result<(String, &[u8]), DomainError> {
    let (b, rest) = take(input, len)?;
    let s = std::str::from_utf8(b).map_err(|_| err("invalid UTF-8"))?;
    if !is_nfc(s) {
        return Err(err("string is not in NFC"));
    }
    Ok((s.to_owned(), rest))
}

fn decode_at(input: &[u8], depth: usize) -> Result<(Value, &[u8]), DomainError> {
    if depth > MAX_DEPTH {
        return Err(err("value nested too deeply"));
    }
    let (tag, rest) = take(input, 1)?;
    match tag[0] {
        0 => Ok((Value::Null, rest)),
        1 => Ok((Value::Bool(false), rest)),
        2 => Ok((Value::Bool(true), rest)),
        3 => {
            let (b, rest) = take(rest, 8)?;
            let i = i64::from_be_bytes(b.try_into().map_err(|_| err("truncated integer"))?);
            Ok((Value::from(i), rest))
        }
        4 => {
            let (b, rest) = take(rest, 8)?;
            let u = u64::from_be_bytes(b.try_into().map_err(|_| err("truncated integer"))?);
            if i64::try_from(u).is_ok() {
                return Err(err("unsigned form used for an integer that fits in i64"));
            }
            Ok((Value::from(u), rest))
        }
        5 => {
            let (len, rest) = take_u32(rest)?;
            let (s, rest) = take_str(rest, len)?;
            Ok((Value::String(s), rest))
        }
        6 => {
            let (n, mut rest) = take_u32(rest)?;
            let mut items = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                let (item, r) = decode_at(rest, depth + 1)?;
                items.push(item);
                rest = r;
            }
            Ok((Value::Array(items), rest))
        }
        7 => decode_object(rest, depth),
        t => Err(err(format!("unknown value tag {t:#04x}"))),
    }
}

fn decode_object(input: &[u8], depth: usize) -> Result<(Value, &[u8]), DomainError> {
    let (n, mut rest) = take_u32(input)?;
    let mut map = Map::new();
    let mut last: Option<String> = None;
    for _ in 0..n {
        let (lb, r) = take(rest, 2)?;
        let len = u16::from_be_bytes([lb[0], lb[1]]) as usize;
        let (key, r) = take_str(r, len)?;
        if last
            .as_ref()
            .is_some_and(|l| l.as_bytes() >= key.as_bytes())
        {
            return Err(err("object keys are not strictly ascending"));
        }
        let (v, r) = decode_at(r, depth + 1)?;
        map.insert(key.clone(), v);
        last = Some(key);
        rest = r;
    }
    Ok((Value::Object(map), rest))
}

/// Returns the value with every string and key in NFC.
pub fn nfc_value(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(nfc(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(nfc_value).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (nfc(&k), nfc_value(v)))
                .collect(),
        ),
        other => other,
    }
}
