//! About 90 days of custody history, simulated in time order: at each site and shift,
//! active officers who hold a valid qualification on that day check out a pistol (and
//! perhaps a long gun or a TASER) at the issue window and return it to its rack after the
//! shift. Items still out when the simulation reaches now stay issued. Along the way a
//! pistol is reported lost, one Glock goes to the workshop and comes back with a new
//! barrel, and a carbine is still under repair (the special events are in `events.rs`).
use super::armory::{GLOCK17, Gun};
use super::gear::{Gear, Kit};
use super::local::{at, hm};
use super::org::{HQ, Org};
use super::people::{Officer, PISTOL, RIFLE, SHOTGUN, SMG, TASER, Team};
use super::plan::Plan;
use super::rng::Rng;
use iwt_domain::records::{Firearm, ItemRef};
use iwt_domain::vocab::{Condition, ItemStatus};
use iwt_domain::{EntityKind, EventBody};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// Days of history before today.
pub(super) const DAYS: i64 = 90;

/// Shifts: local start and end hour.
const SHIFTS: [(u8, u8); 3] = [(7, 15), (15, 23), (23, 7)];

/// Officers on duty per site and shift: (fewest, most).
const CREW: [[(i64, i64); 3]; 2] = [[(3, 5), (3, 4), (2, 3)], [(2, 3), (2, 3), (1, 2)]];

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
    pub(super) item: ItemRef,
    pub(super) site: usize,
    pub(super) class: &'static str,
    pub(super) model: Option<usize>,
    /// Where it is stored.
    pub(super) home: Uuid,
    /// In store since (None: out, lost or under repair).
    pub(super) free: Option<OffsetDateTime>,
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
    lost: bool,
    repaired: bool,
    in_repair: bool,
}

fn slot_of_gun(g: &Gun) -> Slot {
    let item = ItemRef {
        kind: EntityKind::Firearm,
        id: g.id,
    };
    Slot {
        item,
        site: g.site,
        class: g.class,
        model: Some(g.model),
        home: g.rack,
        free: Some(OffsetDateTime::UNIX_EPOCH),
    }
}

fn slot_of_kit(k: &Kit, class: &'static str, home: Uuid) -> Slot {
    let item = ItemRef {
        kind: EntityKind::Equipment,
        id: k.id,
    };
    Slot {
        item,
        site: k.site,
        class,
        model: None,
        home,
        free: Some(OffsetDateTime::UNIX_EPOCH),
    }
}

