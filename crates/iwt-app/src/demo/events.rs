//! The special events of the demo history: long-term assignments with duty ammunition,
//! range days (ammunition moved to the range and expended), a new ammunition delivery,
//! a replaced RFID tag, and two record corrections (a mistyped serial, and the lot
//! suspended after misfires at the range).
use super::ammo::{BALL_9, HOLLOW_9, MEN, SUSPECT_9};
use super::history::{Sim, VEST};
use super::local::{at, hm};
use super::models::GLOCK19;
use super::org::HQ;
use super::people::{PISTOL, TASER, Team};
use iwt_domain::EventBody;
use iwt_domain::records::{AmmoLot, Record, TagBinding};
use iwt_domain::vocab::{AmmoMovement as M, AmmoType, LotStatus};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// Days (from the start of the history) with range training at headquarters.
const RANGE_DAYS: [i64; 7] = [5, 19, 33, 47, 61, 75, 89];
/// Range days shot with the lot that is later suspended.
const SUSPECT_RANGE_DAYS: usize = 3;
/// Rounds of duty ammunition issued with a long-term pistol (three magazines).
const DUTY_ROUNDS: i64 = 51;

const TYPO_REASON: &str =
    "Serial number transposed at registration; verified against the frame marking at inventory";
const SUSPEND_REASON: &str =
    "Lot suspended: repeated misfires and hang-fires at range training, pending inspection";

impl Sim<'_, '_> {
    /// Changes the stock of `lot` at `location` by `delta`.
    fn stock(&mut self, t: OffsetDateTime, lot: Uuid, location: Uuid, delta: i64, movement: M) {
        self.stock_for(t, lot, location, delta, movement, None);
    }

    /// Changes the stock of `lot` at `location` by `delta`, for a person.
    fn stock_for(
        &mut self,
        t: OffsetDateTime,
        lot_id: Uuid,
        location_id: Uuid,
        delta: i64,
        movement: M,
        person_id: Option<Uuid>,
    ) {
        let body = EventBody::AmmoStockChanged {
            lot_id,
            location_id,
            delta,
            movement,
            person_id,
        };
        self.plan.event_at(t, body);
    }

    /// Whether officer `i` is active and qualified for `class` from `date` until 30
    /// days after today.
    fn sound(&self, i: usize, class: &str, date: Date) -> bool {
        let p = &self.w.people[i];
        let later = self.limit.date() + Duration::days(30);
        p.active && p.qualified(class, date) && p.qualified(class, later)
    }

