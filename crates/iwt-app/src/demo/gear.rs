//! Spare essential parts (two fitted at registration), equipment (bulk magazines,
//! handcuffs and batons; serialized body armour, radios and TASERs), ammunition lots,
//! and RFID tags on the serialized equipment and on most firearms.
use super::ammo::{self, Lots};
use super::armory::Gun;
use super::models::{GLOCK17, M4};
use super::org::{DISTRICT, HQ, Org};
use super::plan::Plan;
use super::rng::Rng;
use super::tags::Epcs;
use iwt_domain::records::{Equipment, ItemRef, Marking, Part, Record};
use iwt_domain::vocab::{EquipmentCategory as C, MarkingKind, PartType as P};
use iwt_domain::{EntityKind, EventBody};
use std::collections::HashSet;
use uuid::Uuid;

/// An equipment item handed out in the history.
pub(super) struct Kit {
    /// Equipment id.
    pub(super) id: Uuid,
    /// Site index.
    pub(super) site: usize,
}

/// What the history needs from this part of the demo.
pub(super) struct Gear {
    /// TASERs.
    pub(super) tasers: Vec<Kit>,
    /// Body armour.
    pub(super) vests: Vec<Kit>,
    /// A spare Glock 17 barrel at the workshop.
    pub(super) spare_barrel: Option<Uuid>,
    /// Ammunition lots.
    pub(super) lots: Lots,
    /// A tag to replace: binding, item, new EPC.
    pub(super) retag: Option<(Uuid, ItemRef, String)>,
}

/// Spare parts: type, serial prefix, count, manufacturer, country, mark, where.
#[rustfmt::skip]
const PARTS: [(P, &str, usize, &str, &str, &str, &str); 5] = [
    (P::Barrel, "GB", 3, "Glock Ges.m.b.H.", "AT", "GLOCK AUSTRIA 9x19", "barrel hood"),
    (P::Slide, "GS", 2, "Glock Ges.m.b.H.", "AT", "GLOCK 17 AUSTRIA", "right side of slide"),
    (P::Barrel, "CB", 2, "Colt's Manufacturing Company LLC", "US", "COLT 5.56 NATO 1/7 MP", "barrel, under the handguard"),
    (P::Bolt, "HB", 1, "Heckler & Koch GmbH", "DE", "HK MP5", "bolt carrier"),
    (P::Barrel, "RB", 1, "Remington Arms Company LLC", "US", "REMINGTON 870 12GA 3in", "left side of barrel"),
];

/// Bulk equipment: category, description, calibre, quantity, site.
#[rustfmt::skip]
const BULK: [(C, &str, Option<&str>, u32, usize); 8] = [
    (C::Magazine, "Glock 17 magazine, 17 rounds", Some("9x19mm"), 240, HQ),
    (C::Magazine, "MP5 magazine, 30 rounds", Some("9x19mm"), 48, HQ),
    (C::Magazine, "STANAG magazine, 30 rounds", Some("5.56x45mm NATO"), 80, HQ),
    (C::Handcuffs, "Hinged handcuffs", None, 60, HQ),
    (C::Baton, "Expandable baton, 21 in", None, 50, HQ),
    (C::Magazine, "Glock 17 magazine, 17 rounds", Some("9x19mm"), 90, DISTRICT),
    (C::Magazine, "STANAG magazine, 30 rounds", Some("5.56x45mm NATO"), 16, DISTRICT),
    (C::Handcuffs, "Hinged handcuffs", None, 25, DISTRICT),
];

/// Serialized equipment: category, description, serial prefix, digits, count per site.
#[rustfmt::skip]
const SERIALIZED: [(C, &str, &str, usize, [usize; 2]); 3] = [
    (C::BodyArmour, "Ballistic vest, protection class SK1", "BA24-", 5, [24, 10]),
    (C::Radio, "Motorola MTP6650 TETRA handheld radio", "1EK", 7, [12, 6]),
    (C::Taser, "Axon TASER 7 conducted energy weapon", "X7", 7, [8, 4]),
];

/// Draws serials until one is new.
struct Serials(HashSet<String>);

impl Serials {
    fn next(&mut self, rng: &mut Rng, prefix: &str, digits: usize) -> String {
        loop {
            let s = format!("{prefix}{}", rng.digits(digits));
            if self.0.insert(s.clone()) {
                return s;
            }
        }
    }
}

/// Creates the spare parts at the workshop; returns (serial prefix, id) of each.
fn parts(
    plan: &mut Plan,
    rng: &mut Rng,
    serials: &mut Serials,
    org: &Org,
) -> Vec<(&'static str, Uuid)> {
    let mut out = Vec::new();
    for (part_type, prefix, count, manufacturer, country, mark, at) in PARTS {
        for _ in 0..count {
            let serial = serials.next(rng, prefix, 6);
            let marking = Marking {
                kind: MarkingKind::Manufacture,
                text: format!("{mark} {serial}"),
                location_on_item: at.into(),
                manufacturer: Some(manufacturer.into()),
                country: Some(country.into()),
                place: None,
                year: Some(rng.range(2019, 2023) as i32),
                importer: None,
                method: Some("laser engraving".into()),
            };
            let part = Part {
                id: Uuid::nil(),
                part_type,
                serial_number: serial,
                manufacturer: manufacturer.into(),
                markings: vec![marking],
                location_id: Some(org.workshop),
            };
            out.push((prefix, plan.create(Record::Part(part))));
        }
    }
    out
}

/// Creates parts (fitting two), equipment, lots with their first receipts, and tags.
pub(super) fn build(plan: &mut Plan, rng: &mut Rng, org: &Org, guns: &[Gun]) -> Gear {
    let mut serials = Serials(HashSet::new());
    let parts = parts(plan, rng, &mut serials, org);
    let part = |prefix: &str| parts.iter().find(|p| p.0 == prefix).map(|p| p.1);
    let first = |model: usize| guns.iter().find(|g| g.model == model && g.site == HQ);
    for (prefix, model) in [("GS", GLOCK17), ("CB", M4)] {
        if let (Some(part_id), Some(gun)) = (part(prefix), first(model)) {
            plan.event(EventBody::PartFitted {
                part_id,
                firearm_id: gun.id,
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
                    C::BodyArmour => {
                        format!("{description}, size {}", ["M", "L", "XL", "L"][n % 4])
                    }
                    _ => description.to_owned(),
                };
                let id = plan.create(Record::Equipment(Equipment {
                    id: Uuid::nil(),
                    category,
                    description,
                    serial_number: Some(serials.next(rng, prefix, digits)),
                    calibre: None,
                    quantity: 1,
                    location_id: org.sites[site].equipment,
                }));
                epcs.bind(plan, EntityKind::Equipment, id);
                match category {
                    C::Taser => tasers.push(Kit { id, site }),
                    C::BodyArmour => vests.push(Kit { id, site }),
                    _ => {}
                }
            }
        }
    }
    let mut retag = None;
    for (i, gun) in guns.iter().enumerate() {
        if i % 12 == 11 {
            continue; // recently received, not tagged yet
        }
        let binding = epcs.bind(plan, EntityKind::Firearm, gun.id);
        if i == 20 {
            let item = ItemRef {
                kind: EntityKind::Firearm,
                id: gun.id,
            };
            retag = Some((binding, item, epcs.next(EntityKind::Firearm)));
        }
    }
    let lots = ammo::create(plan, org);
    Gear {
        tasers,
        vests,
        spare_barrel: part("GB"),
        lots,
        retag,
    }
}
