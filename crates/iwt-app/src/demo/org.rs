//! The organisation of the demo armory: two sites with their vaults, racks, issue
//! windows, doors and read points; three units with their posts; the shift pattern and
//! the assignment types.
use super::local::TIMEZONE;
use super::plan::Plan;
use iwt_domain::records::{AssignmentType, Location, Post, ReadPoint, Record, Shift, Site, Unit};
use iwt_domain::vocab::{LocationKind as L, ReadPointKind as R};
use uuid::Uuid;

/// Index of the headquarters site.
pub(super) const HQ: usize = 0;
/// Index of the district station.
pub(super) const DISTRICT: usize = 1;

/// The locations of one site.
pub(super) struct SiteLocs {
    /// The site.
    pub(super) site: Uuid,
    /// Racks in the vault, in code order.
    pub(super) racks: Vec<Uuid>,
    /// The issue window.
    pub(super) window: Uuid,
    /// The ammunition store.
    pub(super) ammo: Uuid,
    /// The equipment store.
    pub(super) equipment: Uuid,
}

/// The ids the other parts of the demo refer to.
pub(super) struct Org {
    /// Headquarters and district station.
    pub(super) sites: [SiteLocs; 2],
    /// Armorer's workshop (headquarters).
    pub(super) workshop: Uuid,
    /// Indoor firing range (headquarters).
    pub(super) range: Uuid,
    /// Units: patrol, tactical, district (see [`super::people::Team`]).
    pub(super) units: [Uuid; 3],
}

/// A site: code, name, address, racks (code suffix, name), ammunition store kind.
type SiteSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    L,
);

#[rustfmt::skip]
const SITES: [SiteSpec; 2] = [
    ("HQ", "Metropolitan Police Headquarters Armory", "Polizeiplatz 1, 1090 Wien", &[
        ("R01", "Pistol rack 1 (patrol)"),
        ("R02", "Pistol rack 2 (patrol)"),
        ("R03", "Pistol rack 3 (tactical and reserve)"),
        ("R04", "Submachine gun rack"),
        ("R05", "Carbine rack"),
        ("R06", "Shotgun rack"),
    ], L::Room),
    ("DN", "District North Station Armory", "Hauptstraße 12, 4040 Linz", &[
        ("R01", "Pistol rack 1"),
        ("R02", "Pistol rack 2"),
        ("R03", "Long gun rack"),
    ], L::Safe),
];

/// Read points of a site besides the rack antennas: code suffix, name, kind, where
/// (0 vault, 1 window, 2 door).
#[rustfmt::skip]
const READERS: [(&str, &str, R, usize); 4] = [
    ("W1-ANT", "Issue window 1 antenna", R::Window, 1),
    ("D1-IN", "Vault door, inner antenna", R::DoorInner, 2),
    ("D1-OUT", "Vault door, outer antenna", R::DoorOuter, 2),
    ("HH1", "Handheld inventory reader", R::Handheld, 0),
];

/// Units: code, name, site; posts: code, name, unit index.
#[rustfmt::skip]
const UNITS: [(&str, &str, usize); 3] = [
    ("PATROL", "Patrol Division", HQ),
    ("TRU", "Tactical Response Unit", HQ),
    ("DN-PATROL", "District North Patrol", DISTRICT),
];
#[rustfmt::skip]
const POSTS: [(&str, &str, usize); 7] = [
    ("HQ-PATROL-A", "Patrol sector A (inner city)", 0),
    ("HQ-PATROL-B", "Patrol sector B (Danube quarter)", 0),
    ("HQ-DESK", "Headquarters front desk", 0),
    ("TRU-ENTRY", "Tactical entry team", 1),
    ("TRU-K9", "K9 handler team", 1),
    ("DN-CAR-1", "District North patrol car 1", 2),
    ("DN-DESK", "District North front desk", 2),
];
#[rustfmt::skip]
const SHIFTS: [(&str, &str, &str, &str); 3] = [
    ("DAY", "Day shift", "07:00", "15:00"),
    ("EVE", "Evening shift", "15:00", "23:00"),
    ("NIGHT", "Night shift", "23:00", "07:00"),
];
#[rustfmt::skip]
const ASSIGNMENT_TYPES: [(&str, &str, &str); 4] = [
    ("PATROL", "Patrol", "Uniformed patrol duty: service pistol, optional shotgun and TASER"),
    ("TACTICAL", "Tactical operations", "Tactical response: pistol, submachine gun or carbine"),
    ("K9", "K9 / specialised team", "Dog handler and other specialised teams"),
    ("RANGE", "Range training", "Qualification shooting at the indoor range"),
];

