//! Registry commands end to end: refused commands leave the database unchanged,
//! idempotent retries, corrections, and searches. Runs on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use iwt_app::AppError;
use iwt_app::commands::Meta;
use iwt_app::queries::FirearmQuery;
use iwt_domain::{DomainError, EntityKind, Record};
use iwt_store::{LogState, PageReq, Store};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

common::backend_tests!(
    bad_commands_leave_the_database_unchanged,
    idempotent_retry_appends_once,
    correction_needs_a_reason,
    correction_must_name_an_event_of_the_record,
    correction_keeps_the_original_in_history,
    firearm_search,
);

/// Everything a refused command could have touched.
async fn snapshot(store: &dyn Store) -> (LogState, usize, Vec<String>) {
    let state = store.log_state().await.unwrap();
    let entries = store.entries(0, 10_000).await.unwrap().len();
    let mut rows: Vec<String> = store
        .all_rows()
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {} {} {:?}", r.kind, r.id, r.doc, r.keys))
        .collect();
    rows.sort();
    (state, entries, rows)
}

async fn bad_commands_leave_the_database_unchanged(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let before = snapshot(app.store().as_ref()).await;
    let who = admin();

    // The same serial (spelled differently) for the same manufacturer.
    let dup = firearm(s.model, s.locations[0], "ab-1001");
    match app
        .create_record(&who, Record::Firearm(dup), None, Meta::default())
        .await
    {
        Err(AppError::Domain(DomainError::Duplicate {
            kind: EntityKind::Firearm,
            owner,
            ..
        })) => assert_eq!(owner, s.firearms[0]),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    // An unknown model.
    let unknown = Uuid::now_v7();
    match app
        .create_record(
            &who,
            Record::Firearm(firearm(unknown, s.locations[0], "NEW-1")),
            None,
            Meta::default(),
        )
        .await
    {
        Err(AppError::Domain(DomainError::UnknownReference {
            kind: EntityKind::FirearmModel,
            id,
            ..
        })) => assert_eq!(id, unknown),
        other => panic!("expected UnknownReference, got {other:?}"),
    }
    // A duplicate site code, an invalid field, and personal data on a non-person.
    let e = app
        .create_record(&who, site("hq"), None, Meta::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "duplicate");
    let mut bad = firearm(s.model, s.locations[0], "NEW-2");
    bad.country_of_manufacture = "Austria".into();
    let e = app
        .create_record(&who, Record::Firearm(bad), None, Meta::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
    let (_, pd) = person(s.unit, "B-1");
    let e = app
        .create_record(&who, site("NEW"), Some(pd), Meta::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
    // A record created again under an existing id.
    let mut again = firearm(s.model, s.locations[0], "NEW-3");
    again.id = s.firearms[0];
    let e = app
        .create_record(&who, Record::Firearm(again), None, Meta::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_state");
    // A back-dated event in the future.
    let meta = Meta {
        occurred_at: Some(app.clock().now() + time::Duration::hours(1)),
        ..Meta::default()
    };
    let e = app
        .create_record(&who, site("LATER"), None, meta)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");

    assert_eq!(snapshot(app.store().as_ref()).await, before);
    assert_verifies(app.store().as_ref()).await;
}

async fn idempotent_retry_appends_once(db: Arc<TestDb>) {
    let app = app(&db).await;
    let event_id = Uuid::now_v7();
    let meta = Meta {
        event_id: Some(event_id),
        ..Meta::default()
    };
    let (id, first) = app
        .create_record(&admin(), site("HQ"), None, meta.clone())
        .await
        .unwrap();
    assert!(!first.duplicate);
    assert_eq!((first.event_id, first.index), (event_id, 0));
    let (_, second) = app
        .create_record(&admin(), site("HQ"), None, meta.clone())
        .await
        .unwrap();
    assert!(second.duplicate);
    assert_eq!((second.event_id, second.index), (event_id, 0));
    // Retried concurrently, too.
    let who = admin();
    let (a, b) = tokio::join!(
        app.create_record(&who, site("HQ"), None, meta.clone()),
        app.create_record(&who, site("HQ"), None, meta),
    );
    assert!(a.unwrap().1.duplicate && b.unwrap().1.duplicate);
    let store = app.store();
    assert_eq!(store.log_state().await.unwrap().size, 1);
    assert_eq!(store.entries(0, 10).await.unwrap().len(), 1);
    assert_eq!(
        store
            .list_docs(EntityKind::Site, PageReq::default())
            .await
            .unwrap()
            .total,
        1
    );
    let e = store.entry_by_event_id(event_id).await.unwrap().unwrap();
    assert_eq!(e.leaf_hash, first.leaf_hash);
    assert!(store.doc(EntityKind::Site, id).await.unwrap().is_some());
    assert_verifies(store.as_ref()).await;
}

async fn correction_needs_a_reason(db: Arc<TestDb>) {
    let app = app(&db).await;
    let (id, _) = create(&app, site("HQ")).await;
    let before = app.store().log_state().await.unwrap();
    for reason in [None, Some(String::new()), Some("   ".into())] {
        let meta = Meta {
            reason,
            ..Meta::default()
        };
        let e = app
            .correct_record(
                &admin(),
                EntityKind::Site,
                id,
                site("HQ2"),
                None,
                None,
                meta,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(e, AppError::Domain(DomainError::InvalidCorrection(_))),
            "{e:?}"
        );
    }
    assert_eq!(app.store().log_state().await.unwrap(), before);
    assert_eq!(
        app.store()
            .doc(EntityKind::Site, id)
            .await
            .unwrap()
            .unwrap()["record"]["code"],
        "HQ"
    );
}

async fn correction_must_name_an_event_of_the_record(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let before = app.store().log_state().await.unwrap();
    let meta = || Meta {
        reason: Some("typo".into()),
        ..Meta::default()
    };
    let rec = || Record::Firearm(firearm(s.model, s.locations[0], "AB 1002 X"));
    // An event of another firearm, of another kind, and beyond the end of the log.
    for corrects in [s.at[&s.firearms[0]], s.at[&s.sites[0]], s.size + 5] {
        let e = app
            .correct_record(
                &admin(),
                EntityKind::Firearm,
                s.firearms[1],
                rec(),
                None,
                Some(corrects),
                meta(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(e, AppError::Domain(DomainError::InvalidCorrection(_))),
            "{corrects}: {e:?}"
        );
    }
    // A record that does not exist, a kind mismatch, and an id mismatch.
    let e = app
        .correct_record(
            &admin(),
            EntityKind::Firearm,
            Uuid::now_v7(),
            rec(),
            None,
            None,
            meta(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    let e = app
        .correct_record(
            &admin(),
            EntityKind::Site,
            s.firearms[1],
            rec(),
            None,
            None,
            meta(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
    let mut other_id = firearm(s.model, s.locations[0], "AB 1002 X");
    other_id.id = s.firearms[2];
    let e = app
        .correct_record(
            &admin(),
            EntityKind::Firearm,
            s.firearms[1],
            Record::Firearm(other_id),
            None,
            None,
            meta(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
    // A correction may not take another record's unique key.
    let e = app
        .correct_record(
            &admin(),
            EntityKind::Firearm,
            s.firearms[1],
            Record::Firearm(firearm(s.model, s.locations[0], "AB 1001")),
            None,
            None,
            meta(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "duplicate");
    // Only a correction names a corrected event.
    let mut cmd = iwt_app::Command::new(
        iwt_domain::EventBody::RecordCreated { record: site("X") },
        Uuid::nil(),
        app.clock().now(),
    );
    cmd.corrects = Some(0);
    let e = app.sequencer().submit(cmd).await.unwrap_err();
    assert_eq!(e.code(), "invalid_correction");
    assert_eq!(app.store().log_state().await.unwrap(), before);
}

async fn correction_keeps_the_original_in_history(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let id = s.firearms[1];
    let created = s.at[&id];
    let mut fixed = firearm(s.model, s.locations[0], "AB 1003");
    fixed.year_of_manufacture = Some(2019);
    let meta = Meta {
        reason: Some("serial misread at intake".into()),
        ..Meta::default()
    };
    let a = app
        .correct_record(
            &admin(),
            EntityKind::Firearm,
            id,
            Record::Firearm(fixed),
            None,
            Some(created),
            meta,
        )
        .await
        .unwrap();
    assert!(!a.duplicate);

    let doc = app
        .get_doc(&admin(), EntityKind::Firearm, id)
        .await
        .unwrap();
    assert_eq!(doc["record"]["serial_number"], "AB 1003");
    assert_eq!(doc["record"]["year_of_manufacture"], 2019);
    assert_eq!(doc["created_index"], created);
    assert_eq!(doc["updated_index"], a.index);
    assert_eq!(doc["corrections"], json!([a.index]));

    let history = app
        .history(&admin(), EntityKind::Firearm, id, PageReq::default())
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|h| h.index).collect::<Vec<_>>(),
        vec![created, a.index]
    );
    assert_eq!(history[0].event_type, "record_created");
    assert_eq!(
        history[0].body["record"]["data"]["serial_number"],
        "AB 1002"
    );
    assert_eq!(history[1].event_type, "record_corrected");
    assert_eq!(history[1].corrects, Some(created));
    assert_eq!(
        history[1].reason.as_deref(),
        Some("serial misread at intake")
    );
    assert_eq!(
        history[1].body["record"]["data"]["serial_number"],
        "AB 1003"
    );
    let link = &history[1].subjects[0];
    assert_eq!(
        link["prev"],
        json!(created),
        "the correction links to the record's previous event"
    );

    // The old serial is free again, the new one is taken.
    let find = |serial: &str| FirearmQuery {
        serial: Some(serial.into()),
        ..FirearmQuery::default()
    };
    let r = app
        .search_firearms(&admin(), &find("AB1002"), PageReq::default())
        .await
        .unwrap();
    assert_eq!(r.total, 0);
    let r = app
        .search_firearms(&admin(), &find("ab 1003"), PageReq::default())
        .await
        .unwrap();
    assert_eq!(r.total, 1);
    let (reused, _) = create(
        &app,
        Record::Firearm(firearm(s.model, s.locations[0], "AB-1002")),
    )
    .await;
    assert_ne!(reused, id);

    // A correction without an explicit target corrects the latest event.
    let meta = Meta {
        reason: Some("year".into()),
        ..Meta::default()
    };
    let b = app
        .correct_record(
            &admin(),
            EntityKind::Firearm,
            id,
            Record::Firearm(firearm(s.model, s.locations[0], "AB 1003")),
            None,
            None,
            meta,
        )
        .await
        .unwrap();
    let history = app
        .history(&admin(), EntityKind::Firearm, id, PageReq::default())
        .await
        .unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[2].corrects, Some(a.index));
    let doc = app
        .get_doc(&admin(), EntityKind::Firearm, id)
        .await
        .unwrap();
    assert_eq!(doc["corrections"], json!([a.index, b.index]));
    assert_verifies(app.store().as_ref()).await;
}

async fn firearm_search(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let q = |f: fn(&mut FirearmQuery, String), v: &str| {
        let mut q = FirearmQuery::default();
        f(&mut q, v.to_owned());
        q
    };
    let ids = |docs: &[serde_json::Value]| -> Vec<String> {
        docs.iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let serial = |q: &mut FirearmQuery, v| q.serial = Some(v);
    let prefix = |q: &mut FirearmQuery, v| q.serial_prefix = Some(v);
    let all = PageReq::default();

    let r = app
        .search_firearms(&admin(), &q(serial, "ab1001"), all)
        .await
        .unwrap();
    assert_eq!(ids(&r.items), vec![s.firearms[0].to_string()]);
    let r = app
        .search_firearms(&admin(), &q(serial, "AB 100"), all)
        .await
        .unwrap();
    assert_eq!(r.total, 0);
    let r = app
        .search_firearms(&admin(), &q(prefix, "ab-10"), all)
        .await
        .unwrap();
    let mut want = vec![s.firearms[0].to_string(), s.firearms[1].to_string()];
    want.sort();
    assert_eq!((ids(&r.items), r.total), (want, 2));
    let r = app
        .search_firearms(
            &admin(),
            &q(prefix, "A"),
            PageReq {
                offset: 1,
                limit: 1,
            },
        )
        .await
        .unwrap();
    assert_eq!((r.items.len(), r.total), (1, 2));
    let r = app
        .search_firearms(&admin(), &q(prefix, "XY"), all)
        .await
        .unwrap();
    assert_eq!(ids(&r.items), vec![s.firearms[2].to_string()]);
    let e = app
        .search_firearms(&admin(), &q(prefix, " - "), all)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
}
