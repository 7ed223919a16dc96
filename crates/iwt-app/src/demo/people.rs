//! The personnel roster of the demo: qualification types, 66 officers in three units
//! with badge numbers, card UIDs, ranks and names (kept off the ledger as personal
//! data), and each officer's qualifications, dated relative to today so that most are
//! valid, a few expire within 30 days and some have already expired.
use super::plan::Plan;
use super::rng::Rng;
use iwt_domain::records::{Person, PersonalData, Qualification, QualificationType, Record};
use iwt_domain::vocab::PersonStatus;
use std::collections::{HashMap, HashSet};
use time::{Date, Duration, Month};
use uuid::Uuid;

/// Weapon class of 9 mm pistols.
pub(super) const PISTOL: &str = "PISTOL-9MM";
/// Weapon class of 9 mm submachine guns.
pub(super) const SMG: &str = "SMG-9MM";
/// Weapon class of 5.56 mm rifles and carbines.
pub(super) const RIFLE: &str = "RIFLE-556";
/// Weapon class of 12 gauge shotguns.
pub(super) const SHOTGUN: &str = "SHOTGUN-12GA";
/// Class of conducted energy weapons.
pub(super) const TASER: &str = "TASER";

/// Qualification types: code (= the class it covers), name, grace days.
const QUAL_TYPES: [(&str, &str, u32); 5] = [
    (PISTOL, "Service pistol 9 mm", 30),
    (SMG, "Submachine gun 9 mm", 0),
    (RIFLE, "Carbine / rifle 5.56 mm", 0),
    (SHOTGUN, "Shotgun 12 gauge", 0),
    (TASER, "Conducted energy weapon (TASER)", 14),
];

/// Days a qualification is valid.
const VALIDITY_DAYS: i64 = 365;

const GIVEN: &str = "Lukas Anna Maximilian Sophie David Julia Tobias Laura Florian Katharina \
    Stefan Lisa Michael Sarah Thomas Elena Markus Hannah Daniel Lena Andreas Marie Christoph Eva \
    Alexander Sandra Johannes Nina Patrick Teresa Sebastian Verena Mehmet Ana Milan Ivana Georg \
    Petra Jakob Magdalena";

const FAMILY: &str = "Gruber Huber Bauer Wagner Müller Pichler Steiner Moser Mayer Hofer \
    Leitner Berger Fuchs Eder Fischer Schmid Winkler Weber Schwarz Maier Schneider Reiter Wimmer \
    Egger Brunner Lang Baumgartner Auer Binder Lechner Wolf Wallner Aigner Ebner Koller Haas Novak \
    Horvath Yılmaz Kovačević";

const CERTIFIERS: [&str; 4] = [
    "Police Training Centre - Range Section",
    "Chief Firearms Instructor, HQ",
    "Tactical Training Cell",
    "Regional Firearms Instructor, District North",
];

const RANKS: [&str; 5] = [
    "Police Officer",
    "Senior Police Officer",
    "Sergeant",
    "Inspector",
    "Chief Inspector",
];

/// The unit an officer belongs to (index into [`super::org::Org::units`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Team {
    /// Patrol Division, headquarters.
    Patrol = 0,
    /// Tactical Response Unit, headquarters.
    Tactical = 1,
    /// District North Patrol.
    District = 2,
}

impl Team {
    /// The site the team works from.
    pub(super) fn site(self) -> usize {
        match self {
            Team::Patrol | Team::Tactical => super::org::HQ,
            Team::District => super::org::DISTRICT,
        }
    }
}

/// Team sizes and badge number prefixes.
const ROSTER: [(Team, usize, &str); 3] = [
    (Team::Patrol, 30, "41"),
    (Team::Tactical, 14, "47"),
    (Team::District, 22, "52"),
];

/// One qualification of an officer.
pub(super) struct Qual {
    /// The class it covers.
    pub(super) class: &'static str,
    /// First and last day valid.
    pub(super) valid: (Date, Date),
}

/// An officer as the custody simulation needs it.
pub(super) struct Officer {
    /// The person id.
    pub(super) id: Uuid,
    /// The unit.
    pub(super) team: Team,
    /// On the duty roster.
    pub(super) active: bool,
    /// Qualifications.
    pub(super) quals: Vec<Qual>,
}

impl Officer {
    /// Whether the officer holds a valid qualification for `class` on `day`.
    pub(super) fn qualified(&self, class: &str, day: Date) -> bool {
        let valid = |q: &Qual| q.valid.0 <= day && day <= q.valid.1;
        self.quals.iter().any(|q| q.class == class && valid(q))
    }
}

fn rank(rng: &mut Rng, team: Team) -> &'static str {
    let cuts: [u64; 4] = match team {
        Team::Tactical => [20, 60, 85, 95],
        _ => [45, 75, 90, 97],
    };
    let roll = rng.below(100);
    RANKS[cuts.iter().filter(|&&c| roll >= c).count()]
}

