//! Degenerate inputs (ports of transparency-dev/merkle's verify tests) and
//! property tests that verification never panics on arbitrary inputs.

use iwt_ledger::{EMPTY_ROOT, Hash, leaf_hash, verify_consistency, verify_inclusion};
use proptest::prelude::*;

use crate::{flip, some_hash};

/// verify_test.go TestVerifyInclusion / TestVerifyInclusionSingleEntry.
#[test]
fn degenerate_inclusion_inputs() {
    for (index, size) in [(0, 0), (0, 1), (1, 0), (2, 1)] {
        assert!(verify_inclusion(&some_hash(), index, size, &[], &EMPTY_ROOT).is_err());
    }
    let one = leaf_hash(b"data");
    verify_inclusion(&one, 0, 1, &[], &one).unwrap();
    assert!(verify_inclusion(&one, 0, 1, &[], &EMPTY_ROOT).is_err());
    assert!(verify_inclusion(&EMPTY_ROOT, 0, 1, &[], &one).is_err());
    let err = verify_inclusion(&one, 1, 1, &[], &one).unwrap_err();
    assert_eq!(err.code(), "ledger.index_out_of_range");
}

/// verify_test.go TestVerifyConsistency table (with our stricter rule that
/// the size-0 root must be EMPTY_ROOT).
#[test]
fn degenerate_consistency_inputs() {
    let (r1, r2) = (some_hash(), leaf_hash(b"x"));
    let e = EMPTY_ROOT;
    // (old size, new size, old root, new root, proof, should verify)
    type Case<'a> = (u64, u64, Hash, Hash, &'a [Hash], bool);
    let cases: &[Case] = &[
        (0, 0, r1, r2, &[], false),
        (1, 1, r1, r2, &[], false),
        (0, 0, r1, r1, &[], true),
        (0, 1, e, r2, &[], true),
        (0, 1, r1, r2, &[], false), // Go accepts; we require the empty root.
        (1, 1, r2, r2, &[], true),
        (1, 0, r1, r2, &[], false),
        (2, 1, r1, r2, &[], false),
        (1, 2, r1, r2, &[], false),
        (0, 0, e, r2, &[], false),
        (1, 1, e, r2, &[], false),
        (0, 0, e, e, &[e], false),
        (0, 1, e, e, &[e], false),
        (1, 1, e, e, &[e], false),
    ];
    for (i, &(a, b, ra, rb, p, ok)) in cases.iter().enumerate() {
        assert_eq!(
            verify_consistency(a, b, &ra, &rb, p).is_ok(),
            ok,
            "case {i}"
        );
    }
    let err = verify_consistency(2, 1, &r1, &r2, &[]).unwrap_err();
    assert_eq!(err.code(), "ledger.size_order");
}

/// Expected inclusion proof length (transparency-dev `decompInclProof`).
fn inclusion_len(index: u64, size: u64) -> usize {
    if index >= size {
        return 0;
    }
    let inner = 64 - (index ^ (size - 1)).leading_zeros();
    (inner + index.checked_shr(inner).unwrap_or(0).count_ones()) as usize
}

fn interesting_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..20,
        any::<u64>(),
        Just(u64::MAX),
        Just(u64::MAX - 1),
        Just(1u64 << 63),
        (0u32..64).prop_map(|s| 1u64 << s),
        (1u32..64).prop_map(|s| (1u64 << s) - 1),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn verify_inclusion_never_panics(
        index in interesting_u64(),
        size in interesting_u64(),
        leaf in any::<[u8; 32]>(),
        root in any::<[u8; 32]>(),
        seed in any::<[u8; 32]>(),
        delta in -2i64..=2,
        random_len in 0usize..70,
        use_exact in any::<bool>(),
    ) {
        let len = if use_exact {
            (inclusion_len(index, size) as i64 + delta).max(0) as usize
        } else {
            random_len
        };
        let proof: Vec<Hash> = (0..len).map(|i| flip(seed, i)).collect();
        let res = verify_inclusion(&leaf, index, size, &proof, &root);
        if let Err(e) = res {
            prop_assert!(e.code().starts_with("ledger."));
        }
    }

    #[test]
    fn verify_consistency_never_panics(
        old in interesting_u64(),
        new in interesting_u64(),
        old_root in any::<[u8; 32]>(),
        new_root in any::<[u8; 32]>(),
        seed in any::<[u8; 32]>(),
        delta in -2i64..=2,
        random_len in 0usize..70,
        use_exact in any::<bool>(),
    ) {
        let len = if use_exact && old > 0 {
            let base = inclusion_len(old - 1, new) as i64 - i64::from(old.trailing_zeros())
                + i64::from(!old.is_power_of_two());
            (base + delta).max(0) as usize
        } else {
            random_len
        };
        let proof: Vec<Hash> = (0..len).map(|i| flip(seed, i)).collect();
        let res = verify_consistency(old, new, &old_root, &new_root, &proof);
        if let Err(e) = res {
            prop_assert!(e.code().starts_with("ledger."));
        }
    }
}