    /// Long-term assignments on the day before the history: Glock 19 pistols with duty
    /// ammunition to six tactical officers, TASERs to two K9 handlers, body armour.
    pub(super) fn long_term(&mut self, date: Date) {
        let people = self.w.people;
        let mut t = at(date, hm(10, 0));
        let tactical: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].team == Team::Tactical && self.sound(i, PISTOL, date))
            .take(6)
            .collect();
        let w = self.w;
        let (ammo, hollow) = (w.org.sites[HQ].ammo, w.gear.lots.ids.get(HOLLOW_9));
        for person in tactical {
            t += Duration::minutes(4);
            let compact = self
                .slots
                .iter()
                .position(|s| s.model == Some(GLOCK19) && s.free.is_some());
            let Some(slot) = compact else { break };
            self.hand_out(person, slot, t, true);
            self.duty[person].1 = true;
            if let Some(&lot) = hollow {
                let id = Some(people[person].id);
                self.stock_for(
                    t + Duration::minutes(1),
                    lot,
                    ammo,
                    -DUTY_ROUNDS,
                    M::Issue,
                    id,
                );
            }
        }
        let handlers: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].team == Team::Patrol && self.sound(i, TASER, date))
            .take(2)
            .collect();
        for person in handlers {
            t += Duration::minutes(4);
            self.issue(person, TASER, t, true);
        }
        let mut wearers: Vec<usize> = (0..people.len()).filter(|&i| people[i].active).collect();
        self.rng.shuffle(&mut wearers);
        for person in wearers.into_iter().take(12) {
            t += Duration::minutes(3);
            self.issue(person, VEST, t, true);
        }
    }

    /// The events of one history day that are not shift checkouts.
    pub(super) fn specials(&mut self, day: i64, date: Date) {
        let local = |h, m| at(date, hm(h, m));
        let limit = self.limit;
        let past = |t: OffsetDateTime| t < limit;
        if let (2, Some(fix)) = (day, self.w.typo_fix)
            && past(local(10, 0))
        {
            let record = Record::Firearm(fix.clone());
            self.plan.correct_at(local(10, 0), record, TYPO_REASON);
        }
        if let (20, Some((binding_id, item, epc))) = (day, self.w.gear.retag.clone())
            && past(local(10, 32))
        {
            let unbound = EventBody::TagUnbound { binding_id, item };
            self.plan
                .noted_at(local(10, 30), unbound, "Tag damaged; replaced");
            let binding = TagBinding {
                id: Uuid::nil(),
                epc,
                item,
            };
            self.plan
                .create_at(local(10, 32), Record::TagBinding(binding));
        }
        if day == 45 && past(local(10, 5)) {
            self.delivery(local(10, 0), date.year() - 1);
        }
        let range_day = RANGE_DAYS.iter().position(|&d| d == day);
        if let Some(n) = range_day.filter(|_| past(local(12, 20))) {
            self.range_day(n, date);
        }
    }

    /// A new 9 mm ball lot delivered to both sites.
    fn delivery(&mut self, t: OffsetDateTime, year: i32) {
        let lot = AmmoLot {
            id: Uuid::nil(),
            manufacturer: MEN.into(),
            lot_number: format!("MEN-{:02}-0311", year % 100),
            calibre: "9x19mm".into(),
            ammo_type: AmmoType::Ball,
            year_of_manufacture: year,
            country_of_manufacture: Some("DE".into()),
            headstamp: Some(format!("MEN {:02} 9x19", year % 100)),
            status: LotStatus::Serviceable,
        };
        let lot_id = self.plan.create_at(t, Record::AmmoLot(lot));
        for (site, rounds) in [(0, 10_000), (1, 3_000)] {
            let store = self.w.org.sites[site].ammo;
            self.stock(t + Duration::minutes(5), lot_id, store, rounds, M::Receipt);
        }
    }

    /// Range training: rounds move from the ammunition store to the range, each shooter
    /// expends about 50, the rest goes back. After the third range day the lot used so
    /// far is suspended (a correction of the lot record).
    fn range_day(&mut self, n: usize, date: Date) {
        let lot_index = if n < SUSPECT_RANGE_DAYS {
            SUSPECT_9
        } else {
            BALL_9
        };
        let Some(&lot) = self.w.gear.lots.ids.get(lot_index) else {
            return;
        };
        let people = self.w.people;
        let mut shooters: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].active && people[i].qualified(PISTOL, date))
            .collect();
        self.rng.shuffle(&mut shooters);
        shooters.truncate(self.rng.range(6, 8) as usize);
        let (store, range) = (self.w.org.sites[HQ].ammo, self.w.org.range);
        let drawn = 50 * shooters.len() as i64;
        self.stock(at(date, hm(8, 30)), lot, store, -drawn, M::TransferOut);
        self.stock(at(date, hm(8, 31)), lot, range, drawn, M::TransferIn);
        let mut spent = 0;
        for (j, &person) in shooters.iter().enumerate() {
            let rounds = 50 - self.rng.range(0, 6);
            spent += rounds;
            let t = at(date, hm(9, 0)) + Duration::minutes(20 * j as i64);
            let id = Some(people[person].id);
            self.stock_for(t, lot, range, -rounds, M::Expended, id);
        }
        if drawn > spent {
            self.stock(
                at(date, hm(12, 15)),
                lot,
                range,
                spent - drawn,
                M::TransferOut,
            );
            self.stock(
                at(date, hm(12, 16)),
                lot,
                store,
                drawn - spent,
                M::TransferIn,
            );
        }
        let w = self.w;
        if let (true, Some(fix)) = (n + 1 == SUSPECT_RANGE_DAYS, &w.gear.lots.suspended) {
            let record = Record::AmmoLot(fix.clone());
            self.plan
                .correct_at(at(date, hm(12, 20)), record, SUSPEND_REASON);
        }
    }
}
