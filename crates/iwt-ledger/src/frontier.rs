//! The compact right edge ("frontier", a.k.a. compact range) of a Merkle tree.
//!
//! A tree of `size` leaves decomposes into one perfect subtree per set bit of
//! `size`, ordered left to right (largest first). Their roots are all that is
//! needed to append further leaves and to compute the tree root, so a
//! [`Frontier`] lets a writer (or an auditor replaying the log) track the root
//! in O(log n) memory.
//!
//! Serialized form ([`Frontier::to_bytes`]): the size as 8 bytes big-endian,
//! followed by the `popcount(size)` subtree roots, 32 bytes each, largest
//! subtree first.

use crate::error::LedgerError;
use crate::hash::{EMPTY_ROOT, HASH_SIZE, Hash, fold_right, node_hash};

/// The right edge of the tree (compact range): the roots of the perfect
/// subtrees that make up a tree of `size` leaves, largest first.
///
/// Invariant: `hashes.len() == size.count_ones()`, and `hashes[i]` is the
/// root of the perfect subtree for the i-th most significant set bit of
/// `size`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Frontier {
    size: u64,
    hashes: Vec<Hash>,
}

impl Frontier {
    /// An empty frontier (tree of 0 leaves).
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of leaves in the tree this frontier describes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Roots of the perfect subtrees of the tree, largest (leftmost) first.
    pub fn hashes(&self) -> &[Hash] {
        &self.hashes
    }

    /// Appends a leaf hash; amortised O(1) node hashes.
    ///
    /// # Panics
    ///
    /// Panics if the frontier already holds `u64::MAX` leaves (unreachable in
    /// practice).
    pub fn push(&mut self, leaf_hash: Hash) {
        let Some(new_size) = self.size.checked_add(1) else {
            panic!("Frontier::push: tree size overflow");
        };
        let mut acc = leaf_hash;
        // Each trailing one bit of the old size is a perfect subtree that the
        // new leaf completes into a subtree twice as large.
        for _ in 0..self.size.trailing_ones() {
            match self.hashes.pop() {
                Some(left) => acc = node_hash(&left, &acc),
                None => break, // unreachable while the invariant holds
            }
        }
        self.hashes.push(acc);
        self.size = new_size;
    }

    /// Root (MTH) of the tree; [`EMPTY_ROOT`] for size 0.
    pub fn root(&self) -> Hash {
        fold_right(self.hashes.iter()).unwrap_or(EMPTY_ROOT)
    }

    /// Serializes as the 8-byte big-endian size followed by the subtree roots.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.hashes.len() * HASH_SIZE);
        out.extend_from_slice(&self.size.to_be_bytes());
        for h in &self.hashes {
            out.extend_from_slice(h);
        }
        out
    }

    /// Parses the output of [`Frontier::to_bytes`].
    ///
    /// Strict: the input must be exactly `8 + 32 * popcount(size)` bytes.
    pub fn from_bytes(b: &[u8]) -> Result<Self, LedgerError> {
        let (size_bytes, rest) =
            b.split_first_chunk::<8>()
                .ok_or(LedgerError::MalformedFrontier(
                    "shorter than the 8-byte size",
                ))?;
        let size = u64::from_be_bytes(*size_bytes);
        if rest.len() % HASH_SIZE != 0 {
            return Err(LedgerError::MalformedFrontier(
                "hash bytes are not a multiple of 32",
            ));
        }
        if rest.len() / HASH_SIZE != size.count_ones() as usize {
            return Err(LedgerError::MalformedFrontier(
                "number of hashes differs from popcount(size)",
            ));
        }
        let mut hashes = Vec::with_capacity(rest.len() / HASH_SIZE);
        for chunk in rest.chunks_exact(HASH_SIZE) {
            let mut h = [0u8; HASH_SIZE];
            h.copy_from_slice(chunk);
            hashes.push(h);
        }
        Ok(Frontier { size, hashes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn hash_count_tracks_popcount() {
        let mut f = Frontier::new();
        for i in 0..64u64 {
            assert_eq!(f.hashes().len(), i.count_ones() as usize);
            f.push(leaf_hash(&i.to_be_bytes()));
        }
    }
}
