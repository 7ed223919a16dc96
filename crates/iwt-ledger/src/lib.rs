//! RFC 6962 / RFC 9162 Merkle tree hashing, proofs and verification for the
//! IoTWeaponTracker custody ledger.
//!
//! This crate is deliberately pure: no I/O, no async, and no dependency on any
//! other IoTWeaponTracker crate, so that a third party can reuse it to verify
//! the published log (roots, inclusion proofs, consistency proofs) on its own.
//!
//! Modules:
//! - [`hash`]: leaf/node hashing with RFC 6962 domain separation and the
//!   Merkle Tree Hash (MTH) of a list of leaf hashes.
//! - [`frontier`]: the compact "right edge" of a tree, enough to append leaves
//!   and compute the root without storing the tree.
//! - [`source`]: the [`HashSource`] abstraction over stored perfect-subtree
//!   hashes, the in-memory [`MemoryTree`], and [`root_at`].
//! - [`proof`]: inclusion and consistency proof generation from a [`HashSource`].
//! - [`verify`]: inclusion and consistency proof verification (RFC 9162).
//! - [`stored`]: the dense "stored hashes" layout of Go's
//!   `golang.org/x/mod/sumdb/tlog`, for database-backed hash storage.
//! - [`error`]: the crate's error type with stable error codes.
#![warn(missing_docs)]

pub mod error;
pub mod frontier;
pub mod hash;
pub mod proof;
pub mod source;
pub mod stored;
pub mod verify;

pub use error::LedgerError;
pub use frontier::Frontier;
pub use hash::{EMPTY_ROOT, HASH_SIZE, Hash, leaf_hash, node_hash, root_from_leaf_hashes};
pub use proof::{consistency_proof, inclusion_proof};
pub use source::{HashSource, MemoryTree, root_at};
pub use stored::{
    StoredHashReader, split_stored_hash_index, stored_hash_count, stored_hash_index,
    stored_hashes_for_leaf, stored_hashes_from_frontier,
};
pub use verify::{verify_consistency, verify_inclusion};
