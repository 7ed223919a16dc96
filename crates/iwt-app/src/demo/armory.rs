//! The firearms of the demo: seven reference models from Austrian, German, Swiss and US
//! makers, and 161 firearms with their frame serials and markings as applied
//! (manufacture, import, unit property), origin, weapon class, unit and rack.
use super::org::{DISTRICT, HQ, Org};
use super::people::{PISTOL, RIFLE, SHOTGUN, SMG, Team};
use super::plan::Plan;
use super::rng::Rng;
use iwt_domain::records::{Firearm, FirearmModel, Marking, Record};
use iwt_domain::vocab::{FirearmAction, FirearmType, MarkingKind, Origin};
use std::collections::HashSet;
use uuid::Uuid;

/// A reference model and how its firearms are marked.
pub(super) struct ModelSpec {
    make: &'static str,
    pub(super) manufacturer: &'static str,
    model: &'static str,
    firearm_type: FirearmType,
    action: FirearmAction,
    pub(super) calibre: &'static str,
    barrel_mm: u32,
    pub(super) country: &'static str,
    place: &'static str,
    class: &'static str,
    /// Manufacture mark as applied, before the serial.
    mark: &'static str,
    mark_at: &'static str,
    serial_prefix: &'static str,
    serial_digits: usize,
    first_year: i32,
}

/// Index of the Glock 17 in [`MODELS`].
pub(super) const GLOCK17: usize = 0;
/// Index of the Glock 19 in [`MODELS`].
pub(super) const GLOCK19: usize = 1;
/// Index of the Colt M4 in [`MODELS`].
pub(super) const M4: usize = 4;
/// Index of the SIG Sauer P226 in [`MODELS`].
pub(super) const P226: usize = 2;
/// Index of the SIG SG 553 in [`MODELS`].
pub(super) const SG553: usize = 5;
/// Index of the HK MP5 in [`MODELS`].
pub(super) const MP5: usize = 3;
/// Index of the Remington 870 in [`MODELS`].
pub(super) const R870: usize = 6;

