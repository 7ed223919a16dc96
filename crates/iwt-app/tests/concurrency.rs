//! Many concurrent writers through `App::create_record`: no event is lost or
//! duplicated, indices are contiguous, the stored root is the root of the stored leaf
//! hashes, and the whole database verifies. Runs on SQLite and (with
//! `IWT_TEST_PG_URL`) PostgreSQL.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use iwt_app::commands::Meta;
use iwt_app::{App, AppError};
use iwt_domain::{DomainError, EntityKind};
use iwt_store::{PageReq, Store};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

common::backend_tests!(
    sixty_four_writers_one_instance,
    writers_on_two_instances_do_not_fork_the_log,
    good_and_bad_commands_in_one_batch,
);

/// Writer `w` of instance `inst`: creates a site, then `n - 1` locations in it; retries
/// its first command (same event id) once at the end.
async fn writer(app: App, inst: usize, w: usize, n: usize) -> Vec<(Uuid, u64)> {
    let mut out = Vec::with_capacity(n);
    let first_event = Uuid::now_v7();
    let meta = Meta {
        event_id: Some(first_event),
        ..Meta::default()
    };
    let (site_id, a) = app
        .create_record(&admin(), site(&format!("S{inst}-{w}")), None, meta.clone())
        .await
        .unwrap();
    assert!(!a.duplicate);
    out.push((a.event_id, a.index));
    for i in 1..n {
        let (_, a) = app
            .create_record(
                &admin(),
                location(site_id, &format!("L{i}")),
                None,
                Meta::default(),
            )
            .await
            .unwrap();
        assert!(!a.duplicate);
        out.push((a.event_id, a.index));
    }
    // An idempotent retry is answered with the original index and appends nothing.
    let (_, again) = app
        .create_record(&admin(), site(&format!("S{inst}-{w}")), None, meta)
        .await
        .unwrap();
    assert!(again.duplicate);
    assert_eq!((again.event_id, again.index), out[0]);
    out
}

async fn check_ledger(store: &dyn Store, appended: &[(Uuid, u64)]) {
    let n = appended.len() as u64;
    let state = store.log_state().await.unwrap();
    assert_eq!(state.size, n, "every command appended exactly once");
    let entries = store
        .entries(0, u32::try_from(n + 10).unwrap())
        .await
        .unwrap();
    assert_eq!(entries.len() as u64, n);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.idx, i as u64, "indices are contiguous from 0");
        assert_eq!(iwt_ledger::leaf_hash(&e.leaf), e.leaf_hash);
    }
    let stored: HashMap<Uuid, u64> = entries.iter().map(|e| (e.event_id, e.idx)).collect();
    assert_eq!(stored.len() as u64, n, "no event id is stored twice");
    let mut seen_idx = HashSet::new();
    for (event_id, idx) in appended {
        assert_eq!(
            stored.get(event_id),
            Some(idx),
            "event {event_id} is stored at the index it was answered with"
        );
        assert!(seen_idx.insert(*idx), "index {idx} was answered twice");
    }
    let hashes: Vec<[u8; 32]> = entries.iter().map(|e| e.leaf_hash).collect();
    assert_eq!(
        state.root,
        iwt_ledger::root_from_leaf_hashes(&hashes),
        "stored root is the root of the stored leaves"
    );
    let report = iwt_app::verify::verify(store).await.unwrap();
    assert!(
        report.ok(),
        "verification found problems: {:#?}",
        report.problems
    );
    assert_eq!(report.entries, n);
    assert_eq!(report.root, hex::encode(state.root));
}

const WRITERS: usize = 64;
const PER_WRITER: usize = 20;

async fn sixty_four_writers_one_instance(db: Arc<TestDb>) {
    let app = app(&db).await;
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(writer(app.clone(), 0, w, PER_WRITER)))
        .collect();
    let mut appended = Vec::new();
    for t in tasks {
        appended.extend(t.await.unwrap());
    }
    assert_eq!(appended.len(), WRITERS * PER_WRITER);
    check_ledger(app.store().as_ref(), &appended).await;
    let sites = app
        .store()
        .list_docs(
            EntityKind::Site,
            PageReq {
                offset: 0,
                limit: 1000,
            },
        )
        .await
        .unwrap();
    assert_eq!(sites.total, WRITERS as u64);
    let locs = app
        .store()
        .list_docs(
            EntityKind::Location,
            PageReq {
                offset: 0,
                limit: 1,
            },
        )
        .await
        .unwrap();
    assert_eq!(locs.total, (WRITERS * (PER_WRITER - 1)) as u64);
}

/// Two application instances (each with its own sequencer and store connection pools)
/// write to one database at once, as two server processes would.
async fn writers_on_two_instances_do_not_fork_the_log(db: Arc<TestDb>) {
    let apps = [app(&db).await, app(&db).await];
    let mut tasks = Vec::new();
    for (inst, a) in apps.iter().enumerate() {
        for w in 0..16 {
            tasks.push(tokio::spawn(writer(a.clone(), inst, w, 8)));
        }
    }
    let mut appended = Vec::new();
    for t in tasks {
        appended.extend(t.await.unwrap());
    }
    assert_eq!(appended.len(), 2 * 16 * 8);
    check_ledger(apps[1].store().as_ref(), &appended).await;
}

/// Commands refused by a rule in the middle of busy batches write nothing and do not
/// disturb the others.
async fn good_and_bad_commands_in_one_batch(db: Arc<TestDb>) {
    let app = app(&db).await;
    let (s, _) = create(&app, site("HQ")).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let rec = match i % 4 {
                // A duplicate code: refused.
                0 => site("HQ"),
                // A location in an unknown site: refused.
                1 => location(Uuid::now_v7(), &format!("X{i}")),
                _ => location(s, &format!("L{i}")),
            };
            (
                i,
                app.create_record(&admin(), rec, None, Meta::default())
                    .await,
            )
        }));
    }
    let mut appended = Vec::new();
    for t in tasks {
        let (i, r) = t.await.unwrap();
        match (i % 4, r) {
            (0, Err(AppError::Domain(DomainError::Duplicate { .. }))) => {}
            (1, Err(AppError::Domain(DomainError::UnknownReference { .. }))) => {}
            (_, Ok((id, a))) if i % 4 >= 2 => {
                appended.push((a.event_id, a.index));
                let doc = app
                    .store()
                    .doc(EntityKind::Location, id)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(doc["created_index"], a.index);
            }
            (k, r) => panic!("command {i} (kind {k}) answered {r:?}"),
        }
    }
    assert_eq!(appended.len(), 20);
    let first = app.store().entries(0, 1).await.unwrap();
    let mut all = vec![(first[0].event_id, 0)];
    all.extend(appended);
    check_ledger(app.store().as_ref(), &all).await;
}
