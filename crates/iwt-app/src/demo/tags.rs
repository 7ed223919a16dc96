//! RFID tags. Each tag carries a GIAI-96 EPC: header 0x34, filter 0, partition 5 (a
//! 7-digit GS1 company prefix in 24 bits) and a 58-bit asset reference made of a
//! seed-derived batch number, the item kind and a running number, so that every EPC is
//! unique and the same seed yields the same EPCs.
use super::plan::Plan;
use super::rng::Rng;
use iwt_domain::EntityKind;
use iwt_domain::records::{ItemRef, Record, TagBinding};
use uuid::Uuid;

/// GS1 company prefix used in the demo EPCs (7 digits, fits partition 5).
const COMPANY_PREFIX: u128 = 9_012_345;

/// Builds GIAI-96 EPCs.
pub(super) struct Epcs {
    batch: u128,
    next: u128,
}

impl Epcs {
    /// A generator with a batch number drawn from `rng`.
    pub(super) fn new(rng: &mut Rng) -> Self {
        let batch = u128::from(rng.below(1 << 20));
        Self { batch, next: 1 }
    }

    /// The next EPC for an item of `kind`, 24 upper-case hex digits.
    pub(super) fn next(&mut self, kind: EntityKind) -> String {
        let code = u128::from(kind.code());
        let asset = (self.batch << 36) | (code << 28) | (self.next & 0x0FFF_FFFF);
        self.next += 1;
        let epc = (0x34u128 << 88) | (5u128 << 82) | (COMPANY_PREFIX << 58) | asset;
        format!("{epc:024X}")
    }

    /// Binds a new tag to an item during set-up; returns the binding id.
    pub(super) fn bind(&mut self, plan: &mut Plan, kind: EntityKind, id: Uuid) -> Uuid {
        let item = ItemRef { kind, id };
        let binding = TagBinding {
            id: Uuid::nil(),
            epc: self.next(kind),
            item,
        };
        plan.create(Record::TagBinding(binding))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn giai96_epcs() {
        let mut epcs = Epcs::new(&mut Rng::new(1));
        let (a, b) = (
            epcs.next(EntityKind::Firearm),
            epcs.next(EntityKind::Firearm),
        );
        assert_eq!(a.len(), 24);
        assert!(a.starts_with("34"));
        assert_ne!(a, b);
        let value = u128::from_str_radix(&a, 16).unwrap_or_default();
        assert_eq!((value >> 82) & 0x7, 5, "partition");
        assert_eq!((value >> 58) & 0xFF_FFFF, COMPANY_PREFIX);
    }
}