const fn spec(
    (make, manufacturer, model): (&'static str, &'static str, &'static str),
    (firearm_type, action, calibre, barrel_mm): (FirearmType, FirearmAction, &'static str, u32),
    (country, place, class): (&'static str, &'static str, &'static str),
    (mark, mark_at, serial_prefix, serial_digits, first_year): (
        &'static str,
        &'static str,
        &'static str,
        usize,
        i32,
    ),
) -> ModelSpec {
    ModelSpec {
        make,
        manufacturer,
        model,
        firearm_type,
        action,
        calibre,
        barrel_mm,
        country,
        place,
        class,
        mark,
        mark_at,
        serial_prefix,
        serial_digits,
        first_year,
    }
}

/// The reference models.
pub(super) const MODELS: [ModelSpec; 7] = [
    spec(
        ("Glock", "Glock Ges.m.b.H.", "17 Gen5"),
        (
            FirearmType::Pistol,
            FirearmAction::SemiAutomatic,
            "9x19mm",
            114,
        ),
        ("AT", "Deutsch-Wagram", PISTOL),
        (
            "GLOCK 17 AUSTRIA 9x19",
            "right side of slide; serial plate on frame",
            "BRK",
            3,
            2017,
        ),
    ),
    spec(
        ("Glock", "Glock Ges.m.b.H.", "19 Gen5"),
        (
            FirearmType::Pistol,
            FirearmAction::SemiAutomatic,
            "9x19mm",
            102,
        ),
        ("AT", "Deutsch-Wagram", PISTOL),
        (
            "GLOCK 19 AUSTRIA 9x19",
            "right side of slide; serial plate on frame",
            "CAS",
            3,
            2018,
        ),
    ),
    spec(
        ("SIG Sauer", "SIG Sauer GmbH & Co. KG", "P226"),
        (
            FirearmType::Pistol,
            FirearmAction::SemiAutomatic,
            "9x19mm",
            112,
        ),
        ("DE", "Eckernförde", PISTOL),
        (
            "SIG SAUER P226 MADE IN GERMANY",
            "left side of frame",
            "U",
            6,
            2009,
        ),
    ),
    spec(
        ("Heckler & Koch", "Heckler & Koch GmbH", "MP5A3"),
        (
            FirearmType::SubmachineGun,
            FirearmAction::SelectiveFire,
            "9x19mm",
            225,
        ),
        ("DE", "Oberndorf am Neckar", SMG),
        (
            "HECKLER & KOCH GMBH OBERNDORF/N. MP5 Kal. 9mmx19",
            "left side of receiver",
            "64-",
            6,
            2010,
        ),
    ),
    spec(
        ("Colt", "Colt's Manufacturing Company LLC", "M4 Carbine"),
        (
            FirearmType::Carbine,
            FirearmAction::SelectiveFire,
            "5.56x45mm NATO",
            368,
        ),
        ("US", "West Hartford, CT", RIFLE),
        (
            "COLT M4 CARBINE CAL 5.56 MM",
            "left side of lower receiver",
            "A5",
            6,
            2012,
        ),
    ),
    spec(
        ("SIG Sauer", "Swiss Arms AG", "SG 553"),
        (
            FirearmType::Carbine,
            FirearmAction::SelectiveFire,
            "5.56x45mm NATO",
            226,
        ),
        ("CH", "Neuhausen am Rheinfall", RIFLE),
        (
            "SIG SG 553 SWISS ARMS",
            "left side of receiver",
            "SA",
            6,
            2014,
        ),
    ),
    spec(
        (
            "Remington",
            "Remington Arms Company LLC",
            "870 Police Magnum",
        ),
        (
            FirearmType::Shotgun,
            FirearmAction::PumpAction,
            "12 gauge",
            470,
        ),
        ("US", "Ilion, NY", SHOTGUN),
        (
            "REMINGTON ARMS CO. INC. MODEL 870 POLICE MAGNUM 12 GA",
            "left side of receiver",
            "RS",
            7,
            2011,
        ),
    ),
];

/// Who holds how many of which model where: model, site, count, team, rack index.
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

/// The firearms, and one firearm record whose serial was mistyped at registration
/// (created with the typo; this is the corrected record).
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

/// Swaps the last two digits (a typical transposition when copying from paper).
fn transposed(serial: &str) -> String {
    let mut chars: Vec<char> = serial.chars().collect();
    let n = chars.len();
    if n >= 2 {
        chars.swap(n - 1, n - 2);
        if chars[n - 1] == chars[n - 2] {
            chars[n - 1] = if chars[n - 1] == '9' {
                '0'
            } else {
                char::from(chars[n - 1] as u8 + 1)
            };
        }
    }
    chars.into_iter().collect()
}

/// Creates the reference models and the firearms.
pub(super) fn build(plan: &mut Plan, rng: &mut Rng, org: &Org, this_year: i32) -> Armory {
    let model_ids: Vec<Uuid> = MODELS
        .iter()
        .map(|m| {
            plan.create(Record::FirearmModel(FirearmModel {
                id: Uuid::nil(),
                make: m.make.into(),
                manufacturer: m.manufacturer.into(),
                model: m.model.into(),
                firearm_type: m.firearm_type,
                action: m.action,
                calibres: vec![m.calibre.into()],
                barrel_length_mm: Some(m.barrel_mm),
                country_of_manufacture: Some(m.country.into()),
                ifrt_ref: None,
            }))
        })
        .collect();
    let mut used = HashSet::new();
    let (mut guns, mut typo_fix) = (Vec::new(), None);
    for (model, site, count, team, rack) in FLEET {
        let m = &MODELS[model];
        for n in 0..count {
            let serial = loop {
                let s = format!("{}{}", m.serial_prefix, rng.digits(m.serial_digits));
                if used.insert(s.clone()) && used.insert(transposed(&s)) {
                    break s;
                }
            };
            let year = rng.range(i64::from(m.first_year), i64::from(this_year - 1)) as i32;
            let domestic = m.country == "AT";
            let origin = match (domestic, model, site) {
                (true, _, _) => Origin::Manufactured,
                (false, P226, _) if n < 3 => Origin::TransferredIn,
                (false, M4, DISTRICT) => Origin::StateStock,
                _ => Origin::Imported,
            };
            let mut made = marking(
                MarkingKind::Manufacture,
                format!("{} {serial}", m.mark),
                m.mark_at,
            );
            made.manufacturer = Some(m.manufacturer.into());
            made.country = Some(m.country.into());
            made.place = Some(m.place.into());
            made.year = Some(year);
            let mut markings = vec![made];
            if !domestic {
                let imported = (year + rng.range(0, 1) as i32).min(this_year - 1);
                let mut imp = marking(
                    MarkingKind::Import,
                    format!("AT {} AAI", imported % 100),
                    "right side of frame, forward of the trigger guard",
                );
                imp.country = Some("AT".into());
                imp.year = Some(imported);
                imp.importer = Some(IMPORTER.into());
                markings.push(imp);
            }
            let property = match team {
                Team::Tactical => Some(format!("LPD TRU {:03}", guns.len() + 1)),
                Team::District => Some(format!("PI NORD {:03}", guns.len() + 1)),
                Team::Patrol => None,
            };
            if let Some(text) = property {
                markings.push(marking(
                    MarkingKind::UnitProperty,
                    text,
                    "left side of frame",
                ));
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
                entered.serial_number = wrong.clone();
                entered.markings[0].text = format!("{} {wrong}", m.mark);
                firearm.notes = Some("Serial verified against the frame marking".into());
                typo_fix = Some(firearm.clone());
                firearm = entered;
            }
            let id = plan.create(Record::Firearm(firearm));
            guns.push(Gun {
                id,
                model,
                site,
                class: m.class,
                rack: org.sites[site].racks[rack],
            });
        }
    }
    Armory { guns, typo_fix }
}
