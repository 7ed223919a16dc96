//! Tampering with the database behind the application's back is found by
//! `iwt_app::verify::verify`, at the index concerned. The append-only guard of the
//! ledger table is removed first, as an attacker with full database access would.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use iwt_app::verify::{Report, verify};
use iwt_domain::codec::{decode_event, encode_event};
use iwt_domain::{EntityKind, EventBody, Record};
use iwt_ledger::leaf_hash;
use iwt_store::conformance::RawSql;
use iwt_store::{Store, StoredEntry};
use serde_json::Value;
use std::sync::Arc;
use uuid::Uuid;

common::backend_tests!(
    intact_ledger_verifies,
    flipped_leaf_byte,
    rewritten_leaf_with_matching_hash,
    rewritten_leaf_hash_and_projection,
    deleted_middle_entry,
    swapped_entries,
    truncated_last_entry,
    edited_projection_doc,
    deleted_and_forged_projection_rows,
    edited_personal_data,
    edited_tree_state,
);

async fn entry(store: &dyn Store, idx: u64) -> StoredEntry {
    let e = store.entries(idx, 1).await.unwrap().pop().unwrap();
    assert_eq!(e.idx, idx);
    e
}

async fn set_entry(raw: &RawSql, idx: u64, event_id: Uuid, leaf: &[u8], hash: &[u8]) {
    let sql = format!(
        "UPDATE log_entries SET event_id = '{event_id}', leaf = {}, leaf_hash = {} WHERE idx = {idx}",
        raw.blob(leaf),
        raw.blob(hash)
    );
    assert_eq!(raw.execute(&sql).await.unwrap(), 1);
}

async fn set_doc(raw: &RawSql, kind: EntityKind, id: Uuid, doc: &Value) {
    let text = doc.to_string().replace('\'', "''");
    let sql = format!(
        "UPDATE projections SET doc = '{text}' WHERE kind = '{}' AND id = '{id}'",
        kind.as_str()
    );
    assert_eq!(raw.execute(&sql).await.unwrap(), 1);
}

async fn report(store: &dyn Store) -> Report {
    let r = verify(store).await.unwrap();
    assert!(!r.ok(), "tampering went unnoticed");
    r
}

fn has(r: &Report, index: Option<u64>, needle: &str) -> bool {
    r.problems
        .iter()
        .any(|p| p.index == index && p.what.contains(needle))
}

async fn intact_ledger_verifies(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    assert_verifies(app.store().as_ref()).await;
    // A second instance sees and verifies the same.
    let other = db.open().await;
    let r = verify(other.as_ref()).await.unwrap();
    assert!(r.ok(), "{:#?}", r.problems);
    assert_eq!((r.entries, r.stored_size), (s.size, s.size));
}

async fn flipped_leaf_byte(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    db.raw.drop_append_only_guard().await.unwrap();
    let k = s.at[&s.firearms[1]];
    let e = entry(app.store().as_ref(), k).await;
    let mut leaf = e.leaf.clone();
    let mid = leaf.len() / 2;
    leaf[mid] ^= 0x01;
    set_entry(&db.raw, k, e.event_id, &leaf, &e.leaf_hash).await;
    let r = report(app.store().as_ref()).await;
    assert_eq!(r.first_bad_index(), Some(k), "{:#?}", r.problems);
    assert!(
        has(&r, Some(k), "do not hash to the stored leaf hash"),
        "{:#?}",
        r.problems
    );
}

