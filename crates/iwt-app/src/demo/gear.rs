//! Spare essential parts, equipment, ammunition lots with their stock, and RFID tags.
//! Tags carry GIAI-96 EPCs: header 0x34, filter 0, partition 5 (a 7-digit company
//! prefix in 24 bits) and a 58-bit asset reference made of a seed-derived batch number,
//! the item kind and a running number, so every EPC is unique and reproducible.
use super::armory::{GLOCK17, Gun, M4};
use super::org::{DISTRICT, HQ, Org};
use super::plan::Plan;
use super::rng::Rng;
use iwt_domain::records::{AmmoLot, Equipment, ItemRef, Marking, Part, Record, TagBinding};
use iwt_domain::vocab::{
    AmmoMovement, AmmoType, EquipmentCategory, LotStatus, MarkingKind, PartType,
};
use iwt_domain::{EntityKind, EventBody};
use std::collections::HashSet;
use uuid::Uuid;

/// GS1 company prefix used in the demo EPCs (7 digits, fits partition 5).
const COMPANY_PREFIX: u128 = 9_012_345;

/// Builds GIAI-96 EPCs.
pub(super) struct Epcs {
    batch: u128,
    next: u128,
}

impl Epcs {
    fn new(rng: &mut Rng) -> Self {
        Self {
            batch: u128::from(rng.below(1 << 20)),
            next: 1,
        }
    }

    /// The next EPC for an item of `kind` (1 firearm, 2 equipment), 24 hex digits.
    pub(super) fn next(&mut self, kind: u128) -> String {
        let asset = (self.batch << 36) | ((kind & 0xFF) << 28) | (self.next & 0x0FFF_FFFF);
        self.next += 1;
        let epc = (0x34u128 << 88) | (5u128 << 82) | (COMPANY_PREFIX << 58) | asset;
        format!("{epc:024X}")
    }
}

/// An equipment item handed out in the history.
pub(super) struct Kit {
    /// Equipment id.
    pub(super) id: Uuid,
    /// Site index.
    pub(super) site: usize,
}

/// What the history needs from this part of the demo.
pub(super) struct Gear {
    /// Tasers (serialized).
    pub(super) tasers: Vec<Kit>,
    /// Body armour (serialized).
    pub(super) vests: Vec<Kit>,
    /// A spare Glock 17 barrel at the workshop.
    pub(super) spare_barrel: Option<Uuid>,
    /// Lot ids, in the order of the lots table.
    pub(super) lots: Vec<Uuid>,
    /// The lot later suspended, as corrected.
    pub(super) suspended: Option<AmmoLot>,
    /// A tag to replace: binding, item, new EPC.
    pub(super) retag: Option<(Uuid, ItemRef, String)>,
}

/// Index of 9 mm ball, 9 mm hollow point and the lot suspended later in [`Gear::lots`].
pub(super) const BALL_9: usize = 0;
/// See [`BALL_9`].
pub(super) const HOLLOW_9: usize = 1;
/// See [`BALL_9`].
pub(super) const SUSPECT_9: usize = 2;

type LotSpec = (
    &'static str,
    &'static str,
    &'static str,
    AmmoType,
    i32,
    &'static str,
    Option<&'static str>,
    LotStatus,
    [i64; 2],
);

const MEN: &str = "MEN Metallwerk Elisenhütte GmbH";
const FEDERAL: &str = "Federal Cartridge Company";
const LOTS: [LotSpec; 7] = [
    (
        MEN,
        "MEN-22-0417",
        "9x19mm",
        AmmoType::Ball,
        2022,
        "DE",
        Some("MEN 22 9x19"),
        LotStatus::Serviceable,
        [24_000, 6_000],
    ),
    (
        "RUAG Ammotec GmbH",
        "RA4-2231-08",
        "9x19mm",
        AmmoType::HollowPoint,
        2023,
        "DE",
        Some("RUAG 9mm LUGER"),
        LotStatus::Serviceable,
        [6_000, 2_000],
    ),
    (
        "Sellier & Bellot a.s.",
        "SB-21-0513",
        "9x19mm",
        AmmoType::Ball,
        2021,
        "CZ",
        Some("S&B 9mm LUGER"),
        LotStatus::Serviceable,
        [8_000, 0],
    ),
    (
        FEDERAL,
        "FED-23A117",
        "5.56x45mm NATO",
        AmmoType::Ball,
        2023,
        "US",
        Some("FC 23"),
        LotStatus::Serviceable,
        [10_000, 1_000],
    ),
    (
        MEN,
        "MEN-19-0912",
        "5.56x45mm NATO",
        AmmoType::Training,
        2019,
        "DE",
        Some("MEN 19"),
        LotStatus::Restricted,
        [3_000, 0],
    ),
    (
        "RUAG Ammotec GmbH (RWS)",
        "RWS-SL-2204",
        "12 gauge",
        AmmoType::Slug,
        2022,
        "DE",
        None,
        LotStatus::Serviceable,
        [500, 200],
    ),
    (
        FEDERAL,
        "FED-12-00B-2305",
        "12 gauge",
        AmmoType::Shot,
        2023,
        "US",
        None,
        LotStatus::Serviceable,
        [500, 200],
    ),
];

