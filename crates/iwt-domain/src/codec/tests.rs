//! Unit tests for specific non-canonical inputs: every one of them must be refused, so
//! that each event has exactly one byte form.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::error::DomainError;
use crate::event::{Event, EventBody, Subject};
use crate::kinds::EntityKind;
use crate::records::PersonalData;
use crate::role::Role;
use crate::vocab::AmmoMovement;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::macros::{date, datetime};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0195_94ab_cdef_7abc_8def_0000_0000_0000 | n)
}

/// A `part_fitted` event with every optional header field set.
fn part_fitted() -> Event {
    let body = EventBody::PartFitted {
        part_id: id(1),
        firearm_id: id(2),
    };
    Event {
        event_id: id(100),
        occurred_at: datetime!(2025-03-14 09:26:53.589793 UTC),
        actor: id(200),
        subjects: vec![
            Subject {
                kind: EntityKind::Part,
                id: id(1),
                prev: Some(7),
            },
            Subject {
                kind: EntityKind::Firearm,
                id: id(2),
                prev: None,
            },
        ],
        corrects: None,
        reason: Some("armorer swap".into()),
        attachments: vec![[0xab; 32]],
        pii_commitment: Some([0xcd; 32]),
        body,
    }
}

/// An `ammo_stock_changed` event without optional header fields.
fn ammo(delta: i64) -> Event {
    let body = EventBody::AmmoStockChanged {
        lot_id: id(3),
        location_id: id(4),
        delta,
        movement: AmmoMovement::Receipt,
        person_id: None,
    };
    Event {
        event_id: id(101),
        occurred_at: datetime!(2025-03-14 09:30:00 UTC),
        actor: id(200),
        subjects: vec![Subject {
            kind: EntityKind::AmmoLot,
            id: id(3),
            prev: None,
        }],
        corrects: None,
        reason: None,
        attachments: vec![],
        pii_commitment: None,
        body,
    }
}

/// Offset of the u32 body length in the leaf of `e`.
fn body_len_offset(e: &Event) -> usize {
    44 + 25 * e.subjects.len()
        + 8
        + 2
        + e.reason.as_deref().map_or(0, str::len)
        + 1
        + 32 * e.attachments.len()
        + 1
        + if e.pii_commitment.is_some() { 32 } else { 0 }
}

/// The leaf of `e` with its body replaced by `body` (length field fixed up).
fn with_body(e: &Event, body: &[u8]) -> Vec<u8> {
    let leaf = encode_event(e).unwrap();
    let off = body_len_offset(e);
    let mut out = leaf[..off].to_vec();
    out.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
    out.extend_from_slice(body);
    out
}

// A hand-written value encoder that writes exactly what it is told (key order, tags).
fn vs(s: &str) -> Vec<u8> {
    let mut out = vec![5];
    out.extend_from_slice(&u32::try_from(s.len()).unwrap().to_be_bytes());
    out.extend_from_slice(s.as_bytes());
    out
}
fn vi(i: i64) -> Vec<u8> {
    let mut out = vec![3];
    out.extend_from_slice(&i.to_be_bytes());
    out
}
fn vu(u: u64) -> Vec<u8> {
    let mut out = vec![4];
    out.extend_from_slice(&u.to_be_bytes());
    out
}
fn vobj(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![7];
    out.extend_from_slice(&u32::try_from(entries.len()).unwrap().to_be_bytes());
    for (k, v) in entries {
        out.extend_from_slice(&u16::try_from(k.len()).unwrap().to_be_bytes());
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(v);
    }
    out
}

fn part_fitted_body(order: [usize; 3], part: &str, firearm: &str) -> Vec<u8> {
    let entries = [
        ("firearm_id", vs(firearm)),
        ("part_id", vs(part)),
        ("type", vs("part_fitted")),
    ];
    vobj(&order.map(|i| entries[i].clone()))
}

