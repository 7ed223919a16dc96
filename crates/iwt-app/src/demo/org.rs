//! The organisation of the demo armory: two sites with their vaults, racks, issue
//! windows, doors and read points; three units with their posts; the shift pattern and
//! the assignment types.
use super::local::TIMEZONE;
use super::plan::Plan;
use iwt_domain::records::{AssignmentType, Location, Post, ReadPoint, Record, Shift, Site, Unit};
use iwt_domain::vocab::{LocationKind, ReadPointKind};
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

/// A site: code, name, address, racks (code suffix, name).
struct SiteSpec {
    code: &'static str,
    name: &'static str,
    address: &'static str,
    racks: &'static [(&'static str, &'static str)],
}

const SITES: [SiteSpec; 2] = [
    SiteSpec {
        code: "HQ",
        name: "Metropolitan Police Headquarters Armory",
        address: "Polizeiplatz 1, 1090 Wien",
        racks: &[
            ("R01", "Pistol rack 1 (patrol)"),
            ("R02", "Pistol rack 2 (patrol)"),
            ("R03", "Pistol rack 3 (tactical and reserve)"),
            ("R04", "Submachine gun rack"),
            ("R05", "Carbine rack"),
            ("R06", "Shotgun rack"),
        ],
    },
    SiteSpec {
        code: "DN",
        name: "District North Station Armory",
        address: "Hauptstraße 12, 4040 Linz",
        racks: &[
            ("R01", "Pistol rack 1"),
            ("R02", "Pistol rack 2"),
            ("R03", "Long gun rack"),
        ],
    },
];

fn location(
    plan: &mut Plan,
    site: Uuid,
    parent: Option<Uuid>,
    code: String,
    name: &str,
    kind: LocationKind,
) -> Uuid {
    let loc = Location {
        id: Uuid::nil(),
        site_id: site,
        parent_id: parent,
        code,
        name: name.to_owned(),
        kind,
    };
    plan.create(Record::Location(loc))
}

fn read_point(plan: &mut Plan, location: Uuid, code: String, name: String, kind: ReadPointKind) {
    let rp = ReadPoint {
        id: Uuid::nil(),
        location_id: location,
        code,
        name,
        kind,
    };
    plan.create(Record::ReadPoint(rp));
}

fn site(plan: &mut Plan, spec: &SiteSpec) -> SiteLocs {
    let site = plan.create(Record::Site(Site {
        id: Uuid::nil(),
        code: spec.code.to_owned(),
        name: spec.name.to_owned(),
        country: "AT".into(),
        timezone: TIMEZONE.into(),
        address: Some(spec.address.to_owned()),
    }));
    let c = spec.code;
    let vault = location(
        plan,
        site,
        None,
        format!("{c}-V1"),
        "Main vault",
        LocationKind::Vault,
    );
    let mut racks = Vec::new();
    for (suffix, name) in spec.racks {
        let rack = location(
            plan,
            site,
            Some(vault),
            format!("{c}-V1-{suffix}"),
            name,
            LocationKind::Rack,
        );
        read_point(
            plan,
            rack,
            format!("{c}-{suffix}-ANT"),
            format!("{name} antenna"),
            ReadPointKind::Rack,
        );
        racks.push(rack);
    }
    let ammo_kind = if site_is_hq(c) {
        LocationKind::Room
    } else {
        LocationKind::Safe
    };
    let ammo = location(
        plan,
        site,
        Some(vault),
        format!("{c}-V1-AMMO"),
        "Ammunition store",
        ammo_kind,
    );
    let equipment = location(
        plan,
        site,
        None,
        format!("{c}-EQ"),
        "Equipment store",
        LocationKind::Room,
    );
    let window = location(
        plan,
        site,
        None,
        format!("{c}-W1"),
        "Issue window 1",
        LocationKind::Window,
    );
    let door = location(
        plan,
        site,
        None,
        format!("{c}-D1"),
        "Vault door",
        LocationKind::Door,
    );
    read_point(
        plan,
        window,
        format!("{c}-W1-ANT"),
        "Issue window 1 antenna".into(),
        ReadPointKind::Window,
    );
    read_point(
        plan,
        door,
        format!("{c}-D1-IN"),
        "Vault door, inner antenna".into(),
        ReadPointKind::DoorInner,
    );
    read_point(
        plan,
        door,
        format!("{c}-D1-OUT"),
        "Vault door, outer antenna".into(),
        ReadPointKind::DoorOuter,
    );
    read_point(
        plan,
        vault,
        format!("{c}-HH1"),
        "Handheld inventory reader".into(),
        ReadPointKind::Handheld,
    );
    SiteLocs {
        site,
        racks,
        window,
        ammo,
        equipment,
    }
}

