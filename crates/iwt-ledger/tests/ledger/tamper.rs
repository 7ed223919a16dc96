//! Tamper resistance: corrupted proofs, indices, sizes and roots must be
//! rejected with an error (ports of transparency-dev/merkle's probes plus
//! seeded random trees).

use iwt_ledger::{
    EMPTY_ROOT, Hash, MemoryTree, consistency_proof, inclusion_proof, leaf_hash, root_at,
    verify_consistency, verify_inclusion,
};

use crate::vectors::{CONSISTENCY, INCLUSION, hashes, leaf_hashes, root};
use crate::{SplitMix, flip, random_leaves, some_hash};

fn with(proof: &[Hash], pre: &[Hash], post: &[Hash]) -> Vec<Hash> {
    [pre, proof, post].concat()
}

/// Port of verify_test.go `corruptInclusionProof`; every probe must fail.
pub fn inclusion_probes(index: u64, size: u64, proof: &[Hash], root: Hash, leaf: Hash) {
    let check = |desc: &str, i: u64, s: u64, r: Hash, l: Hash, p: &[Hash]| {
        let res = verify_inclusion(&l, i, s, p, &r);
        assert!(
            res.is_err(),
            "{desc} verified for index {index} size {size}"
        );
    };
    let (z, some) = ([0u8; 32], some_hash());
    check("index-1", index.wrapping_sub(1), size, root, leaf, proof);
    check("index+1", index + 1, size, root, leaf, proof);
    check("index^2", index ^ 2, size, root, leaf, proof);
    check("size*2", index, size * 2, root, leaf, proof);
    check("size/2", index, size / 2, root, leaf, proof);
    check(
        "wrong leaf",
        index,
        size,
        root,
        leaf_hash(b"WrongLeaf"),
        proof,
    );
    check("empty root", index, size, EMPTY_ROOT, leaf, proof);
    check("random root", index, size, some, leaf, proof);
    check(
        "trailing zero",
        index,
        size,
        root,
        leaf,
        &with(proof, &[], &[z]),
    );
    check(
        "trailing root",
        index,
        size,
        root,
        leaf,
        &with(proof, &[], &[root]),
    );
    check(
        "preceding zero",
        index,
        size,
        root,
        leaf,
        &with(proof, &[z], &[]),
    );
    check(
        "preceding root",
        index,
        size,
        root,
        leaf,
        &with(proof, &[root], &[]),
    );
    for i in 0..proof.len() {
        let mut p = proof.to_vec();
        p[i][0] ^= 8;
        check(&format!("proof[{i}] bit 3"), index, size, root, leaf, &p);
    }
    if let Some((_, rest)) = proof.split_last() {
        check("removed component", index, size, root, leaf, rest);
    }
    if proof.len() > 1 {
        let p = with(&proof[1..], &[proof[0], some], &[]);
        check("inserted component", index, size, root, leaf, &p);
    }
}

/// Port of verify_test.go `corruptConsistencyProof`; every probe must fail.
/// Requires a non-empty proof.
pub fn consistency_probes(s1: u64, s2: u64, r1: Hash, r2: Hash, proof: &[Hash]) {
    let check = |desc: &str, a: u64, b: u64, ra: Hash, rb: Hash, p: &[Hash]| {
        let res = verify_consistency(a, b, &ra, &rb, p);
        assert!(res.is_err(), "{desc} verified for {s1} -> {s2}");
    };
    let (z, some) = ([0u8; 32], some_hash());
    check("size1-1", s1 - 1, s2, r1, r2, proof);
    check("size1+1", s1 + 1, s2, r1, r2, proof);
    check("size1^2", s1 ^ 2, s2, r1, r2, proof);
    check("size2*2", s1, s2 * 2, r1, r2, proof);
    check("size2/2", s1, s2 / 2, r1, r2, proof);
    check("wrong root1", s1, s2, some, r2, proof);
    check("wrong root2", s1, s2, r1, some, proof);
    check("swapped roots", s1, s2, r2, r1, proof);
    check("empty proof", s1, s2, r1, r2, &[]);
    check("trailing zero", s1, s2, r1, r2, &with(proof, &[], &[z]));
    check("trailing root1", s1, s2, r1, r2, &with(proof, &[], &[r1]));
    check("trailing root2", s1, s2, r1, r2, &with(proof, &[], &[r2]));
    check("preceding zero", s1, s2, r1, r2, &with(proof, &[z], &[]));
    check("preceding root1", s1, s2, r1, r2, &with(proof, &[r1], &[]));
    check("preceding root2", s1, s2, r1, r2, &with(proof, &[r2], &[]));
    check(
        "preceding proof[0]",
        s1,
        s2,
        r1,
        r2,
        &with(proof, &[proof[0]], &[]),
    );
    check("truncated", s1, s2, r1, r2, &proof[..proof.len() - 1]);
    for i in 0..proof.len() {
        let mut p = proof.to_vec();
        p[i][0] ^= 16;
        check(&format!("proof[{i}] bit 4"), s1, s2, r1, r2, &p);
    }
}

