//! Proofs from the database: RFC 6962 / RFC 9162 inclusion and consistency proofs and
//! historical roots, computed by `iwt_ledger` over the stored tree hashes.
//!
//! `iwt_ledger`'s [`HashSource`] is synchronous, so a proof is computed twice: first
//! over a [`Recorder`] that notes which perfect subtrees it asks for (the subtrees a
//! proof needs depend only on the sizes, never on hash values), then, once those are
//! loaded from the store in one query, over a [`Loaded`] map. O(log n) rows per proof.
use crate::error::AppError;
use iwt_ledger::{Hash, HashSource, LedgerError, stored_hash_index};
use iwt_store::{Store, StoreError, StoredEntry};
use std::cell::RefCell;
use std::collections::HashMap;

/// A request outside the tree. Each has a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// A leaf index not below the tree size of the request.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange {
        /// The leaf index.
        index: u64,
        /// The requested tree size.
        size: u64,
    },
    /// A tree size beyond the current tree.
    #[error("tree size {size} is beyond the current tree size {tree_size}")]
    SizeBeyondTree {
        /// The requested size.
        size: u64,
        /// The current tree size.
        tree_size: u64,
    },
    /// A consistency proof from a larger to a smaller tree.
    #[error("old tree size {from} is larger than new tree size {to}")]
    SizeOrder {
        /// The old size.
        from: u64,
        /// The new size.
        to: u64,
    },
    /// No entry at this index.
    #[error("no ledger entry at index {0}")]
    NoSuchEntry(u64),
}

impl ProofError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IndexOutOfRange { .. } => "proof_index_out_of_range",
            Self::SizeBeyondTree { .. } => "proof_size_beyond_tree",
            Self::SizeOrder { .. } => "proof_size_order",
            Self::NoSuchEntry(_) => "entry_not_found",
        }
    }
}

/// An inclusion proof of one leaf in the tree of `size` leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inclusion {
    /// Leaf index.
    pub index: u64,
    /// Tree size.
    pub size: u64,
    /// The leaf hash at `index`.
    pub leaf_hash: Hash,
    /// Root of the tree of `size` leaves.
    pub root: Hash,
    /// Audit path, from the leaf upwards.
    pub proof: Vec<Hash>,
}

/// A consistency proof between the trees of `from` and `to` leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consistency {
    /// Old tree size.
    pub from: u64,
    /// New tree size.
    pub to: u64,
    /// Root of the old tree.
    pub from_root: Hash,
    /// Root of the new tree.
    pub to_root: Hash,
    /// The proof, from the old root upwards.
    pub proof: Vec<Hash>,
}

/// Notes the subtrees asked for; answers a placeholder hash.
#[derive(Default)]
struct Recorder(RefCell<Vec<u64>>);

impl HashSource for Recorder {
    fn subtree_hash(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        self.0.borrow_mut().push(stored_hash_index(level, index));
        Ok([0; 32])
    }
}

/// Stored hashes loaded for one computation, by stored position.
struct Loaded(HashMap<u64, Hash>);

impl HashSource for Loaded {
    fn subtree_hash(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        self.0
            .get(&stored_hash_index(level, index))
            .copied()
            .ok_or(LedgerError::MissingSubtree { level, index })
    }
}

/// Runs `f` over the stored hashes it needs, loaded in one go.
pub async fn with_stored_hashes<T>(
    store: &dyn Store,
    f: impl Fn(&dyn HashSource) -> Result<T, LedgerError>,
) -> Result<T, AppError> {
    let recorder = Recorder::default();
    f(&recorder).map_err(corrupt)?;
    let mut wanted = recorder.0.into_inner();
    wanted.sort_unstable();
    wanted.dedup();
    let loaded = Loaded(store.stored_hashes(&wanted).await?.into_iter().collect());
    f(&loaded).map_err(corrupt)
}

/// A ledger computation that failed on stored data (hashes missing or inconsistent).
fn corrupt(e: LedgerError) -> AppError {
    AppError::Store(StoreError::Corrupt(format!("stored tree hashes: {e}")))
}

async fn tree_size(store: &dyn Store, size: u64) -> Result<(), AppError> {
    let tree_size = store.log_state().await?.size;
    if size > tree_size {
        return Err(ProofError::SizeBeyondTree { size, tree_size }.into());
    }
    Ok(())
}

/// The entry at `index`.
pub async fn entry(store: &dyn Store, index: u64) -> Result<StoredEntry, AppError> {
    store
        .entry(index)
        .await?
        .ok_or(ProofError::NoSuchEntry(index).into())
}

/// Root of the tree of the first `size` leaves.
pub async fn root_at(store: &dyn Store, size: u64) -> Result<Hash, AppError> {
    tree_size(store, size).await?;
    with_stored_hashes(store, |src| iwt_ledger::root_at(src, size)).await
}

/// Inclusion proof of leaf `index` in the tree of `size` leaves.
pub async fn inclusion(store: &dyn Store, index: u64, size: u64) -> Result<Inclusion, AppError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size }.into());
    }
    tree_size(store, size).await?;
    let (leaf_hash, root, proof) = with_stored_hashes(store, |src| {
        Ok((
            src.subtree_hash(0, index)?,
            iwt_ledger::root_at(src, size)?,
            iwt_ledger::inclusion_proof(src, index, size)?,
        ))
    })
    .await?;
    Ok(Inclusion {
        index,
        size,
        leaf_hash,
        root,
        proof,
    })
}

/// Consistency proof between the trees of `from` and `to` leaves.
pub async fn consistency(store: &dyn Store, from: u64, to: u64) -> Result<Consistency, AppError> {
    if from > to {
        return Err(ProofError::SizeOrder { from, to }.into());
    }
    tree_size(store, to).await?;
    let (from_root, to_root, proof) = with_stored_hashes(store, |src| {
        Ok((
            iwt_ledger::root_at(src, from)?,
            iwt_ledger::root_at(src, to)?,
            iwt_ledger::consistency_proof(src, from, to)?,
        ))
    })
    .await?;
    Ok(Consistency {
        from,
        to,
        from_root,
        to_root,
        proof,
    })
}
