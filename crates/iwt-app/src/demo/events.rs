//! The special events of the demo history: long-term assignments with duty ammunition,
//! range days (ammunition moved to the range and expended), a new ammunition delivery,
//! a replaced RFID tag, and two record corrections (a mistyped serial, and the lot
//! suspended after misfires at the range).
use super::armory::GLOCK19;
use super::gear::{BALL_9, HOLLOW_9, SUSPECT_9};
use super::history::Sim;
use super::local::{at, hm};
use super::org::HQ;
use super::people::{PISTOL, TASER, Team};
use iwt_domain::EventBody;
use iwt_domain::records::{AmmoLot, Record, TagBinding};
use iwt_domain::vocab::{AmmoMovement, AmmoType, LotStatus};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// Days (from the start of the history) with range training at headquarters.
const RANGE_DAYS: [i64; 7] = [5, 19, 33, 47, 61, 75, 89];
/// Range days shot with the lot that is later suspended.
const SUSPECT_RANGE_DAYS: usize = 3;
/// Rounds of duty ammunition issued with a long-term pistol (three magazines).
const DUTY_ROUNDS: i64 = 51;

impl Sim<'_, '_> {
    fn stock(
        &mut self,
        t: OffsetDateTime,
        lot_id: Uuid,
        location_id: Uuid,
        delta: i64,
        movement: AmmoMovement,
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

    /// Long-term assignments on the day before the history: pistols with duty
    /// ammunition to six tactical officers, TASERs to two K9 handlers, body armour.
    pub(super) fn long_term(&mut self, date: Date) {
        let people = self.w.people;
        let today = self.limit.date();
        let sound = |i: usize, class: &str| {
            people[i].active
                && people[i].qualified(class, date)
                && people[i].qualified(class, today + Duration::days(30))
        };
        let mut t = at(date, hm(10, 0));
        let tactical: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].team == Team::Tactical && sound(i, PISTOL))
            .take(6)
            .collect();
        let ammo = self.w.org.sites[HQ].ammo;
        for person in tactical {
            t += Duration::minutes(4);
            let compact = self
                .slots
                .iter()
                .position(|s| s.model == Some(GLOCK19) && s.free.is_some());
            let handed = match compact {
                Some(slot) => {
                    self.hand_out(person, slot, t, true);
                    true
                }
                None => self.issue(person, PISTOL, t, true).is_some(),
            };
            if handed {
                self.duty[person].1 = true;
                let lot = self.w.gear.lots.get(HOLLOW_9).copied();
                if let Some(lot) = lot {
                    self.stock(
                        t + Duration::minutes(1),
                        lot,
                        ammo,
                        -DUTY_ROUNDS,
                        AmmoMovement::Issue,
                        Some(people[person].id),
                    );
                }
            }
        }
        let handlers: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].team == Team::Patrol && sound(i, TASER))
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
            self.issue(person, "VEST", t, true);
        }
    }

    /// The events of one history day that are not shift checkouts.
    pub(super) fn specials(&mut self, day: i64, date: Date) {
        let at_local = |h, m| at(date, hm(h, m));
        if day == 2 && at_local(10, 0) < self.limit {
            if let Some(fix) = self.w.typo_fix {
                let why = "Serial number transposed at registration; verified against the frame marking during inventory";
                self.plan
                    .correct_at(at_local(10, 0), Record::Firearm(fix.clone()), why);
            }
        }
        if day == 20 && at_local(10, 32) < self.limit {
            if let Some((binding_id, item, epc)) = self.w.gear.retag.clone() {
                self.plan.noted_at(
                    at_local(10, 30),
                    EventBody::TagUnbound { binding_id, item },
                    "Tag damaged; replaced",
                );
                let binding = TagBinding {
                    id: Uuid::nil(),
                    epc,
                    item,
                };
                self.plan
                    .create_at(at_local(10, 32), Record::TagBinding(binding));
            }
        }
        if day == 45 && at_local(10, 5) < self.limit {
            self.delivery(at_local(10, 0), date.year() - 1);
        }
        if let Some(n) = RANGE_DAYS.iter().position(|&d| d == day) {
            if at_local(12, 20) < self.limit {
                self.range_day(n, date);
            }
        }
    }

    /// A new 9 mm ball lot delivered to both sites.
    fn delivery(&mut self, t: OffsetDateTime, year: i32) {
        let lot = AmmoLot {
            id: Uuid::nil(),
            manufacturer: "MEN Metallwerk Elisenhütte GmbH".into(),
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
            self.stock(
                t + Duration::minutes(5),
                lot_id,
                store,
                rounds,
                AmmoMovement::Receipt,
                None,
            );
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
        let Some(lot) = self.w.gear.lots.get(lot_index).copied() else {
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
        self.stock(
            at(date, hm(8, 30)),
            lot,
            store,
            -drawn,
            AmmoMovement::TransferOut,
            None,
        );
        self.stock(
            at(date, hm(8, 31)),
            lot,
            range,
            drawn,
            AmmoMovement::TransferIn,
            None,
        );
        let mut spent = 0;
        for (j, &person) in shooters.iter().enumerate() {
            let rounds = 50 - self.rng.range(0, 6);
            spent += rounds;
            let t = at(date, hm(9, 0)) + Duration::minutes(20 * j as i64);
            self.stock(
                t,
                lot,
                range,
                -rounds,
                AmmoMovement::Expended,
                Some(people[person].id),
            );
        }
        if drawn > spent {
            self.stock(
                at(date, hm(12, 15)),
                lot,
                range,
                spent - drawn,
                AmmoMovement::TransferOut,
                None,
            );
            self.stock(
                at(date, hm(12, 16)),
                lot,
                store,
                drawn - spent,
                AmmoMovement::TransferIn,
                None,
            );
        }
        if n + 1 == SUSPECT_RANGE_DAYS {
            if let Some(fix) = &self.w.gear.suspended {
                let why = "Lot suspended: repeated misfires and hang-fires at range training, pending inspection";
                self.plan
                    .correct_at(at(date, hm(12, 20)), Record::AmmoLot(fix.clone()), why);
            }
        }
    }
}