/// A smarter attacker re-encodes a changed event canonically and stores its true leaf
/// hash: the leaf is internally consistent, but the recomputed root no longer matches
/// the stored tree state, and the projection no longer matches the replay.
async fn rewritten_leaf_with_matching_hash(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    db.raw.drop_append_only_guard().await.unwrap();
    let k = s.at[&s.firearms[1]];
    let e = entry(app.store().as_ref(), k).await;
    let mut ev = decode_event(&e.leaf).unwrap();
    let EventBody::RecordCreated {
        record: Record::Firearm(f),
    } = &mut ev.body
    else {
        panic!("not a firearm: {:?}", ev.body)
    };
    f.serial_number = "FORGED 1".into();
    let leaf = encode_event(&ev).unwrap();
    set_entry(&db.raw, k, e.event_id, &leaf, &leaf_hash(&leaf)).await;
    let r = report(app.store().as_ref()).await;
    assert!(
        has(&r, None, "recomputed root differs"),
        "{:#?}",
        r.problems
    );
    assert_eq!(r.first_bad_index(), Some(k), "{:#?}", r.problems);
    assert!(
        has(&r, Some(k), &s.firearms[1].to_string()),
        "{:#?}",
        r.problems
    );
}

/// The attacker also rewrites the projection to match: only the root gives it away.
async fn rewritten_leaf_hash_and_projection(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    db.raw.drop_append_only_guard().await.unwrap();
    let id = s.firearms[2];
    let k = s.at[&id];
    let e = entry(app.store().as_ref(), k).await;
    let mut ev = decode_event(&e.leaf).unwrap();
    let EventBody::RecordCreated {
        record: Record::Firearm(f),
    } = &mut ev.body
    else {
        panic!("not a firearm")
    };
    f.notes = Some("never existed".into());
    let leaf = encode_event(&ev).unwrap();
    set_entry(&db.raw, k, e.event_id, &leaf, &leaf_hash(&leaf)).await;
    let mut doc = app
        .store()
        .doc(EntityKind::Firearm, id)
        .await
        .unwrap()
        .unwrap();
    doc["record"]["notes"] = "never existed".into();
    set_doc(&db.raw, EntityKind::Firearm, id, &doc).await;
    let r = report(app.store().as_ref()).await;
    assert_eq!(r.problems.len(), 1, "{:#?}", r.problems);
    assert!(
        has(&r, None, "recomputed root differs"),
        "{:#?}",
        r.problems
    );
}

async fn deleted_middle_entry(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    db.raw.drop_append_only_guard().await.unwrap();
    let k = s.at[&s.locations[2]];
    assert_eq!(
        db.raw
            .execute(&format!("DELETE FROM log_entries WHERE idx = {k}"))
            .await
            .unwrap(),
        1
    );
    let r = report(app.store().as_ref()).await;
    assert_eq!(r.first_bad_index(), Some(k), "{:#?}", r.problems);
    assert!(has(&r, Some(k), "missing"), "{:#?}", r.problems);
}

/// Two rows swapped completely (event id, leaf and hash): each row is consistent in
/// itself, but the order is not the one the tree state and the projections commit to.
async fn swapped_entries(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    db.raw.drop_append_only_guard().await.unwrap();
    let (i, j) = (s.at[&s.locations[1]], s.at[&s.firearms[1]]);
    assert!(i < j);
    let (a, b) = (
        entry(app.store().as_ref(), i).await,
        entry(app.store().as_ref(), j).await,
    );
    // Free the unique event id first.
    let tmp = Uuid::now_v7();
    set_entry(&db.raw, i, tmp, &a.leaf, &a.leaf_hash).await;
    set_entry(&db.raw, j, a.event_id, &a.leaf, &a.leaf_hash).await;
    set_entry(&db.raw, i, b.event_id, &b.leaf, &b.leaf_hash).await;
    let r = report(app.store().as_ref()).await;
    assert_eq!(r.first_bad_index(), Some(i), "{:#?}", r.problems);
    assert!(
        has(&r, None, "recomputed root differs"),
        "{:#?}",
        r.problems
    );
}

async fn truncated_last_entry(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    db.raw.drop_append_only_guard().await.unwrap();
    let last = s.size - 1;
    assert_eq!(
        db.raw
            .execute(&format!("DELETE FROM log_entries WHERE idx = {last}"))
            .await
            .unwrap(),
        1
    );
    let r = report(app.store().as_ref()).await;
    assert!(has(&r, Some(last), "truncated"), "{:#?}", r.problems);
    // The issue was the last event of the firearm: its projection no longer replays.
    assert!(
        has(
            &r,
            Some(s.at[&s.firearms[0]]),
            &format!("firearm {}", s.firearms[0])
        ),
        "{:#?}",
        r.problems
    );
    assert_eq!((r.entries, r.stored_size), (last, s.size));
}