fn site_is_hq(code: &str) -> bool {
    code == SITES[HQ].code
}

fn unit(plan: &mut Plan, code: &str, name: &str, site: Uuid) -> Uuid {
    let u = Unit {
        id: Uuid::nil(),
        code: code.into(),
        name: name.into(),
        site_id: Some(site),
        parent_unit_id: None,
    };
    plan.create(Record::Unit(u))
}

fn post(plan: &mut Plan, code: &str, name: &str, unit: Uuid, site: Uuid) {
    let p = Post {
        id: Uuid::nil(),
        code: code.into(),
        name: name.into(),
        unit_id: Some(unit),
        site_id: Some(site),
    };
    plan.create(Record::Post(p));
}

/// Creates sites, locations, read points, units, posts, shifts and assignment types.
pub(super) fn build(plan: &mut Plan) -> Org {
    let hq = site(plan, &SITES[HQ]);
    let district = site(plan, &SITES[DISTRICT]);
    let workshop = location(
        plan,
        hq.site,
        None,
        "HQ-WS".into(),
        "Armorer's workshop",
        LocationKind::Room,
    );
    let range = location(
        plan,
        hq.site,
        None,
        "HQ-RANGE".into(),
        "Indoor firing range",
        LocationKind::Room,
    );

    let patrol = unit(plan, "PATROL", "Patrol Division", hq.site);
    let tactical = unit(plan, "TRU", "Tactical Response Unit", hq.site);
    let north = unit(plan, "DN-PATROL", "District North Patrol", district.site);
    post(
        plan,
        "HQ-PATROL-A",
        "Patrol sector A (inner city)",
        patrol,
        hq.site,
    );
    post(
        plan,
        "HQ-PATROL-B",
        "Patrol sector B (Danube quarter)",
        patrol,
        hq.site,
    );
    post(plan, "HQ-DESK", "Headquarters front desk", patrol, hq.site);
    post(plan, "TRU-ENTRY", "Tactical entry team", tactical, hq.site);
    post(plan, "TRU-K9", "K9 handler team", tactical, hq.site);
    post(
        plan,
        "DN-CAR-1",
        "District North patrol car 1",
        north,
        district.site,
    );
    post(
        plan,
        "DN-DESK",
        "District North front desk",
        north,
        district.site,
    );

    for (code, name, start, end) in [
        ("DAY", "Day shift", "07:00", "15:00"),
        ("EVE", "Evening shift", "15:00", "23:00"),
        ("NIGHT", "Night shift", "23:00", "07:00"),
    ] {
        plan.create(Record::Shift(Shift {
            id: Uuid::nil(),
            code: code.into(),
            name: name.into(),
            site_id: None,
            starts_at: start.into(),
            ends_at: end.into(),
        }));
    }
    for (code, name, description) in [
        (
            "PATROL",
            "Patrol",
            "Uniformed patrol duty: service pistol, optional shotgun and TASER",
        ),
        (
            "TACTICAL",
            "Tactical operations",
            "Tactical response: pistol, submachine gun or carbine",
        ),
        (
            "K9",
            "K9 / specialised team",
            "Dog handler and other specialised teams",
        ),
        (
            "RANGE",
            "Range training",
            "Qualification shooting at the indoor range",
        ),
    ] {
        plan.create(Record::AssignmentType(AssignmentType {
            id: Uuid::nil(),
            code: code.into(),
            name: name.into(),
            description: Some(description.into()),
        }));
    }
    Org {
        sites: [hq, district],
        workshop,
        range,
        units: [patrol, tactical, north],
    }
}
