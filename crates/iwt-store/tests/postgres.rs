//! The storage conformance suite on PostgreSQL: runs when `IWT_TEST_PG_URL` names a
//! server (e.g. `postgres://postgres@127.0.0.1:5432/test`), each case on a fresh
//! database; skipped with a note otherwise.
#![allow(clippy::unwrap_used)]

iwt_store::store_conformance_tests!(iwt_store::conformance::Backend::Postgres);