async fn edited_projection_doc(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    // No ledger row is touched: the guard stays in place.
    let id = s.firearms[0];
    let mut doc = app
        .store()
        .doc(EntityKind::Firearm, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc["state"]["status"], "issued");
    doc["state"]["status"] = "in_store".into();
    doc["state"]["custodian_id"] = Value::Null;
    set_doc(&db.raw, EntityKind::Firearm, id, &doc).await;
    let r = report(app.store().as_ref()).await;
    assert_eq!(r.problems.len(), 1, "{:#?}", r.problems);
    let p = &r.problems[0];
    assert!(
        p.what.contains(&format!("firearm {id}")),
        "problem names the record: {p:?}"
    );
    assert_eq!(p.index, Some(s.issued_at), "at the record's last event");
}

async fn deleted_and_forged_projection_rows(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let gone = s.locations[0];
    let raw = &db.raw;
    assert_eq!(
        raw.execute(&format!(
            "DELETE FROM projections WHERE kind = 'location' AND id = '{gone}'"
        ))
        .await
        .unwrap(),
        1
    );
    raw.execute(&format!(
        "DELETE FROM projection_keys WHERE kind = 'location' AND id = '{gone}'"
    ))
    .await
    .unwrap();
    let forged = Uuid::now_v7();
    raw.execute(&format!(
        "INSERT INTO projections (kind, id, doc, updated_index) VALUES ('firearm', '{forged}', '{{\"kind\":\"firearm\",\"id\":\"{forged}\"}}', 3)"
    ))
    .await
    .unwrap();
    // A search key removed from a record whose document is untouched.
    let f2 = s.firearms[2];
    assert_eq!(
        raw.execute(&format!(
            "DELETE FROM projection_keys WHERE kind = 'firearm' AND id = '{f2}' AND name = 'serial'"
        ))
        .await
        .unwrap(),
        1
    );
    let r = report(app.store().as_ref()).await;
    assert!(
        has(
            &r,
            Some(s.at[&gone]),
            &format!("location {gone} is missing")
        ),
        "{:#?}",
        r.problems
    );
    assert!(
        has(
            &r,
            None,
            &format!("firearm {forged} has no events behind it")
        ),
        "{:#?}",
        r.problems
    );
    assert!(
        has(&r, Some(s.at[&f2]), &format!("index keys of firearm {f2}")),
        "{:#?}",
        r.problems
    );
    assert_eq!(r.problems.len(), 3, "{:#?}", r.problems);
}

async fn edited_personal_data(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let raw = &db.raw;
    let n = raw
        .execute(&format!(
            "UPDATE personal_data SET data = '{{\"given_name\":\"Mallory\",\"family_name\":\"Ørsted\",\"date_of_birth\":null}}' WHERE subject_id = '{}'",
            s.person
        ))
        .await
        .unwrap();
    assert_eq!(n, 1);
    let r = report(app.store().as_ref()).await;
    let k = s.at[&s.person];
    assert_eq!(r.first_bad_index(), Some(k), "{:#?}", r.problems);
    assert!(
        has(&r, Some(k), "personal data does not match"),
        "{:#?}",
        r.problems
    );
}

async fn edited_tree_state(db: Arc<TestDb>) {
    let app = app(&db).await;
    let _ = sample(&app).await;
    let raw = &db.raw;
    let sql = format!(
        "UPDATE log_state SET root = {} WHERE id = 1",
        raw.blob(&[0xAB; 32])
    );
    assert_eq!(raw.execute(&sql).await.unwrap(), 1);
    let r = report(app.store().as_ref()).await;
    assert!(
        has(&r, None, "recomputed root differs"),
        "{:#?}",
        r.problems
    );
    assert_eq!(r.problems.len(), 1);
}
