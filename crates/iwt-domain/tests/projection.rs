//! Validation and projection rules, run against a small in-memory projection store that
//! behaves like the sequencer: check, build the event (with per-subject prev links),
//! project, write the rows and their keys.
#![allow(clippy::unwrap_used)]

use iwt_domain::event::{Event, EventBody, Subject};
use iwt_domain::projection::{Row, View, ammo_stock_id, project, stored_keys};
use iwt_domain::records::{
    AmmoLot, Equipment, Firearm, FirearmModel, ItemRef, Key, Location, Part, Person, PersonalData,
    Site, TagBinding, Unit,
};
use iwt_domain::validate::{check, lookups};
use iwt_domain::vocab::{
    AmmoMovement, AmmoType, Condition, EquipmentCategory, FirearmAction, FirearmType, ItemStatus,
    LocationKind, LotStatus, Origin, PartType, PersonStatus,
};
use iwt_domain::{DomainError, EntityKind, Record, Role};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use time::macros::datetime;
use uuid::Uuid;

/// In-memory projections. Records which documents and keys were read, so that tests can
/// hold `lookups` to its promise.
#[derive(Default)]
struct Mem {
    docs: BTreeMap<(EntityKind, Uuid), Value>,
    owners: BTreeMap<(EntityKind, String, String), Uuid>,
    owned: BTreeMap<(EntityKind, Uuid), Vec<Key>>,
    last: BTreeMap<(EntityKind, Uuid), u64>,
    log: Vec<(Event, Option<PersonalData>)>,
    read_docs: RefCell<BTreeSet<(EntityKind, Uuid)>>,
    read_keys: RefCell<BTreeSet<(EntityKind, String, String)>>,
}

impl View for Mem {
    fn doc(&self, kind: EntityKind, id: Uuid) -> Option<&Value> {
        self.read_docs.borrow_mut().insert((kind, id));
        self.docs.get(&(kind, id))
    }
    fn key_owner(&self, kind: EntityKind, name: &str, value: &str) -> Option<Uuid> {
        let k = (kind, name.to_owned(), value.to_owned());
        self.read_keys.borrow_mut().insert(k.clone());
        self.owners.get(&k).copied()
    }
}

fn sorted(mut keys: Vec<Key>) -> Vec<Key> {
    keys.sort();
    keys
}

impl Mem {
    fn next_index(&self) -> u64 {
        self.log.len() as u64
    }

    fn event(&self, body: EventBody, corrects: Option<u64>) -> Event {
        let subjects = body
            .subject_refs()
            .into_iter()
            .map(|(kind, id)| Subject {
                kind,
                id,
                prev: self.last.get(&(kind, id)).copied(),
            })
            .collect();
        Event {
            event_id: Uuid::from_u128(
                0x0195_9400_0000_7000_8000_0000_0000_0000 | u128::from(self.next_index()),
            ),
            occurred_at: datetime!(2025-03-14 09:00 UTC),
            actor: Uuid::from_u128(1),
            subjects,
            corrects,
            reason: corrects.map(|_| "correction".to_owned()),
            attachments: vec![],
            pii_commitment: None,
            body,
        }
    }

    /// Checks and appends; returns the new index.
    fn apply(&mut self, body: EventBody) -> Result<u64, DomainError> {
        self.apply_full(body, None, None)
    }

    fn apply_full(
        &mut self,
        body: EventBody,
        personal: Option<PersonalData>,
        corrects: Option<u64>,
    ) -> Result<u64, DomainError> {
        self.read_docs.borrow_mut().clear();
        self.read_keys.borrow_mut().clear();
        check(&body, self)?;
        let event = self.event(body, corrects);
        let index = self.next_index();
        let rows = project(&event, index, personal.as_ref(), self)?;
        self.assert_lookups_cover_reads(&event.body);
        self.write(&event, rows);
        self.log.push((event, personal));
        Ok(index)
    }

    /// Everything `check` and `project` read was announced by `lookups`.
    fn assert_lookups_cover_reads(&self, body: &EventBody) {
        let l = lookups(body);
        let docs: BTreeSet<_> = l.docs.into_iter().collect();
        let keys: BTreeSet<_> = l
            .keys
            .into_iter()
            .map(|(kind, k)| (kind, k.name.to_owned(), k.value))
            .collect();
        for d in self.read_docs.borrow().iter() {
            assert!(
                docs.contains(d),
                "{} read {d:?} which lookups does not list",
                body.type_name()
            );
        }
        for k in self.read_keys.borrow().iter() {
            assert!(
                keys.contains(k),
                "{} read key {k:?} which lookups does not list",
                body.type_name()
            );
        }
    }

