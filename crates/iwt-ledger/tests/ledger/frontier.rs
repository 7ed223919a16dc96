//! Frontier: roots for sizes 0..300, serialization round trips, and strict
//! rejection of malformed encodings.

use iwt_ledger::{Frontier, HashSource, MemoryTree, root_from_leaf_hashes};
use proptest::prelude::*;

use crate::{random_leaves, reference_mth};

#[test]
fn root_matches_mth_and_round_trips_for_sizes_0_to_300() {
    let (_, leaves) = random_leaves(10, 300);
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    let mut f = Frontier::new();
    for size in 0..=300usize {
        assert_eq!(f.size(), size as u64);
        let want = root_from_leaf_hashes(&leaves[..size]);
        assert_eq!(f.root(), want, "size {size}");
        assert_eq!(reference_mth(&leaves[..size]), want, "size {size}");

        // The frontier holds exactly the perfect subtrees, largest first.
        let mut pos = 0u64;
        let mut expected = Vec::new();
        for level in (0..64u8).rev() {
            if size as u64 & (1 << level) != 0 {
                expected.push(tree.subtree_hash(level, pos >> level).unwrap());
                pos += 1 << level;
            }
        }
        assert_eq!(f.hashes(), expected.as_slice());

        let bytes = f.to_bytes();
        assert_eq!(bytes.len(), 8 + 32 * (size as u64).count_ones() as usize);
        assert_eq!(&bytes[..8], &(size as u64).to_be_bytes());
        let back = Frontier::from_bytes(&bytes).unwrap();
        assert_eq!(back, f);

        // A decoded frontier keeps working.
        if size < 300 {
            let mut a = back;
            a.push(leaves[size]);
            f.push(leaves[size]);
            assert_eq!(a, f);
        }
    }
}

#[test]
fn from_bytes_rejects_malformed() {
    let (_, leaves) = random_leaves(11, 7);
    let mut f = Frontier::new();
    for l in &leaves {
        f.push(*l);
    }
    let good = f.to_bytes(); // size 7: three hashes
    let mut cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![0; 7],
        good[..good.len() - 1].to_vec(),
        good[..good.len() - 32].to_vec(),
        [good.as_slice(), &[0u8]].concat(),
        [good.as_slice(), &[0u8; 32]].concat(),
        [1u64.to_be_bytes().as_slice()].concat(),
        [0u64.to_be_bytes().as_slice(), &[0u8; 32]].concat(),
        [u64::MAX.to_be_bytes().as_slice(), &[0u8; 64]].concat(),
    ];
    // Right number of bytes for a different size.
    let mut wrong_size = good.clone();
    wrong_size[7] = 8;
    cases.push(wrong_size);
    for (i, c) in cases.iter().enumerate() {
        let err = Frontier::from_bytes(c).unwrap_err();
        assert_eq!(err.code(), "ledger.malformed_frontier", "case {i}");
    }
    assert_eq!(
        Frontier::from_bytes(&0u64.to_be_bytes()).unwrap(),
        Frontier::new()
    );
}

proptest! {
    #[test]
    fn from_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(f) = Frontier::from_bytes(&bytes) {
            prop_assert_eq!(f.to_bytes(), bytes);
            prop_assert_eq!(f.hashes().len(), f.size().count_ones() as usize);
        }
    }

    #[test]
    fn valid_encodings_decode(size in any::<u64>(), fill in any::<u8>()) {
        let mut bytes = size.to_be_bytes().to_vec();
        bytes.resize(8 + 32 * size.count_ones() as usize, fill);
        let f = Frontier::from_bytes(&bytes).unwrap();
        prop_assert_eq!(f.size(), size);
        prop_assert_eq!(f.to_bytes(), bytes);
    }
}
