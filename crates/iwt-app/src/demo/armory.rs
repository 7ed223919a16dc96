//! The firearms of the demo: 161 firearms of the reference models in `models.rs`, with
//! frame serials and markings as applied (manufacture, import, unit property), origin,
//! weapon class, owning unit and rack. One serial is mistyped at registration and
//! corrected later in the history.
use super::models::{GLOCK17, GLOCK19, M4, MODELS, MP5, P226, R870, SG553};
use super::org::{DISTRICT, HQ, Org};
use super::people::Team;
use super::plan::Plan;
use super::rng::Rng;
use iwt_domain::records::{Firearm, Marking, Record};
use iwt_domain::vocab::{MarkingKind, Origin};
use std::collections::HashSet;
use uuid::Uuid;

/// Who holds how many of which model where: model, site, count, team, rack index.
#[rustfmt::skip]
const FLEET: [(usize, usize, usize, Team, usize); 13] = [
    (GLOCK17, HQ, 28, Team::Patrol, 0),
    (GLOCK17, HQ, 27, Team::Patrol, 1),
    (GLOCK19, HQ, 20, Team::Tactical, 2),
    (P226, HQ, 15, Team::Patrol, 2),
    (MP5, HQ, 12, Team::Tactical, 3),
    (M4, HQ, 6, Team::Tactical, 4),
    (M4, HQ, 4, Team::Patrol, 4),
    (SG553, HQ, 6, Team::Tactical, 4),
    (R870, HQ, 9, Team::Patrol, 5),
    (GLOCK17, DISTRICT, 13, Team::District, 0),
    (GLOCK17, DISTRICT, 12, Team::District, 1),
    (R870, DISTRICT, 5, Team::District, 2),
    (M4, DISTRICT, 4, Team::District, 2),
];

const IMPORTER: &str = "Austro Arms Import GmbH";
const IMPORT_MARK_AT: &str = "right side of frame, forward of the trigger guard";

/// A registered firearm, as the rest of the demo needs it.
pub(super) struct Gun {
    /// Firearm id.
    pub(super) id: Uuid,
    /// Index into [`MODELS`].
    pub(super) model: usize,
    /// Site index.
    pub(super) site: usize,
    /// Weapon class.
    pub(super) class: &'static str,
    /// Its rack.
    pub(super) rack: Uuid,
}

/// The firearms, and the corrected record of the one mistyped at registration.
pub(super) struct Armory {
    /// Every firearm, in fleet order.
    pub(super) guns: Vec<Gun>,
    /// The corrected record of the mistyped firearm.
    pub(super) typo_fix: Option<Firearm>,
}

fn marking(kind: MarkingKind, text: String, at: &str) -> Marking {
    Marking {
        kind,
        text,
        location_on_item: at.into(),
        manufacturer: None,
        country: None,
        place: None,
        year: None,
        importer: None,
        method: Some("laser engraving".into()),
    }
}

/// Swaps the last two characters (a typical transposition when copying from paper),
/// changing the last one if both are equal.
fn transposed(serial: &str) -> String {
    let mut chars: Vec<char> = serial.chars().collect();
    if let [.., a, b] = chars.as_mut_slice() {
        std::mem::swap(a, b);
        if a == b {
            *b = if *b == '9' {
                '0'
            } else {
                char::from(*b as u8 + 1)
            };
        }
    }
    chars.into_iter().collect()
}

/// The markings of a firearm as applied.
fn markings(rng: &mut Rng, model: usize, serial: &str, year: i32, this_year: i32) -> Vec<Marking> {
    let m = &MODELS[model];
    let mut made = marking(
        MarkingKind::Manufacture,
        format!("{} {serial}", m.mark),
        m.mark_at,
    );
    made.manufacturer = Some(m.manufacturer.into());
    made.country = Some(m.country.into());
    made.place = Some(m.place.into());
    made.year = Some(year);
    let mut out = vec![made];
    if m.country != "AT" {
        let imported = (year + rng.range(0, 1) as i32).min(this_year - 1);
        let text = format!("AT {:02} AAI", imported % 100);
        let mut imp = marking(MarkingKind::Import, text, IMPORT_MARK_AT);
        imp.country = Some("AT".into());
        imp.year = Some(imported);
        imp.importer = Some(IMPORTER.into());
        out.push(imp);
    }
    out
}

/// Creates the reference models and the firearms.
pub(super) fn build(plan: &mut Plan, rng: &mut Rng, org: &Org, this_year: i32) -> Armory {
    let model_ids = super::models::create(plan);
    let mut used = HashSet::new();
    let (mut guns, mut typo_fix) = (Vec::new(), None);
    for (model, site, count, team, rack) in FLEET {
        let m = &MODELS[model];
        for n in 0..count {
            // Reserve the transposed serial too, so that the typo below is unique.
            let serial = loop {
                let s = format!("{}{}", m.serial.0, rng.digits(m.serial.1));
                if used.insert(s.clone()) && used.insert(transposed(&s)) {
                    break s;
                }
            };
            let year = rng.range(i64::from(m.first_year), i64::from(this_year - 1)) as i32;
            let origin = match (m.country, model, site) {
                ("AT", _, _) => Origin::Manufactured,
                (_, P226, _) if n < 3 => Origin::TransferredIn,
                (_, M4, DISTRICT) => Origin::StateStock,
                _ => Origin::Imported,
            };
            let mut markings = markings(rng, model, &serial, year, this_year);
            let property = match team {
                Team::Tactical => Some(format!("LPD TRU {:03}", guns.len() + 1)),
                Team::District => Some(format!("PI NORD {:03}", guns.len() + 1)),
                Team::Patrol => None,
            };
            if let Some(text) = property {
                let mark = marking(MarkingKind::UnitProperty, text, "left side of frame");
                markings.push(mark);
            }
            let notes = match model {
                GLOCK19 => Some("Night sights and weapon-light rail".to_owned()),
                MP5 => Some("Three-point sling, weapon light".to_owned()),
                _ => None,
            };
            let mut firearm = Firearm {
                id: Uuid::now_v7(),
                model_id: model_ids[model],
                serial_number: serial.clone(),
                manufacturer: m.manufacturer.into(),
                country_of_manufacture: m.country.into(),
                year_of_manufacture: Some(year),
                origin,
                weapon_class: m.class.into(),
                markings,
                unit_id: Some(org.units[team as usize]),
                location_id: org.sites[site].racks[rack],
                notes,
            };
            if model == GLOCK17 && site == HQ && n == 4 {
                let wrong = transposed(&serial);
                let mut entered = firearm.clone();
                entered.markings[0].text = format!("{} {wrong}", m.mark);
                entered.serial_number = wrong;
                firearm.notes = Some("Serial verified against the frame marking".into());
                typo_fix = Some(std::mem::replace(&mut firearm, entered));
            }
            let id = plan.create(Record::Firearm(firearm));
            let rack = org.sites[site].racks[rack];
            guns.push(Gun {
                id,
                model,
                site,
                class: m.class,
                rack,
            });
        }
    }
    Armory { guns, typo_fix }
}