    fn write(&mut self, event: &Event, rows: Vec<Row>) {
        // Every row written is about one of the event's subjects (the prev chains are
        // complete), and its keys are what a replay would recompute from the document.
        for row in &rows {
            let is_subject = event
                .subjects
                .iter()
                .any(|s| s.kind == row.kind && s.id == row.id);
            assert!(
                is_subject || row.kind == EntityKind::AmmoStock,
                "{} wrote {} {} which is not a subject",
                event.body.type_name(),
                row.kind,
                row.id
            );
            assert_eq!(
                sorted(row.keys.clone()),
                sorted(stored_keys(&row.doc).unwrap())
            );
        }
        for row in rows {
            let at = (row.kind, row.id);
            for k in self.owned.remove(&at).unwrap_or_default() {
                if k.unique {
                    self.owners.remove(&(row.kind, k.name.to_owned(), k.value));
                }
            }
            for k in row.keys.iter().filter(|k| k.unique) {
                let prev = self
                    .owners
                    .insert((row.kind, k.name.to_owned(), k.value.clone()), row.id);
                assert!(
                    prev.is_none_or(|o| o == row.id),
                    "unique key {k:?} taken twice"
                );
            }
            self.owned.insert(at, row.keys);
            self.docs.insert(at, row.doc);
        }
        for s in &event.subjects {
            self.last.insert((s.kind, s.id), self.next_index());
        }
    }

    /// Replays the log into fresh projections without checks, as `iwt verify` does.
    fn replay(&self) -> Mem {
        let mut fresh = Mem::default();
        for (event, personal) in &self.log {
            let index = fresh.next_index();
            let rows = project(event, index, personal.as_ref(), &fresh).unwrap();
            fresh.write(event, rows);
            fresh.log.push((event.clone(), personal.clone()));
        }
        fresh
    }

    fn doc(&self, kind: EntityKind, id: Uuid) -> &Value {
        self.docs.get(&(kind, id)).unwrap()
    }

    fn state(&self, kind: EntityKind, id: Uuid) -> &Value {
        &self.doc(kind, id)["state"]
    }

    fn owner(&self, kind: EntityKind, name: &str, value: &str) -> Option<Uuid> {
        self.owners
            .get(&(kind, name.to_owned(), value.to_owned()))
            .copied()
    }
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0195_94ab_cdef_7abc_8def_0000_0000_0000 | n)
}

const SITE: u128 = 1;
const VAULT: u128 = 2;
const WINDOW: u128 = 3;
const UNIT: u128 = 4;
const MODEL: u128 = 5;
const ALICE: u128 = 6; // active
const BOB: u128 = 7; // suspended
const GLOCK_1: u128 = 8;
const GLOCK_2: u128 = 9;
const SLIDE: u128 = 10;
const MAGAZINE: u128 = 11;
const LOT: u128 = 12;
const UNKNOWN: u128 = 999;

const EPC: &str = "E2801160600002054D5A3F1C";
const EPC_2: &str = "E2801160600002054D5A3F2D";

fn created(record: Record) -> EventBody {
    EventBody::RecordCreated { record }
}

fn firearm(n: u128, manufacturer: &str, serial: &str) -> Firearm {
    Firearm {
        id: id(n),
        model_id: id(MODEL),
        serial_number: serial.into(),
        manufacturer: manufacturer.into(),
        country_of_manufacture: "AT".into(),
        year_of_manufacture: Some(2019),
        origin: Origin::Manufactured,
        weapon_class: "PISTOL-9MM".into(),
        markings: vec![],
        unit_id: Some(id(UNIT)),
        location_id: id(VAULT),
        notes: None,
    }
}

fn person(n: u128, badge: &str, status: PersonStatus) -> Record {
    Record::Person(Person {
        id: id(n),
        badge_number: badge.into(),
        service_number: None,
        card_uid: None,
        unit_id: id(UNIT),
        rank: None,
        status,
    })
}

fn location(n: u128, code: &str, kind: LocationKind) -> Record {
    Record::Location(Location {
        id: id(n),
        site_id: id(SITE),
        parent_id: None,
        code: code.into(),
        name: code.into(),
        kind,
    })
}

fn item(kind: EntityKind, n: u128) -> ItemRef {
    ItemRef { kind, id: id(n) }
}

fn gun(n: u128) -> ItemRef {
    item(EntityKind::Firearm, n)
}

fn binding(n: u128, epc: &str, item: ItemRef) -> EventBody {
    created(Record::TagBinding(TagBinding {
        id: id(n),
        epc: epc.into(),
        item,
    }))
}

fn issue(it: ItemRef, person: u128) -> EventBody {
    EventBody::ItemIssued {
        item: it,
        person_id: id(person),
        location_id: id(WINDOW),
        long_term: false,
    }
}

fn ret(it: ItemRef, person: u128) -> EventBody {
    EventBody::ItemReturned {
        item: it,
        person_id: id(person),
        location_id: id(VAULT),
        condition: Condition::Serviceable,
    }
}

