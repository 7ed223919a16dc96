//! The SQLite adapter: WAL, `synchronous=FULL`, a busy timeout, one writer connection
//! whose transactions start with `BEGIN IMMEDIATE`, and a small pool of readers.
use crate::sql::impl_sql_store;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at a `sqlite://PATH` URL and migrates it.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await?;
        sqlx::migrate!("../../migrations/sqlite")
            .run(&write)
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        let store = Self { read, write };
        store.backfill_hashes().await?;
        Ok(store)
    }

    async fn begin_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        // Take the write lock up front so that a batch never fails half-way on a
        // lock upgrade (SQLITE_BUSY) when another process writes too.
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes both pools.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

impl_sql_store!(SqliteStore, SqliteTx, sqlx::Sqlite, "sqlite");
crate::batch::impl_batch_ops!(SqliteTx, sqlx::Sqlite);
crate::backfill::impl_backfill!(SqliteStore, SqliteTx);
