//! The firearm reference models of the demo (Austrian, German, Swiss and US makers) and
//! how their firearms are marked and numbered.
use super::people::{PISTOL, RIFLE, SHOTGUN, SMG};
use iwt_domain::records::{FirearmModel, Record};
use iwt_domain::vocab::{FirearmAction as A, FirearmType as T};
use uuid::Uuid;

/// A reference model and how its firearms are marked.
pub(super) struct ModelSpec {
    pub(super) make: &'static str,
    pub(super) manufacturer: &'static str,
    pub(super) model: &'static str,
    pub(super) firearm_type: T,
    pub(super) action: A,
    pub(super) calibre: &'static str,
    pub(super) barrel_mm: u32,
    /// ISO 3166 country of manufacture.
    pub(super) country: &'static str,
    /// Place of manufacture.
    pub(super) place: &'static str,
    /// Weapon class for qualifications.
    pub(super) class: &'static str,
    /// Manufacture mark as applied, before the serial.
    pub(super) mark: &'static str,
    /// Where the manufacture mark is.
    pub(super) mark_at: &'static str,
    /// Serial numbers: prefix and number of random digits.
    pub(super) serial: (&'static str, usize),
    /// Earliest year of manufacture in the fleet.
    pub(super) first_year: i32,
}

/// Index of the Glock 17 in [`MODELS`].
pub(super) const GLOCK17: usize = 0;
/// Index of the Glock 19 in [`MODELS`].
pub(super) const GLOCK19: usize = 1;
/// Index of the SIG Sauer P226 in [`MODELS`].
pub(super) const P226: usize = 2;
/// Index of the HK MP5 in [`MODELS`].
pub(super) const MP5: usize = 3;
/// Index of the Colt M4 in [`MODELS`].
pub(super) const M4: usize = 4;
/// Index of the SIG SG 553 in [`MODELS`].
pub(super) const SG553: usize = 5;
/// Index of the Remington 870 in [`MODELS`].
pub(super) const R870: usize = 6;

type Names = (&'static str, &'static str, &'static str);
type Kind = (T, A, &'static str, u32);
type Origin = (&'static str, &'static str, &'static str);
type Marks = (&'static str, &'static str, &'static str, usize, i32);

const fn spec(names: Names, kind: Kind, origin: Origin, marks: Marks) -> ModelSpec {
    ModelSpec {
        make: names.0,
        manufacturer: names.1,
        model: names.2,
        firearm_type: kind.0,
        action: kind.1,
        calibre: kind.2,
        barrel_mm: kind.3,
        country: origin.0,
        place: origin.1,
        class: origin.2,
        mark: marks.0,
        mark_at: marks.1,
        serial: (marks.2, marks.3),
        first_year: marks.4,
    }
}

const GLOCK: &str = "Glock Ges.m.b.H.";
const GLOCK_MARK_AT: &str = "right side of slide; serial plate on frame";
const NATO: &str = "5.56x45mm NATO";

/// The reference models.
#[rustfmt::skip]
pub(super) const MODELS: [ModelSpec; 7] = [
    spec(("Glock", GLOCK, "17 Gen5"), (T::Pistol, A::SemiAutomatic, "9x19mm", 114),
        ("AT", "Deutsch-Wagram", PISTOL), ("GLOCK 17 AUSTRIA 9x19", GLOCK_MARK_AT, "BRK", 3, 2017)),
    spec(("Glock", GLOCK, "19 Gen5"), (T::Pistol, A::SemiAutomatic, "9x19mm", 102),
        ("AT", "Deutsch-Wagram", PISTOL), ("GLOCK 19 AUSTRIA 9x19", GLOCK_MARK_AT, "CAS", 3, 2018)),
    spec(("SIG Sauer", "SIG Sauer GmbH & Co. KG", "P226"), (T::Pistol, A::SemiAutomatic, "9x19mm", 112),
        ("DE", "Eckernförde", PISTOL), ("SIG SAUER P226 MADE IN GERMANY", "left side of frame", "U", 6, 2009)),
    spec(("Heckler & Koch", "Heckler & Koch GmbH", "MP5A3"), (T::SubmachineGun, A::SelectiveFire, "9x19mm", 225),
        ("DE", "Oberndorf am Neckar", SMG),
        ("HECKLER & KOCH GMBH OBERNDORF/N. MP5 Kal. 9mmx19", "left side of receiver", "64-", 6, 2010)),
    spec(("Colt", "Colt's Manufacturing Company LLC", "M4 Carbine"), (T::Carbine, A::SelectiveFire, NATO, 368),
        ("US", "West Hartford, CT", RIFLE), ("COLT M4 CARBINE CAL 5.56 MM", "left side of lower receiver", "A5", 6, 2012)),
    spec(("SIG Sauer", "Swiss Arms AG", "SG 553"), (T::Carbine, A::SelectiveFire, NATO, 226),
        ("CH", "Neuhausen am Rheinfall", RIFLE), ("SIG SG 553 SWISS ARMS", "left side of receiver", "SA", 6, 2014)),
    spec(("Remington", "Remington Arms Company LLC", "870 Police Magnum"), (T::Shotgun, A::PumpAction, "12 gauge", 470),
        ("US", "Ilion, NY", SHOTGUN),
        ("REMINGTON ARMS CO. INC. MODEL 870 POLICE MAGNUM 12 GA", "left side of receiver", "RS", 7, 2011)),
];

/// Creates the reference model records; returns their ids in [`MODELS`] order.
pub(super) fn create(plan: &mut super::plan::Plan) -> Vec<Uuid> {
    MODELS
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
        .collect()
}