/// Creates the locations of one site.
struct SiteBuilder<'p> {
    plan: &'p mut Plan,
    site: Uuid,
    code: &'static str,
}

impl SiteBuilder<'_> {
    fn location(&mut self, parent: Option<Uuid>, suffix: &str, name: &str, kind: L) -> Uuid {
        let loc = Location {
            id: Uuid::nil(),
            site_id: self.site,
            parent_id: parent,
            code: format!("{}-{suffix}", self.code),
            name: name.to_owned(),
            kind,
        };
        self.plan.create(Record::Location(loc))
    }

    fn read_point(&mut self, location: Uuid, suffix: &str, name: String, kind: R) {
        let code = format!("{}-{suffix}", self.code);
        let rp = ReadPoint {
            id: Uuid::nil(),
            location_id: location,
            code,
            name,
            kind,
        };
        self.plan.create(Record::ReadPoint(rp));
    }
}

fn site(plan: &mut Plan, (code, name, address, racks, ammo_kind): &SiteSpec) -> SiteLocs {
    let site = plan.create(Record::Site(Site {
        id: Uuid::nil(),
        code: (*code).to_owned(),
        name: (*name).to_owned(),
        country: "AT".into(),
        timezone: TIMEZONE.into(),
        address: Some((*address).to_owned()),
    }));
    let mut b = SiteBuilder { plan, site, code };
    let vault = b.location(None, "V1", "Main vault", L::Vault);
    let mut rack_ids = Vec::new();
    for (suffix, name) in racks.iter() {
        let rack = b.location(Some(vault), &format!("V1-{suffix}"), name, L::Rack);
        b.read_point(
            rack,
            &format!("{suffix}-ANT"),
            format!("{name} antenna"),
            R::Rack,
        );
        rack_ids.push(rack);
    }
    let ammo = b.location(Some(vault), "V1-AMMO", "Ammunition store", *ammo_kind);
    let equipment = b.location(None, "EQ", "Equipment store", L::Room);
    let window = b.location(None, "W1", "Issue window 1", L::Window);
    let door = b.location(None, "D1", "Vault door", L::Door);
    for (suffix, name, kind, place) in READERS {
        let at = [vault, window, door][place];
        b.read_point(at, suffix, name.into(), kind);
    }
    SiteLocs {
        site,
        racks: rack_ids,
        window,
        ammo,
        equipment,
    }
}

/// Creates sites, locations, read points, units, posts, shifts and assignment types.
pub(super) fn build(plan: &mut Plan) -> Org {
    let sites = [site(plan, &SITES[HQ]), site(plan, &SITES[DISTRICT])];
    let mut hq = SiteBuilder {
        plan,
        site: sites[HQ].site,
        code: "HQ",
    };
    let workshop = hq.location(None, "WS", "Armorer's workshop", L::Room);
    let range = hq.location(None, "RANGE", "Indoor firing range", L::Room);
    let units = UNITS.map(|(code, name, site)| {
        plan.create(Record::Unit(Unit {
            id: Uuid::nil(),
            code: code.into(),
            name: name.into(),
            site_id: Some(sites[site].site),
            parent_unit_id: None,
        }))
    });
    for (code, name, unit) in POSTS {
        plan.create(Record::Post(Post {
            id: Uuid::nil(),
            code: code.into(),
            name: name.into(),
            unit_id: Some(units[unit]),
            site_id: Some(sites[UNITS[unit].2].site),
        }));
    }
    for (code, name, start, end) in SHIFTS {
        plan.create(Record::Shift(Shift {
            id: Uuid::nil(),
            code: code.into(),
            name: name.into(),
            site_id: None,
            starts_at: start.into(),
            ends_at: end.into(),
        }));
    }
    for (code, name, description) in ASSIGNMENT_TYPES {
        plan.create(Record::AssignmentType(AssignmentType {
            id: Uuid::nil(),
            code: code.into(),
            name: name.into(),
            description: Some(description.into()),
        }));
    }
    Org {
        sites,
        workshop,
        range,
        units,
    }
}
