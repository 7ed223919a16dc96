//! Shared helpers of the application tests: fresh databases of both backends (through
//! `iwt_store::conformance`), sample records and a small sample ledger.
#![allow(dead_code, clippy::unwrap_used)]

pub use iwt_store::conformance::{Backend, TestDb, with_test_db};

use iwt_app::auth::Principal;
use iwt_app::commands::Meta;
use iwt_app::{App, Appended};
use iwt_domain::records::{
    Firearm, FirearmModel, ItemRef, Location, Person, PersonalData, Site, Unit,
};
use iwt_domain::vocab::{FirearmAction, FirearmType, LocationKind, Origin, PersonStatus};
use iwt_domain::{EntityKind, EventBody, Record, Role, SystemClock};
use iwt_store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Generates, for each named `async fn NAME(db: Arc<TestDb>)` of the test file, one
/// test per backend: `sqlite::NAME` and `postgres::NAME` (skipped without
/// `IWT_TEST_PG_URL`).
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::with_test_db($crate::common::Backend::Sqlite, super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::with_test_db($crate::common::Backend::Postgres, super::$name).await;
                }
            )*
        }
    };
}
pub(crate) use backend_tests;

/// An application on the system clock over a new store instance on `db`.
pub async fn app(db: &TestDb) -> App {
    App::new(db.open().await, Arc::new(SystemClock))
}

/// The console administrator.
pub fn admin() -> Principal {
    Principal::console()
}

/// A principal with `role`.
pub fn principal(role: Role) -> Principal {
    Principal {
        id: Uuid::now_v7(),
        role,
        name: format!("{}-user", role.as_str()),
    }
}

pub fn site(code: &str) -> Record {
    Record::Site(Site {
        id: Uuid::nil(),
        code: code.to_owned(),
        name: format!("Site {code}"),
        country: "DE".into(),
        timezone: "Europe/Berlin".into(),
        address: None,
    })
}

pub fn location(site_id: Uuid, code: &str) -> Record {
    Record::Location(Location {
        id: Uuid::nil(),
        site_id,
        parent_id: None,
        code: code.to_owned(),
        name: format!("Location {code}"),
        kind: LocationKind::Vault,
    })
}

pub fn model() -> Record {
    Record::FirearmModel(FirearmModel {
        id: Uuid::nil(),
        make: "Glock".into(),
        manufacturer: "Glock GmbH".into(),
        model: "17 Gen5".into(),
        firearm_type: FirearmType::Pistol,
        action: FirearmAction::SemiAutomatic,
        calibres: vec!["9x19mm".into()],
        barrel_length_mm: Some(114),
        country_of_manufacture: Some("AT".into()),
        ifrt_ref: None,
    })
}

pub fn firearm(model_id: Uuid, location_id: Uuid, serial: &str) -> Firearm {
    Firearm {
        id: Uuid::nil(),
        model_id,
        serial_number: serial.to_owned(),
        manufacturer: "Glock GmbH".into(),
        country_of_manufacture: "AT".into(),
        year_of_manufacture: Some(2021),
        origin: Origin::StateStock,
        weapon_class: "PISTOL-9MM".into(),
        markings: Vec::new(),
        unit_id: None,
        location_id,
        notes: None,
    }
}

pub fn unit(site_id: Uuid, code: &str) -> Record {
    Record::Unit(Unit {
        id: Uuid::nil(),
        code: code.to_owned(),
        name: format!("Unit {code}"),
        site_id: Some(site_id),
        parent_unit_id: None,
    })
}

pub fn person(unit_id: Uuid, badge: &str) -> (Record, PersonalData) {
    let p = Person {
        id: Uuid::nil(),
        badge_number: badge.to_owned(),
        service_number: None,
        card_uid: None,
        unit_id,
        rank: Some("POM".into()),
        status: PersonStatus::Active,
    };
    let pd = PersonalData {
        given_name: "Zoë".into(),
        family_name: "Ørsted".into(),
        date_of_birth: None,
    };
    (Record::Person(p), pd)
}

/// Creates a record as the console administrator.
pub async fn create(app: &App, record: Record) -> (Uuid, Appended) {
    app.create_record(&admin(), record, None, Meta::default())
        .await
        .unwrap()
}

/// A small ledger: two sites, three locations, a unit, a person (with personal data), a
/// firearm model, three firearms and one issue. `at[id]` is the index that created `id`.
pub struct Sample {
    pub sites: Vec<Uuid>,
    pub locations: Vec<Uuid>,
    pub unit: Uuid,
    pub person: Uuid,
    pub model: Uuid,
    pub firearms: Vec<Uuid>,
    /// Index of the event that created each record.
    pub at: HashMap<Uuid, u64>,
    /// Index of the issue of `firearms[0]` to `person`.
    pub issued_at: u64,
    /// Number of entries.
    pub size: u64,
}

pub async fn sample(app: &App) -> Sample {
    let mut at = HashMap::new();
    let mut mk = async |record: Record| {
        let (id, a) = create(app, record).await;
        at.insert(id, a.index);
        id
    };
    let s0 = mk(site("HQ")).await; // 0
    let s1 = mk(site("NORTH")).await; // 1
    let l0 = mk(location(s0, "V1")).await; // 2
    let l1 = mk(location(s0, "W1")).await; // 3
    let l2 = mk(location(s1, "V1")).await; // 4
    let u = mk(unit(s0, "PATROL-1")).await; // 5
    let m = mk(model()).await; // 6
    let f0 = mk(Record::Firearm(firearm(m, l0, "AB 1001"))).await; // 7
    let f1 = mk(Record::Firearm(firearm(m, l0, "AB 1002"))).await; // 8
    let f2 = mk(Record::Firearm(firearm(m, l2, "XY-2001"))).await; // 9
    let (p, pd) = person(u, "B-4711");
    let (pid, a) = app
        .create_record(&admin(), p, Some(pd), Meta::default())
        .await
        .unwrap(); // 10
    at.insert(pid, a.index);
    let body = EventBody::ItemIssued {
        item: ItemRef {
            kind: EntityKind::Firearm,
            id: f0,
        },
        person_id: pid,
        location_id: l1,
        long_term: false,
    };
    let issued = app
        .record_event(&admin(), body, Meta::default())
        .await
        .unwrap(); // 11
    let size = app.store().log_state().await.unwrap().size;
    assert_eq!(size, 12);
    Sample {
        sites: vec![s0, s1],
        locations: vec![l0, l1, l2],
        unit: u,
        person: pid,
        model: m,
        firearms: vec![f0, f1, f2],
        at,
        issued_at: issued.index,
        size,
    }
}

/// Verifies the store and asserts that it is intact.
pub async fn assert_verifies(store: &dyn Store) {
    let report = iwt_app::verify::verify(store).await.unwrap();
    assert!(
        report.ok(),
        "verification found problems: {:#?}",
        report.problems
    );
    assert_eq!(report.entries, report.stored_size);
}
