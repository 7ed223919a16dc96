//! Sources of perfect-subtree hashes and root computation from them.
//!
//! A *perfect subtree* at `level` L and `index` i covers the leaves
//! `[i << L, (i + 1) << L)`; its hash is the MTH of those `2^L` leaves.
//! Every range that appears in RFC 6962 proofs decomposes into O(log n) such
//! subtrees, so proofs and historical roots only need O(log n) lookups from a
//! [`HashSource`]. This is what makes a database-backed source that stores
//! every perfect subtree hash (see [`crate::stored`]) fast at millions of
//! leaves.
//!
//! Provided sources:
//! - [`MemoryTree`]: all levels in memory, O(1) per lookup.
//! - `[Hash]` (a slice of leaf hashes): recomputes each subtree by hashing;
//!   O(2^level) per lookup, meant for tests and small trees.
//! - [`crate::stored::StoredHashReader`]: adapts a reader of Go-tlog-style
//!   stored hashes.

use crate::error::LedgerError;
use crate::hash::{EMPTY_ROOT, Hash, fold_right, node_hash, root_from_leaf_hashes};

/// A source of perfect-subtree hashes from which proofs and roots are
/// computed (RFC 6962 §2.1.1/2.1.2, RFC 9162 §2.1.3/2.1.4).
pub trait HashSource {
    /// Hash of the perfect subtree at `level` (0 = leaves) and `index` (its
    /// position among subtrees of that level), i.e. covering leaves
    /// `[index << level, (index + 1) << level)`.
    ///
    /// Must return an error (typically [`LedgerError::MissingSubtree`]) if the
    /// subtree is not complete in the source.
    fn subtree_hash(&self, level: u8, index: u64) -> Result<Hash, LedgerError>;
}

/// Appends to `out` the perfect subtrees `(level, index)` covering `[lo, hi)`,
/// largest first. Precondition (holds for every range arising in RFC 6962
/// proofs): `lo` is a multiple of the smallest power of two `>= hi - lo`.
fn decompose(lo: u64, hi: u64) -> impl Iterator<Item = (u8, u64)> {
    let width = hi.saturating_sub(lo);
    let mut pos = lo;
    (0..64u8).rev().filter_map(move |level| {
        if width & (1u64 << level) == 0 {
            return None;
        }
        let item = (level, pos >> level);
        pos = pos.wrapping_add(1u64 << level);
        Some(item)
    })
}

/// MTH of the leaves `[lo, hi)` from O(log n) subtree lookups.
///
/// Precondition: `lo < hi` and `lo` is aligned as described in [`decompose`].
pub(crate) fn range_hash(
    src: &(impl HashSource + ?Sized),
    lo: u64,
    hi: u64,
) -> Result<Hash, LedgerError> {
    let hashes = decompose(lo, hi)
        .map(|(level, index)| src.subtree_hash(level, index))
        .collect::<Result<Vec<Hash>, LedgerError>>()?;
    fold_right(hashes.iter()).ok_or(LedgerError::MissingSubtree {
        level: 0,
        index: lo,
    })
}

/// Root of the first `size` leaves, computed from the source with O(log n)
/// subtree lookups (the perfect subtrees of a `size`-leaf tree).
///
/// Returns [`EMPTY_ROOT`] for `size == 0`.
pub fn root_at(src: &(impl HashSource + ?Sized), size: u64) -> Result<Hash, LedgerError> {
    if size == 0 {
        return Ok(EMPTY_ROOT);
    }
    range_hash(src, 0, size)
}

/// Leaf hashes in memory: each subtree hash is recomputed by hashing its
/// `2^level` leaves. Simple and obviously correct; use for tests and small
/// trees only.
impl HashSource for [Hash] {
    fn subtree_hash(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        let missing = LedgerError::MissingSubtree { level, index };
        let width = 1u64.checked_shl(u32::from(level)).ok_or(missing.clone())?;
        let lo = index.checked_mul(width).ok_or(missing.clone())?;
        let hi = lo.checked_add(width).ok_or(missing.clone())?;
        let lo = usize::try_from(lo).map_err(|_| missing.clone())?;
        let hi = usize::try_from(hi).map_err(|_| missing.clone())?;
        let leaves = self.get(lo..hi).ok_or(missing)?;
        Ok(root_from_leaf_hashes(leaves))
    }
}

/// An in-memory Merkle tree storing every perfect subtree hash, level by
/// level (`levels[0]` are the leaf hashes). O(1) subtree lookups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a tree from leaf hashes.
    pub fn from_leaf_hashes(leaves: &[Hash]) -> Self {
        let mut tree = Self::new();
        for leaf in leaves {
            tree.push(*leaf);
        }
        tree
    }

    /// Appends a leaf hash, adding the perfect subtrees it completes
    /// (amortised O(1)).
    pub fn push(&mut self, leaf_hash: Hash) {
        let mut level = 0usize;
        let mut acc = leaf_hash;
        loop {
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            let row = &mut self.levels[level];
            row.push(acc);
            if row.len() % 2 == 1 {
                return;
            }
            let [left, right] = [row[row.len() - 2], row[row.len() - 1]];
            acc = node_hash(&left, &right);
            level += 1;
        }
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// The leaf hashes, in order.
    pub fn leaf_hashes(&self) -> &[Hash] {
        self.levels.first().map_or(&[], Vec::as_slice)
    }

    /// Current root (MTH of all leaves); [`EMPTY_ROOT`] when empty.
    pub fn root(&self) -> Hash {
        let size = self.size();
        let hashes: Vec<Hash> = decompose(0, size)
            .filter_map(|(level, index)| self.lookup(level, index))
            .collect();
        fold_right(hashes.iter()).unwrap_or(EMPTY_ROOT)
    }

    fn lookup(&self, level: u8, index: u64) -> Option<Hash> {
        let row = self.levels.get(usize::from(level))?;
        row.get(usize::try_from(index).ok()?).copied()
    }
}

impl HashSource for MemoryTree {
    fn subtree_hash(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        self.lookup(level, index)
            .ok_or(LedgerError::MissingSubtree { level, index })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    fn leaves(n: u64) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(&i.to_le_bytes())).collect()
    }

    #[test]
    fn decompose_covers_range() {
        for size in 0..200u64 {
            let mut next = 0;
            for (level, index) in decompose(0, size) {
                assert_eq!(index << level, next);
                next += 1 << level;
            }
            assert_eq!(next, size);
        }
    }

    #[test]
    fn memory_tree_matches_slice_source() {
        let l = leaves(77);
        let tree = MemoryTree::from_leaf_hashes(&l);
        assert_eq!(tree.size(), 77);
        assert_eq!(tree.leaf_hashes(), l.as_slice());
        for level in 0..8u8 {
            for index in 0..(80u64 >> level) {
                assert_eq!(
                    tree.subtree_hash(level, index),
                    l.as_slice().subtree_hash(level, index)
                );
            }
        }
        for size in 0..=77u64 {
            let expected = root_from_leaf_hashes(&l[..size as usize]);
            assert_eq!(root_at(&tree, size), Ok(expected));
            assert_eq!(root_at(l.as_slice(), size), Ok(expected));
        }
        assert_eq!(tree.root(), root_from_leaf_hashes(&l));
        assert!(root_at(&tree, 78).is_err());
        assert!(l.as_slice().subtree_hash(200, 0).is_err());
        assert!(l.as_slice().subtree_hash(63, u64::MAX).is_err());
    }
}
