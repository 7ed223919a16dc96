//! RFC 6962 §2.1 hashing: domain-separated leaf and interior-node hashes and
//! the Merkle Tree Hash (MTH) of an ordered list of leaves.
//!
//! - leaf hash: `SHA-256(0x00 || leaf_bytes)`
//! - node hash: `SHA-256(0x01 || left || right)`
//! - MTH of zero leaves: `SHA-256("")` ([`EMPTY_ROOT`])
//! - MTH of `n > 1` leaves: `node_hash(MTH(D[0:k]), MTH(D[k:n]))` where `k` is
//!   the largest power of two strictly smaller than `n`.

use sha2::{Digest, Sha256};

use crate::frontier::Frontier;

/// Size in bytes of a [`Hash`](type@Hash).
pub const HASH_SIZE: usize = 32;

/// A SHA-256 digest: a leaf hash, node hash or tree root.
pub type Hash = [u8; HASH_SIZE];

/// Root of the empty tree: SHA-256 of the empty string
/// (`e3b0c442…7852b855`).
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// Hash of a leaf: `SHA-256(0x00 || leaf_bytes)` (RFC 6962 §2.1).
pub fn leaf_hash(leaf_bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(leaf_bytes);
    h.finalize().into()
}

/// Hash of an interior node: `SHA-256(0x01 || left || right)` (RFC 6962 §2.1).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Merkle Tree Hash of the given leaf hashes (RFC 6962 §2.1).
///
/// Computed iteratively in O(n) hashing and O(log n) extra memory; returns
/// [`EMPTY_ROOT`] for an empty slice.
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    let mut frontier = Frontier::new();
    for leaf in leaves {
        frontier.push(*leaf);
    }
    frontier.root()
}

/// Folds the roots of consecutive perfect subtrees (largest first, as produced
/// by a binary decomposition of a range) into the MTH of their union.
///
/// Returns `None` for an empty list.
pub(crate) fn fold_right<'a>(
    mut hashes: impl DoubleEndedIterator<Item = &'a Hash>,
) -> Option<Hash> {
    let mut acc = *hashes.next_back()?;
    for left in hashes.rev() {
        acc = node_hash(left, &acc);
    }
    Some(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_is_sha256_of_empty_string() {
        let digest: Hash = Sha256::digest(b"").into();
        assert_eq!(EMPTY_ROOT, digest);
        assert_eq!(root_from_leaf_hashes(&[]), EMPTY_ROOT);
    }

    #[test]
    fn domain_separation() {
        let l = leaf_hash(b"");
        assert_ne!(l, EMPTY_ROOT);
        assert_ne!(node_hash(&l, &l), leaf_hash(&[l, l].concat()));
    }
}