/// Spare parts: type, serial prefix, count, manufacturer, country, mark, where.
const PARTS: [(PartType, &str, usize, &str, &str, &str, &str); 5] = [
    (
        PartType::Barrel,
        "GB",
        3,
        "Glock Ges.m.b.H.",
        "AT",
        "GLOCK AUSTRIA 9x19",
        "barrel hood",
    ),
    (
        PartType::Slide,
        "GS",
        2,
        "Glock Ges.m.b.H.",
        "AT",
        "GLOCK 17 AUSTRIA",
        "right side of slide",
    ),
    (
        PartType::Barrel,
        "CB",
        2,
        "Colt's Manufacturing Company LLC",
        "US",
        "COLT 5.56 NATO 1/7 MP",
        "barrel, under the handguard",
    ),
    (
        PartType::Bolt,
        "HB",
        1,
        "Heckler & Koch GmbH",
        "DE",
        "HK MP5",
        "bolt carrier",
    ),
    (
        PartType::Barrel,
        "RB",
        1,
        "Remington Arms Company LLC",
        "US",
        "REMINGTON 870 12GA 3in",
        "left side of barrel",
    ),
];

/// Bulk equipment: category, description, calibre, quantity, site.
const BULK: [(EquipmentCategory, &str, Option<&str>, u32, usize); 8] = [
    (
        EquipmentCategory::Magazine,
        "Glock 17 magazine, 17 rounds",
        Some("9x19mm"),
        240,
        HQ,
    ),
    (
        EquipmentCategory::Magazine,
        "MP5 magazine, 30 rounds",
        Some("9x19mm"),
        48,
        HQ,
    ),
    (
        EquipmentCategory::Magazine,
        "STANAG magazine, 30 rounds",
        Some("5.56x45mm NATO"),
        80,
        HQ,
    ),
    (
        EquipmentCategory::Handcuffs,
        "Hinged handcuffs",
        None,
        60,
        HQ,
    ),
    (
        EquipmentCategory::Baton,
        "Expandable baton, 21 in",
        None,
        50,
        HQ,
    ),
    (
        EquipmentCategory::Magazine,
        "Glock 17 magazine, 17 rounds",
        Some("9x19mm"),
        90,
        DISTRICT,
    ),
    (
        EquipmentCategory::Magazine,
        "STANAG magazine, 30 rounds",
        Some("5.56x45mm NATO"),
        16,
        DISTRICT,
    ),
    (
        EquipmentCategory::Handcuffs,
        "Hinged handcuffs",
        None,
        25,
        DISTRICT,
    ),
];

/// Serialized equipment: category, description, serial prefix, digits, counts per site.
const SERIALIZED: [(EquipmentCategory, &str, &str, usize, [usize; 2]); 3] = [
    (
        EquipmentCategory::BodyArmour,
        "Ballistic vest, protection class SK1",
        "BA24-",
        5,
        [24, 10],
    ),
    (
        EquipmentCategory::Radio,
        "Motorola MTP6650 TETRA handheld radio",
        "1EK",
        7,
        [12, 6],
    ),
    (
        EquipmentCategory::Taser,
        "Axon TASER 7 conducted energy weapon",
        "X7",
        7,
        [8, 4],
    ),
];

fn tag(plan: &mut Plan, epcs: &mut Epcs, kind: EntityKind, id: Uuid) -> (Uuid, ItemRef) {
    let item = ItemRef { kind, id };
    let code = if kind == EntityKind::Firearm { 1 } else { 2 };
    let binding = TagBinding {
        id: Uuid::nil(),
        epc: epcs.next(code),
        item,
    };
    (plan.create(Record::TagBinding(binding)), item)
}

