//! Dense "stored hashes" layout of Go's `golang.org/x/mod/sumdb/tlog`, for
//! storing every perfect-subtree hash in one append-only sequence (a table
//! keyed by a single integer).
//!
//! Layout: when leaf `n` is appended, its leaf hash is stored, followed by
//! the hashes of every perfect subtree that leaf completes (one per trailing
//! one bit of `n`), lowest level first. Hence:
//!
//! - [`stored_hash_index`]`(level, n)` (Go `StoredHashIndex`): position of the
//!   hash of the subtree at `level`, index `n`. That hash is written when
//!   leaf `((n + 1) << level) - 1` is appended, right after the hash of its
//!   right child (`level - 1`, `2n + 1`); leaf `n` sits at `n + n/2 + n/4 + …`.
//!   E.g. `stored_hash_index(0, n)` for n = 0..8 is 0, 1, 3, 4, 7, 8, 10, 11.
//! - [`stored_hash_count`]`(n)` (Go `StoredHashCount`): number of stored
//!   hashes for a tree of `n` leaves (1, 3, 4, 7, 8, 10, 11, 15 for n = 1..8).
//! - [`stored_hashes_for_leaf`] (Go `StoredHashesForRecordHash`): the hashes
//!   to append, starting at `stored_hash_index(0, n)`, when leaf `n` is added.
//!   It reads the left siblings it needs from already-stored hashes.
//! - [`stored_hashes_from_frontier`]: the same hashes computed from the
//!   tree's [`Frontier`] alone, without reading the store (what a writer that
//!   holds the frontier uses).
//! - [`split_stored_hash_index`] (Go `SplitStoredHashIndex`): the inverse.
//!
//! [`StoredHashReader`] adapts a reader of this layout into a
//! [`HashSource`], so proofs against a database-backed store need only
//! O(log n) point reads. Unlike Go's `tlog.TreeHash`, [`crate::root_at`]
//! returns [`crate::EMPTY_ROOT`] (RFC 6962) for the empty tree, not an
//! all-zero hash. Arithmetic wraps (like Go's) for coordinates beyond
//! 2^62 leaves, which are meaningless.

use crate::error::LedgerError;
use crate::frontier::Frontier;
use crate::hash::{Hash, node_hash};
use crate::source::HashSource;

/// Position of the hash of the perfect subtree (`level`, `index`) in the
/// stored-hash sequence (Go `tlog.StoredHashIndex`).
pub fn stored_hash_index(level: u8, index: u64) -> u64 {
    // Level L's n-th hash is written right after level L-1's (2n+1)-th hash:
    // walk down to the level-0 ordering, then add back the level.
    let mut n = index;
    for _ in 0..level {
        n = n.wrapping_mul(2).wrapping_add(1);
    }
    // Level 0's n-th hash is written at n + n/2 + n/4 + ...
    let mut i = 0u64;
    while n > 0 {
        i = i.wrapping_add(n);
        n >>= 1;
    }
    i.wrapping_add(u64::from(level))
}

/// Inverse of [`stored_hash_index`]: the (`level`, `index`) stored at
/// position `stored_index` (Go `tlog.SplitStoredHashIndex`).
pub fn split_stored_hash_index(stored_index: u64) -> (u8, u64) {
    // stored_hash_index(0, n) < 2n, so the leaf n that wrote this hash lies in
    // [stored_index / 2, stored_index / 2 + log2(stored_index)].
    let mut n = stored_index / 2;
    let mut index_n = stored_hash_index(0, n);
    loop {
        // Leaf n writes 1 + trailing_ones(n) hashes.
        let next = index_n
            .wrapping_add(1)
            .wrapping_add(u64::from(n.trailing_ones()));
        if next > stored_index {
            break;
        }
        n += 1;
        index_n = next;
    }
    let level = stored_index.wrapping_sub(index_n);
    // level <= trailing_ones(n) <= 64, so it fits in u8.
    let level = u8::try_from(level).unwrap_or(u8::MAX);
    (level, n.checked_shr(u32::from(level)).unwrap_or(0))
}

/// Number of stored hashes for a tree of `n` leaves (Go
/// `tlog.StoredHashCount`).
pub fn stored_hash_count(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    // Hashes up to the last leaf hash, plus the subtrees that leaf completed.
    let last = n - 1;
    stored_hash_index(0, last)
        .wrapping_add(1)
        .wrapping_add(u64::from(last.trailing_ones()))
}

