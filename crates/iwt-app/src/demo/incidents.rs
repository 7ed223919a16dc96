//! Returns after a shift, and the incidents played on them: a pistol reported lost, a
//! Glock 17 that goes to the workshop, gets a new barrel and comes back, and a carbine
//! still under repair. Each happens once, on the first suitable return after its day.
use super::history::Sim;
use super::models::GLOCK17;
use super::org::HQ;
use super::people::{PISTOL, RIFLE};
use iwt_domain::EventBody;
use iwt_domain::vocab::{Condition, ItemStatus};
use time::{Duration, OffsetDateTime};

/// History days from which the incidents happen: lost, repaired, in repair.
const LOST_FROM: i64 = 55;
const REPAIR_FROM: i64 = 30;
const IN_REPAIR_FROM: i64 = 82;
/// Days the repaired Glock spends at the workshop.
const REPAIR_DAYS: i64 = 9;

impl Sim<'_, '_> {
    /// Returns an item after a shift at `r`, or plays an incident on it.
    pub(super) fn give_back(&mut self, day: i64, slot: usize, person: usize, r: OffsetDateTime) {
        let s = &self.slots[slot];
        let (item, home, class, model, site) = (s.item, s.home, s.class, s.model, s.site);
        let person_id = self.w.people[person].id;
        let returned = |condition| EventBody::ItemReturned {
            item,
            person_id,
            location_id: home,
            condition,
        };
        let workshop = Some(self.w.org.workshop);
        let to_workshop = EventBody::ItemStatusChanged {
            item,
            status: ItemStatus::UnderRepair,
            location_id: workshop,
        };
        let inspected = r + Duration::minutes(20);
        let done = &mut self.incidents;
        if !done.lost && day >= LOST_FROM && class == PISTOL && site == HQ {
            done.lost = true;
            let body = EventBody::ItemStatusChanged {
                item,
                status: ItemStatus::Lost,
                location_id: None,
            };
            let why = "Reported lost by the officer at the end of the shift; incident report filed";
            self.plan.noted_at(r, body, why);
            return;
        }
        let back_in = r + Duration::days(REPAIR_DAYS);
        let glock = model == Some(GLOCK17) && site == HQ;
        if !done.repaired && day >= REPAIR_FROM && glock && back_in < self.limit {
            done.repaired = true;
            self.plan.event_at(r, returned(Condition::Damaged));
            let why = "Failure to return to battery; barrel bulge found at inspection";
            self.plan.noted_at(inspected, to_workshop, why);
            if let Some(part_id) = self.w.gear.spare_barrel {
                let fitted = EventBody::PartFitted {
                    part_id,
                    firearm_id: item.id,
                };
                self.plan.event_at(r + Duration::days(2), fitted);
            }
            let status = ItemStatus::InStore;
            let body = EventBody::ItemStatusChanged {
                item,
                status,
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
        if !done.in_repair && day >= IN_REPAIR_FROM && class == RIFLE && inspected < self.limit {
            done.in_repair = true;
            self.plan.event_at(r, returned(Condition::Damaged));
            let why = "Selector lever jammed; sent to the armorer";
            self.plan.noted_at(inspected, to_workshop, why);
            return;
        }
        let condition = match self.rng.chance(1) {
            true => Condition::NeedsInspection,
            false => Condition::Serviceable,
        };
        self.plan.event_at(r, returned(condition));
        self.slots[slot].free = Some(r);
    }
}
