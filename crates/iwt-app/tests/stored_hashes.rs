//! Stored tree hashes and proofs from the database: after concurrent appends (two
//! instances) the stored hashes equal a recomputation from the leaf hashes; roots and
//! proofs computed from them verify; requests outside the tree are refused with their
//! codes; a database whose stored hashes were emptied (fully or partly) is backfilled
//! when a store is opened on it. Runs on SQLite and (with `IWT_TEST_PG_URL`) PostgreSQL.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use iwt_app::AppError;
use iwt_app::proofs::{self, ProofError};
use iwt_ledger::{
    Hash, leaf_hash, root_from_leaf_hashes, stored_hash_count, stored_hashes_for_leaf,
    verify_consistency, verify_inclusion,
};
use iwt_store::Store;
use std::sync::Arc;

common::backend_tests!(
    stored_hashes_after_concurrent_appends,
    proofs_from_the_store_verify,
    requests_outside_the_tree,
    backfill_after_emptied_hashes,
);

/// Every stored hash, recomputed from the leaf hashes with Go's read-based algorithm.
fn expected_hashes(leaves: &[Hash]) -> Vec<Hash> {
    let mut store: Vec<Hash> = Vec::new();
    for (n, leaf) in leaves.iter().enumerate() {
        let new = stored_hashes_for_leaf(n as u64, *leaf, |pos| Ok(store[pos as usize])).unwrap();
        store.extend(new);
    }
    store
}

/// The leaf hashes of the whole ledger, checked against the leaf bytes.
async fn leaf_hashes(store: &dyn Store) -> Vec<Hash> {
    let size = store.log_state().await.unwrap().size;
    let mut out = Vec::new();
    while (out.len() as u64) < size {
        let page = store.entries(out.len() as u64, 1000).await.unwrap();
        assert!(!page.is_empty());
        for e in page {
            assert_eq!(e.idx, out.len() as u64);
            assert_eq!(leaf_hash(&e.leaf), e.leaf_hash);
            out.push(e.leaf_hash);
        }
    }
    out
}

/// The stored hashes are exactly the recomputed ones, and nothing beyond them.
async fn assert_stored_hashes(store: &dyn Store) {
    let leaves = leaf_hashes(store).await;
    let expected = expected_hashes(&leaves);
    let count = expected.len() as u64;
    assert_eq!(count, stored_hash_count(leaves.len() as u64));
    let idxs: Vec<u64> = (0..count + 10).collect();
    let mut got = store.stored_hashes(&idxs).await.unwrap();
    got.sort_unstable();
    let want: Vec<(u64, Hash)> = (0..).zip(expected).collect();
    assert_eq!(got, want);
}

/// Removes the stored hashes from position `from` on, behind the store's back.
async fn remove_hashes(db: &TestDb, from: u64) {
    let sql = match db.backend {
        Backend::Sqlite => format!(
            "DROP TRIGGER IF EXISTS log_hashes_no_delete; DELETE FROM log_hashes WHERE stored_idx >= {from};"
        ),
        Backend::Postgres => format!(
            "ALTER TABLE log_hashes DISABLE TRIGGER USER; DELETE FROM log_hashes WHERE stored_idx >= {from}; \
             ALTER TABLE log_hashes ENABLE TRIGGER USER;"
        ),
    };
    db.raw.execute(&sql).await.unwrap();
    let left = db
        .raw
        .fetch_i64("SELECT COUNT(*) FROM log_hashes")
        .await
        .unwrap();
    assert_eq!(left as u64, from);
}

