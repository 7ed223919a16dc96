//! The storage conformance suite on SQLite.
#![allow(clippy::unwrap_used)]

iwt_store::store_conformance_tests!(iwt_store::conformance::Backend::Sqlite);
