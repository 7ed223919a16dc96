//! The storage port and its two adapters (SQLite, PostgreSQL). Both adapters run the
//! same SQL through one macro, and the same conformance suite checks both.
//!
//! Storage knows rows, not rules: it appends ledger entries, writes projection rows and
//! keys that the domain computed, and answers reads. Every write happens inside a
//! [`WriteTx`], which the sequencer owns; there is no update or delete of ledger rows.
#![warn(missing_docs)]

mod backfill;
mod batch;
pub mod conformance;
mod error;
mod postgres;
pub mod scratch;
mod sql;
mod sqlite;
mod types;

pub use error::StoreError;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use types::*;

use async_trait::async_trait;
use iwt_domain::EntityKind;
use iwt_domain::projection::Row;
use serde_json::Value;
use std::sync::Arc;
use uuid::Uuid;

/// Read access and the entry point for writes.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is (`sqlite` or `postgres`).
    fn backend(&self) -> &'static str;
    /// Starts the one write transaction (SQLite `BEGIN IMMEDIATE`; PostgreSQL takes the
    /// ledger's advisory lock so that a second instance cannot fork the log).
    async fn begin_write(&self) -> Result<Box<dyn WriteTx>, StoreError>;
    /// Answers when the database is reachable.
    async fn ping(&self) -> Result<(), StoreError>;
    /// The committed tree state.
    async fn log_state(&self) -> Result<LogState, StoreError>;
    /// Up to `limit` entries with index >= `from`, in index order.
    async fn entries(&self, from: u64, limit: u32) -> Result<Vec<StoredEntry>, StoreError>;
    /// The entry at `idx`.
    async fn entry(&self, idx: u64) -> Result<Option<StoredEntry>, StoreError>;
    /// Stored tree hashes at these positions of the Go sumdb/tlog layout (see
    /// `iwt_ledger::stored`); positions not (yet) stored are left out.
    async fn stored_hashes(&self, idxs: &[u64]) -> Result<Vec<(u64, [u8; 32])>, StoreError>;
    /// The entry with this event id.
    async fn entry_by_event_id(&self, event_id: Uuid) -> Result<Option<StoredEntry>, StoreError>;
    /// Entries about a subject, in index order.
    async fn subject_entries(
        &self,
        subject: Uuid,
        page: PageReq,
    ) -> Result<Vec<StoredEntry>, StoreError>;
    /// A projection document.
    async fn doc(&self, kind: EntityKind, id: Uuid) -> Result<Option<Value>, StoreError>;
    /// Projection documents of a kind, ordered by id.
    async fn list_docs(&self, kind: EntityKind, page: PageReq) -> Result<Page<Value>, StoreError>;
    /// Documents of `kind` holding key `name` equal to (or starting with) `value`.
    async fn find_by_key(
        &self,
        kind: EntityKind,
        name: &str,
        value: &str,
        prefix: bool,
        page: PageReq,
    ) -> Result<Page<Value>, StoreError>;
    /// Every projection row with its keys (for verification), ordered by kind and id.
    async fn all_rows(&self) -> Result<Vec<Row>, StoreError>;
    /// Every stored personal-data record.
    async fn all_personal_data(&self) -> Result<Vec<PersonalRecord>, StoreError>;
    /// A credential by principal id.
    async fn credential(&self, principal_id: Uuid) -> Result<Option<Credential>, StoreError>;
    /// A password credential by user name (case-insensitive).
    async fn credential_by_username(
        &self,
        username: &str,
    ) -> Result<Option<Credential>, StoreError>;
    /// Number of password accounts.
    async fn account_count(&self) -> Result<u64, StoreError>;
    /// A setting.
    async fn setting(&self, name: &str) -> Result<Option<String>, StoreError>;
    /// Deletes a setting if it holds `value`; true when this call deleted it (so that
    /// of several concurrent callers exactly one wins).
    async fn take_setting(&self, name: &str, value: &str) -> Result<bool, StoreError>;
    /// Writes a setting (outside the ledger: set-up codes and similar local state).
    async fn put_setting(&self, name: &str, value: Option<&str>) -> Result<(), StoreError>;
}

/// The write transaction. Reads see the transaction's own earlier writes.
#[async_trait]
pub trait WriteTx: Send {
    /// The tree state as of this transaction.
    async fn log_state(&mut self) -> Result<LogState, StoreError>;
    /// Stores the new tree state.
    async fn set_log_state(&mut self, state: &LogState) -> Result<(), StoreError>;
    /// The index of an already appended event with this id (idempotency).
    async fn index_of_event(&mut self, event_id: Uuid) -> Result<Option<u64>, StoreError>;
    /// A projection document.
    async fn doc(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<Value>, StoreError>;
    /// The record of `kind` holding unique key `name` = `value`.
    async fn key_owner(
        &mut self,
        kind: EntityKind,
        name: &str,
        value: &str,
    ) -> Result<Option<Uuid>, StoreError>;
    /// The latest index at which `subject` appears.
    async fn subject_head(&mut self, subject: Uuid) -> Result<Option<u64>, StoreError>;
    /// Whether the entry at `idx` has `subject` among its subjects.
    async fn subject_has(&mut self, subject: Uuid, idx: u64) -> Result<bool, StoreError>;
    /// Appends a ledger entry and indexes its subjects.
    async fn append(&mut self, entry: &NewEntry<'_>) -> Result<(), StoreError>;
    /// Replaces a projection row and its keys.
    async fn put_row(&mut self, row: &Row) -> Result<(), StoreError>;
    /// Stores personal data committed to by an entry.
    async fn put_personal(&mut self, rec: &PersonalRecord) -> Result<(), StoreError>;
    /// Stores a credential.
    async fn put_credential(&mut self, cred: &Credential) -> Result<(), StoreError>;
    /// The documents that exist among these, for a whole batch.
    async fn load_docs(
        &mut self,
        wanted: &[(EntityKind, Uuid)],
    ) -> Result<Vec<(EntityKind, Uuid, Value)>, StoreError>;
    /// Holders of these unique keys (kind, key name, value): (kind, name, value, owner).
    async fn load_unique_keys(
        &mut self,
        wanted: &[(EntityKind, String, String)],
    ) -> Result<Vec<(EntityKind, String, String, Uuid)>, StoreError>;
    /// The latest index of each subject that has events.
    async fn load_heads(&mut self, subjects: &[Uuid]) -> Result<Vec<(Uuid, u64)>, StoreError>;
    /// Index and leaf hash of already appended events among these ids.
    async fn load_event_indices(
        &mut self,
        event_ids: &[Uuid],
    ) -> Result<Vec<(Uuid, u64, [u8; 32])>, StoreError>;
    /// Writes a whole batch: entries with their subjects, final projection rows (one per
    /// kind and id) with their keys, personal data and credentials.
    async fn write_batch(&mut self, batch: &BatchWrite<'_>) -> Result<(), StoreError>;
    /// Commits (one fsync).
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// Opens the store named by a URL: `sqlite://PATH` (created if missing) or
/// `postgres://...`, applies migrations, and backfills the stored tree hashes of a
/// database written before they were stored.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PgStore::open(url).await?))
    } else {
        Err(StoreError::Config(format!(
            "unsupported database URL scheme in `{}` (use sqlite:// or postgres://)",
            redact_url(url)
        )))
    }
}

/// A database URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}