fn stock(delta: i64) -> EventBody {
    EventBody::AmmoStockChanged {
        lot_id: id(LOT),
        location_id: id(VAULT),
        delta,
        movement: AmmoMovement::Adjustment,
        person_id: None,
    }
}

/// Site, vault, window, unit, model, two people, one firearm, a part, a magazine, a lot.
fn world() -> Mem {
    let mut m = Mem::default();
    let setup = vec![
        created(Record::Site(Site {
            id: id(SITE),
            code: "HQ".into(),
            name: "Headquarters".into(),
            country: "DE".into(),
            timezone: "Europe/Berlin".into(),
            address: None,
        })),
        created(location(VAULT, "V1", LocationKind::Vault)),
        created(location(WINDOW, "W1", LocationKind::Window)),
        created(Record::Unit(Unit {
            id: id(UNIT),
            code: "PATROL-1".into(),
            name: "Patrol 1".into(),
            site_id: Some(id(SITE)),
            parent_unit_id: None,
        })),
        created(Record::FirearmModel(FirearmModel {
            id: id(MODEL),
            make: "Glock".into(),
            manufacturer: "Glock Ges.m.b.H.".into(),
            model: "17".into(),
            firearm_type: FirearmType::Pistol,
            action: FirearmAction::SemiAutomatic,
            calibres: vec!["9×19mm".into()],
            barrel_length_mm: Some(114),
            country_of_manufacture: Some("AT".into()),
            ifrt_ref: None,
        })),
        created(person(ALICE, "B-100", PersonStatus::Active)),
        created(person(BOB, "B-200", PersonStatus::Suspended)),
        created(Record::Firearm(firearm(GLOCK_1, "Glock", "ab 12-3"))),
        created(Record::Part(Part {
            id: id(SLIDE),
            part_type: PartType::Slide,
            serial_number: "SL-1".into(),
            manufacturer: "Glock".into(),
            markings: vec![],
            location_id: Some(id(VAULT)),
        })),
        created(Record::Equipment(Equipment {
            id: id(MAGAZINE),
            category: EquipmentCategory::Magazine,
            description: "G17 magazine".into(),
            serial_number: Some("M-1".into()),
            calibre: Some("9mm".into()),
            quantity: 1,
            location_id: id(VAULT),
        })),
        created(Record::AmmoLot(AmmoLot {
            id: id(LOT),
            manufacturer: "RUAG".into(),
            lot_number: "L-2024-17".into(),
            calibre: "9×19mm".into(),
            ammo_type: AmmoType::Ball,
            year_of_manufacture: 2024,
            country_of_manufacture: None,
            headstamp: None,
            status: LotStatus::Serviceable,
        })),
    ];
    for body in setup {
        m.apply(body).unwrap();
    }
    m
}

fn status(m: &Mem, it: ItemRef) -> ItemStatus {
    serde_json::from_value(m.state(it.kind, it.id)["status"].clone()).unwrap()
}

fn unknown_ref(field: &str, kind: EntityKind, n: u128) -> DomainError {
    DomainError::UnknownReference {
        field: field.into(),
        kind,
        id: id(n),
    }
}

fn dup(kind: EntityKind, key: &str, value: &str, owner: u128) -> DomainError {
    DomainError::Duplicate {
        kind,
        key: key.into(),
        value: value.into(),
        owner: id(owner),
    }
}

#[test]
fn the_world_replays_to_the_same_projections() {
    let m = world();
    assert_eq!(m.replay().docs, m.docs);
    assert_eq!(m.replay().owners, m.owners);
}

