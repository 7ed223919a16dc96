//! Demo data: seeds a realistic armory through the ordinary commands, so that every
//! record is a ledger event: two sites (a police headquarters armory and a district
//! station) with vaults, racks, issue windows, doors and read points; three units,
//! posts, shifts and assignment types; 66 officers with qualifications; 161 firearms of
//! seven models with their markings; spare parts, equipment, ammunition lots and RFID
//! tags; about 90 days of back-dated custody history; and one login account per role.
//! The same `rng_seed` yields the same data (except ids, times relative to today, and
//! the account passwords, which are always random).
mod accounts;
mod ammo;
mod armory;
mod events;
mod gear;
mod history;
mod incidents;
mod local;
mod models;
mod org;
mod people;
mod plan;
mod rng;
mod tags;
#[cfg(test)]
mod tests;

use crate::{App, AppError};
use iwt_domain::{DomainError, Role};
use time::Duration;

/// A demo login account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// User name, e.g. `demo-admin`.
    pub username: String,
    /// The generated password (shown once).
    pub password: String,
    /// Its role.
    pub role: Role,
}

/// What was seeded.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// One account per role.
    pub accounts: Vec<DemoAccount>,
    /// Ledger entries after seeding.
    pub events: u64,
    /// Firearms registered.
    pub firearms: usize,
    /// Personnel on the roster.
    pub personnel: usize,
}

/// Seeds a realistic demo armory through the normal commands (every record is a ledger
/// event). Fails if the ledger is not empty.
pub async fn seed(app: &App, rng_seed: u64) -> Result<DemoSummary, AppError> {
    if app.store().log_state().await?.size != 0 {
        return Err(DomainError::InvalidState(
            "demo data can only be seeded into an empty ledger".into(),
        )
        .into());
    }
    let now = app.clock().now();
    let today = now.date();
    let mut rng = rng::Rng::new(rng_seed);
    // The registry is entered two days before the history starts.
    let setup_day = today - Duration::days(history::DAYS + 2);
    let mut plan = plan::Plan::new(local::at(setup_day, local::hm(8, 0)));
    let org = org::build(&mut plan);
    let people = people::build(&mut plan, &mut rng.fork(1), &org.units, today);
    let armory = armory::build(&mut plan, &mut rng.fork(2), &org, today.year());
    let gear = gear::build(&mut plan, &mut rng.fork(3), &org, &armory.guns);
    let world = history::World {
        org: &org,
        people: &people,
        guns: &armory.guns,
        gear: &gear,
        typo_fix: armory.typo_fix.as_ref(),
    };
    history::build(&mut plan, rng.fork(4), &world, now);
    plan::submit(app, plan.into_sorted()).await?;
    let accounts = accounts::create(app).await?;
    Ok(DemoSummary {
        accounts,
        events: app.store().log_state().await?.size,
        firearms: armory.guns.len(),
        personnel: people.len(),
    })
}