async fn stored_hashes_after_concurrent_appends(db: Arc<TestDb>) {
    let (a, b) = (app(&db).await, app(&db).await);
    let mut tasks = Vec::new();
    for w in 0..16 {
        let app = if w % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            let (site_id, _) = create(&app, site(&format!("S{w}"))).await;
            for i in 0..4 {
                create(&app, location(site_id, &format!("L{i}"))).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(a.store().log_state().await.unwrap().size, 80);
    assert_stored_hashes(a.store().as_ref()).await;
    assert_stored_hashes(b.store().as_ref()).await;
    assert_verifies(a.store().as_ref()).await;
}

async fn proofs_from_the_store_verify(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let store = app.store().as_ref();
    let leaves = leaf_hashes(store).await;
    for size in 0..=s.size {
        let n = size as usize;
        let root = root_from_leaf_hashes(&leaves[..n]);
        assert_eq!(proofs::root_at(store, size).await.unwrap(), root);
        for index in 0..size {
            let p = proofs::inclusion(store, index, size).await.unwrap();
            assert_eq!((p.index, p.size, p.root), (index, size, root));
            assert_eq!(p.leaf_hash, leaves[index as usize]);
            verify_inclusion(&p.leaf_hash, index, size, &p.proof, &root).unwrap();
        }
        for from in 0..=size {
            let c = proofs::consistency(store, from, size).await.unwrap();
            let old = root_from_leaf_hashes(&leaves[..from as usize]);
            assert_eq!((c.from_root, c.to_root), (old, root));
            verify_consistency(from, size, &old, &root, &c.proof).unwrap();
        }
    }
    let e = proofs::entry(store, 3).await.unwrap();
    assert_eq!(e.leaf_hash, leaves[3]);
}

fn proof_error(r: Result<impl std::fmt::Debug, AppError>) -> ProofError {
    match r {
        Err(AppError::Proof(e)) => e,
        other => panic!("expected a proof error, got {other:?}"),
    }
}

async fn requests_outside_the_tree(db: Arc<TestDb>) {
    let app = app(&db).await;
    let s = sample(&app).await;
    let store = app.store().as_ref();
    let n = s.size;
    let e = proof_error(proofs::inclusion(store, n, n).await);
    assert_eq!(e.code(), "proof_index_out_of_range");
    let e = proof_error(proofs::inclusion(store, 0, 0).await);
    assert_eq!(e.code(), "proof_index_out_of_range");
    let e = proof_error(proofs::inclusion(store, 0, n + 1).await);
    assert_eq!(e.code(), "proof_size_beyond_tree");
    let e = proof_error(proofs::inclusion(store, 0, u64::MAX).await);
    assert_eq!(e.code(), "proof_size_beyond_tree");
    let e = proof_error(proofs::consistency(store, 3, 2).await);
    assert_eq!(e.code(), "proof_size_order");
    let e = proof_error(proofs::consistency(store, 0, n + 1).await);
    assert_eq!(e.code(), "proof_size_beyond_tree");
    let e = proof_error(proofs::root_at(store, n + 1).await);
    assert_eq!(e.code(), "proof_size_beyond_tree");
    let e = proof_error(proofs::entry(store, n).await);
    assert_eq!(e, ProofError::NoSuchEntry(n));
    let e = proof_error(proofs::entry(store, u64::MAX).await);
    assert_eq!(e.code(), "entry_not_found");
}

async fn backfill_after_emptied_hashes(db: Arc<TestDb>) {
    let first = app(&db).await;
    let _ = sample(&first).await;
    remove_hashes(&db, 0).await;
    // Opening a store backfills every hash, from the leaf hashes.
    let second = app(&db).await;
    assert_stored_hashes(second.store().as_ref()).await;
    // A partly missing tail is completed too.
    remove_hashes(&db, 7).await;
    let third = app(&db).await;
    assert_stored_hashes(third.store().as_ref()).await;
    // Appends after a backfill continue the layout, and proofs verify.
    create(&third, site("EAST")).await;
    assert_stored_hashes(third.store().as_ref()).await;
    let store = third.store().as_ref();
    let leaves = leaf_hashes(store).await;
    let size = leaves.len() as u64;
    let root = root_from_leaf_hashes(&leaves);
    let p = proofs::inclusion(store, 5, size).await.unwrap();
    verify_inclusion(&leaves[5], 5, size, &p.proof, &root).unwrap();
    let c = proofs::consistency(store, 6, size).await.unwrap();
    let old = root_from_leaf_hashes(&leaves[..6]);
    verify_consistency(6, size, &old, &root, &c.proof).unwrap();
    assert_verifies(store).await;
}
