//! Cross-checks against the independent `ct-merkle` 0.3 crate: equal roots,
//! byte-identical proofs, and each side's proofs verify with the other's
//! verifier. ct-merkle proofs are the concatenation of 32-byte hashes in RFC
//! order (`InclusionProof::as_bytes`, `ConsistencyProof::as_bytes`).

use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use iwt_ledger::{
    Frontier, Hash, MemoryTree, consistency_proof, inclusion_proof, root_at, root_from_leaf_hashes,
    verify_consistency, verify_inclusion,
};
use proptest::prelude::*;
use sha2_ct::Sha256;

use crate::{SplitMix, random_leaves};

type CtTree = MemoryBackedTree<Sha256, Vec<u8>>;

fn ct_root_hash(t: &CtTree) -> Hash {
    t.root().as_bytes().as_slice().try_into().unwrap()
}

fn ct_root(hash: Hash, size: u64) -> RootHash<Sha256> {
    RootHash::new(hash.into(), size)
}

fn to_hashes(bytes: &[u8]) -> Vec<Hash> {
    assert_eq!(bytes.len() % 32, 0);
    bytes
        .chunks_exact(32)
        .map(|c| c.try_into().unwrap())
        .collect()
}

fn concat(proof: &[Hash]) -> Vec<u8> {
    proof.concat()
}

/// Checks inclusion of `index` in the ct tree's current size both ways.
fn check_inclusion(ct: &CtTree, ours: &MemoryTree, data: &[Vec<u8>], leaves: &[Hash], index: u64) {
    let size = ct.len();
    let root = ct_root_hash(ct);
    let mine = inclusion_proof(ours, index, size).unwrap();
    let theirs = ct.prove_inclusion(index as usize);
    assert_eq!(
        mine,
        to_hashes(theirs.as_bytes()),
        "inclusion {index}/{size}"
    );
    verify_inclusion(
        &leaves[index as usize],
        index,
        size,
        &to_hashes(theirs.as_bytes()),
        &root,
    )
    .unwrap();
    let mine_ct = InclusionProof::<Sha256>::try_from_bytes(concat(&mine)).unwrap();
    ct_root(root, size)
        .verify_inclusion(&data[index as usize], index, &mine_ct)
        .unwrap();
}

/// Checks consistency from `old` (root `old_root`) to the ct tree's size.
fn check_consistency(ct: &CtTree, ours: &MemoryTree, old: u64, old_root: Hash) {
    let size = ct.len();
    let root = ct_root_hash(ct);
    let mine = consistency_proof(ours, old, size).unwrap();
    verify_consistency(old, size, &old_root, &root, &mine).unwrap();
    if old == 0 {
        return; // ct-merkle rejects consistency from the empty tree.
    }
    let theirs = ct.prove_consistency((size - old) as usize);
    assert_eq!(
        mine,
        to_hashes(theirs.as_bytes()),
        "consistency {old}->{size}"
    );
    verify_consistency(old, size, &old_root, &root, &to_hashes(theirs.as_bytes())).unwrap();
    let mine_ct = ConsistencyProof::<Sha256>::try_from_bytes(concat(&mine)).unwrap();
    ct_root(root, size)
        .verify_consistency(&ct_root(old_root, old), &mine_ct)
        .unwrap();
}

/// Every index and every old size for all trees of 1..=64 leaves.
#[test]
fn exhaustive_small_trees() {
    let (data, leaves) = random_leaves(1, 64);
    let ours = MemoryTree::from_leaf_hashes(&leaves);
    let mut ct = CtTree::new();
    let mut roots = vec![ct_root_hash(&ct)];
    for n in 1..=64u64 {
        ct.push(data[n as usize - 1].clone());
        let root = ct_root_hash(&ct);
        roots.push(root);
        assert_eq!(root_from_leaf_hashes(&leaves[..n as usize]), root);
        assert_eq!(root_at(&ours, n).unwrap(), root);
        for index in 0..n {
            check_inclusion(&ct, &ours, &data, &leaves, index);
        }
        for old in 0..=n {
            check_consistency(&ct, &ours, old, roots[old as usize]);
        }
    }
    assert_eq!(roots[0], iwt_ledger::EMPTY_ROOT);
}

/// Large trees (up to 100,000 leaves): roots at checkpoints around powers of
/// two, plus random inclusion and consistency proofs at each checkpoint.
#[test]
fn large_trees_up_to_100k() {
    const N: usize = 100_000;
    let checkpoints = [
        1000u64, 4095, 4096, 4097, 65_535, 65_536, 65_537, 77_777, 99_999, 100_000,
    ];
    let (data, leaves) = random_leaves(2, N);
    let ours = MemoryTree::from_leaf_hashes(&leaves);
    let mut frontier = Frontier::new();
    let mut ct = CtTree::new();
    let mut rng = SplitMix(3);
    let mut seen: Vec<(u64, Hash)> = Vec::new();
    for (i, d) in data.iter().enumerate() {
        ct.push(d.clone());
        frontier.push(leaves[i]);
        let n = i as u64 + 1;
        if !checkpoints.contains(&n) {
            continue;
        }
        let root = ct_root_hash(&ct);
        assert_eq!(frontier.root(), root, "frontier at {n}");
        assert_eq!(root_at(&ours, n).unwrap(), root, "root_at {n}");
        for _ in 0..20 {
            check_inclusion(&ct, &ours, &data, &leaves, rng.below(n));
        }
        check_inclusion(&ct, &ours, &data, &leaves, n - 1);
        for &(old, old_root) in &seen {
            check_consistency(&ct, &ours, old, old_root);
        }
        for _ in 0..10 {
            let old = rng.below(n) + 1;
            check_consistency(&ct, &ours, old, root_at(&ours, old).unwrap());
        }
        seen.push((n, root));
    }
    assert_eq!(root_from_leaf_hashes(&leaves), ours.root());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random trees of up to 3000 leaves: random index and old size.
    #[test]
    fn random_trees_match_ct_merkle(
        seed in any::<u64>(),
        size in 1u64..3000,
        index_frac in 0.0f64..1.0,
        old_frac in 0.0f64..=1.0,
    ) {
        let (data, leaves) = random_leaves(seed, size as usize);
        let ours = MemoryTree::from_leaf_hashes(&leaves);
        let index = ((size as f64 * index_frac) as u64).min(size - 1);
        let old = ((size as f64 * old_frac) as u64).min(size);
        let mut ct = CtTree::new();
        let mut old_root = ct_root_hash(&ct);
        for (i, d) in data.iter().enumerate() {
            ct.push(d.clone());
            if i as u64 + 1 == old {
                old_root = ct_root_hash(&ct);
            }
        }
        prop_assert_eq!(ours.root(), ct_root_hash(&ct));
        prop_assert_eq!(root_at(&ours, old).unwrap(), old_root);
        check_inclusion(&ct, &ours, &data, &leaves, index);
        check_consistency(&ct, &ours, old, old_root);
    }
}
