//! Integration tests for `iwt-ledger`, exercising only the public API the way
//! a third-party verifier would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cross_ct_merkle;
mod frontier;
mod robustness;
mod stored;
mod tamper;
mod vectors;

use iwt_ledger::{EMPTY_ROOT, Hash, leaf_hash, node_hash};

/// Decodes a 64-character hex string into a hash.
pub fn h(s: &str) -> Hash {
    hex::decode(s).unwrap().try_into().unwrap()
}

/// transparency-dev/merkle proof/verify_test.go `sha256SomeHash`.
pub fn some_hash() -> Hash {
    h("abacaba000000000000000000000000000000000000000000060061e00123456")
}

/// Flips bit `bit` (mod 256) of a hash.
pub fn flip(mut x: Hash, bit: usize) -> Hash {
    x[bit / 8 % 32] ^= 1 << (bit % 8);
    x
}

/// Independent reference MTH: the literal recursive definition of RFC 6962
/// §2.1 (split at the largest power of two strictly below n).
pub fn reference_mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            node_hash(&reference_mth(&leaves[..k]), &reference_mth(&leaves[k..]))
        }
    }
}

/// Deterministic pseudo-random generator (SplitMix64) for seeded loops.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform-ish value in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Random leaf contents of 0..40 bytes.
    pub fn leaf_bytes(&mut self) -> Vec<u8> {
        let len = self.below(40) as usize;
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// `n` random leaves (bytes) and their leaf hashes.
pub fn random_leaves(seed: u64, n: usize) -> (Vec<Vec<u8>>, Vec<Hash>) {
    let mut rng = SplitMix(seed);
    let data: Vec<Vec<u8>> = (0..n).map(|_| rng.leaf_bytes()).collect();
    let hashes = data.iter().map(|d| leaf_hash(d)).collect();
    (data, hashes)
}
