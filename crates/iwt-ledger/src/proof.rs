//! Inclusion and consistency proof generation (RFC 6962 §2.1.1 `PATH` and
//! §2.1.2 `PROOF`, identical to RFC 9162 §2.1.3.1 / §2.1.4.1).
//!
//! Proofs are built top-down over the recursive RFC split (largest power of
//! two strictly below the range size), and every proof element is a range
//! that decomposes into perfect subtrees. At most one element per proof is a
//! non-perfect range, so generation needs O(log n) [`HashSource`] lookups.
//! Proof hashes are ordered as in the RFCs: from the leaf (or the old root)
//! up towards the root.

use crate::error::LedgerError;
use crate::hash::Hash;
use crate::source::{HashSource, range_hash};

/// Largest power of two strictly smaller than `n`. Requires `n >= 2`.
fn split_point(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Number of hashes in the inclusion proof for `index` in a tree of `size`
/// leaves (requires `index < size`).
pub(crate) fn inclusion_proof_len(index: u64, size: u64) -> usize {
    let inner = 64 - (index ^ (size - 1)).leading_zeros();
    let border = index.checked_shr(inner).unwrap_or(0).count_ones();
    (inner + border) as usize
}

/// Number of hashes in the consistency proof from `old_size` to `new_size`
/// (requires `0 < old_size < new_size`).
pub(crate) fn consistency_proof_len(old_size: u64, new_size: u64) -> usize {
    let inclusion = inclusion_proof_len(old_size - 1, new_size);
    let shift = old_size.trailing_zeros() as usize;
    let start = usize::from(!old_size.is_power_of_two());
    start + inclusion - shift
}

/// Inclusion proof (audit path) for leaf `index` in the tree of the first
/// `size` leaves of `src`.
///
/// Errors with [`LedgerError::IndexOutOfRange`] if `index >= size`, or with
/// the source's error if a needed subtree is unavailable.
pub fn inclusion_proof(
    src: &(impl HashSource + ?Sized),
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, LedgerError> {
    if index >= size {
        return Err(LedgerError::IndexOutOfRange { index, size });
    }
    let mut proof = Vec::with_capacity(inclusion_proof_len(index, size));
    let (mut lo, mut hi) = (0u64, size);
    while hi - lo > 1 {
        let mid = lo + split_point(hi - lo);
        if index < mid {
            proof.push(range_hash(src, mid, hi)?);
            hi = mid;
        } else {
            proof.push(range_hash(src, lo, mid)?);
            lo = mid;
        }
    }
    proof.reverse();
    Ok(proof)
}

/// Consistency proof between the trees of the first `old_size` and the first
/// `new_size` leaves of `src`.
///
/// The proof is empty when `old_size == 0` or `old_size == new_size`. Errors
/// with [`LedgerError::SizeOrder`] if `old_size > new_size`, or with the
/// source's error if a needed subtree is unavailable.
pub fn consistency_proof(
    src: &(impl HashSource + ?Sized),
    old_size: u64,
    new_size: u64,
) -> Result<Vec<Hash>, LedgerError> {
    if old_size > new_size {
        return Err(LedgerError::SizeOrder { old_size, new_size });
    }
    if old_size == 0 || old_size == new_size {
        return Ok(Vec::new());
    }
    let mut proof = Vec::with_capacity(consistency_proof_len(old_size, new_size));
    // Iterative SUBPROOF(m, D[lo:hi], complete): `m` counts old leaves in
    // [lo, hi); `complete` is true while the old root itself is a node here.
    let (mut lo, mut hi, mut m, mut complete) = (0u64, new_size, old_size, true);
    loop {
        if m == hi - lo {
            if !complete {
                proof.push(range_hash(src, lo, hi)?);
            }
            break;
        }
        let k = split_point(hi - lo);
        if m <= k {
            proof.push(range_hash(src, lo + k, hi)?);
            hi = lo + k;
        } else {
            proof.push(range_hash(src, lo, lo + k)?);
            lo += k;
            m -= k;
            complete = false;
        }
    }
    proof.reverse();
    Ok(proof)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point_values() {
        for (n, k) in [
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 4),
            (7, 4),
            (8, 4),
            (9, 8),
            (28937, 16384),
        ] {
            assert_eq!(split_point(n), k, "n={n}");
        }
        assert_eq!(split_point(u64::MAX), 1 << 63);
    }

    #[test]
    fn proof_lengths() {
        assert_eq!(inclusion_proof_len(0, 1), 0);
        assert_eq!(inclusion_proof_len(0, 8), 3);
        assert_eq!(inclusion_proof_len(4, 5), 1);
        assert_eq!(inclusion_proof_len(2, 3), 1);
        assert_eq!(consistency_proof_len(1, 8), 3);
        assert_eq!(consistency_proof_len(2, 5), 2);
        assert_eq!(consistency_proof_len(6, 8), 3);
        assert_eq!(consistency_proof_len(6, 7), 3);
        assert_eq!(consistency_proof_len(4, 5), 1);
    }
}
