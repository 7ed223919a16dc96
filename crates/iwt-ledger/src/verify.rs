//! Proof verification, following RFC 9162 §2.1.3.2 (inclusion) and
//! §2.1.4.2 (consistency) step by step.
//!
//! Verification never panics: every input combination yields either `Ok(())`
//! or a [`LedgerError`]. The expected proof length is checked up front (as in
//! transparency-dev/merkle), so truncated or extended proofs are reported as
//! [`LedgerError::ProofSizeMismatch`].

use crate::error::LedgerError;
use crate::hash::{EMPTY_ROOT, Hash, node_hash};
use crate::proof::{consistency_proof_len, inclusion_proof_len};

fn check_len(expected: usize, proof: &[Hash]) -> Result<(), LedgerError> {
    if proof.len() == expected {
        Ok(())
    } else {
        Err(LedgerError::ProofSizeMismatch {
            expected,
            actual: proof.len(),
        })
    }
}

/// Verifies that `leaf_hash` is the leaf at `index` of the tree of `size`
/// leaves whose root is `root`, given the inclusion `proof`
/// (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), LedgerError> {
    if index >= size {
        return Err(LedgerError::IndexOutOfRange { index, size });
    }
    let expected = inclusion_proof_len(index, size);
    check_len(expected, proof)?;

    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in proof {
        if snode == 0 {
            return Err(LedgerError::ProofSizeMismatch {
                expected,
                actual: proof.len(),
            });
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(LedgerError::ProofSizeMismatch {
            expected,
            actual: proof.len(),
        });
    }
    if r != *root {
        return Err(LedgerError::RootMismatch);
    }
    Ok(())
}

/// Verifies that the tree of `old_size` leaves with root `old_root` is a
/// prefix of the tree of `new_size` leaves with root `new_root`, given the
/// consistency `proof` (RFC 9162 §2.1.4.2).
///
/// Special cases: `old_size == new_size` requires an empty proof and equal
/// roots; `old_size == 0` requires an empty proof and `old_root ==
/// EMPTY_ROOT` (every tree extends the empty tree).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), LedgerError> {
    if old_size > new_size {
        return Err(LedgerError::SizeOrder { old_size, new_size });
    }
    if old_size == new_size {
        check_len(0, proof)?;
        return if old_root == new_root {
            Ok(())
        } else {
            Err(LedgerError::RootMismatch)
        };
    }
    if old_size == 0 {
        check_len(0, proof)?;
        return if *old_root == EMPTY_ROOT {
            Ok(())
        } else {
            Err(LedgerError::OldRootMismatch)
        };
    }
    let expected = consistency_proof_len(old_size, new_size);
    check_len(expected, proof)?;
    let size_err = LedgerError::ProofSizeMismatch {
        expected,
        actual: proof.len(),
    };

    // Step 2: if old_size is a power of two, the old root is the seed.
    let (seed, rest) = if old_size.is_power_of_two() {
        (old_root, proof)
    } else {
        proof.split_first().ok_or(size_err.clone())?
    };
    // Steps 3-4.
    let (mut fnode, mut snode) = (old_size - 1, new_size - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    // Steps 5-6.
    let (mut fr, mut sr) = (*seed, *seed);
    for c in rest {
        if snode == 0 {
            return Err(size_err);
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 7.
    if snode != 0 {
        return Err(size_err);
    }
    if fr != *old_root {
        return Err(LedgerError::OldRootMismatch);
    }
    if sr != *new_root {
        return Err(LedgerError::RootMismatch);
    }
    Ok(())
}