#[test]
fn published_vectors_reject_go_probes() {
    let leaves = leaf_hashes();
    for &(index, size, proof) in INCLUSION {
        inclusion_probes(
            index,
            size,
            &hashes(proof),
            root(size),
            leaves[index as usize],
        );
    }
    for &(s1, s2, proof) in CONSISTENCY {
        if !proof.is_empty() {
            consistency_probes(s1, s2, root(s1), root(s2), &hashes(proof));
        }
    }
}

/// Seeded random trees: flipped bits, wrong index/size, truncated and
/// extended proofs, with the expected error codes.
#[test]
fn random_tree_tampering() {
    let (_, leaves) = random_leaves(20, 300);
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    let mut rng = SplitMix(21);
    for _ in 0..300 {
        let size = rng.below(300) + 1;
        let index = rng.below(size);
        let root = root_at(&tree, size).unwrap();
        let leaf = leaves[index as usize];
        let proof = inclusion_proof(&tree, index, size).unwrap();
        verify_inclusion(&leaf, index, size, &proof, &root).unwrap();
        inclusion_probes(index, size, &proof, root, leaf);
        let code = |p: &[Hash], i: u64, s: u64, l: Hash, r: Hash| {
            verify_inclusion(&l, i, s, p, &r).unwrap_err().code()
        };
        for k in 0..proof.len() {
            let mut p = proof.clone();
            p[k] = flip(p[k], rng.below(256) as usize);
            assert_eq!(code(&p, index, size, leaf, root), "ledger.root_mismatch");
        }
        let bit = rng.below(256) as usize;
        assert_eq!(
            code(&proof, index, size, flip(leaf, bit), root),
            "ledger.root_mismatch"
        );
        assert_eq!(
            code(&proof, index, size, leaf, flip(root, bit)),
            "ledger.root_mismatch"
        );
        let extended = with(&proof, &[], &[root]);
        assert_eq!(
            code(&extended, index, size, leaf, root),
            "ledger.proof_size_mismatch"
        );
        if !proof.is_empty() {
            let truncated = &proof[1..];
            assert_eq!(
                code(truncated, index, size, leaf, root),
                "ledger.proof_size_mismatch"
            );
        }

        let old = rng.below(size) + 1;
        let old_root = root_at(&tree, old).unwrap();
        let proof = consistency_proof(&tree, old, size).unwrap();
        verify_consistency(old, size, &old_root, &root, &proof).unwrap();
        if proof.is_empty() {
            continue;
        }
        consistency_probes(old, size, old_root, root, &proof);
        for k in 0..proof.len() {
            let mut p = proof.clone();
            p[k] = flip(p[k], rng.below(256) as usize);
            let err = verify_consistency(old, size, &old_root, &root, &p).unwrap_err();
            assert!(
                ["ledger.root_mismatch", "ledger.old_root_mismatch"].contains(&err.code()),
                "{err}"
            );
        }
        let err = verify_consistency(old, size, &flip(old_root, bit), &root, &proof);
        assert!(err.is_err());
        let err = verify_consistency(old, size, &old_root, &flip(root, bit), &proof);
        assert_eq!(err.unwrap_err().code(), "ledger.root_mismatch");
    }
}