#[test]
fn creating_a_firearm_checks_references_and_keys() {
    type Case = (&'static str, fn(&mut Firearm), Result<(), DomainError>);
    let cases: Vec<Case> = vec![
        ("valid", |_| {}, Ok(())),
        (
            "unknown model",
            |f| f.model_id = id(UNKNOWN),
            Err(unknown_ref("model_id", EntityKind::FirearmModel, UNKNOWN)),
        ),
        (
            "model id of a location",
            |f| f.model_id = id(VAULT),
            Err(unknown_ref("model_id", EntityKind::FirearmModel, VAULT)),
        ),
        (
            "unknown location",
            |f| f.location_id = id(UNKNOWN),
            Err(unknown_ref("location_id", EntityKind::Location, UNKNOWN)),
        ),
        (
            "location id of the model",
            |f| f.location_id = id(MODEL),
            Err(unknown_ref("location_id", EntityKind::Location, MODEL)),
        ),
        (
            "unknown unit",
            |f| f.unit_id = Some(id(UNKNOWN)),
            Err(unknown_ref("unit_id", EntityKind::Unit, UNKNOWN)),
        ),
        ("no unit", |f| f.unit_id = None, Ok(())),
        (
            "same serial, normalised",
            |f| f.serial_number = "AB123".into(),
            Err(dup(
                EntityKind::Firearm,
                "manufacturer_serial",
                "GLOCK|AB123",
                GLOCK_1,
            )),
        ),
        (
            "same serial and manufacturer, other spelling",
            |f| {
                f.serial_number = "a b-1 2 3".into();
                f.manufacturer = "GLOCK".into();
            },
            Err(dup(
                EntityKind::Firearm,
                "manufacturer_serial",
                "GLOCK|AB123",
                GLOCK_1,
            )),
        ),
        (
            "same serial, other manufacturer",
            |f| {
                f.serial_number = "AB123".into();
                f.manufacturer = "Steyr".into();
            },
            Ok(()),
        ),
        (
            "existing id",
            |f| f.id = id(GLOCK_1),
            Err(DomainError::InvalidState(format!(
                "firearm {} already exists",
                id(GLOCK_1)
            ))),
        ),
    ];
    for (name, mutate, expected) in cases {
        let mut m = world();
        let mut f = firearm(GLOCK_2, "Glock", "XY999");
        mutate(&mut f);
        let got = m.apply(created(Record::Firearm(f.clone()))).map(|_| ());
        assert_eq!(got, expected, "{name}");
        if expected.is_ok() {
            assert_eq!(
                status(
                    &m,
                    ItemRef {
                        kind: EntityKind::Firearm,
                        id: f.id
                    }
                ),
                ItemStatus::InStore,
                "{name}"
            );
        }
    }
}

#[test]
fn a_duplicate_serial_differing_only_in_spacing_and_case_is_refused() {
    let mut m = world();
    let f = firearm(GLOCK_2, "Glock", "AB123");
    let err = m.apply(created(Record::Firearm(f))).unwrap_err();
    assert_eq!(err.code(), "duplicate");
    assert_eq!(
        err,
        dup(
            EntityKind::Firearm,
            "manufacturer_serial",
            "GLOCK|AB123",
            GLOCK_1
        )
    );
    assert_eq!(
        m.owner(EntityKind::Firearm, "manufacturer_serial", "GLOCK|AB123"),
        Some(id(GLOCK_1))
    );
}

#[test]
fn a_correction_changes_the_record_but_keeps_custody_state() {
    let mut m = world();
    let created_at = m.doc(EntityKind::Firearm, id(GLOCK_1))["created_index"].clone();
    m.apply(issue(gun(GLOCK_1), ALICE)).unwrap();
    let before = m.state(EntityKind::Firearm, id(GLOCK_1)).clone();

    let mut corrected = firearm(GLOCK_1, "Glock", "AB 12-4");
    corrected.notes = Some("serial re-read under magnification".into());
    let idx = m
        .apply_full(
            EventBody::RecordCorrected {
                record: Record::Firearm(corrected),
            },
            None,
            Some(7),
        )
        .unwrap();

    let doc = m.doc(EntityKind::Firearm, id(GLOCK_1));
    assert_eq!(doc["state"], before);
    assert_eq!(doc["state"]["status"], json!("issued"));
    assert_eq!(doc["state"]["custodian_id"], json!(id(ALICE)));
    assert_eq!(doc["record"]["serial_number"], json!("AB 12-4"));
    assert_eq!(doc["corrections"], json!([idx]));
    assert_eq!(doc["created_index"], created_at);
    assert_eq!(doc["updated_index"], json!(idx));
    // The unique key moved with the serial.
    assert_eq!(
        m.owner(EntityKind::Firearm, "manufacturer_serial", "GLOCK|AB123"),
        None
    );
    assert_eq!(
        m.owner(EntityKind::Firearm, "manufacturer_serial", "GLOCK|AB124"),
        Some(id(GLOCK_1))
    );
    // The old serial is free again, the new one is not.
    m.apply(created(Record::Firearm(firearm(GLOCK_2, "Glock", "AB123"))))
        .unwrap();
    let clash = EventBody::RecordCorrected {
        record: Record::Firearm(firearm(GLOCK_2, "Glock", "ab124")),
    };
    assert_eq!(
        m.apply(clash).unwrap_err(),
        dup(
            EntityKind::Firearm,
            "manufacturer_serial",
            "GLOCK|AB124",
            GLOCK_1
        )
    );
    // The returned item is back in store after the correction too.
    m.apply(ret(gun(GLOCK_1), ALICE)).unwrap();
    assert_eq!(status(&m, gun(GLOCK_1)), ItemStatus::InStore);
    assert_eq!(m.replay().docs, m.docs);
}

#[test]
fn correcting_checks_existence_and_references() {
    let cases: Vec<(&str, EventBody, DomainError)> = vec![
        (
            "unknown record",
            EventBody::RecordCorrected {
                record: Record::Firearm(firearm(GLOCK_2, "Glock", "Z1")),
            },
            DomainError::NotFound {
                kind: EntityKind::Firearm,
                id: id(GLOCK_2),
            },
        ),
        (
            "unknown model",
            EventBody::RecordCorrected {
                record: Record::Firearm(Firearm {
                    model_id: id(UNKNOWN),
                    ..firearm(GLOCK_1, "Glock", "ab 12-3")
                }),
            },
            unknown_ref("model_id", EntityKind::FirearmModel, UNKNOWN),
        ),
    ];
    for (name, body, expected) in cases {
        let mut m = world();
        assert_eq!(m.apply(body).unwrap_err(), expected, "{name}");
    }
}

#[test]
fn issue_and_return_move_status_and_custodian() {
    let mut m = world();
    let g = gun(GLOCK_1);
    assert_eq!(status(&m, g), ItemStatus::InStore);
    assert_eq!(m.state(g.kind, g.id)["custodian_id"], Value::Null);
    assert_eq!(m.state(g.kind, g.id)["location_id"], json!(id(VAULT)));

    let issued_at = m.apply(issue(g, ALICE)).unwrap();
    assert_eq!(status(&m, g), ItemStatus::Issued);
    assert_eq!(m.state(g.kind, g.id)["custodian_id"], json!(id(ALICE)));
    assert_eq!(m.state(g.kind, g.id)["location_id"], Value::Null);
    assert_eq!(m.doc(g.kind, g.id)["updated_index"], json!(issued_at));

    let returned_at = m.apply(ret(g, ALICE)).unwrap();
    assert_eq!(status(&m, g), ItemStatus::InStore);
    assert_eq!(m.state(g.kind, g.id)["custodian_id"], Value::Null);
    assert_eq!(m.state(g.kind, g.id)["location_id"], json!(id(VAULT)));
    // The prev chain of the firearm links the return to the issue.
    let (ev, _) = &m.log[returned_at as usize];
    assert_eq!(
        ev.subjects[0],
        Subject {
            kind: EntityKind::Firearm,
            id: id(GLOCK_1),
            prev: Some(issued_at)
        }
    );

    // Long-term assignment.
    m.apply(EventBody::ItemIssued {
        item: g,
        person_id: id(ALICE),
        location_id: id(WINDOW),
        long_term: true,
    })
    .unwrap();
    assert_eq!(status(&m, g), ItemStatus::Assigned);
    m.apply(ret(g, ALICE)).unwrap();
    assert_eq!(status(&m, g), ItemStatus::InStore);

    // Equipment follows the same rules.
    let mag = item(EntityKind::Equipment, MAGAZINE);
    m.apply(issue(mag, ALICE)).unwrap();
    assert_eq!(status(&m, mag), ItemStatus::Issued);
    m.apply(ret(mag, ALICE)).unwrap();
    assert_eq!(status(&m, mag), ItemStatus::InStore);
    assert_eq!(m.replay().docs, m.docs);
}

#[test]
fn issue_and_return_refusals() {
    let invalid_state = |e: &DomainError| matches!(e, DomainError::InvalidState(_));
    type Check = fn(&DomainError) -> bool;
    let cases: Vec<(&str, Vec<EventBody>, EventBody, Check)> = vec![
        (
            "issue twice",
            vec![issue(gun(GLOCK_1), ALICE)],
            issue(gun(GLOCK_1), ALICE),
            invalid_state,
        ),
        (
            "return in-store item",
            vec![],
            ret(gun(GLOCK_1), ALICE),
            invalid_state,
        ),
        (
            "return twice",
            vec![issue(gun(GLOCK_1), ALICE), ret(gun(GLOCK_1), ALICE)],
            ret(gun(GLOCK_1), ALICE),
            invalid_state,
        ),
        (
            "suspended person",
            vec![],
            issue(gun(GLOCK_1), BOB),
            invalid_state,
        ),
        (
            "unknown person",
            vec![],
            issue(gun(GLOCK_1), UNKNOWN),
            |e| *e == unknown_ref("person_id", EntityKind::Person, UNKNOWN),
        ),
        ("unknown item", vec![], issue(gun(UNKNOWN), ALICE), |e| {
            *e == unknown_ref("item", EntityKind::Firearm, UNKNOWN)
        }),
        (
            "not an item",
            vec![],
            issue(item(EntityKind::Person, ALICE), ALICE),
            |e| e.code() == "invalid_field",
        ),
        (
            "unknown window",
            vec![],
            EventBody::ItemIssued {
                item: gun(GLOCK_1),
                person_id: id(ALICE),
                location_id: id(UNKNOWN),
                long_term: false,
            },
            |e| *e == unknown_ref("location_id", EntityKind::Location, UNKNOWN),
        ),
        (
            "issue a lost item",
            vec![EventBody::ItemStatusChanged {
                item: gun(GLOCK_1),
                status: ItemStatus::Lost,
                location_id: None,
            }],
            issue(gun(GLOCK_1), ALICE),
            invalid_state,
        ),
        (
            "status change to issued",
            vec![],
            EventBody::ItemStatusChanged {
                item: gun(GLOCK_1),
                status: ItemStatus::Issued,
                location_id: None,
            },
            |e| e.code() == "invalid_field",
        ),
        (
            "status change of a destroyed item",
            vec![EventBody::ItemStatusChanged {
                item: gun(GLOCK_1),
                status: ItemStatus::Destroyed,
                location_id: None,
            }],
            EventBody::ItemStatusChanged {
                item: gun(GLOCK_1),
                status: ItemStatus::InStore,
                location_id: None,
            },
            invalid_state,
        ),
    ];
    for (name, setup, body, expected) in cases {
        let mut m = world();
        for b in setup {
            m.apply(b).unwrap();
        }
        let before = m.docs.clone();
        let err = m.apply(body).unwrap_err();
        assert!(expected(&err), "{name}: {err:?}");
        assert_eq!(m.docs, before, "{name}: a refused event changed nothing");
    }
}

#[test]
fn status_change_moves_the_item() {
    let mut m = world();
    m.apply(EventBody::ItemStatusChanged {
        item: gun(GLOCK_1),
        status: ItemStatus::UnderRepair,
        location_id: Some(id(WINDOW)),
    })
    .unwrap();
    assert_eq!(status(&m, gun(GLOCK_1)), ItemStatus::UnderRepair);
    assert_eq!(
        m.state(EntityKind::Firearm, id(GLOCK_1))["location_id"],
        json!(id(WINDOW))
    );
    m.apply(EventBody::ItemStatusChanged {
        item: gun(GLOCK_1),
        status: ItemStatus::InStore,
        location_id: None,
    })
    .unwrap();
    assert_eq!(status(&m, gun(GLOCK_1)), ItemStatus::InStore);
    assert_eq!(
        m.state(EntityKind::Firearm, id(GLOCK_1))["location_id"],
        json!(id(WINDOW))
    );
}

#[test]
fn tag_binding_sets_and_unbinding_clears_the_items_epc() {
    let mut m = world();
    let g = gun(GLOCK_1);
    m.apply(binding(100, EPC, g)).unwrap();
    assert_eq!(m.state(g.kind, g.id)["tag_epc"], json!(EPC));
    assert_eq!(
        m.state(EntityKind::TagBinding, id(100))["active"],
        json!(true)
    );
    assert_eq!(
        m.owner(EntityKind::TagBinding, "active_epc", EPC),
        Some(id(100))
    );
    let item_key = format!("firearm|{}", id(GLOCK_1));
    assert_eq!(
        m.owner(EntityKind::TagBinding, "active_item", &item_key),
        Some(id(100))
    );

    // The tag and the item are taken while the binding is active.
    let mag = item(EntityKind::Equipment, MAGAZINE);
    assert_eq!(
        m.apply(binding(101, EPC, mag)).unwrap_err(),
        dup(EntityKind::TagBinding, "active_epc", EPC, 100)
    );
    assert_eq!(
        m.apply(binding(101, EPC_2, g)).unwrap_err(),
        dup(EntityKind::TagBinding, "active_item", &item_key, 100)
    );
    // Only items can be tagged.
    assert_eq!(
        m.apply(binding(101, EPC_2, item(EntityKind::Person, ALICE)))
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    // Unbinding names the right item.
    assert_eq!(
        m.apply(EventBody::TagUnbound {
            binding_id: id(100),
            item: mag
        })
        .unwrap_err()
        .code(),
        "invalid_field"
    );

    let ended = m
        .apply(EventBody::TagUnbound {
            binding_id: id(100),
            item: g,
        })
        .unwrap();
    assert_eq!(m.state(g.kind, g.id)["tag_epc"], Value::Null);
    assert_eq!(
        m.state(EntityKind::TagBinding, id(100))["active"],
        json!(false)
    );
    assert_eq!(
        m.state(EntityKind::TagBinding, id(100))["ended_index"],
        json!(ended)
    );
    assert_eq!(m.owner(EntityKind::TagBinding, "active_epc", EPC), None);
    assert_eq!(
        m.owner(EntityKind::TagBinding, "active_item", &item_key),
        None
    );
    // The ended binding stays searchable by its EPC.
    assert!(m.owned[&(EntityKind::TagBinding, id(100))].contains(&Key::search("epc", EPC.into())));
    assert!(matches!(
        m.apply(EventBody::TagUnbound {
            binding_id: id(100),
            item: g
        })
        .unwrap_err(),
        DomainError::InvalidState(_)
    ));

    // The freed tag can be bound to another item, and the item can take another tag.
    m.apply(binding(101, EPC, mag)).unwrap();
    assert_eq!(m.state(mag.kind, mag.id)["tag_epc"], json!(EPC));
    m.apply(binding(102, EPC_2, g)).unwrap();
    assert_eq!(m.state(g.kind, g.id)["tag_epc"], json!(EPC_2));
    assert_eq!(m.replay().docs, m.docs);
    assert_eq!(m.replay().owners, m.owners);
}

#[test]
fn correcting_a_binding() {
    let mut m = world();
    let g = gun(GLOCK_1);
    let created_at = m.apply(binding(100, EPC, g)).unwrap();
    let correct = |n: u128, epc: &str, it: ItemRef| EventBody::RecordCorrected {
        record: Record::TagBinding(TagBinding {
            id: id(n),
            epc: epc.into(),
            item: it,
        }),
    };
    // The item cannot be corrected.
    let mag = item(EntityKind::Equipment, MAGAZINE);
    assert_eq!(
        m.apply(correct(100, EPC, mag)).unwrap_err().code(),
        "invalid_correction"
    );
    // A misread EPC can, and the item shows the corrected EPC.
    m.apply_full(correct(100, EPC_2, g), None, Some(created_at))
        .unwrap();
    assert_eq!(m.owner(EntityKind::TagBinding, "active_epc", EPC), None);
    assert_eq!(
        m.owner(EntityKind::TagBinding, "active_epc", EPC_2),
        Some(id(100))
    );
    assert_eq!(m.state(g.kind, g.id)["tag_epc"], json!(EPC_2));

    // An ended binding can be corrected even when its EPC is in use again: it claims
    // no unique key, and the item's current tag is left alone.
    m.apply(EventBody::TagUnbound {
        binding_id: id(100),
        item: g,
    })
    .unwrap();
    m.apply(binding(101, EPC_2, mag)).unwrap();
    m.apply(binding(102, EPC, g)).unwrap();
    m.apply_full(correct(100, EPC_2, g), None, Some(created_at))
        .unwrap();
    assert_eq!(m.state(g.kind, g.id)["tag_epc"], json!(EPC));
    assert_eq!(
        m.state(EntityKind::TagBinding, id(100))["active"],
        json!(false)
    );
    assert_eq!(
        m.owner(EntityKind::TagBinding, "active_epc", EPC_2),
        Some(id(101))
    );
    assert_eq!(m.replay().docs, m.docs);
    assert_eq!(m.replay().owners, m.owners);
}

#[test]
fn ammunition_stock_never_goes_negative() {
    let mut m = world();
    let stock_id = ammo_stock_id(id(LOT), id(VAULT));
    let qty = |m: &Mem| m.state(EntityKind::AmmoStock, stock_id)["quantity"].clone();
    // (delta, expected quantity afterwards or error code)
    let steps: Vec<(i64, Result<i64, &str>)> = vec![
        (-1, Err("invalid_state")),
        (0, Err("invalid_field")),
        (100, Ok(100)),
        (-30, Ok(70)),
        (-71, Err("invalid_state")),
        (i64::MIN, Err("invalid_state")),
        (i64::MAX, Err("invalid_state")),
        (-70, Ok(0)),
        (-1, Err("invalid_state")),
        (5, Ok(5)),
    ];
    for (delta, expected) in steps {
        let got = m.apply(stock(delta));
        match expected {
            Ok(q) => {
                assert!(got.is_ok(), "{delta}: {got:?}");
                assert_eq!(qty(&m), json!(q), "{delta}");
            }
            Err(code) => assert_eq!(got.unwrap_err().code(), code, "{delta}"),
        }
    }
    // The person involved in an issue must exist.
    let to_unknown = EventBody::AmmoStockChanged {
        lot_id: id(LOT),
        location_id: id(VAULT),
        delta: -1,
        movement: AmmoMovement::Issue,
        person_id: Some(id(UNKNOWN)),
    };
    assert_eq!(
        m.apply(to_unknown).unwrap_err(),
        unknown_ref("person_id", EntityKind::Person, UNKNOWN)
    );
    let unknown_lot = EventBody::AmmoStockChanged {
        lot_id: id(UNKNOWN),
        location_id: id(VAULT),
        delta: 1,
        movement: AmmoMovement::Receipt,
        person_id: None,
    };
    assert_eq!(
        m.apply(unknown_lot).unwrap_err(),
        unknown_ref("lot_id", EntityKind::AmmoLot, UNKNOWN)
    );
    assert_eq!(m.replay().docs, m.docs);
}

#[test]
fn the_projection_itself_refuses_negative_or_overflowing_stock() {
    // Even without `check` (a replay of a tampered ledger), the projection refuses.
    let mut m = world();
    m.apply(stock(10)).unwrap();
    for delta in [-11, i64::MIN, i64::MAX] {
        let ev = m.event(stock(delta), None);
        let got = project(&ev, m.next_index(), None, &m);
        assert!(
            matches!(got, Err(DomainError::InvalidState(_))),
            "{delta}: {got:?}"
        );
    }
}

#[test]
fn parts_are_fitted_and_removed() {
    let mut m = world();
    m.apply(created(Record::Firearm(firearm(GLOCK_2, "Glock", "XY9"))))
        .unwrap();
    let fit = |f: u128| EventBody::PartFitted {
        part_id: id(SLIDE),
        firearm_id: id(f),
    };
    let remove = |f: u128| EventBody::PartRemoved {
        part_id: id(SLIDE),
        firearm_id: id(f),
    };

    assert_eq!(
        m.state(EntityKind::Part, id(SLIDE))["fitted_to"],
        Value::Null
    );
    m.apply(fit(GLOCK_1)).unwrap();
    assert_eq!(
        m.state(EntityKind::Part, id(SLIDE))["fitted_to"],
        json!(id(GLOCK_1))
    );
    assert_eq!(
        m.state(EntityKind::Firearm, id(GLOCK_1))["parts"],
        json!([id(SLIDE)])
    );

    let invalid_state = |e: DomainError| matches!(e, DomainError::InvalidState(_));
    assert!(
        invalid_state(m.apply(fit(GLOCK_1)).unwrap_err()),
        "fitted twice"
    );
    assert!(
        invalid_state(m.apply(fit(GLOCK_2)).unwrap_err()),
        "fitted to two firearms"
    );
    assert!(
        invalid_state(m.apply(remove(GLOCK_2)).unwrap_err()),
        "removed from the wrong firearm"
    );
    assert_eq!(
        m.apply(EventBody::PartFitted {
            part_id: id(UNKNOWN),
            firearm_id: id(GLOCK_1)
        })
        .unwrap_err(),
        unknown_ref("part_id", EntityKind::Part, UNKNOWN)
    );

    m.apply(remove(GLOCK_1)).unwrap();
    assert_eq!(
        m.state(EntityKind::Part, id(SLIDE))["fitted_to"],
        Value::Null
    );
    assert_eq!(
        m.state(EntityKind::Firearm, id(GLOCK_1))["parts"],
        json!([])
    );
    assert!(
        invalid_state(m.apply(remove(GLOCK_1)).unwrap_err()),
        "removed twice"
    );

    assert_eq!(
        m.apply(fit(UNKNOWN)).unwrap_err(),
        unknown_ref("firearm_id", EntityKind::Firearm, UNKNOWN)
    );
    m.apply(EventBody::ItemStatusChanged {
        item: gun(GLOCK_2),
        status: ItemStatus::Destroyed,
        location_id: None,
    })
    .unwrap();
    assert!(
        invalid_state(m.apply(fit(GLOCK_2)).unwrap_err()),
        "fitted to a destroyed firearm"
    );
    m.apply(fit(GLOCK_1)).unwrap();
    assert_eq!(m.replay().docs, m.docs);
}

#[test]
fn accounts_and_personal_data() {
    let mut m = world();
    let acct = |n: u128, name: &str| EventBody::AccountCreated {
        account_id: id(n),
        username: name.into(),
        role: Role::Armorer,
    };
    m.apply(acct(500, "Armorer1")).unwrap();
    assert_eq!(
        m.owner(EntityKind::Account, "username", "armorer1"),
        Some(id(500))
    );
    assert_eq!(
        m.apply(acct(501, "ARMORER1")).unwrap_err().code(),
        "duplicate"
    );
    m.apply(EventBody::ApiTokenIssued {
        token_id: id(502),
        name: "reader".into(),
        role: Role::Device,
    })
    .unwrap();

    let pd = PersonalData {
        given_name: "Zoë".into(),
        family_name: "Müller".into(),
        date_of_birth: None,
    };
    m.apply_full(
        created(person(600, "B-300", PersonStatus::Active)),
        Some(pd.clone()),
        None,
    )
    .unwrap();
    assert_eq!(m.doc(EntityKind::Person, id(600))["personal"], json!(pd));
    // A correction without personal data keeps the stored personal data.
    let corrected = EventBody::RecordCorrected {
        record: person(600, "B-301", PersonStatus::Active),
    };
    m.apply(corrected).unwrap();
    assert_eq!(m.doc(EntityKind::Person, id(600))["personal"], json!(pd));
    assert_eq!(
        m.doc(EntityKind::Person, id(600))["record"]["badge_number"],
        json!("B-301")
    );
    assert_eq!(m.replay().docs, m.docs);
}
