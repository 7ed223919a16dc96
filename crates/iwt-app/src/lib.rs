//! Use cases of IoTWeaponTracker. Every command goes through the [`Sequencer`], the one
//! writer that validates it against the projections, appends it to the ledger and
//! updates the projections in the same transaction (group commit: one fsync a batch).
pub mod auth;
pub mod commands;
pub mod demo;
pub mod error;
pub mod proofs;
pub mod queries;
pub mod sequencer;
pub mod verify;

pub use error::AppError;
pub use iwt_store::{Page, PageReq, StoreError};
pub use sequencer::{Appended, Command, Sequencer};

use iwt_domain::Clock;
use iwt_store::Store;
use std::sync::Arc;

/// The application: storage, the sequencer and the clock.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    seq: Sequencer,
    clock: Arc<dyn Clock>,
}

impl App {
    /// Starts the sequencer over `store`.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        let seq = Sequencer::spawn(store.clone(), sequencer::Config::default());
        Self { store, seq, clock }
    }

    /// The store (read access for queries and verification).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The sequencer.
    pub fn sequencer(&self) -> &Sequencer {
        &self.seq
    }
}
