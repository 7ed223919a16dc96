//! Property tests of the canonical leaf encoding: round trip, one byte form per event,
//! and no panics on hostile input.
#![allow(clippy::unwrap_used)]

use iwt_domain::codec::{decode_event, decode_value, encode_event, encode_value};
use iwt_domain::event::{Event, EventBody, Subject};
use iwt_domain::records::{
    AmmoLot, Equipment, Firearm, FirearmModel, ItemRef, Location, Marking, Part, Person,
    Qualification, Site, TagBinding,
};
use iwt_domain::text::nfc;
use iwt_domain::vocab::{
    AmmoMovement, AmmoType, Condition, EquipmentCategory, FirearmAction, FirearmType, ItemStatus,
    LocationKind, LotStatus, MarkingKind, Origin, PartType, PersonStatus,
};
use iwt_domain::{EntityKind, Record, Role};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<[u8; 16]>().prop_map(Uuid::from_bytes)
}

/// Arbitrary text, normalised to NFC; biased towards combining marks and Latin-1 so
/// that normalisation actually has work to do.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        "(?s).{0,12}",
        "[a-zA-Z0-9 \\-\\x{300}-\\x{36F}\\x{C0}-\\x{FF}\\x{1100}-\\x{1112}\\x{1161}-\\x{1175}]{0,12}",
    ]
    .prop_map(|s| nfc(&s))
    .boxed()
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(text())
}

/// Any date the `time` crate can represent.
fn date() -> impl Strategy<Value = Date> {
    (Date::MIN.to_julian_day()..=Date::MAX.to_julian_day())
        .prop_map(|d| Date::from_julian_day(d).unwrap())
}

/// Any instant the `time` crate can represent, in whole microseconds.
fn micros_time() -> impl Strategy<Value = OffsetDateTime> {
    let min = Date::MIN.midnight().assume_utc().unix_timestamp() * 1_000_000;
    let max = (Date::MAX.midnight().assume_utc().unix_timestamp() + 86_399) * 1_000_000 + 999_999;
    (min..=max)
        .prop_map(|us| OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000).unwrap())
}

fn item_ref() -> impl Strategy<Value = ItemRef> {
    // Any kind: the codec does not judge whether the kind makes sense.
    (select(EntityKind::ALL), uuid()).prop_map(|(kind, id)| ItemRef { kind, id })
}

fn marking() -> impl Strategy<Value = Marking> {
    (
        select(vec![
            MarkingKind::Manufacture,
            MarkingKind::Import,
            MarkingKind::Proof,
            MarkingKind::UnitProperty,
        ]),
        text(),
        text(),
        opt_text(),
        opt_text(),
        opt_text(),
        option::of(any::<i32>()),
        opt_text(),
        opt_text(),
    )
        .prop_map(
            |(
                kind,
                text,
                location_on_item,
                manufacturer,
                country,
                place,
                year,
                importer,
                method,
            )| {
                Marking {
                    kind,
                    text,
                    location_on_item,
                    manufacturer,
                    country,
                    place,
                    year,
                    importer,
                    method,
                }
            },
        )
}