/// Plans the history up to `now`.
pub(super) fn build(plan: &mut Plan, rng: Rng, w: &World<'_>, now: OffsetDateTime) {
    let mut slots: Vec<Slot> = w.guns.iter().map(slot_of_gun).collect();
    slots.extend(
        w.gear
            .tasers
            .iter()
            .map(|k| slot_of_kit(k, TASER, w.org.sites[k.site].equipment)),
    );
    slots.extend(
        w.gear
            .vests
            .iter()
            .map(|k| slot_of_kit(k, "VEST", w.org.sites[k.site].equipment)),
    );
    let duty = vec![(Some(OffsetDateTime::UNIX_EPOCH), false); w.people.len()];
    let limit = now - Duration::minutes(2);
    let mut sim = Sim {
        plan,
        rng,
        w,
        limit,
        slots,
        duty,
        lost: false,
        repaired: false,
        in_repair: false,
    };
    let today = now.date();
    let first = today - Duration::days(DAYS);
    sim.long_term(first - Duration::days(1));
    for day in 0..=DAYS {
        let date = first + Duration::days(day);
        sim.specials(day, date);
        for (shift, _) in SHIFTS.iter().enumerate() {
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

    /// Hands out the item in `slot`.
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

    fn shift(&mut self, day: i64, date: Date, shift: usize, site: usize) {
        let (from, to) = SHIFTS[shift];
        let start = at(date, hm(from, 0));
        let end = at(
            if to < from {
                date + Duration::days(1)
            } else {
                date
            },
            hm(to, 0),
        );
        let first_issue = start - Duration::minutes(25);
        if first_issue >= self.limit {
            return;
        }
        let (lo, hi) = CREW[site][shift];
        let crew = self.rng.range(lo, hi) as usize;
        let people = self.w.people;
        let mut candidates: Vec<usize> = (0..people.len())
            .filter(|&i| {
                let p = &people[i];
                let (free, long_term) = self.duty[i];
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
            let extra = match p.team {
                Team::Tactical if shift < 2 && self.rng.chance(70) => {
                    if p.qualified(SMG, date) && self.rng.chance(50) {
                        Some(SMG)
                    } else {
                        Some(RIFLE)
                    }
                }
                Team::Tactical => None,
                _ if self.rng.chance(15) => Some(SHOTGUN),
                _ if self.rng.chance(30) => Some(TASER),
                _ if self.rng.chance(4) => Some(RIFLE),
                _ => None,
            };
            wanted.extend(extra.filter(|c| p.qualified(c, date)));
            let t0 = first_issue + Duration::minutes(3 * j as i64 + self.rng.range(0, 2));
            let issued: Vec<usize> = wanted
                .iter()
                .enumerate()
                .filter_map(|(k, class)| {
                    self.issue(person, class, t0 + Duration::seconds(40 * k as i64), false)
                })
                .collect();
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

    /// Returns an item after a shift, or plays one of the special events on it.
    fn give_back(&mut self, day: i64, slot: usize, person: usize, r: OffsetDateTime) {
        let (item, home, class, model, site) = {
            let s = &self.slots[slot];
            (s.item, s.home, s.class, s.model, s.site)
        };
        let person_id = self.w.people[person].id;
        let returned = |condition| EventBody::ItemReturned {
            item,
            person_id,
            location_id: home,
            condition,
        };
        let to_workshop = EventBody::ItemStatusChanged {
            item,
            status: ItemStatus::UnderRepair,
            location_id: Some(self.w.org.workshop),
        };
        if !self.lost && day >= 55 && class == PISTOL && site == HQ {
            self.lost = true;
            let body = EventBody::ItemStatusChanged {
                item,
                status: ItemStatus::Lost,
                location_id: None,
            };
            let why = "Reported lost by the officer at the end of the shift; incident report filed";
            self.plan.noted_at(r, body, why);
            return;
        }
        let back_in = r + Duration::days(9);
        if !self.repaired
            && day >= 30
            && model == Some(GLOCK17)
            && site == HQ
            && back_in < self.limit
        {
            self.repaired = true;
            self.plan.event_at(r, returned(Condition::Damaged));
            let why = "Failure to return to battery; barrel bulge found at inspection";
            self.plan
                .noted_at(r + Duration::minutes(20), to_workshop, why);
            if let Some(part_id) = self.w.gear.spare_barrel {
                self.plan.event_at(
                    r + Duration::days(2),
                    EventBody::PartFitted {
                        part_id,
                        firearm_id: item.id,
                    },
                );
            }
            let body = EventBody::ItemStatusChanged {
                item,
                status: ItemStatus::InStore,
                location_id: Some(home),
            };
            self.plan.noted_at(
                back_in,
                body,
                "Repaired: barrel replaced, function test passed",
            );
            self.slots[slot].free = Some(back_in);
            return;
        }
        if !self.in_repair && day >= 82 && class == RIFLE && r + Duration::minutes(20) < self.limit
        {
            self.in_repair = true;
            self.plan.event_at(r, returned(Condition::Damaged));
            self.plan.noted_at(
                r + Duration::minutes(20),
                to_workshop,
                "Selector lever jammed; sent to the armorer",
            );
            return;
        }
        let condition = if self.rng.chance(1) {
            Condition::NeedsInspection
        } else {
            Condition::Serviceable
        };
        self.plan.event_at(r, returned(condition));
        self.slots[slot].free = Some(r);
    }
}
