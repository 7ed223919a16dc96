//! The PostgreSQL adapter. Every write transaction takes a transaction-scoped advisory
//! lock, so only one sequencer (of any instance) appends at a time and the log cannot
//! fork.
use crate::sql::impl_sql_store;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;

/// Advisory lock key of the ledger ("IWTLEDGR" as a big-endian integer).
const LEDGER_LOCK: i64 = 0x4957_544c_4544_4752;

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PgStore {
    read: PgPool,
    write: PgPool,
}

impl PgStore {
    /// Connects to a `postgres://` URL and migrates the database.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?
            // Plans cached while the tables were small (sequential scans) must not stick
            // as the ledger grows: plan every execution with its actual parameters.
            .options([("plan_cache_mode", "force_custom_plan")]);
        let write = PgPoolOptions::new()
            .max_connections(2)
            .connect_with(opts.clone())
            .await?;
        sqlx::migrate!("../../migrations/postgres")
            .run(&write)
            .await?;
        let read = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        let store = Self { read, write };
        store.backfill_hashes().await?;
        Ok(store)
    }

    async fn begin_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LEDGER_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// Closes both pools.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

impl_sql_store!(PgStore, PgTx, sqlx::Postgres, "postgres");
crate::batch::impl_batch_ops!(PgTx, sqlx::Postgres);
crate::backfill::impl_backfill!(PgStore, PgTx);