fn record() -> BoxedStrategy<Record> {
    let model = (
        uuid(),
        (text(), text(), text()),
        select(vec![
            FirearmType::Pistol,
            FirearmType::Rifle,
            FirearmType::SubmachineGun,
        ]),
        select(vec![
            FirearmAction::SemiAutomatic,
            FirearmAction::BoltAction,
            FirearmAction::SelectiveFire,
        ]),
        vec(text(), 0..4),
        option::of(any::<u32>()),
        opt_text(),
        opt_text(),
    )
        .prop_map(
            |(
                id,
                (make, manufacturer, model),
                firearm_type,
                action,
                calibres,
                barrel_length_mm,
                country_of_manufacture,
                ifrt_ref,
            )| {
                Record::FirearmModel(FirearmModel {
                    id,
                    make,
                    manufacturer,
                    model,
                    firearm_type,
                    action,
                    calibres,
                    barrel_length_mm,
                    country_of_manufacture,
                    ifrt_ref,
                })
            },
        );
    let firearm = (
        (uuid(), uuid(), uuid(), option::of(uuid())),
        (text(), text(), text(), text()),
        option::of(any::<i32>()),
        select(vec![
            Origin::Manufactured,
            Origin::Imported,
            Origin::Seized,
            Origin::PrivatelyMade,
        ]),
        vec(marking(), 0..3),
        opt_text(),
    )
        .prop_map(
            |(
                (id, model_id, location_id, unit_id),
                (serial_number, manufacturer, country_of_manufacture, weapon_class),
                year_of_manufacture,
                origin,
                markings,
                notes,
            )| {
                Record::Firearm(Firearm {
                    id,
                    model_id,
                    serial_number,
                    manufacturer,
                    country_of_manufacture,
                    year_of_manufacture,
                    origin,
                    weapon_class,
                    markings,
                    unit_id,
                    location_id,
                    notes,
                })
            },
        );
    let part = (
        uuid(),
        select(vec![
            PartType::FrameOrReceiver,
            PartType::Barrel,
            PartType::Slide,
            PartType::Other,
        ]),
        text(),
        text(),
        vec(marking(), 0..2),
        option::of(uuid()),
    )
        .prop_map(
            |(id, part_type, serial_number, manufacturer, markings, location_id)| {
                Record::Part(Part {
                    id,
                    part_type,
                    serial_number,
                    manufacturer,
                    markings,
                    location_id,
                })
            },
        );
    let equipment = (
        uuid(),
        select(vec![
            EquipmentCategory::Magazine,
            EquipmentCategory::Radio,
            EquipmentCategory::Other,
        ]),
        text(),
        opt_text(),
        opt_text(),
        any::<u32>(),
        uuid(),
    )
        .prop_map(
            |(id, category, description, serial_number, calibre, quantity, location_id)| {
                Record::Equipment(Equipment {
                    id,
                    category,
                    description,
                    serial_number,
                    calibre,
                    quantity,
                    location_id,
                })
            },
        );
    let lot = (
        uuid(),
        (text(), text(), text()),
        select(vec![
            AmmoType::Ball,
            AmmoType::HollowPoint,
            AmmoType::Training,
        ]),
        any::<i32>(),
        opt_text(),
        opt_text(),
        select(vec![LotStatus::Serviceable, LotStatus::Suspended]),
    )
        .prop_map(
            |(
                id,
                (manufacturer, lot_number, calibre),
                ammo_type,
                year_of_manufacture,
                country_of_manufacture,
                headstamp,
                status,
            )| {
                Record::AmmoLot(AmmoLot {
                    id,
                    manufacturer,
                    lot_number,
                    calibre,
                    ammo_type,
                    year_of_manufacture,
                    country_of_manufacture,
                    headstamp,
                    status,
                })
            },
        );
    let site = (uuid(), text(), text(), text(), text(), opt_text()).prop_map(
        |(id, code, name, country, timezone, address)| {
            Record::Site(Site {
                id,
                code,
                name,
                country,
                timezone,
                address,
            })
        },
    );
    let location = (
        uuid(),
        uuid(),
        option::of(uuid()),
        text(),
        text(),
        select(vec![
            LocationKind::Vault,
            LocationKind::Rack,
            LocationKind::Window,
        ]),
    )
        .prop_map(|(id, site_id, parent_id, code, name, kind)| {
            Record::Location(Location {
                id,
                site_id,
                parent_id,
                code,
                name,
                kind,
            })
        });
    let person = (
        uuid(),
        text(),
        opt_text(),
        opt_text(),
        uuid(),
        opt_text(),
        select(vec![
            PersonStatus::Active,
            PersonStatus::Suspended,
            PersonStatus::Separated,
        ]),
    )
        .prop_map(
            |(id, badge_number, service_number, card_uid, unit_id, rank, status)| {
                Record::Person(Person {
                    id,
                    badge_number,
                    service_number,
                    card_uid,
                    unit_id,
                    rank,
                    status,
                })
            },
        );
    let qualification = (uuid(), uuid(), uuid(), date(), date(), opt_text()).prop_map(
        |(id, person_id, qualification_type_id, issued_on, expires_on, certified_by)| {
            Record::Qualification(Qualification {
                id,
                person_id,
                qualification_type_id,
                issued_on,
                expires_on,
                certified_by,
            })
        },
    );
    let binding = (uuid(), text(), item_ref())
        .prop_map(|(id, epc, item)| Record::TagBinding(TagBinding { id, epc, item }));
    prop_oneof![
        model,
        firearm,
        part,
        equipment,
        lot,
        site,
        location,
        person,
        qualification,
        binding
    ]
    .boxed()
}