fn ammo_body(delta: Vec<u8>, person_id: Option<Vec<u8>>) -> Vec<u8> {
    let mut entries = vec![
        ("delta", delta),
        ("location_id", vs(&id(4).to_string())),
        ("lot_id", vs(&id(3).to_string())),
        ("movement", vs("receipt")),
    ];
    if let Some(p) = person_id {
        entries.push(("person_id", p));
    }
    entries.push(("type", vs("ammo_stock_changed")));
    vobj(&entries)
}

fn rejected(bytes: &[u8]) -> bool {
    matches!(decode_event(bytes), Err(DomainError::Encoding(_)))
}

#[test]
fn round_trip_of_the_samples() {
    for e in [part_fitted(), ammo(5), ammo(-5), ammo(i64::MIN)] {
        let bytes = encode_event(&e).unwrap();
        assert_eq!(decode_event(&bytes).unwrap(), e);
        assert_eq!(bytes[0], FORMAT_VERSION);
        assert_eq!(u16::from_be_bytes([bytes[1], bytes[2]]), e.body.type_code());
    }
}

#[test]
fn hand_written_canonical_body_is_accepted() {
    let e = part_fitted();
    let body = part_fitted_body([0, 1, 2], &id(1).to_string(), &id(2).to_string());
    assert_eq!(with_body(&e, &body), encode_event(&e).unwrap());
    let e = ammo(5);
    assert_eq!(
        with_body(&e, &ammo_body(vi(5), Some(vec![0]))),
        encode_event(&e).unwrap()
    );
}

#[test]
fn object_keys_out_of_order_are_refused() {
    let e = part_fitted();
    let (p, f) = (id(1).to_string(), id(2).to_string());
    for order in [[1, 0, 2], [0, 2, 1], [2, 1, 0], [2, 0, 1]] {
        assert!(
            rejected(&with_body(&e, &part_fitted_body(order, &p, &f))),
            "{order:?}"
        );
    }
    // Duplicate keys are "not strictly ascending" as well.
    let dup = vobj(&[("a", vi(1)), ("a", vi(1))]);
    assert!(decode_value(&dup).is_err());
    let sorted = vobj(&[("a", vi(1)), ("b", vi(1))]);
    assert_eq!(decode_value(&sorted).unwrap().0, json!({"a": 1, "b": 1}));
}

#[test]
fn keys_are_ordered_by_bytes_not_by_characters() {
    // "Z" (0x5a) < "a" (0x61) < "é" (0xc3 0xa9) bytewise.
    let v = json!({"é": 1, "a": 2, "Z": 3});
    let mut out = Vec::new();
    encode_value(&v, &mut out).unwrap();
    assert_eq!(out, vobj(&[("Z", vi(3)), ("a", vi(2)), ("é", vi(1))]));
}

#[test]
fn unsigned_tag_for_small_integers_is_refused() {
    let e = ammo(5);
    assert!(rejected(&with_body(&e, &ammo_body(vu(5), Some(vec![0])))));
    for n in [0u64, 5, i64::MAX as u64] {
        assert!(decode_value(&vu(n)).is_err(), "{n}");
    }
    // Above i64::MAX the unsigned form is the only form.
    let big = i64::MAX as u64 + 1;
    assert_eq!(decode_value(&vu(big)).unwrap().0, json!(big));
    let mut out = Vec::new();
    encode_value(&json!(big), &mut out).unwrap();
    assert_eq!(out, vu(big));
    let mut out = Vec::new();
    encode_value(&json!(-1), &mut out).unwrap();
    assert_eq!(out, vi(-1));
}

