//! Error type of the ledger crate.
//!
//! Every variant carries a stable, machine-readable code (see
//! [`LedgerError::code`]) of the form `ledger.<snake_case>`. Codes are part of
//! the public contract and must not change once published.

use thiserror::Error;

/// Errors produced while building, proving or verifying Merkle trees.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LedgerError {
    /// A proof does not have the number of hashes the tree sizes require.
    #[error("proof has {actual} hashes, expected {expected}")]
    ProofSizeMismatch {
        /// Number of hashes the proof must contain.
        expected: usize,
        /// Number of hashes the proof actually contains.
        actual: usize,
    },
    /// A leaf index is not smaller than the tree size.
    #[error("leaf index {index} is out of range for tree size {size}")]
    IndexOutOfRange {
        /// The requested leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The old tree size of a consistency check is larger than the new one.
    #[error("old tree size {old_size} is larger than new tree size {new_size}")]
    SizeOrder {
        /// The old (smaller) tree size.
        old_size: u64,
        /// The new (larger) tree size.
        new_size: u64,
    },
    /// The root recomputed from a proof does not match the expected root.
    #[error("root recomputed from the proof does not match the expected root")]
    RootMismatch,
    /// The old root recomputed from a consistency proof does not match.
    #[error("old root recomputed from the consistency proof does not match")]
    OldRootMismatch,
    /// A hash source does not have the requested perfect subtree.
    #[error("subtree at level {level}, index {index} is not available")]
    MissingSubtree {
        /// Level of the subtree (0 = leaves).
        level: u8,
        /// Index of the subtree among subtrees of that level.
        index: u64,
    },
    /// A hash source failed for another reason (for example a storage error).
    #[error("hash source failure: {0}")]
    HashSource(String),
    /// Serialized frontier bytes are malformed.
    #[error("malformed frontier: {0}")]
    MalformedFrontier(&'static str),
}

impl LedgerError {
    /// Stable machine-readable error code, e.g. `"ledger.proof_size_mismatch"`.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::ProofSizeMismatch { .. } => "ledger.proof_size_mismatch",
            LedgerError::IndexOutOfRange { .. } => "ledger.index_out_of_range",
            LedgerError::SizeOrder { .. } => "ledger.size_order",
            LedgerError::RootMismatch => "ledger.root_mismatch",
            LedgerError::OldRootMismatch => "ledger.old_root_mismatch",
            LedgerError::MissingSubtree { .. } => "ledger.missing_subtree",
            LedgerError::HashSource(_) => "ledger.hash_source",
            LedgerError::MalformedFrontier(_) => "ledger.malformed_frontier",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_prefixed() {
        let all = [
            LedgerError::ProofSizeMismatch {
                expected: 1,
                actual: 2,
            },
            LedgerError::IndexOutOfRange { index: 1, size: 1 },
            LedgerError::SizeOrder {
                old_size: 2,
                new_size: 1,
            },
            LedgerError::RootMismatch,
            LedgerError::OldRootMismatch,
            LedgerError::MissingSubtree { level: 0, index: 0 },
            LedgerError::HashSource("x".into()),
            LedgerError::MalformedFrontier("x"),
        ];
        let mut codes: Vec<&str> = all.iter().map(LedgerError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("ledger.")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