fn role() -> impl Strategy<Value = Role> {
    select(Role::ALL)
}

fn body() -> BoxedStrategy<EventBody> {
    prop_oneof![
        3 => record().prop_map(|record| EventBody::RecordCreated { record }),
        2 => record().prop_map(|record| EventBody::RecordCorrected { record }),
        1 => (uuid(), item_ref()).prop_map(|(binding_id, item)| EventBody::TagUnbound { binding_id, item }),
        1 => (uuid(), uuid()).prop_map(|(part_id, firearm_id)| EventBody::PartFitted { part_id, firearm_id }),
        1 => (uuid(), uuid()).prop_map(|(part_id, firearm_id)| EventBody::PartRemoved { part_id, firearm_id }),
        1 => (item_ref(), uuid(), uuid(), any::<bool>()).prop_map(|(item, person_id, location_id, long_term)| {
            EventBody::ItemIssued { item, person_id, location_id, long_term }
        }),
        1 => (item_ref(), uuid(), uuid(), select(vec![Condition::Serviceable, Condition::NeedsInspection, Condition::Damaged]))
            .prop_map(|(item, person_id, location_id, condition)| {
                EventBody::ItemReturned { item, person_id, location_id, condition }
            }),
        1 => (item_ref(), select(vec![ItemStatus::UnderRepair, ItemStatus::Lost, ItemStatus::InStore, ItemStatus::Destroyed]), option::of(uuid()))
            .prop_map(|(item, status, location_id)| EventBody::ItemStatusChanged { item, status, location_id }),
        1 => (uuid(), uuid(), any::<i64>(), select(vec![AmmoMovement::Receipt, AmmoMovement::Issue, AmmoMovement::Adjustment]), option::of(uuid()))
            .prop_map(|(lot_id, location_id, delta, movement, person_id)| {
                EventBody::AmmoStockChanged { lot_id, location_id, delta, movement, person_id }
            }),
        1 => (uuid(), text(), role()).prop_map(|(account_id, username, role)| EventBody::AccountCreated { account_id, username, role }),
        1 => (uuid(), text(), role()).prop_map(|(token_id, name, role)| EventBody::ApiTokenIssued { token_id, name, role }),
    ]
    .boxed()
}

/// A ledger index: anything but the reserved "none" marker 2^64-1.
fn index() -> impl Strategy<Value = u64> {
    prop_oneof![0..1000u64, 0..u64::MAX]
}

fn event() -> BoxedStrategy<Event> {
    body()
        .prop_flat_map(|body| {
            let n = body.subject_refs().len();
            (
                Just(body),
                vec(option::of(index()), n),
                (uuid(), micros_time(), uuid()),
                option::of(index()),
                option::of(text().prop_filter("a reason is non-empty", |s| !s.is_empty())),
                vec(any::<[u8; 32]>(), 0..3),
                option::of(any::<[u8; 32]>()),
            )
        })
        .prop_map(
            |(
                body,
                prevs,
                (event_id, occurred_at, actor),
                corrects,
                reason,
                attachments,
                pii_commitment,
            )| {
                let subjects = body
                    .subject_refs()
                    .into_iter()
                    .zip(prevs)
                    .map(|((kind, id), prev)| Subject { kind, id, prev })
                    .collect();
                Event {
                    event_id,
                    occurred_at,
                    actor,
                    subjects,
                    corrects,
                    reason,
                    attachments,
                    pii_commitment,
                    body,
                }
            },
        )
        .boxed()
}