#[test]
fn non_nfc_strings_are_refused() {
    let decomposed = "e\u{301}";
    assert!(!crate::text::is_nfc(decomposed));
    // Value level, both directions, strings and keys.
    assert!(decode_value(&vs(decomposed)).is_err());
    assert!(decode_value(&vobj(&[(decomposed, vi(1))])).is_err());
    assert!(encode_value(&json!(decomposed), &mut Vec::new()).is_err());
    assert!(encode_value(&json!({ (decomposed): 1 }), &mut Vec::new()).is_err());
    assert_eq!(decode_value(&vs("\u{e9}")).unwrap().0, json!("\u{e9}"));
    // In the body.
    let mut e = part_fitted();
    e.body = EventBody::AccountCreated {
        account_id: id(9),
        username: decomposed.into(),
        role: Role::Armorer,
    };
    e.subjects = vec![Subject {
        kind: EntityKind::Account,
        id: id(9),
        prev: None,
    }];
    assert!(encode_event(&e).is_err());
    // In the reason: refused by the encoder, and a hand-made leaf is refused too.
    let mut e = part_fitted();
    e.reason = Some(decomposed.into());
    assert!(encode_event(&e).is_err());
    let mut good = part_fitted();
    good.reason = Some("\u{e9}".into());
    let leaf = encode_event(&good).unwrap();
    let reason_at = 44 + 25 * good.subjects.len() + 8;
    let mut bad = leaf[..reason_at].to_vec();
    bad.extend_from_slice(&3u16.to_be_bytes());
    bad.extend_from_slice(decomposed.as_bytes());
    bad.extend_from_slice(&leaf[reason_at + 2 + 2..]);
    assert!(rejected(&bad));
    // The same splice with the NFC reason restores the original leaf.
    let mut ok = leaf[..reason_at].to_vec();
    ok.extend_from_slice(&2u16.to_be_bytes());
    ok.extend_from_slice("\u{e9}".as_bytes());
    ok.extend_from_slice(&leaf[reason_at + 2 + 2..]);
    assert_eq!(decode_event(&ok).unwrap(), good);
}

#[test]
fn invalid_utf8_is_refused() {
    assert!(decode_value(&[5, 0, 0, 0, 2, 0xc3, 0x28]).is_err());
    assert!(decode_value(&[7, 0, 0, 0, 1, 0, 1, 0xff, 0]).is_err());
}

#[test]
fn trailing_bytes_are_refused() {
    let e = part_fitted();
    let mut leaf = encode_event(&e).unwrap();
    leaf.push(0);
    assert!(rejected(&leaf));
    // Trailing bytes inside the declared body length.
    let mut body = part_fitted_body([0, 1, 2], &id(1).to_string(), &id(2).to_string());
    body.push(0);
    assert!(rejected(&with_body(&e, &body)));
}

#[test]
fn truncation_is_refused() {
    let leaf = encode_event(&part_fitted()).unwrap();
    for n in 0..leaf.len() {
        assert!(rejected(&leaf[..n]), "prefix of {n} bytes");
    }
}

#[test]
fn unknown_version_is_refused() {
    let leaf = encode_event(&part_fitted()).unwrap();
    for v in [0u8, 2, 0xff] {
        let mut bad = leaf.clone();
        bad[0] = v;
        assert!(rejected(&bad), "version {v}");
    }
}

#[test]
fn unknown_value_tags_are_refused() {
    for tag in 8u8..=255 {
        assert!(decode_value(&[tag]).is_err(), "tag {tag}");
    }
    let e = part_fitted();
    assert!(rejected(&with_body(&e, &[8])));
    // A known tag in the wrong place (null instead of the body object).
    assert!(rejected(&with_body(&e, &[0])));
}

#[test]
fn header_type_code_must_match_the_body() {
    let e = part_fitted();
    let leaf = encode_event(&e).unwrap();
    for code in [0u16, 1, 3, 5, 11, 12, 0xffff] {
        let mut bad = leaf.clone();
        bad[1..3].copy_from_slice(&code.to_be_bytes());
        assert!(rejected(&bad), "type code {code}");
    }
}