/// Days before today a qualification was issued: `forced` 1 = expired, 2 = expiring
/// within 30 days; otherwise random with about 8 % expired and 8 % expiring. Always
/// before the registry was entered.
fn issued_days_ago(rng: &mut Rng, forced: u8) -> i64 {
    let kind = match (forced, rng.below(12)) {
        (0, 0) | (1, _) => 1,
        (0, 1) | (2, _) => 2,
        _ => 0,
    };
    match kind {
        1 => rng.range(372, 540),
        2 => rng.range(338, 358),
        _ => rng.range(95, 330),
    }
}

/// The classes an officer of `team` is qualified for.
fn qual_classes(rng: &mut Rng, team: Team) -> Vec<&'static str> {
    let mut out = vec![PISTOL];
    let odds = match team {
        Team::Tactical => [90, 90, 70, 30],
        Team::Patrol => [0, 15, 40, 50],
        Team::District => [0, 25, 50, 40],
    };
    for (class, p) in [SMG, RIFLE, SHOTGUN, TASER].into_iter().zip(odds) {
        if rng.chance(p) {
            out.push(class);
        }
    }
    out
}

/// Draws from `draw` until `seen` did not hold the value yet.
fn fresh<T: Clone + Eq + std::hash::Hash>(seen: &mut HashSet<T>, mut draw: impl FnMut() -> T) -> T {
    loop {
        let v = draw();
        if seen.insert(v.clone()) {
            return v;
        }
    }
}

/// Creates the qualification types and the roster; returns the officers in roster order.
pub(super) fn build(
    plan: &mut Plan,
    rng: &mut Rng,
    units: &[Uuid; 3],
    today: Date,
) -> Vec<Officer> {
    let mut qual_type = HashMap::new();
    for (code, name, grace) in QUAL_TYPES {
        let id = plan.create(Record::QualificationType(QualificationType {
            id: Uuid::nil(),
            code: code.into(),
            name: name.into(),
            weapon_classes: vec![code.into()],
            validity_days: Some(VALIDITY_DAYS as u32),
            grace_days: grace,
        }));
        qual_type.insert(code, id);
    }
    let given: Vec<&str> = GIVEN.split_whitespace().collect();
    let family: Vec<&str> = FAMILY.split_whitespace().collect();
    let (mut names, mut uids) = (HashSet::new(), HashSet::new());
    let mut officers = Vec::new();
    for (team, size, badge_prefix) in ROSTER {
        let mut badge = 1000 + rng.below(200);
        for _ in 0..size {
            let i = officers.len();
            badge += 1 + rng.below(37);
            let (first, last) = fresh(&mut names, || (*rng.pick(&given), *rng.pick(&family)));
            let card_uid = fresh(&mut uids, || format!("04{}", rng.hex(12)));
            let status = match i {
                12 | 61 => PersonStatus::OnLeave,
                48 => PersonStatus::Suspended,
                27 => PersonStatus::Separated,
                _ => PersonStatus::Active,
            };
            let year = rng.range(1968, 2001) as i32;
            let born = Date::from_calendar_date(year, Month::January, 1)
                .map(|d| d + Duration::days(rng.range(0, 364)))
                .ok();
            let joined = (year + rng.range(19, 27) as i32).min(today.year() - 1);
            let person = Person {
                id: Uuid::nil(),
                badge_number: format!("{badge_prefix}{badge:04}"),
                service_number: Some(format!("PS-{joined}-{}", rng.digits(5))),
                card_uid: Some(card_uid),
                unit_id: units[team as usize],
                rank: Some(rank(rng, team).into()),
                status,
            };
            let personal = PersonalData {
                given_name: first.into(),
                family_name: last.into(),
                date_of_birth: born,
            };
            let id = plan.person(Record::Person(person), personal);
            let mut quals = Vec::new();
            for class in qual_classes(rng, team) {
                let forced = match (class, i % 11, i % 13) {
                    (PISTOL, 3, _) => 1,
                    (PISTOL, _, 7) => 2,
                    _ => 0,
                };
                let issued = today - Duration::days(issued_days_ago(rng, forced));
                let expires = issued + Duration::days(VALIDITY_DAYS);
                let Some(type_id) = qual_type.get(class).copied() else {
                    continue;
                };
                plan.create(Record::Qualification(Qualification {
                    id: Uuid::nil(),
                    person_id: id,
                    qualification_type_id: type_id,
                    issued_on: issued,
                    expires_on: expires,
                    certified_by: Some((*rng.pick(&CERTIFIERS)).into()),
                }));
                quals.push(Qual {
                    class,
                    valid: (issued, expires),
                });
            }
            let active = status == PersonStatus::Active;
            officers.push(Officer {
                id,
                team,
                active,
                quals,
            });
        }
    }
    officers
}
