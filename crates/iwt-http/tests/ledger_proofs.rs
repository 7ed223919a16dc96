//! Ledger entries and proofs over the API: the canonical leaf bytes of every entry,
//! inclusion and consistency proofs that verify with `iwt_ledger` against roots
//! recomputed from those bytes, and the answers to requests outside the tree (422 with
//! a stable code, 404 for a missing entry, 400 for malformed parameters, 401/403).
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use iwt_domain::Role;
use iwt_ledger::{Hash, leaf_hash, root_from_leaf_hashes, verify_consistency, verify_inclusion};
use serde_json::Value;
use tower::ServiceExt;

common::backend_tests!(entries_and_proofs_verify, requests_outside_the_tree);

fn unhex(v: &Value) -> Hash {
    let s = v.as_str().unwrap();
    assert_eq!(s.len(), 64, "{s}");
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn unhex_all(v: &Value) -> Vec<Hash> {
    v.as_array().unwrap().iter().map(unhex).collect()
}

/// GET of an entry's leaf bytes (the body is binary, so read it raw).
async fn leaf_bytes(h: &Harness, index: u64) -> Vec<u8> {
    let req = Request::get(format!("/api/v1/ledger/entries/{index}"))
        .header("authorization", format!("Bearer {}", h.token))
        .body(Body::empty())
        .unwrap();
    let resp = h.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/octet-stream");
    resp.into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

async fn entries_and_proofs_verify(h: Harness) {
    let _ = h.basics().await;
    let size = h.ledger_size().await;
    assert!(size >= 7);
    let mut leaves = Vec::new();
    for i in 0..size {
        let bytes = leaf_bytes(&h, i).await;
        let stored = h.app.store().entry(i).await.unwrap().unwrap();
        assert_eq!(bytes, stored.leaf);
        leaves.push(leaf_hash(&bytes));
    }
    let current = h.get("/api/v1/ledger").await;
    let current = unhex(&current.expect(StatusCode::OK)["root"]);
    assert_eq!(root_from_leaf_hashes(&leaves), current);
    for to in 0..=size {
        let root = root_from_leaf_hashes(&leaves[..to as usize]);
        for index in 0..to {
            let r = h
                .get(&format!(
                    "/api/v1/ledger/proof/inclusion?index={index}&size={to}"
                ))
                .await;
            let j = r.expect(StatusCode::OK);
            assert_eq!(
                (j["index"].as_u64(), j["size"].as_u64()),
                (Some(index), Some(to))
            );
            assert_eq!(unhex(&j["root"]), root);
            assert_eq!(unhex(&j["leaf_hash"]), leaves[index as usize]);
            let proof = unhex_all(&j["proof"]);
            verify_inclusion(&leaves[index as usize], index, to, &proof, &root).unwrap();
        }
        for from in 0..=to {
            let r = h
                .get(&format!(
                    "/api/v1/ledger/proof/consistency?from={from}&to={to}"
                ))
                .await;
            let j = r.expect(StatusCode::OK);
            assert_eq!(
                (j["from"].as_u64(), j["to"].as_u64()),
                (Some(from), Some(to))
            );
            let old = root_from_leaf_hashes(&leaves[..from as usize]);
            assert_eq!((unhex(&j["from_root"]), unhex(&j["to_root"])), (old, root));
            let proof = unhex_all(&j["proof"]);
            verify_consistency(from, to, &old, &root, &proof).unwrap();
        }
    }
}

async fn requests_outside_the_tree(h: Harness) {
    let _ = h.basics().await;
    let n = h.ledger_size().await;
    let max = u64::MAX;
    let unprocessable = [
        (
            format!("inclusion?index={n}&size={n}"),
            "proof_index_out_of_range",
        ),
        (
            "inclusion?index=0&size=0".to_owned(),
            "proof_index_out_of_range",
        ),
        (
            format!("inclusion?index={max}&size={max}"),
            "proof_index_out_of_range",
        ),
        (
            format!("inclusion?index=0&size={}", n + 1),
            "proof_size_beyond_tree",
        ),
        (
            format!("inclusion?index=0&size={max}"),
            "proof_size_beyond_tree",
        ),
        ("consistency?from=3&to=2".to_owned(), "proof_size_order"),
        (format!("consistency?from={max}&to=0"), "proof_size_order"),
        (
            format!("consistency?from=0&to={}", n + 1),
            "proof_size_beyond_tree",
        ),
        (
            format!("consistency?from={n}&to={max}"),
            "proof_size_beyond_tree",
        ),
    ];
    for (query, code) in unprocessable {
        let r = h.get(&format!("/api/v1/ledger/proof/{query}")).await;
        r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    for query in [
        "inclusion?index=0",
        "inclusion?index=-1&size=2",
        "inclusion?index=0&size=2&extra=1",
        "consistency?from=x&to=2",
        "consistency",
    ] {
        let r = h.get(&format!("/api/v1/ledger/proof/{query}")).await;
        r.expect_error(StatusCode::BAD_REQUEST, "invalid_query");
    }
    for index in [n.to_string(), max.to_string()] {
        let r = h.get(&format!("/api/v1/ledger/entries/{index}")).await;
        r.expect_error(StatusCode::NOT_FOUND, "entry_not_found");
    }
    let r = h.get("/api/v1/ledger/entries/-1").await;
    r.expect_error(StatusCode::BAD_REQUEST, "invalid_path");
    for path in [
        "/api/v1/ledger/entries/0",
        "/api/v1/ledger/proof/inclusion?index=0&size=1",
        "/api/v1/ledger/proof/consistency?from=0&to=1",
    ] {
        let r = h.call(Req::get(path)).await;
        r.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
        let device = h.token_for(Role::Device).await;
        let r = h.call(Req::get(path).bearer(&device)).await;
        r.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
}