#[test]
fn header_subjects_must_match_the_body() {
    let e = part_fitted();
    let cases: Vec<Vec<Subject>> = vec![
        // swapped order
        vec![e.subjects[1], e.subjects[0]],
        // missing one
        vec![e.subjects[0]],
        // one too many
        vec![e.subjects[0], e.subjects[1], e.subjects[1]],
        // wrong kind
        vec![
            Subject {
                kind: EntityKind::Equipment,
                ..e.subjects[0]
            },
            e.subjects[1],
        ],
        // wrong id
        vec![
            Subject {
                id: id(77),
                ..e.subjects[0]
            },
            e.subjects[1],
        ],
        // none at all
        vec![],
    ];
    for subjects in cases {
        let mut bad = e.clone();
        bad.subjects = subjects.clone();
        // The encoder writes what it is given; the decoder refuses it.
        let bytes = encode_event(&bad).unwrap();
        assert!(rejected(&bytes), "{subjects:?}");
    }
    // Unknown kind codes.
    let leaf = encode_event(&e).unwrap();
    for code in [0u8, 19, 0xff] {
        let mut bad = leaf.clone();
        bad[44] = code;
        assert!(rejected(&bad), "kind code {code}");
    }
}

#[test]
fn empty_reason_is_written_as_none() {
    let mut e = part_fitted();
    e.reason = Some(String::new());
    assert!(matches!(encode_event(&e), Err(DomainError::Encoding(_))));
    e.reason = None;
    let leaf = encode_event(&e).unwrap();
    let at = 44 + 25 * e.subjects.len() + 8;
    assert_eq!(&leaf[at..at + 2], &[0, 0]);
    assert_eq!(decode_event(&leaf).unwrap().reason, None);
}

#[test]
fn none_index_marker_cannot_be_an_index() {
    let mut e = part_fitted();
    e.corrects = Some(NONE_INDEX);
    assert!(encode_event(&e).is_err());
    let mut e = part_fitted();
    e.subjects[0].prev = Some(NONE_INDEX);
    assert!(encode_event(&e).is_err());
    let mut e = part_fitted();
    e.corrects = Some(NONE_INDEX - 1);
    e.subjects[0].prev = Some(0);
    assert_eq!(decode_event(&encode_event(&e).unwrap()).unwrap(), e);
}

#[test]
fn personal_data_flag_is_zero_or_one() {
    let mut e = part_fitted();
    e.pii_commitment = None;
    let leaf = encode_event(&e).unwrap();
    let at = body_len_offset(&e) - 1;
    assert_eq!(leaf[at], 0);
    for flag in [2u8, 0x80, 0xff] {
        let mut bad = leaf.clone();
        bad[at] = flag;
        assert!(rejected(&bad), "flag {flag}");
    }
}

#[test]
fn floats_are_refused() {
    for v in [
        json!(1.5),
        json!(0.0),
        json!(-0.0),
        json!([1, 2.5]),
        json!({"a": 1e10}),
    ] {
        assert!(encode_value(&v, &mut Vec::new()).is_err(), "{v}");
    }
}

#[test]
fn alternative_spellings_in_the_body_are_refused() {
    let e = part_fitted();
    let (p, f) = (id(1).to_string(), id(2).to_string());
    // serde accepts these UUID spellings, but they are not the canonical lower-case
    // hyphenated form, so the leaf does not re-encode to itself.
    for (p2, f2) in [
        (p.to_uppercase(), f.clone()),
        (p.replace('-', ""), f.clone()),
        (format!("urn:uuid:{p}"), f.clone()),
        (p.clone(), format!("{{{f}}}")),
    ] {
        assert!(
            rejected(&with_body(&e, &part_fitted_body([0, 1, 2], &p2, &f2))),
            "{p2} {f2}"
        );
    }
    // An optional field left out instead of written as null.
    let e = ammo(5);
    assert!(rejected(&with_body(&e, &ammo_body(vi(5), None))));
    // An unknown field.
    let extra = vobj(&[
        ("extra", vi(1)),
        ("firearm_id", vs(&f)),
        ("part_id", vs(&p)),
        ("type", vs("part_fitted")),
    ]);
    assert!(rejected(&with_body(&part_fitted(), &extra)));
    // An unknown event type name.
    let unknown = vobj(&[
        ("firearm_id", vs(&f)),
        ("part_id", vs(&p)),
        ("type", vs("part_lost")),
    ]);
    assert!(rejected(&with_body(&part_fitted(), &unknown)));
}

