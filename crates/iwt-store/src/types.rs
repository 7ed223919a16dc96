//! Plain values crossing the storage port.
use uuid::Uuid;

/// The tree state: size, root and the right edge needed to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogState {
    /// Number of entries.
    pub size: u64,
    /// RFC 6962 root hash.
    pub root: [u8; 32],
    /// Serialized [`iwt_ledger::Frontier`].
    pub frontier: Vec<u8>,
}

/// A stored ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// Index in the log.
    pub idx: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Canonical leaf bytes.
    pub leaf: Vec<u8>,
    /// Stored leaf hash.
    pub leaf_hash: [u8; 32],
}

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// Index in the log.
    pub idx: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Event type code.
    pub event_type: u16,
    /// Occurred-at, UTC microseconds.
    pub occurred_at_us: i64,
    /// Canonical leaf bytes.
    pub leaf: &'a [u8],
    /// RFC 6962 leaf hash.
    pub leaf_hash: [u8; 32],
    /// Subjects (kind name, id) to index.
    pub subjects: Vec<(&'static str, Uuid)>,
}

/// Personal data kept off the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalRecord {
    /// The event that commits to it.
    pub event_id: Uuid,
    /// The person.
    pub subject_id: Uuid,
    /// Salt of the commitment.
    pub salt: [u8; 16],
    /// The data as JSON text.
    pub data: String,
}

/// A login or API credential (hashes only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The account or token id (the actor id).
    pub principal_id: Uuid,
    /// For a session, the account it belongs to.
    pub account_id: Option<Uuid>,
    /// `password`, `api_token` or `session`.
    pub kind: String,
    /// User name for password accounts.
    pub username: Option<String>,
    /// Argon2id PHC string or SHA-256 hex of the token secret.
    pub secret_hash: String,
    /// Role name.
    pub role: String,
    /// Display name.
    pub name: String,
    /// Created, UTC microseconds.
    pub created_at_us: i64,
    /// Expiry, UTC microseconds.
    pub expires_at_us: Option<i64>,
    /// Revocation time, UTC microseconds.
    pub revoked_at_us: Option<i64>,
}

/// A page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageReq {
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return (at most 1000).
    pub limit: u32,
}

impl Default for PageReq {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 100,
        }
    }
}

/// A page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Total matching rows.
    pub total: u64,
}

/// Everything one sequencer batch writes.
#[derive(Debug, Default)]
pub struct BatchWrite<'a> {
    /// New entries in index order.
    pub entries: Vec<NewEntry<'a>>,
    /// Final projection rows, at most one per kind and id.
    pub rows: Vec<iwt_domain::projection::Row>,
    /// Rows among `rows` that existed before the batch (their old keys are replaced);
    /// rows created by the batch have no keys to delete.
    pub replaced: Vec<(iwt_domain::EntityKind, Uuid)>,
    /// Personal data committed to by the entries.
    pub personal: Vec<PersonalRecord>,
    /// Credentials created with the entries.
    pub credentials: Vec<Credential>,
    /// New stored hashes of the tree (position in the Go sumdb/tlog layout, hash), in
    /// position order: see `iwt_ledger::stored`.
    pub hashes: Vec<(u64, [u8; 32])>,
}