/// One modification of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Truncate(Index),
    Append(u8),
    Insert(Index, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 1..=255u8).prop_map(|(i, x)| Mutation::Flip(i, x)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => any::<u8>().prop_map(Mutation::Append),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

fn apply(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match m {
        Mutation::Flip(i, x) => out[i.index(bytes.len())] ^= x,
        Mutation::Truncate(i) => out.truncate(i.index(bytes.len())),
        Mutation::Append(b) => out.push(*b),
        Mutation::Insert(i, b) => out.insert(i.index(bytes.len() + 1), *b),
    }
    out
}

/// A JSON value tree the value encoding can carry: no floats, NFC strings and keys.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(text(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn decode_inverts_encode(e in event()) {
        let bytes = encode_event(&e).unwrap();
        let back = decode_event(&bytes).unwrap();
        prop_assert_eq!(&back, &e);
        prop_assert_eq!(encode_event(&back).unwrap(), bytes);
    }

    #[test]
    fn a_modified_leaf_is_refused_or_is_another_events_only_form(e in event(), m in mutation()) {
        let bytes = encode_event(&e).unwrap();
        let modified = apply(&bytes, &m);
        let decoded = decode_event(&modified);
        let consistent = match &decoded {
            Ok(other) => encode_event(other).unwrap() == modified,
            Err(_) => true,
        };
        prop_assert!(consistent, "{:?} decoded to an event with another byte form", m);
        if let Ok(other) = &decoded {
            // If the mutation produced a valid leaf, it is a different event.
            prop_assert_ne!(other, &e);
        }
        if matches!(m, Mutation::Truncate(_) | Mutation::Append(_)) {
            prop_assert!(decoded.is_err(), "{:?} was accepted", m);
        }
    }

    #[test]
    fn value_encoding_round_trips(v in value()) {
        let mut bytes = Vec::new();
        encode_value(&v, &mut bytes).unwrap();
        let (back, rest) = decode_value(&bytes).unwrap();
        prop_assert!(rest.is_empty());
        prop_assert_eq!(back, v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn decode_never_panics_on_arbitrary_bytes(bytes in vec(any::<u8>(), 0..600)) {
        let _ = decode_event(&bytes);
        let _ = decode_value(&bytes);
    }

    #[test]
    fn decode_never_panics_on_bytes_after_a_plausible_prefix(
        code in 0u16..=12,
        rest in vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = vec![1];
        bytes.extend_from_slice(&code.to_be_bytes());
        bytes.extend_from_slice(&rest);
        let _ = decode_event(&bytes);
    }

    #[test]
    fn decode_never_panics_on_a_valid_header_with_an_arbitrary_body(
        e in event(),
        body in vec(any::<u8>(), 0..300),
    ) {
        let bytes = encode_event(&e).unwrap();
        let mut body_enc = Vec::new();
        encode_value(&serde_json::to_value(&e.body).unwrap(), &mut body_enc).unwrap();
        let header = &bytes[..bytes.len() - body_enc.len() - 4];
        let mut leaf = header.to_vec();
        leaf.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
        leaf.extend_from_slice(&body);
        if let Ok(other) = decode_event(&leaf) {
            prop_assert_eq!(encode_event(&other).unwrap(), leaf);
        }
    }

    #[test]
    fn decode_never_panics_on_repeated_mutations(e in event(), ms in vec(mutation(), 1..8)) {
        let mut bytes = encode_event(&e).unwrap();
        for m in &ms {
            if bytes.is_empty() {
                break;
            }
            bytes = apply(&bytes, m);
            if let Ok(other) = decode_event(&bytes) {
                prop_assert_eq!(encode_event(&other).unwrap(), bytes.clone());
            }
        }
    }
}
