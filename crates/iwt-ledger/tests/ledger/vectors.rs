//! Published known-answer vectors from transparency-dev/merkle
//! (testonly/constants.go, testonly/reference_test.go, proof/verify_test.go),
//! the successor of the certificate-transparency reference tests. The
//! ct-merkle crate copies the same vectors in its tests/known_answer.rs.

use iwt_ledger::{
    EMPTY_ROOT, Frontier, Hash, HashSource, MemoryTree, consistency_proof, inclusion_proof,
    leaf_hash, root_at, root_from_leaf_hashes, verify_consistency, verify_inclusion,
};

use crate::h;

pub const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Roots for tree sizes 0..=8 (testonly/constants.go RootHashes).
pub const ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// Perfect subtree hashes by level (testonly/constants.go NodeHashes).
const NODE_HASHES: [&[&str]; 4] = [
    &[
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    &[
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    &[
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    &["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
];

/// (index (0-based), size, proof) — reference_test.go TestRefInclusionProof;
/// verify_test.go inclusionProofs (1-based there) are the same set.
pub const INCLUSION: &[(u64, u64, &[&str])] = &[
    (0, 1, &[]),
    (
        0,
        2,
        &["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"],
    ),
    (
        1,
        2,
        &["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

/// (old size, new size, proof) — reference_test.go TestRefConsistencyProof
/// plus verify_test.go consistencyProofs (adds 6 -> 7).
pub const CONSISTENCY: &[(u64, u64, &[&str])] = &[
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

pub fn leaf_hashes() -> Vec<Hash> {
    LEAVES
        .iter()
        .map(|l| leaf_hash(&hex::decode(l).unwrap()))
        .collect()
}

pub fn root(size: u64) -> Hash {
    h(ROOTS[size as usize])
}

pub fn hashes(v: &[&str]) -> Vec<Hash> {
    v.iter().map(|s| h(s)).collect()
}

#[test]
fn empty_root_vector() {
    assert_eq!(EMPTY_ROOT, h(ROOTS[0]));
    assert_eq!(root_from_leaf_hashes(&[]), EMPTY_ROOT);
}

#[test]
fn roots_for_every_prefix() {
    let leaves = leaf_hashes();
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    let mut frontier = Frontier::new();
    for size in 0..=8u64 {
        let want = root(size);
        let prefix = &leaves[..size as usize];
        assert_eq!(root_from_leaf_hashes(prefix), want, "size {size}");
        assert_eq!(crate::reference_mth(prefix), want, "size {size}");
        assert_eq!(root_at(&tree, size).unwrap(), want, "size {size}");
        assert_eq!(
            root_at(leaves.as_slice(), size).unwrap(),
            want,
            "size {size}"
        );
        assert_eq!(frontier.root(), want, "size {size}");
        if let Some(l) = leaves.get(size as usize) {
            frontier.push(*l);
        }
    }
    assert_eq!(tree.root(), root(8));
}

#[test]
fn node_hashes_and_compact_trees() {
    let leaves = leaf_hashes();
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    for (level, row) in NODE_HASHES.iter().enumerate() {
        for (index, want) in row.iter().enumerate() {
            let got = tree.subtree_hash(level as u8, index as u64).unwrap();
            assert_eq!(got, h(want), "level {level} index {index}");
        }
    }
    // testonly/constants.go CompactTrees: the frontier of each prefix.
    let nh = |l: usize, i: usize| h(NODE_HASHES[l][i]);
    let compact: [Vec<Hash>; 9] = [
        vec![],
        vec![nh(0, 0)],
        vec![nh(1, 0)],
        vec![nh(1, 0), nh(0, 2)],
        vec![nh(2, 0)],
        vec![nh(2, 0), nh(0, 4)],
        vec![nh(2, 0), nh(1, 2)],
        vec![nh(2, 0), nh(1, 2), nh(0, 6)],
        vec![nh(3, 0)],
    ];
    let mut frontier = Frontier::new();
    for (size, want) in compact.iter().enumerate() {
        assert_eq!(frontier.hashes(), want.as_slice(), "size {size}");
        if let Some(l) = leaves.get(size) {
            frontier.push(*l);
        }
    }
}

#[test]
fn inclusion_vectors() {
    let leaves = leaf_hashes();
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    for &(index, size, proof) in INCLUSION {
        let want = hashes(proof);
        assert_eq!(inclusion_proof(&tree, index, size).unwrap(), want);
        assert_eq!(
            inclusion_proof(leaves.as_slice(), index, size).unwrap(),
            want
        );
        verify_inclusion(&leaves[index as usize], index, size, &want, &root(size)).unwrap();
    }
}

#[test]
fn consistency_vectors() {
    let leaves = leaf_hashes();
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    for &(old, new, proof) in CONSISTENCY {
        let want = hashes(proof);
        assert_eq!(consistency_proof(&tree, old, new).unwrap(), want);
        assert_eq!(
            consistency_proof(leaves.as_slice(), old, new).unwrap(),
            want
        );
        verify_consistency(old, new, &root(old), &root(new), &want).unwrap();
    }
}

/// Every proof of the 8-leaf tree verifies against the published roots.
#[test]
fn all_proofs_of_vector_tree_verify() {
    let leaves = leaf_hashes();
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    for size in 1..=8u64 {
        for index in 0..size {
            let p = inclusion_proof(&tree, index, size).unwrap();
            verify_inclusion(&leaves[index as usize], index, size, &p, &root(size)).unwrap();
        }
        for old in 0..=size {
            let p = consistency_proof(&tree, old, size).unwrap();
            verify_consistency(old, size, &root(old), &root(size), &p).unwrap();
        }
    }
}
