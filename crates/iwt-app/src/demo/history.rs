//! About 90 days of custody history, simulated in time order: at each site and shift,
//! active officers who hold a valid qualification on that day check out a pistol (and
//! perhaps a long gun or a TASER) at the issue window and return it to its rack after
//! the shift. Items still out when the simulation reaches now stay issued. Incidents on
//! return are in `incidents.rs`, the other special events in `events.rs`.
use super::armory::Gun;
use super::gear::{Gear, Kit};
use super::local::{at, hm};
use super::org::Org;
use super::people::{Officer, PISTOL, RIFLE, SHOTGUN, SMG, TASER, Team};
use super::plan::Plan;
use super::rng::Rng;
use iwt_domain::records::{Firearm, ItemRef};
use iwt_domain::{EntityKind, EventBody};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// Days of history before today.
pub(super) const DAYS: i64 = 90;

/// Shifts: local start and end hour.
const SHIFTS: [(u8, u8); 3] = [(7, 15), (15, 23), (23, 7)];

/// Officers on duty per site and shift: (fewest, most).
const CREW: [[(i64, i64); 3]; 2] = [[(3, 5), (3, 4), (2, 3)], [(2, 3), (2, 3), (1, 2)]];

/// Class of the body armour slots (long-term issue only).
pub(super) const VEST: &str = "VEST";

/// What the history works with.
pub(super) struct World<'a> {
    /// Sites and locations.
    pub(super) org: &'a Org,
    /// The roster.
    pub(super) people: &'a [Officer],
    /// The firearms.
    pub(super) guns: &'a [Gun],
    /// Parts, equipment, lots, tags.
    pub(super) gear: &'a Gear,
    /// A mistyped firearm record, as corrected.
    pub(super) typo_fix: Option<&'a Firearm>,
}

/// An item that can be handed out.
pub(super) struct Slot {
    /// The item.
    pub(super) item: ItemRef,
    /// Site index.
    pub(super) site: usize,
    /// Weapon class, or [`TASER`] / [`VEST`].
    pub(super) class: &'static str,
    /// Firearm model index.
    pub(super) model: Option<usize>,
    /// Where it is stored.
    pub(super) home: Uuid,
    /// In store since (None: out, lost or under repair).
    pub(super) free: Option<OffsetDateTime>,
}

impl Slot {
    fn new(
        item: ItemRef,
        site: usize,
        class: &'static str,
        model: Option<usize>,
        home: Uuid,
    ) -> Self {
        let free = Some(OffsetDateTime::UNIX_EPOCH);
        Self {
            item,
            site,
            class,
            model,
            home,
            free,
        }
    }
}

/// Which incidents have happened.
#[derive(Default)]
pub(super) struct Incidents {
    pub(super) lost: bool,
    pub(super) repaired: bool,
    pub(super) in_repair: bool,
}

/// The simulation state.
pub(super) struct Sim<'a, 'p> {
    pub(super) plan: &'p mut Plan,
    pub(super) rng: Rng,
    pub(super) w: &'a World<'a>,
    /// Nothing is planned at or after this instant.
    pub(super) limit: OffsetDateTime,
    pub(super) slots: Vec<Slot>,
    /// Per officer: free for duty from (None: busy), holds a long-term pistol.
    pub(super) duty: Vec<(Option<OffsetDateTime>, bool)>,
    pub(super) incidents: Incidents,
}

/// Plans the history up to `now`.
pub(super) fn build(plan: &mut Plan, rng: Rng, w: &World<'_>, now: OffsetDateTime) {
    let firearm = |id| ItemRef {
        kind: EntityKind::Firearm,
        id,
    };
    let kit = |k: &Kit| ItemRef {
        kind: EntityKind::Equipment,
        id: k.id,
    };
    let store = |k: &Kit| w.org.sites[k.site].equipment;
    let mut slots: Vec<Slot> = Vec::new();
    for g in w.guns {
        slots.push(Slot::new(
            firearm(g.id),
            g.site,
            g.class,
            Some(g.model),
            g.rack,
        ));
    }
    for (kits, class) in [(&w.gear.tasers, TASER), (&w.gear.vests, VEST)] {
        slots.extend(
            kits.iter()
                .map(|k| Slot::new(kit(k), k.site, class, None, store(k))),
        );
    }
    let duty = vec![(Some(OffsetDateTime::UNIX_EPOCH), false); w.people.len()];
    let limit = now - Duration::minutes(2);
    let incidents = Incidents::default();
    let mut sim = Sim {
        plan,
        rng,
        w,
        limit,
        slots,
        duty,
        incidents,
    };
    let first = now.date() - Duration::days(DAYS);
    sim.long_term(first - Duration::days(1));
    for day in 0..=DAYS {
        let date = first + Duration::days(day);
        sim.specials(day, date);
        for shift in 0..SHIFTS.len() {
            for site in 0..2 {
                sim.shift(day, date, shift, site);
            }
        }
    }
}