/// The hashes to append to the store, starting at position
/// `stored_hash_index(0, index)`, when leaf `index` with hash `leaf_hash` is
/// added (Go `tlog.StoredHashesForRecordHash`).
///
/// The result starts with `leaf_hash` and has `1 + trailing_ones(index)`
/// entries. `read` must return the stored hash at a given position; it is
/// only asked for positions below `stored_hash_index(0, index)`, in
/// increasing order. Its errors are propagated.
pub fn stored_hashes_for_leaf(
    index: u64,
    leaf_hash: Hash,
    mut read: impl FnMut(u64) -> Result<Hash, LedgerError>,
) -> Result<Vec<Hash>, LedgerError> {
    // Each trailing one bit of `index` completes a subtree and consumes the
    // hash of its left sibling at that level.
    let m = index.trailing_ones();
    let mut positions: Vec<u64> = (0..m)
        .map(|level| stored_hash_index(level as u8, (index >> level) - 1))
        .collect();
    positions.reverse(); // increasing order, as Go reads them
    let mut siblings = Vec::with_capacity(positions.len());
    for pos in positions {
        siblings.push(read(pos)?);
    }
    let mut hashes = Vec::with_capacity(siblings.len() + 1);
    let mut h = leaf_hash;
    hashes.push(h);
    for left in siblings.iter().rev() {
        h = node_hash(left, &h);
        hashes.push(h);
    }
    Ok(hashes)
}

/// The hashes to append to the store, starting at position
/// `stored_hash_index(0, frontier.size())`, when a leaf with hash `leaf_hash`
/// is appended to the tree described by `frontier` (call this before
/// [`Frontier::push`]).
///
/// Same result as [`stored_hashes_for_leaf`]`(frontier.size(), leaf_hash, ..)`,
/// but without reads: the left siblings it needs are the perfect subtrees on
/// the tree's right edge, which the frontier holds (smallest last).
pub fn stored_hashes_from_frontier(frontier: &Frontier, leaf_hash: Hash) -> Vec<Hash> {
    let completed = frontier.size().trailing_ones() as usize;
    let mut hashes = Vec::with_capacity(completed + 1);
    let mut h = leaf_hash;
    hashes.push(h);
    for left in frontier.hashes().iter().rev().take(completed) {
        h = node_hash(left, &h);
        hashes.push(h);
    }
    hashes
}

/// A [`HashSource`] over a reader of the stored-hash sequence: the subtree
/// (`level`, `index`) is read at position [`stored_hash_index`]`(level,
/// index)`.
///
/// The reader must only be asked for subtrees that are complete in the
/// store, which holds when proofs/roots are requested for sizes not exceeding
/// the number of stored leaves.
#[derive(Clone, Copy, Debug)]
pub struct StoredHashReader<F>(pub F);

impl<F> HashSource for StoredHashReader<F>
where
    F: Fn(u64) -> Result<Hash, LedgerError>,
{
    fn subtree_hash(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        (self.0)(stored_hash_index(level, index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    /// A small deterministic generator (xorshift) for leaf contents and sizes.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// Every size up to 1100 plus random larger trees: the frontier-based hashes
    /// equal Go's read-based ones.
    #[test]
    fn frontier_hashes_equal_stored_hashes_for_leaf() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut sizes: Vec<u64> = vec![1100];
        sizes.extend((0..6).map(|_| 1100 + next(&mut rng) % 3000));
        for size in sizes {
            let mut store: Vec<Hash> = Vec::new();
            let mut frontier = Frontier::new();
            for n in 0..size {
                let leaf = leaf_hash(&next(&mut rng).to_le_bytes());
                let read = |pos: u64| {
                    store
                        .get(usize::try_from(pos).unwrap_or(usize::MAX))
                        .copied()
                        .ok_or(LedgerError::HashSource("beyond the store".into()))
                };
                let expected = stored_hashes_for_leaf(n, leaf, read);
                let got = stored_hashes_from_frontier(&frontier, leaf);
                assert_eq!(expected, Ok(got.clone()), "leaf {n}");
                assert_eq!(store.len() as u64, stored_hash_index(0, n));
                store.extend(got);
                frontier.push(leaf);
                assert_eq!(store.len() as u64, stored_hash_count(n + 1));
            }
        }
    }
}
