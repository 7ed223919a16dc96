//! The PostgreSQL adapter. Every write transaction takes a transaction-scoped advisory
//! lock, so only one sequencer (of any instance) appends at a time and the log cannot
//! fork.
use crate::sql::impl_sql_store;
use sqlx::postgres::{PgPool, PgPoolOptions};

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
        let write = PgPoolOptions::new().max_connections(2).connect(url).await?;
        sqlx::migrate!("../../migrations/postgres")
            .run(&write)
            .await?;
        let read = PgPoolOptions::new().max_connections(8).connect(url).await?;
        Ok(Self { read, write })
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