/// Creates parts (fitting two), equipment, lots with their first receipts, and tags.
pub(super) fn build(plan: &mut Plan, rng: &mut Rng, org: &Org, guns: &[Gun]) -> Gear {
    let mut serials = HashSet::new();
    let mut serial = |rng: &mut Rng, prefix: &str, digits: usize| loop {
        let s = format!("{prefix}{}", rng.digits(digits));
        if serials.insert(s.clone()) {
            break s;
        }
    };
    let mut parts: Vec<(PartType, &str, Uuid)> = Vec::new();
    for (part_type, prefix, count, manufacturer, country, mark, at) in PARTS {
        for _ in 0..count {
            let s = serial(rng, prefix, 6);
            let year = rng.range(2019, 2023) as i32;
            let marking = Marking {
                kind: MarkingKind::Manufacture,
                text: format!("{mark} {s}"),
                location_on_item: at.into(),
                manufacturer: Some(manufacturer.into()),
                country: Some(country.into()),
                place: None,
                year: Some(year),
                importer: None,
                method: Some("laser engraving".into()),
            };
            let part = Part {
                id: Uuid::nil(),
                part_type,
                serial_number: s,
                manufacturer: manufacturer.into(),
                markings: vec![marking],
                location_id: Some(org.workshop),
            };
            parts.push((part_type, prefix, plan.create(Record::Part(part))));
        }
    }
    let first = |model: usize| {
        guns.iter()
            .find(|g| g.model == model && g.site == HQ)
            .map(|g| g.id)
    };
    let part_of =
        |prefix: &str, nth: usize| parts.iter().filter(|p| p.1 == prefix).nth(nth).map(|p| p.2);
    for (prefix, model) in [("GS", GLOCK17), ("CB", M4)] {
        if let (Some(part_id), Some(firearm_id)) = (part_of(prefix, 0), first(model)) {
            plan.event(EventBody::PartFitted {
                part_id,
                firearm_id,
            });
        }
    }

    for (category, description, calibre, quantity, site) in BULK {
        plan.create(Record::Equipment(Equipment {
            id: Uuid::nil(),
            category,
            description: description.into(),
            serial_number: None,
            calibre: calibre.map(Into::into),
            quantity,
            location_id: org.sites[site].equipment,
        }));
    }
    let mut epcs = Epcs::new(rng);
    let (mut tasers, mut vests) = (Vec::new(), Vec::new());
    for (category, description, prefix, digits, counts) in SERIALIZED {
        for (site, count) in counts.into_iter().enumerate() {
            for n in 0..count {
                let description = match category {
                    EquipmentCategory::BodyArmour => {
                        format!("{description}, size {}", ["M", "L", "XL", "L"][n % 4])
                    }
                    _ => description.to_owned(),
                };
                let id = plan.create(Record::Equipment(Equipment {
                    id: Uuid::nil(),
                    category,
                    description,
                    serial_number: Some(serial(rng, prefix, digits)),
                    calibre: None,
                    quantity: 1,
                    location_id: org.sites[site].equipment,
                }));
                tag(plan, &mut epcs, EntityKind::Equipment, id);
                match category {
                    EquipmentCategory::Taser => tasers.push(Kit { id, site }),
                    EquipmentCategory::BodyArmour => vests.push(Kit { id, site }),
                    _ => {}
                }
            }
        }
    }

    let mut retag = None;
    for (i, gun) in guns.iter().enumerate() {
        if i % 12 == 11 {
            continue; // recently received, not yet tagged
        }
        let (binding, item) = tag(plan, &mut epcs, EntityKind::Firearm, gun.id);
        if i == 20 {
            retag = Some((binding, item, epcs.next(1)));
        }
    }

    let (mut lots, mut suspended) = (Vec::new(), None);
    for (
        i,
        (manufacturer, lot_number, calibre, ammo_type, year, country, headstamp, status, stock),
    ) in LOTS.into_iter().enumerate()
    {
        let lot = AmmoLot {
            id: Uuid::now_v7(),
            manufacturer: manufacturer.into(),
            lot_number: lot_number.into(),
            calibre: calibre.into(),
            ammo_type,
            year_of_manufacture: year,
            country_of_manufacture: Some(country.into()),
            headstamp: headstamp.map(Into::into),
            status,
        };
        if i == SUSPECT_9 {
            suspended = Some(AmmoLot {
                status: LotStatus::Suspended,
                ..lot.clone()
            });
        }
        let lot_id = plan.create(Record::AmmoLot(lot));
        for (site, delta) in stock.into_iter().enumerate().filter(|(_, q)| *q > 0) {
            plan.event(EventBody::AmmoStockChanged {
                lot_id,
                location_id: org.sites[site].ammo,
                delta,
                movement: AmmoMovement::Receipt,
                person_id: None,
            });
        }
        lots.push(lot_id);
    }
    Gear {
        tasers,
        vests,
        spare_barrel: part_of("GB", 0),
        lots,
        suspended,
        retag,
    }
}