#[test]
fn occurred_at_is_kept_to_the_microsecond() {
    let mut e = ammo(1);
    e.occurred_at = datetime!(1969-12-31 23:59:59.999999 UTC);
    let leaf = encode_event(&e).unwrap();
    assert_eq!(&leaf[19..27], &(-1i64).to_be_bytes());
    assert_eq!(decode_event(&leaf).unwrap(), e);
    // Times the calendar cannot represent are refused, not wrapped.
    let mut bad = leaf.clone();
    bad[19..27].copy_from_slice(&i64::MAX.to_be_bytes());
    assert!(rejected(&bad));
    bad[19..27].copy_from_slice(&i64::MIN.to_be_bytes());
    assert!(rejected(&bad));
    // The representable range is -9999-01-01T00:00:00Z ..= 9999-12-31T23:59:59.999999Z.
    let (min, max) = (-377_705_116_800_000_000i64, 253_402_300_799_999_999i64);
    for (us, ok) in [(min, true), (min - 1, false), (max, true), (max + 1, false)] {
        let mut b = leaf.clone();
        b[19..27].copy_from_slice(&us.to_be_bytes());
        assert_eq!(decode_event(&b).is_ok(), ok, "{us}");
    }
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let mut deep = [6u8, 0, 0, 0, 1].repeat(100_000);
    deep.push(0);
    assert!(decode_value(&deep).is_err());
    let mut ok = [6u8, 0, 0, 0, 1].repeat(10);
    ok.push(0);
    assert!(decode_value(&ok).is_ok());
}

#[test]
fn huge_declared_lengths_do_not_allocate_or_panic() {
    assert!(decode_value(&[6, 0xff, 0xff, 0xff, 0xff]).is_err());
    assert!(decode_value(&[7, 0xff, 0xff, 0xff, 0xff]).is_err());
    assert!(decode_value(&[5, 0xff, 0xff, 0xff, 0xff, b'a']).is_err());
    let e = part_fitted();
    let mut leaf = encode_event(&e).unwrap();
    let off = body_len_offset(&e);
    leaf[off..off + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(rejected(&leaf));
}

fn personal(given: &str) -> PersonalData {
    PersonalData {
        given_name: given.into(),
        family_name: "Müller".into(),
        date_of_birth: Some(date!(1990 - 05 - 17)),
    }
}

#[test]
fn pii_commitment_is_deterministic_and_salted() {
    let salt = [7u8; 16];
    let a = pii_commitment(&salt, &personal("Zoë")).unwrap();
    assert_eq!(a, pii_commitment(&salt, &personal("Zoë")).unwrap());
    // Another salt, another commitment.
    let mut salt2 = salt;
    salt2[15] ^= 1;
    assert_ne!(a, pii_commitment(&salt2, &personal("Zoë")).unwrap());
    // Other data, another commitment.
    assert_ne!(a, pii_commitment(&salt, &personal("Zoe")).unwrap());
    let mut no_dob = personal("Zoë");
    no_dob.date_of_birth = None;
    assert_ne!(a, pii_commitment(&salt, &no_dob).unwrap());
    let mut other_dob = personal("Zoë");
    other_dob.date_of_birth = Some(date!(1990 - 05 - 18));
    assert_ne!(a, pii_commitment(&salt, &other_dob).unwrap());
    // The documented formula.
    let mut enc = Vec::new();
    let v: Value = json!({
        "date_of_birth": "1990-05-17", "family_name": "Müller", "given_name": "Zoë",
    });
    encode_value(&v, &mut enc).unwrap();
    let mut h = Sha256::new();
    h.update(b"iwt-pii-v1");
    h.update(salt);
    h.update(&enc);
    let expected: [u8; 32] = h.finalize().into();
    assert_eq!(a, expected);
}

#[test]
fn pii_commitment_refuses_non_nfc_data() {
    assert!(pii_commitment(&[0; 16], &personal("Zoe\u{308}")).is_err());
}