impl Sim<'_, '_> {
    /// A free item of `class` at `site`, in store before `t`.
    fn free_slot(&mut self, site: usize, class: &str, t: OffsetDateTime) -> Option<usize> {
        let free: Vec<usize> = (0..self.slots.len())
            .filter(|&i| {
                let s = &self.slots[i];
                s.site == site && s.class == class && s.free.is_some_and(|f| f < t)
            })
            .collect();
        free.get(self.rng.index(free.len())).copied()
    }

    /// Hands out a free item of `class`; returns its slot.
    pub(super) fn issue(
        &mut self,
        person: usize,
        class: &str,
        t: OffsetDateTime,
        long_term: bool,
    ) -> Option<usize> {
        let slot = self.free_slot(self.w.people[person].team.site(), class, t)?;
        self.hand_out(person, slot, t, long_term);
        Some(slot)
    }

    /// Hands out the item in `slot` at the window of the officer's site.
    pub(super) fn hand_out(
        &mut self,
        person: usize,
        slot: usize,
        t: OffsetDateTime,
        long_term: bool,
    ) {
        let site = self.w.people[person].team.site();
        self.slots[slot].free = None;
        let body = EventBody::ItemIssued {
            item: self.slots[slot].item,
            person_id: self.w.people[person].id,
            location_id: self.w.org.sites[site].window,
            long_term,
        };
        self.plan.event_at(t, body);
    }

    /// What an officer takes out for a shift besides the pistol.
    fn extra(&mut self, p: &Officer, shift: usize, date: Date) -> Option<&'static str> {
        let class = match p.team {
            Team::Tactical if shift < 2 && self.rng.chance(70) => {
                if p.qualified(SMG, date) && self.rng.chance(50) {
                    SMG
                } else {
                    RIFLE
                }
            }
            Team::Tactical => return None,
            _ if self.rng.chance(15) => SHOTGUN,
            _ if self.rng.chance(30) => TASER,
            _ if self.rng.chance(4) => RIFLE,
            _ => return None,
        };
        Some(class).filter(|c| p.qualified(c, date))
    }

    fn shift(&mut self, day: i64, date: Date, shift: usize, site: usize) {
        let (from, to) = SHIFTS[shift];
        let start = at(date, hm(from, 0));
        let end_day = if to < from {
            date + Duration::days(1)
        } else {
            date
        };
        let end = at(end_day, hm(to, 0));
        let first_issue = start - Duration::minutes(25);
        if first_issue >= self.limit {
            return;
        }
        let (lo, hi) = CREW[site][shift];
        let crew = self.rng.range(lo, hi) as usize;
        let people = self.w.people;
        let mut candidates: Vec<usize> = (0..people.len())
            .filter(|&i| {
                let (p, (free, long_term)) = (&people[i], self.duty[i]);
                p.active
                    && p.team.site() == site
                    && free.is_some_and(|f| f <= first_issue)
                    && (long_term || p.qualified(PISTOL, date))
            })
            .collect();
        self.rng.shuffle(&mut candidates);
        for (j, &person) in candidates.iter().take(crew).enumerate() {
            let p = &people[person];
            let mut wanted = Vec::new();
            if !self.duty[person].1 {
                wanted.push(PISTOL);
            }
            wanted.extend(self.extra(p, shift, date));
            let t0 = first_issue + Duration::minutes(3 * j as i64 + self.rng.range(0, 2));
            let mut issued = Vec::new();
            for (k, class) in wanted.into_iter().enumerate() {
                let t = t0 + Duration::seconds(40 * k as i64);
                issued.extend(self.issue(person, class, t, false));
            }
            let back = end + Duration::minutes(8 + 3 * j as i64 + self.rng.range(0, 3));
            let mut all_back = true;
            for (k, slot) in issued.into_iter().enumerate() {
                let r = back + Duration::seconds(40 * k as i64);
                if r < self.limit {
                    self.give_back(day, slot, person, r);
                } else {
                    all_back = false;
                }
            }
            self.duty[person].0 = all_back.then(|| back + Duration::hours(8));
        }
    }
}
