//! Go `golang.org/x/mod/sumdb/tlog` stored-hash layout: known values and a
//! store built with `stored_hashes_for_leaf` checked against subtree hashes.

use iwt_ledger::{
    Hash, HashSource, LedgerError, MemoryTree, StoredHashReader, consistency_proof,
    inclusion_proof, root_at, split_stored_hash_index, stored_hash_count, stored_hash_index,
    stored_hashes_for_leaf,
};

use crate::random_leaves;

#[test]
fn known_go_values() {
    let idx: Vec<u64> = (0..8).map(|n| stored_hash_index(0, n)).collect();
    assert_eq!(idx, [0, 1, 3, 4, 7, 8, 10, 11]);
    let count: Vec<u64> = (1..=8).map(stored_hash_count).collect();
    assert_eq!(count, [1, 3, 4, 7, 8, 10, 11, 15]);
    assert_eq!(stored_hash_count(0), 0);
    // Higher levels: (1,0) follows leaves 0,1; (2,0) follows (1,1).
    assert_eq!(stored_hash_index(1, 0), 2);
    assert_eq!(stored_hash_index(1, 1), 5);
    assert_eq!(stored_hash_index(2, 0), 6);
    assert_eq!(stored_hash_index(3, 0), 14);
}

/// Go TestSplitStoredHashIndex.
#[test]
fn split_is_inverse() {
    for level in 0..10u8 {
        for n in 0..100u64 {
            let x = stored_hash_index(level, n);
            assert_eq!(split_stored_hash_index(x), (level, n), "({level}, {n})");
        }
    }
}

/// Go TestTree (hash part): build the store leaf by leaf and check every
/// stored hash is the corresponding perfect subtree hash.
#[test]
fn store_matches_subtree_hashes() {
    const N: usize = 300;
    let (_, leaves) = random_leaves(30, N);
    let tree = MemoryTree::from_leaf_hashes(&leaves);
    let mut store: Vec<Hash> = Vec::new();
    for (i, leaf) in leaves.iter().enumerate() {
        let i = i as u64;
        assert_eq!(store.len() as u64, stored_hash_index(0, i));
        let limit = store.len() as u64;
        let new = stored_hashes_for_leaf(i, *leaf, |pos| {
            assert!(pos < limit, "read beyond the stored prefix");
            Ok(store[pos as usize])
        })
        .unwrap();
        assert_eq!(new.len() as u32, 1 + i.trailing_ones());
        assert_eq!(new[0], *leaf);
        store.extend(new);
        assert_eq!(store.len() as u64, stored_hash_count(i + 1));
    }
    for (pos, stored) in store.iter().enumerate() {
        let (level, index) = split_stored_hash_index(pos as u64);
        assert_eq!(stored_hash_index(level, index), pos as u64);
        assert_eq!(
            *stored,
            tree.subtree_hash(level, index).unwrap(),
            "pos {pos}"
        );
        assert_eq!(
            *stored,
            leaves.as_slice().subtree_hash(level, index).unwrap()
        );
    }

    // Proofs and roots from the store equal those from the memory tree.
    let reader = StoredHashReader(|pos: u64| {
        store
            .get(pos as usize)
            .copied()
            .ok_or_else(|| LedgerError::HashSource(format!("no stored hash {pos}")))
    });
    for size in 0..=N as u64 {
        assert_eq!(root_at(&reader, size), root_at(&tree, size));
        for index in (0..size).step_by(7) {
            assert_eq!(
                inclusion_proof(&reader, index, size),
                inclusion_proof(&tree, index, size)
            );
        }
        for old in (0..=size).step_by(5) {
            assert_eq!(
                consistency_proof(&reader, old, size),
                consistency_proof(&tree, old, size)
            );
        }
    }
}

#[test]
fn read_errors_propagate() {
    let err = stored_hashes_for_leaf(1, [0; 32], |_| Err(LedgerError::HashSource("db".into())))
        .unwrap_err();
    assert_eq!(err.code(), "ledger.hash_source");
    // Leaf 0 and every even leaf complete no subtree: nothing is read.
    let ok = stored_hashes_for_leaf(4, [7; 32], |_| Err(LedgerError::RootMismatch)).unwrap();
    assert_eq!(ok, vec![[7; 32]]);
}
