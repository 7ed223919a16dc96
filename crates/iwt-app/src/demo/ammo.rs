//! Ammunition lots of the demo (9 mm ball and hollow point, 5.56 mm ball and training,
//! 12 gauge slug and shot) and their first receipts into the ammunition stores.
use super::org::Org;
use super::plan::Plan;
use iwt_domain::EventBody;
use iwt_domain::records::{AmmoLot, Record};
use iwt_domain::vocab::{AmmoMovement, AmmoType as T, LotStatus as S};
use uuid::Uuid;

/// Index of 9 mm ball in the lots table.
pub(super) const BALL_9: usize = 0;
/// Index of 9 mm hollow point in the lots table.
pub(super) const HOLLOW_9: usize = 1;
/// Index of the 9 mm lot that is suspended later.
pub(super) const SUSPECT_9: usize = 2;

/// Manufacturer, lot, calibre, type, year, country, headstamp, status, rounds received
/// at headquarters and at the district station.
type LotSpec = (
    &'static str,
    &'static str,
    &'static str,
    T,
    i32,
    &'static str,
    &'static str,
    S,
    [i64; 2],
);

/// The 9 mm ball maker (also delivers a new lot during the history).
pub(super) const MEN: &str = "MEN Metallwerk Elisenhütte GmbH";
const FEDERAL: &str = "Federal Cartridge Company";
const RUAG: &str = "RUAG Ammotec GmbH";
const NATO: &str = "5.56x45mm NATO";

#[rustfmt::skip]
const LOTS: [LotSpec; 7] = [
    (MEN, "MEN-22-0417", "9x19mm", T::Ball, 2022, "DE", "MEN 22 9x19", S::Serviceable, [24_000, 6_000]),
    (RUAG, "RA4-2231-08", "9x19mm", T::HollowPoint, 2023, "DE", "RUAG 9mm LUGER", S::Serviceable, [6_000, 2_000]),
    ("Sellier & Bellot a.s.", "SB-21-0513", "9x19mm", T::Ball, 2021, "CZ", "S&B 9mm LUGER", S::Serviceable, [8_000, 0]),
    (FEDERAL, "FED-23A117", NATO, T::Ball, 2023, "US", "FC 23", S::Serviceable, [10_000, 1_000]),
    (MEN, "MEN-19-0912", NATO, T::Training, 2019, "DE", "MEN 19", S::Restricted, [3_000, 0]),
    (RUAG, "RWS-SL-2204", "12 gauge", T::Slug, 2022, "DE", "", S::Serviceable, [500, 200]),
    (FEDERAL, "FED-12-00B-2305", "12 gauge", T::Shot, 2023, "US", "", S::Serviceable, [500, 200]),
];

/// The lots: ids in table order, and the suspect lot's record as it is corrected later.
pub(super) struct Lots {
    /// Lot ids, in table order.
    pub(super) ids: Vec<Uuid>,
    /// The suspect lot, suspended.
    pub(super) suspended: Option<AmmoLot>,
}

/// Creates the lots and receives their stock.
pub(super) fn create(plan: &mut Plan, org: &Org) -> Lots {
    let mut lots = Lots {
        ids: Vec::new(),
        suspended: None,
    };
    for (i, spec) in LOTS.into_iter().enumerate() {
        let (manufacturer, lot_number, calibre, ammo_type, year, country, headstamp, status, stock) =
            spec;
        let lot = AmmoLot {
            id: Uuid::now_v7(),
            manufacturer: manufacturer.into(),
            lot_number: lot_number.into(),
            calibre: calibre.into(),
            ammo_type,
            year_of_manufacture: year,
            country_of_manufacture: Some(country.into()),
            headstamp: Some(headstamp.to_owned()).filter(|h| !h.is_empty()),
            status,
        };
        if i == SUSPECT_9 {
            lots.suspended = Some(AmmoLot {
                status: S::Suspended,
                ..lot.clone()
            });
        }
        let lot_id = plan.create(Record::AmmoLot(lot));
        for (site, delta) in stock.into_iter().enumerate().filter(|(_, q)| *q > 0) {
            plan.event(EventBody::AmmoStockChanged {
                lot_id,
                location_id: org.sites[site].ammo,
                delta,
                movement: AmmoMovement::Receipt,
                person_id: None,
            });
        }
        lots.ids.push(lot_id);
    }
    lots
}
