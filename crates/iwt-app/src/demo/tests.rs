//! Seeds a demo armory into a temporary SQLite database and checks what came out.
use super::seed;
use crate::App;
use iwt_domain::records::{AmmoLot, Qualification};
use iwt_domain::vocab::{ItemStatus, LotStatus};
use iwt_domain::{EntityKind, SystemClock};
use iwt_store::{PageReq, Store};
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;

async fn all(store: &dyn Store, kind: EntityKind) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let page = PageReq {
            offset: out.len() as u64,
            limit: 1000,
        };
        let got = store.list_docs(kind, page).await.expect("list");
        let done = got.items.is_empty() || out.len() + got.items.len() >= got.total as usize;
        out.extend(got.items);
        if done {
            return out;
        }
    }
}

async fn total(store: &dyn Store, kind: EntityKind) -> u64 {
    store
        .list_docs(
            kind,
            PageReq {
                offset: 0,
                limit: 1,
            },
        )
        .await
        .expect("list")
        .total
}

fn statuses(docs: &[Value]) -> Vec<ItemStatus> {
    docs.iter()
        .filter_map(|d| serde_json::from_value(d["state"]["status"].clone()).ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_a_consistent_demo_armory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = iwt_store::open(&url).await.expect("open store");
    let app = App::new(store.clone(), Arc::new(SystemClock));

    let started = Instant::now();
    let summary = seed(&app, 42).await.expect("seed");
    eprintln!(
        "demo seeded: {} events in {:.2?}",
        summary.events,
        started.elapsed()
    );

    let store = app.store().as_ref();
    assert_eq!(total(store, EntityKind::Site).await, 2);
    assert_eq!(total(store, EntityKind::Unit).await, 3);
    assert!(total(store, EntityKind::Person).await >= 60);
    assert!(total(store, EntityKind::Firearm).await >= 150);
    assert_eq!(
        total(store, EntityKind::Firearm).await,
        summary.firearms as u64
    );
    assert_eq!(
        total(store, EntityKind::Person).await,
        summary.personnel as u64
    );
    assert_eq!(total(store, EntityKind::Account).await, 7);
    assert_eq!(summary.accounts.len(), 7);
    assert!(
        summary
            .accounts
            .iter()
            .all(|a| a.password.len() == 20 && a.username.starts_with("demo-"))
    );
    assert!(
        (2_000..=6_000).contains(&summary.events),
        "{} events",
        summary.events
    );

    let report = crate::verify::verify(store).await.expect("verify");
    assert!(
        report.ok(),
        "{:?}",
        report.problems.iter().take(5).collect::<Vec<_>>()
    );
    assert_eq!(report.entries, summary.events);

    let today = app.clock().now().date();
    let quals: Vec<Qualification> = all(store, EntityKind::Qualification)
        .await
        .iter()
        .map(|d| serde_json::from_value(d["record"].clone()).expect("qualification"))
        .collect();
    assert!(
        quals.iter().any(|q| q.expires_on < today),
        "no expired qualification"
    );
    assert!(
        quals
            .iter()
            .any(|q| q.expires_on >= today && q.expires_on <= today + time::Duration::days(30))
    );

    let firearms = statuses(&all(store, EntityKind::Firearm).await);
    for status in [
        ItemStatus::Lost,
        ItemStatus::UnderRepair,
        ItemStatus::Assigned,
        ItemStatus::InStore,
    ] {
        assert!(firearms.contains(&status), "no firearm is {status:?}");
    }
    let lots: Vec<AmmoLot> = all(store, EntityKind::AmmoLot)
        .await
        .iter()
        .map(|d| serde_json::from_value(d["record"].clone()).expect("lot"))
        .collect();
    assert!(lots.iter().any(|l| l.status == LotStatus::Suspended));
    let corrected = all(store, EntityKind::Firearm)
        .await
        .iter()
        .filter(|d| d["corrections"] != serde_json::json!([]))
        .count();
    assert_eq!(corrected, 1);

    // Back-dated history: in the past, and in chronological order along the ledger.
    let mut last = time::OffsetDateTime::UNIX_EPOCH;
    let mut from = 0;
    loop {
        let page = store.entries(from, 1000).await.expect("entries");
        let Some(end) = page.last().map(|e| e.idx + 1) else {
            break;
        };
        for e in &page {
            let event = iwt_domain::codec::decode_event(&e.leaf).expect("decode");
            assert!(
                event.occurred_at >= last,
                "entry {} is out of time order",
                e.idx
            );
            last = event.occurred_at;
        }
        from = end;
    }
    assert!(last <= app.clock().now());

    assert!(seed(&app, 42).await.is_err(), "a second seed must fail");
    assert_eq!(store.log_state().await.expect("state").size, summary.events);
}
