//! The storage conformance suite: one set of backend-agnostic cases that every
//! [`Store`] adapter must pass, plus the small harness the tests of this and other
//! crates use to get a fresh database of either backend.
//!
//! The cases drive the store directly (through [`WriteTx`] with hand-built entries and
//! rows); they know nothing of the sequencer or the domain rules. Each case takes a
//! [`TestDb`], opens one or more stores on it and panics on the first failed check.
//!
//! [`store_conformance_tests!`](crate::store_conformance_tests) generates one
//! `#[tokio::test]` per case for a backend:
//!
//! ```ignore
//! iwt_store::store_conformance_tests!(iwt_store::conformance::Backend::Sqlite);
//! ```
//!
//! PostgreSQL cases run when `IWT_TEST_PG_URL` names a server (e.g.
//! `postgres://postgres@127.0.0.1:5432/test`); each case gets its own database, created
//! as `iwt_t_<random hex>` and dropped afterwards. Without the variable they are
//! skipped with a note on stderr.
//!
//! The suite is test support: it panics instead of returning errors.
use crate::{Credential, LogState, NewEntry, PageReq, PersonalRecord, Store, StoreError, WriteTx};
use iwt_domain::EntityKind;
use iwt_domain::projection::Row;
use iwt_domain::records::Key;
use iwt_ledger::{EMPTY_ROOT, Frontier, leaf_hash};
use serde_json::{Value, json};
use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// The environment variable naming the PostgreSQL server used by tests.
pub const PG_URL_ENV: &str = "IWT_TEST_PG_URL";

/// A storage backend under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite in a temporary directory.
    Sqlite,
    /// A fresh database on the server named by [`PG_URL_ENV`].
    Postgres,
}

/// Raw SQL on a test database, beside the store: the tamper and append-only tests edit
/// tables the way an attacker with database access would. Never used by the product.
#[derive(Debug, Clone)]
pub enum RawSql {
    /// A SQLite connection pool on the test file.
    Sqlite(sqlx::SqlitePool),
    /// A PostgreSQL connection pool on the test database.
    Postgres(sqlx::PgPool),
}

impl RawSql {
    /// Runs one or more statements; returns the rows affected.
    pub async fn execute(&self, sql: &str) -> Result<u64, StoreError> {
        let q = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()));
        Ok(match self {
            RawSql::Sqlite(p) => q.execute(p).await?.rows_affected(),
            RawSql::Postgres(p) => q.execute(p).await?.rows_affected(),
        })
    }

    /// Runs a query returning one integer (e.g. a `COUNT(*)`).
    pub async fn fetch_i64(&self, sql: &str) -> Result<i64, StoreError> {
        let q = sqlx::AssertSqlSafe(sql.to_owned());
        let (v,): (i64,) = match self {
            RawSql::Sqlite(p) => sqlx::query_as(q).fetch_one(p).await?,
            RawSql::Postgres(p) => sqlx::query_as(q).fetch_one(p).await?,
        };
        Ok(v)
    }

    /// A SQL literal of these bytes (`X'..'` or `'\x..'::bytea`).
    pub fn blob(&self, bytes: &[u8]) -> String {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        match self {
            RawSql::Sqlite(_) => format!("X'{hex}'"),
            RawSql::Postgres(_) => format!("'\\x{hex}'::bytea"),
        }
    }

    /// Removes the append-only guard of `log_entries` (as an attacker with full database
    /// access could), so that tamper tests can edit and delete ledger rows.
    pub async fn drop_append_only_guard(&self) -> Result<(), StoreError> {
        match self {
            RawSql::Sqlite(_) => {
                self.execute(
                    "DROP TRIGGER log_entries_no_update; DROP TRIGGER log_entries_no_delete;",
                )
                .await?;
            }
            RawSql::Postgres(_) => {
                self.execute("ALTER TABLE log_entries DISABLE TRIGGER USER")
                    .await?;
            }
        }
        Ok(())
    }

    async fn close(&self) {
        match self {
            RawSql::Sqlite(p) => p.close().await,
            RawSql::Postgres(p) => p.close().await,
        }
    }
}

/// A fresh, empty test database of one backend.
#[derive(Debug)]
pub struct TestDb {
    /// The backend.
    pub backend: Backend,
    /// The URL to open stores with.
    pub url: String,
    /// Raw SQL access to the same database.
    pub raw: RawSql,
    /// What to remove afterwards.
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

fn random_hex() -> String {
    Uuid::new_v4().simple().to_string()
}

/// Replaces the database name of a `postgres://` URL, keeping any query string.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl TestDb {
    /// Creates a fresh database; `None` (with a note on stderr) for PostgreSQL when
    /// [`PG_URL_ENV`] is not set.
    pub async fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("iwt_t_{}", random_hex()));
                std::fs::create_dir_all(&dir).expect("create temporary directory");
                let url = format!("sqlite://{}/t.db", dir.display());
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
                    .expect("SQLite URL")
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(30));
                let raw = RawSql::Sqlite(
                    sqlx::sqlite::SqlitePoolOptions::new()
                        .max_connections(1)
                        .connect_lazy_with(opts),
                );
                Some(TestDb {
                    backend,
                    url,
                    raw,
                    cleanup: Cleanup::Dir(dir),
                })
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var(PG_URL_ENV) else {
                    eprintln!("note: {PG_URL_ENV} is not set; skipping a PostgreSQL test");
                    return None;
                };
                let name = format!("iwt_t_{}", random_hex());
                let admin = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(&admin_url)
                    .await
                    .expect("connect to the PostgreSQL test server");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&admin)
                    .await
                    .expect("create test database");
                admin.close().await;
                let url = with_database(&admin_url, &name);
                let raw = RawSql::Postgres(
                    sqlx::postgres::PgPoolOptions::new()
                        .max_connections(2)
                        .connect_lazy(&url)
                        .expect("PostgreSQL URL"),
                );
                Some(TestDb {
                    backend,
                    url,
                    raw,
                    cleanup: Cleanup::PgDatabase { admin_url, name },
                })
            }
        }
    }

    /// Opens a store on this database (migrating it); may be called more than once to
    /// simulate several instances of the server.
    pub async fn open(&self) -> Arc<dyn Store> {
        crate::open(&self.url).await.expect("open the store")
    }

    /// Removes the database (best effort).
    pub async fn cleanup(&self) {
        self.raw.close().await;
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(admin) = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(admin_url)
                    .await
                {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                        .execute(&admin)
                        .await
                    {
                        eprintln!("note: could not drop test database {name}: {e}");
                    }
                    admin.close().await;
                }
            }
        }
    }
}

/// Runs `f` on a fresh database of `backend` and removes the database afterwards, also
/// when `f` panics (the panic is then passed on). Skips PostgreSQL without
/// [`PG_URL_ENV`].
pub async fn with_test_db<F, Fut>(backend: Backend, f: F)
where
    F: FnOnce(Arc<TestDb>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = TestDb::create(backend).await else {
        return;
    };
    let db = Arc::new(db);
    let outcome = tokio::spawn(f(db.clone())).await;
    db.cleanup().await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
}

/// Generates one `#[tokio::test]` per conformance case for a [`Backend`] expression.
#[macro_export]
macro_rules! store_conformance_tests {
    ($backend:expr) => {
        $crate::store_conformance_tests!(@cases $backend;
            case_ping_and_backend,
            case_empty_log_state,
            case_append_and_read_back,
            case_reads_inside_write_tx,
            case_find_by_key_exact_and_prefix,
            case_keys_replaced_on_put_row,
            case_unique_key_conflict,
            case_duplicate_entry_conflict,
            case_rollback_on_drop,
            case_ledger_append_only,
            case_credentials_round_trip,
            case_settings,
            case_personal_data_round_trip,
            case_all_rows,
            case_writers_are_serialized,
            case_lookups_with_nul,
        );
    };
    (@cases $backend:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $crate::conformance::with_test_db($backend, |db| async move {
                    $crate::conformance::$case(db).await;
                })
                .await;
            }
        )*
    };
}

/// Names of every case, in the order [`store_conformance_tests!`](crate::store_conformance_tests) runs them.
pub const CASES: &[&str] = &[
    "case_ping_and_backend",
    "case_empty_log_state",
    "case_append_and_read_back",
    "case_reads_inside_write_tx",
    "case_find_by_key_exact_and_prefix",
    "case_keys_replaced_on_put_row",
    "case_unique_key_conflict",
    "case_duplicate_entry_conflict",
    "case_rollback_on_drop",
    "case_ledger_append_only",
    "case_credentials_round_trip",
    "case_settings",
    "case_personal_data_round_trip",
    "case_all_rows",
    "case_writers_are_serialized",
    "case_lookups_with_nul",
];

// ---------------------------------------------------------------------------------
// Building blocks

/// A hand-built ledger entry (the store never decodes leaves).
#[derive(Debug, Clone)]
struct Entry {
    idx: u64,
    event_id: Uuid,
    leaf: Vec<u8>,
    subjects: Vec<(&'static str, Uuid)>,
}

impl Entry {
    fn new(idx: u64, subjects: Vec<(&'static str, Uuid)>) -> Self {
        // Every byte value, including NUL, must survive the round trip.
        let mut leaf: Vec<u8> = (0..=255u8).collect();
        leaf.extend_from_slice(&idx.to_be_bytes());
        Self {
            idx,
            event_id: Uuid::now_v7(),
            leaf,
            subjects,
        }
    }

    fn new_entry(&self) -> NewEntry<'_> {
        NewEntry {
            idx: self.idx,
            event_id: self.event_id,
            event_type: 1,
            occurred_at_us: 1_700_000_000_000_000 + i64::try_from(self.idx).unwrap_or(0),
            leaf: &self.leaf,
            leaf_hash: leaf_hash(&self.leaf),
            subjects: self.subjects.clone(),
        }
    }

    fn stored(&self) -> crate::StoredEntry {
        crate::StoredEntry {
            idx: self.idx,
            event_id: self.event_id,
            leaf: self.leaf.clone(),
            leaf_hash: leaf_hash(&self.leaf),
        }
    }
}

/// Appends `entries` (continuing `frontier`) and stores the new tree state.
async fn append_all(tx: &mut dyn WriteTx, frontier: &mut Frontier, entries: &[Entry]) -> LogState {
    for e in entries {
        assert_eq!(e.idx, frontier.size(), "test entries must be contiguous");
        tx.append(&e.new_entry()).await.expect("append");
        frontier.push(leaf_hash(&e.leaf));
    }
    let state = LogState {
        size: frontier.size(),
        root: frontier.root(),
        frontier: frontier.to_bytes(),
    };
    tx.set_log_state(&state).await.expect("set_log_state");
    state
}

/// A minimal projection row.
fn row(kind: EntityKind, id: Uuid, updated_index: u64, record: Value, keys: Vec<Key>) -> Row {
    let doc = json!({
        "kind": kind, "id": id, "record": record, "personal": null, "state": {},
        "created_index": updated_index, "updated_index": updated_index, "corrections": [],
    });
    Row {
        kind,
        id,
        doc,
        keys,
    }
}

fn unique(name: &str, value: &str) -> Key {
    Key {
        name: name.to_owned(),
        value: value.to_owned(),
        unique: true,
    }
}

fn search(name: &str, value: &str) -> Key {
    Key {
        name: name.to_owned(),
        value: value.to_owned(),
        unique: false,
    }
}

fn page(offset: u64, limit: u32) -> PageReq {
    PageReq { offset, limit }
}

fn ids(docs: &[Value]) -> Vec<Uuid> {
    docs.iter()
        .map(|d| {
            d["id"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .expect("doc has an id")
        })
        .collect()
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// `n` fresh UUIDv4 ids (random order, unlike v7).
fn fresh_ids(n: usize) -> Vec<Uuid> {
    (0..n).map(|_| Uuid::new_v4()).collect()
}

async fn commit_rows(store: &dyn Store, rows: &[Row]) {
    let mut tx = store.begin_write().await.expect("begin_write");
    for r in rows {
        tx.put_row(r).await.expect("put_row");
    }
    tx.commit().await.expect("commit");
}

fn credential(kind: &str, username: Option<&str>, role: &str) -> Credential {
    Credential {
        principal_id: Uuid::now_v7(),
        account_id: None,
        kind: kind.to_owned(),
        username: username.map(str::to_owned),
        secret_hash: format!("hash-{}", random_hex()),
        role: role.to_owned(),
        name: username.unwrap_or("token").to_owned(),
        created_at_us: 1_700_000_000_000_000,
        expires_at_us: None,
        revoked_at_us: None,
    }
}

// ---------------------------------------------------------------------------------
// The cases

/// `ping` answers and `backend` names the backend under test.
pub async fn case_ping_and_backend(db: Arc<TestDb>) {
    let store = db.open().await;
    store.ping().await.expect("ping");
    let want = match db.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(store.backend(), want);
    // Opening (and migrating) an existing database again is harmless.
    let again = db.open().await;
    again.ping().await.expect("ping after re-open");
    assert_eq!(again.log_state().await.expect("log_state").size, 0);
}

/// A new database has the empty tree: size 0, root SHA-256(""), empty frontier.
pub async fn case_empty_log_state(db: Arc<TestDb>) {
    let store = db.open().await;
    let state = store.log_state().await.expect("log_state");
    assert_eq!(state.size, 0);
    assert_eq!(state.root, EMPTY_ROOT);
    assert_eq!(
        hex_of(&state.root),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "root of the empty tree is SHA-256 of the empty string"
    );
    let frontier = Frontier::from_bytes(&state.frontier).expect("stored frontier parses");
    assert_eq!(frontier, Frontier::new());
    assert!(store.entries(0, 100).await.expect("entries").is_empty());
    assert!(
        store
            .entry_by_event_id(Uuid::now_v7())
            .await
            .expect("entry_by_event_id")
            .is_none()
    );
    assert!(
        store
            .subject_entries(Uuid::now_v7(), PageReq::default())
            .await
            .expect("subject_entries")
            .is_empty()
    );
    let list = store
        .list_docs(EntityKind::Site, PageReq::default())
        .await
        .expect("list_docs");
    assert_eq!((list.items.len(), list.total), (0, 0));
    assert!(store.all_rows().await.expect("all_rows").is_empty());
    assert!(
        store
            .all_personal_data()
            .await
            .expect("all_personal_data")
            .is_empty()
    );
    assert_eq!(store.account_count().await.expect("account_count"), 0);
    let mut tx = store.begin_write().await.expect("begin_write");
    assert_eq!(tx.log_state().await.expect("tx log_state"), state);
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Entries, subjects and rows written in one transaction read back exactly, with paging.
pub async fn case_append_and_read_back(db: Arc<TestDb>) {
    let store = db.open().await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    // a appears in 0, 2, 3, 5; b in 1, 2, 4, 5.
    let subjects: [Vec<(&'static str, Uuid)>; 6] = [
        vec![("site", a)],
        vec![("location", b)],
        vec![("site", a), ("location", b)],
        vec![("site", a)],
        vec![("location", b)],
        vec![("location", b), ("site", a)],
    ];
    let entries: Vec<Entry> = subjects
        .into_iter()
        .enumerate()
        .map(|(i, s)| Entry::new(i as u64, s))
        .collect();
    let site_ids = sorted(fresh_ids(7));
    let rows: Vec<Row> = site_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let rec = json!({"code": format!("S{i}"), "name": "Zentrale Ärmelkanal ✓", "n": i});
            row(
                EntityKind::Site,
                *id,
                i as u64,
                rec,
                vec![unique("code", &format!("S{i}"))],
            )
        })
        .collect();
    let loc = row(EntityKind::Location, b, 1, json!({"code": "L"}), vec![]);

    let mut frontier = Frontier::new();
    let mut tx = store.begin_write().await.expect("begin_write");
    let state = append_all(tx.as_mut(), &mut frontier, &entries).await;
    for r in rows.iter().chain([&loc]) {
        tx.put_row(r).await.expect("put_row");
    }
    tx.commit().await.expect("commit");

    // Tree state.
    assert_eq!(store.log_state().await.expect("log_state"), state);
    assert_eq!(state.size, 6);
    let leaf_hashes: Vec<[u8; 32]> = entries.iter().map(|e| leaf_hash(&e.leaf)).collect();
    assert_eq!(state.root, iwt_ledger::root_from_leaf_hashes(&leaf_hashes));

    // Entries with paging.
    let want: Vec<_> = entries.iter().map(Entry::stored).collect();
    assert_eq!(store.entries(0, 100).await.expect("entries"), want);
    assert_eq!(
        store.entries(2, 3).await.expect("entries"),
        want[2..5].to_vec()
    );
    assert_eq!(
        store.entries(5, 3).await.expect("entries"),
        want[5..].to_vec()
    );
    assert!(store.entries(6, 3).await.expect("entries").is_empty());
    assert!(store.entries(0, 0).await.expect("entries").is_empty());

    // By event id.
    for e in &entries {
        assert_eq!(
            store
                .entry_by_event_id(e.event_id)
                .await
                .expect("entry_by_event_id"),
            Some(e.stored())
        );
    }
    assert_eq!(
        store
            .entry_by_event_id(Uuid::now_v7())
            .await
            .expect("entry_by_event_id"),
        None
    );

    // Subject entries in index order, with paging.
    let of = |s: Uuid| -> Vec<u64> {
        entries
            .iter()
            .filter(|e| e.subjects.iter().any(|x| x.1 == s))
            .map(|e| e.idx)
            .collect()
    };
    let idxs = |v: Vec<crate::StoredEntry>| v.into_iter().map(|e| e.idx).collect::<Vec<_>>();
    assert_eq!(of(a), vec![0, 2, 3, 5]);
    assert_eq!(
        idxs(
            store
                .subject_entries(a, PageReq::default())
                .await
                .expect("subject_entries")
        ),
        of(a)
    );
    assert_eq!(
        idxs(
            store
                .subject_entries(b, PageReq::default())
                .await
                .expect("subject_entries")
        ),
        of(b)
    );
    assert_eq!(
        idxs(
            store
                .subject_entries(a, page(1, 2))
                .await
                .expect("subject_entries")
        ),
        vec![2, 3]
    );
    assert_eq!(
        idxs(
            store
                .subject_entries(a, page(3, 10))
                .await
                .expect("subject_entries")
        ),
        vec![5]
    );
    assert!(
        store
            .subject_entries(a, page(4, 10))
            .await
            .expect("subject_entries")
            .is_empty()
    );
    let full = store
        .subject_entries(b, page(0, 1))
        .await
        .expect("subject_entries");
    assert_eq!(
        full,
        vec![want[1].clone()],
        "subject entries carry the full entry"
    );

    // Documents.
    for r in rows.iter().chain([&loc]) {
        assert_eq!(
            store.doc(r.kind, r.id).await.expect("doc").as_ref(),
            Some(&r.doc)
        );
    }
    assert_eq!(
        store.doc(EntityKind::Site, b).await.expect("doc"),
        None,
        "kind is part of the key"
    );
    assert_eq!(
        store
            .doc(EntityKind::Site, Uuid::now_v7())
            .await
            .expect("doc"),
        None
    );

    // Lists ordered by id, with paging and the total.
    let all = store
        .list_docs(EntityKind::Site, page(0, 100))
        .await
        .expect("list_docs");
    assert_eq!(all.total, 7);
    assert_eq!(ids(&all.items), site_ids);
    assert_eq!(
        all.items,
        rows.iter().map(|r| r.doc.clone()).collect::<Vec<_>>()
    );
    let p = store
        .list_docs(EntityKind::Site, page(2, 3))
        .await
        .expect("list_docs");
    assert_eq!((ids(&p.items), p.total), (site_ids[2..5].to_vec(), 7));
    let p = store
        .list_docs(EntityKind::Site, page(6, 3))
        .await
        .expect("list_docs");
    assert_eq!((ids(&p.items), p.total), (site_ids[6..].to_vec(), 7));
    let p = store
        .list_docs(EntityKind::Site, page(10, 3))
        .await
        .expect("list_docs");
    assert_eq!((p.items.len(), p.total), (0, 7));
    let p = store
        .list_docs(EntityKind::Location, PageReq::default())
        .await
        .expect("list_docs");
    assert_eq!((ids(&p.items), p.total), (vec![b], 1));
    let p = store
        .list_docs(EntityKind::Firearm, PageReq::default())
        .await
        .expect("list_docs");
    assert_eq!((p.items.len(), p.total), (0, 0));

    // A second transaction continues the log.
    let next = [Entry::new(6, vec![("site", a)])];
    let mut tx = store.begin_write().await.expect("begin_write");
    let stored = tx.log_state().await.expect("log_state");
    let mut frontier = Frontier::from_bytes(&stored.frontier).expect("frontier");
    let state2 = append_all(tx.as_mut(), &mut frontier, &next).await;
    tx.commit().await.expect("commit");
    assert_eq!(store.log_state().await.expect("log_state"), state2);
    let mut hashes = leaf_hashes.clone();
    hashes.push(leaf_hash(&next[0].leaf));
    assert_eq!(state2.root, iwt_ledger::root_from_leaf_hashes(&hashes));
    assert_eq!(
        idxs(
            store
                .subject_entries(a, PageReq::default())
                .await
                .expect("subject_entries")
        ),
        vec![0, 2, 3, 5, 6]
    );
}

/// Reads inside a write transaction see its own earlier writes.
pub async fn case_reads_inside_write_tx(db: Arc<TestDb>) {
    let store = db.open().await;
    let (s, other) = (Uuid::now_v7(), Uuid::now_v7());
    let entries = vec![
        Entry::new(0, vec![("site", s)]),
        Entry::new(1, vec![("site", s), ("location", other)]),
    ];
    let mut tx = store.begin_write().await.expect("begin_write");
    assert_eq!(
        tx.index_of_event(entries[0].event_id)
            .await
            .expect("index_of_event"),
        None
    );
    assert_eq!(tx.subject_head(s).await.expect("subject_head"), None);
    let mut frontier = Frontier::new();
    let state = append_all(tx.as_mut(), &mut frontier, &entries).await;
    assert_eq!(tx.log_state().await.expect("log_state"), state);
    assert_eq!(
        tx.index_of_event(entries[0].event_id)
            .await
            .expect("index_of_event"),
        Some(0)
    );
    assert_eq!(
        tx.index_of_event(entries[1].event_id)
            .await
            .expect("index_of_event"),
        Some(1)
    );
    assert_eq!(tx.subject_head(s).await.expect("subject_head"), Some(1));
    assert_eq!(tx.subject_head(other).await.expect("subject_head"), Some(1));
    assert!(tx.subject_has(s, 0).await.expect("subject_has"));
    assert!(tx.subject_has(s, 1).await.expect("subject_has"));
    assert!(!tx.subject_has(other, 0).await.expect("subject_has"));
    assert!(!tx.subject_has(s, 2).await.expect("subject_has"));

    let r = row(
        EntityKind::Site,
        s,
        1,
        json!({"code": "HQ"}),
        vec![unique("code", "HQ"), search("name", "HQ")],
    );
    assert_eq!(tx.doc(EntityKind::Site, s).await.expect("doc"), None);
    tx.put_row(&r).await.expect("put_row");
    assert_eq!(
        tx.doc(EntityKind::Site, s).await.expect("doc"),
        Some(r.doc.clone())
    );
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "HQ")
            .await
            .expect("key_owner"),
        Some(s)
    );
    assert_eq!(
        tx.key_owner(EntityKind::Site, "name", "HQ")
            .await
            .expect("key_owner"),
        None,
        "search keys have no owner"
    );
    assert_eq!(
        tx.key_owner(EntityKind::Location, "code", "HQ")
            .await
            .expect("key_owner"),
        None
    );
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "hq")
            .await
            .expect("key_owner"),
        None,
        "values compare exactly"
    );
    // Uncommitted writes are invisible to readers.
    assert_eq!(store.log_state().await.expect("log_state").size, 0);
    assert_eq!(store.doc(EntityKind::Site, s).await.expect("doc"), None);
    tx.commit().await.expect("commit");
    assert_eq!(store.log_state().await.expect("log_state"), state);
    assert_eq!(
        store.doc(EntityKind::Site, s).await.expect("doc"),
        Some(r.doc)
    );
}

/// `find_by_key`: exact and prefix matches on the normalised key values, by kind and
/// name, in id order, with paging and a total that counts each record once.
pub async fn case_find_by_key_exact_and_prefix(db: Arc<TestDb>) {
    let store = db.open().await;
    let values = ["AB12", "ABC", "A", "AC", "AB", "ÄB1", "ÄC", "B", "ZZ"];
    let ids_by_value: Vec<(String, Uuid)> = values
        .iter()
        .map(|v| ((*v).to_owned(), Uuid::new_v4()))
        .collect();
    let mut rows: Vec<Row> = ids_by_value
        .iter()
        .map(|(v, id)| {
            row(
                EntityKind::Firearm,
                *id,
                0,
                json!({"serial": v}),
                vec![
                    search("serial", v),
                    unique("manufacturer_serial", &format!("M|{v}")),
                ],
            )
        })
        .collect();
    // One record with two matching keys is found once.
    let twice = Uuid::new_v4();
    rows.push(row(
        EntityKind::Firearm,
        twice,
        0,
        json!({}),
        vec![
            search("marking", "AB-1"),
            search("marking", "AB-2"),
            search("serial", "X9"),
        ],
    ));
    // Same name and value under another kind or another name do not match.
    rows.push(row(
        EntityKind::Part,
        Uuid::new_v4(),
        0,
        json!({}),
        vec![search("serial", "AB12")],
    ));
    rows.push(row(
        EntityKind::Firearm,
        Uuid::new_v4(),
        0,
        json!({}),
        vec![search("other", "AB12")],
    ));
    commit_rows(store.as_ref(), &rows).await;

    let id_of = |v: &str| {
        ids_by_value
            .iter()
            .find(|(x, _)| x == v)
            .map(|(_, id)| *id)
            .expect("value")
    };
    let find = |name: &'static str, value: &'static str, prefix: bool, p: PageReq| {
        let store = store.clone();
        async move {
            store
                .find_by_key(EntityKind::Firearm, name, value, prefix, p)
                .await
                .expect("find_by_key")
        }
    };

    // Exact.
    let r = find("serial", "AB", false, PageReq::default()).await;
    assert_eq!((ids(&r.items), r.total), (vec![id_of("AB")], 1));
    let r = find("serial", "AB12", false, PageReq::default()).await;
    assert_eq!((ids(&r.items), r.total), (vec![id_of("AB12")], 1));
    assert_eq!(r.items[0], rows[0].doc);
    let r = find("serial", "ab12", false, PageReq::default()).await;
    assert_eq!(r.total, 0, "values compare exactly; callers normalise");
    let r = find("serial", "AB1", false, PageReq::default()).await;
    assert_eq!(r.total, 0);
    let r = find("serial", "ÄB1", false, PageReq::default()).await;
    assert_eq!((ids(&r.items), r.total), (vec![id_of("ÄB1")], 1));
    let r = find("manufacturer_serial", "M|AC", false, PageReq::default()).await;
    assert_eq!((ids(&r.items), r.total), (vec![id_of("AC")], 1));

    // Prefix "AB" matches AB, AB12 and ABC, but not A, AC, ÄB1 or B.
    let want = sorted(vec![id_of("AB"), id_of("AB12"), id_of("ABC")]);
    let r = find("serial", "AB", true, PageReq::default()).await;
    assert_eq!((ids(&r.items), r.total), (want.clone(), 3));
    let r = find("serial", "AB", true, page(1, 1)).await;
    assert_eq!((ids(&r.items), r.total), (want[1..2].to_vec(), 3));
    let r = find("serial", "AB", true, page(3, 2)).await;
    assert_eq!((r.items.len(), r.total), (0, 3));
    let r = find("serial", "A", true, PageReq::default()).await;
    assert_eq!(r.total, 5);
    let r = find("serial", "Ä", true, PageReq::default()).await;
    assert_eq!(
        (ids(&r.items), r.total),
        (sorted(vec![id_of("ÄB1"), id_of("ÄC")]), 2)
    );
    let r = find("serial", "ABC1", true, PageReq::default()).await;
    assert_eq!(r.total, 0);
    let r = find("serial", "", true, PageReq::default()).await;
    assert_eq!(
        r.total,
        values.len() as u64 + 1,
        "the empty prefix matches every value of the key"
    );
    let r = find("marking", "AB", true, PageReq::default()).await;
    assert_eq!(
        (ids(&r.items), r.total),
        (vec![twice], 1),
        "a record is listed once"
    );
    let r = find("marking", "AB-2", false, PageReq::default()).await;
    assert_eq!((ids(&r.items), r.total), (vec![twice], 1));
    let r = store
        .find_by_key(EntityKind::Part, "serial", "AB", true, PageReq::default())
        .await
        .expect("find_by_key");
    assert_eq!(r.total, 1);
    let r = store
        .find_by_key(
            EntityKind::Equipment,
            "serial",
            "AB",
            true,
            PageReq::default(),
        )
        .await
        .expect("find_by_key");
    assert_eq!(r.total, 0);
}

/// `put_row` replaces the document and every key; a released unique key can be
/// claimed by another record.
pub async fn case_keys_replaced_on_put_row(db: Arc<TestDb>) {
    let store = db.open().await;
    let (x, y) = (Uuid::now_v7(), Uuid::now_v7());
    commit_rows(
        store.as_ref(),
        &[row(
            EntityKind::Site,
            x,
            0,
            json!({"code": "OLD"}),
            vec![unique("code", "OLD"), search("name", "OLDNAME")],
        )],
    )
    .await;
    let mut tx = store.begin_write().await.expect("begin_write");
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "OLD")
            .await
            .expect("key_owner"),
        Some(x)
    );
    let newer = row(
        EntityKind::Site,
        x,
        3,
        json!({"code": "NEW"}),
        vec![
            unique("code", "NEW"),
            search("name", "NEWNAME"),
            search("name", "NEWNAME"),
        ],
    );
    tx.put_row(&newer).await.expect("put_row");
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "OLD")
            .await
            .expect("key_owner"),
        None
    );
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "NEW")
            .await
            .expect("key_owner"),
        Some(x)
    );
    // Another record takes the released key in the same transaction.
    tx.put_row(&row(
        EntityKind::Site,
        y,
        4,
        json!({"code": "OLD"}),
        vec![unique("code", "OLD")],
    ))
    .await
    .expect("put_row");
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "OLD")
            .await
            .expect("key_owner"),
        Some(y)
    );
    tx.commit().await.expect("commit");

    assert_eq!(
        store.doc(EntityKind::Site, x).await.expect("doc"),
        Some(newer.doc.clone())
    );
    let list = store
        .list_docs(EntityKind::Site, PageReq::default())
        .await
        .expect("list_docs");
    assert_eq!(list.total, 2, "put_row replaces, it does not add");
    let by = |name: &'static str, value: &'static str| {
        let store = store.clone();
        async move {
            ids(&store
                .find_by_key(EntityKind::Site, name, value, false, PageReq::default())
                .await
                .expect("find_by_key")
                .items)
        }
    };
    assert_eq!(by("name", "OLDNAME").await, Vec::<Uuid>::new());
    assert_eq!(by("name", "NEWNAME").await, vec![x]);
    assert_eq!(by("code", "NEW").await, vec![x]);
    assert_eq!(by("code", "OLD").await, vec![y]);
    let rows = store.all_rows().await.expect("all_rows");
    let xr = rows.iter().find(|r| r.id == x).expect("row x");
    assert_eq!(
        sorted(xr.keys.clone()),
        sorted(vec![unique("code", "NEW"), search("name", "NEWNAME")]),
        "duplicate keys are stored once"
    );
    assert_eq!(xr.doc["updated_index"], json!(3));

    // A row with no keys drops them all.
    commit_rows(
        store.as_ref(),
        &[row(EntityKind::Site, x, 5, json!({}), vec![])],
    )
    .await;
    assert_eq!(by("code", "NEW").await, Vec::<Uuid>::new());
    let mut tx = store.begin_write().await.expect("begin_write");
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "NEW")
            .await
            .expect("key_owner"),
        None
    );
}

/// Two records cannot hold one unique key of a kind: the second write is a
/// `Conflict`. Search keys, other kinds and other key names may share the value.
pub async fn case_unique_key_conflict(db: Arc<TestDb>) {
    let store = db.open().await;
    let (x, y) = (Uuid::now_v7(), Uuid::now_v7());
    commit_rows(
        store.as_ref(),
        &[
            row(
                EntityKind::Firearm,
                x,
                0,
                json!({}),
                vec![
                    unique("manufacturer_serial", "GLOCK|AB1"),
                    search("serial", "AB1"),
                ],
            ),
            // Sharing a search key, the value under another name, or under another kind is fine.
            row(
                EntityKind::Firearm,
                y,
                1,
                json!({}),
                vec![search("serial", "AB1"), unique("other", "GLOCK|AB1")],
            ),
            row(
                EntityKind::Part,
                y,
                2,
                json!({}),
                vec![unique("manufacturer_serial", "GLOCK|AB1")],
            ),
        ],
    )
    .await;

    // In a new transaction.
    let mut tx = store.begin_write().await.expect("begin_write");
    let clash = row(
        EntityKind::Firearm,
        Uuid::now_v7(),
        3,
        json!({}),
        vec![unique("manufacturer_serial", "GLOCK|AB1")],
    );
    match tx.put_row(&clash).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a second owner of a unique key must be a Conflict, got {other:?}"),
    }
    drop(tx);

    // Within one transaction.
    let mut tx = store.begin_write().await.expect("begin_write");
    let (p, q) = (Uuid::now_v7(), Uuid::now_v7());
    tx.put_row(&row(
        EntityKind::Site,
        p,
        3,
        json!({}),
        vec![unique("code", "HQ")],
    ))
    .await
    .expect("put_row");
    match tx
        .put_row(&row(
            EntityKind::Site,
            q,
            4,
            json!({}),
            vec![unique("code", "HQ")],
        ))
        .await
    {
        Err(e @ StoreError::Conflict(_)) => assert_eq!(e.code(), "store_conflict"),
        other => panic!("a second owner of a unique key must be a Conflict, got {other:?}"),
    }
    drop(tx);

    // Nothing of the failed transactions was stored.
    assert_eq!(store.doc(EntityKind::Site, p).await.expect("doc"), None);
    let r = store
        .find_by_key(
            EntityKind::Firearm,
            "manufacturer_serial",
            "GLOCK|AB1",
            false,
            PageReq::default(),
        )
        .await
        .expect("find_by_key");
    assert_eq!(ids(&r.items), vec![x]);
    let r = store
        .find_by_key(
            EntityKind::Firearm,
            "serial",
            "AB1",
            false,
            PageReq::default(),
        )
        .await
        .expect("find_by_key");
    assert_eq!(ids(&r.items), sorted(vec![x, y]));
    // The owner itself may re-claim its key.
    commit_rows(
        store.as_ref(),
        &[row(
            EntityKind::Firearm,
            x,
            5,
            json!({"v": 2}),
            vec![unique("manufacturer_serial", "GLOCK|AB1")],
        )],
    )
    .await;
}

/// The ledger refuses a second entry at an index or with an event id already used.
pub async fn case_duplicate_entry_conflict(db: Arc<TestDb>) {
    let store = db.open().await;
    let e0 = Entry::new(0, vec![("site", Uuid::now_v7())]);
    let mut tx = store.begin_write().await.expect("begin_write");
    append_all(tx.as_mut(), &mut Frontier::new(), std::slice::from_ref(&e0)).await;
    tx.commit().await.expect("commit");

    let mut same_idx = Entry::new(0, vec![]);
    same_idx.leaf.push(1);
    let mut tx = store.begin_write().await.expect("begin_write");
    match tx.append(&same_idx.new_entry()).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a second entry at index 0 must be a Conflict, got {other:?}"),
    }
    drop(tx);

    let mut same_event = Entry::new(1, vec![]);
    same_event.event_id = e0.event_id;
    let mut tx = store.begin_write().await.expect("begin_write");
    match tx.append(&same_event.new_entry()).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a second entry with one event id must be a Conflict, got {other:?}"),
    }
    drop(tx);
    assert_eq!(
        store.entries(0, 10).await.expect("entries"),
        vec![e0.stored()]
    );
}

/// A write transaction dropped without commit leaves nothing behind, and the next
/// transaction can start.
pub async fn case_rollback_on_drop(db: Arc<TestDb>) {
    let store = db.open().await;
    let before = store.log_state().await.expect("log_state");
    let s = Uuid::now_v7();
    let e = Entry::new(0, vec![("site", s)]);
    {
        let mut tx = store.begin_write().await.expect("begin_write");
        append_all(tx.as_mut(), &mut Frontier::new(), std::slice::from_ref(&e)).await;
        tx.put_row(&row(
            EntityKind::Site,
            s,
            0,
            json!({}),
            vec![unique("code", "HQ")],
        ))
        .await
        .expect("put_row");
        tx.put_personal(&PersonalRecord {
            event_id: e.event_id,
            subject_id: s,
            salt: [7; 16],
            data: "{}".into(),
        })
        .await
        .expect("put_personal");
        tx.put_credential(&credential("password", Some("ghost"), "admin"))
            .await
            .expect("put_credential");
        // Dropped here.
    }
    // The next transaction sees nothing of it (and does not wait forever for a lock).
    let mut tx = tokio::time::timeout(Duration::from_secs(20), store.begin_write())
        .await
        .expect("the dropped transaction released the write lock")
        .expect("begin_write");
    assert_eq!(tx.log_state().await.expect("log_state"), before);
    assert_eq!(
        tx.index_of_event(e.event_id).await.expect("index_of_event"),
        None
    );
    assert_eq!(
        tx.key_owner(EntityKind::Site, "code", "HQ")
            .await
            .expect("key_owner"),
        None
    );
    assert_eq!(tx.subject_head(s).await.expect("subject_head"), None);
    drop(tx);
    assert_eq!(store.log_state().await.expect("log_state"), before);
    assert!(store.entries(0, 10).await.expect("entries").is_empty());
    assert!(
        store
            .subject_entries(s, PageReq::default())
            .await
            .expect("subject_entries")
            .is_empty()
    );
    assert_eq!(store.doc(EntityKind::Site, s).await.expect("doc"), None);
    assert!(
        store
            .all_personal_data()
            .await
            .expect("all_personal_data")
            .is_empty()
    );
    assert_eq!(
        store
            .credential_by_username("ghost")
            .await
            .expect("credential_by_username"),
        None
    );
    assert_eq!(store.account_count().await.expect("account_count"), 0);

    // The same entry can then be appended for real.
    let mut tx = store.begin_write().await.expect("begin_write");
    let state = append_all(tx.as_mut(), &mut Frontier::new(), std::slice::from_ref(&e)).await;
    tx.commit().await.expect("commit");
    assert_eq!(store.log_state().await.expect("log_state"), state);
}

/// Ledger rows are append-only: the database itself refuses UPDATE and DELETE.
pub async fn case_ledger_append_only(db: Arc<TestDb>) {
    let store = db.open().await;
    let entries: Vec<Entry> = (0..3)
        .map(|i| Entry::new(i, vec![("site", Uuid::now_v7())]))
        .collect();
    let mut tx = store.begin_write().await.expect("begin_write");
    append_all(tx.as_mut(), &mut Frontier::new(), &entries).await;
    tx.commit().await.expect("commit");
    let want: Vec<_> = entries.iter().map(Entry::stored).collect();

    let raw = &db.raw;
    let attempts = [
        format!(
            "UPDATE log_entries SET leaf = {} WHERE idx = 1",
            raw.blob(b"forged")
        ),
        "UPDATE log_entries SET event_type = 2".to_owned(),
        "UPDATE log_entries SET idx = idx + 10 WHERE idx = 2".to_owned(),
        "DELETE FROM log_entries WHERE idx = 1".to_owned(),
        "DELETE FROM log_entries".to_owned(),
    ];
    for sql in &attempts {
        assert!(
            raw.execute(sql).await.is_err(),
            "the database must refuse `{sql}`"
        );
    }
    if db.backend == Backend::Postgres {
        assert!(
            raw.execute("TRUNCATE log_entries").await.is_err(),
            "the database must refuse TRUNCATE"
        );
    }
    assert_eq!(store.entries(0, 10).await.expect("entries"), want);
    // Appending still works.
    let mut tx = store.begin_write().await.expect("begin_write");
    let state = tx.log_state().await.expect("log_state");
    let mut frontier = Frontier::from_bytes(&state.frontier).expect("frontier");
    append_all(tx.as_mut(), &mut frontier, &[Entry::new(3, vec![])]).await;
    tx.commit().await.expect("commit");
    assert_eq!(store.entries(0, 10).await.expect("entries").len(), 4);
}

/// Credentials round-trip; user names are stored in lower case and looked up
/// case-insensitively; only password credentials count as accounts.
pub async fn case_credentials_round_trip(db: Arc<TestDb>) {
    let store = db.open().await;
    let alice = credential("password", Some("Alice.Admin"), "admin");
    let token = Credential {
        expires_at_us: Some(1_800_000_000_000_000),
        ..credential("api_token", None, "auditor")
    };
    let session = Credential {
        account_id: Some(alice.principal_id),
        expires_at_us: Some(1_700_000_043_200_000_000),
        revoked_at_us: Some(1_700_000_000_000_001),
        ..credential("session", None, "admin")
    };
    let mut tx = store.begin_write().await.expect("begin_write");
    for c in [&alice, &token, &session] {
        tx.put_credential(c).await.expect("put_credential");
    }
    tx.commit().await.expect("commit");

    let stored_alice = Credential {
        username: Some("alice.admin".into()),
        ..alice.clone()
    };
    assert_eq!(
        store
            .credential(alice.principal_id)
            .await
            .expect("credential"),
        Some(stored_alice.clone())
    );
    assert_eq!(
        store
            .credential(token.principal_id)
            .await
            .expect("credential"),
        Some(token.clone())
    );
    assert_eq!(
        store
            .credential(session.principal_id)
            .await
            .expect("credential"),
        Some(session.clone())
    );
    assert_eq!(
        store.credential(Uuid::now_v7()).await.expect("credential"),
        None
    );
    for name in ["alice.admin", "ALICE.ADMIN", "Alice.Admin"] {
        assert_eq!(
            store
                .credential_by_username(name)
                .await
                .expect("credential_by_username"),
            Some(stored_alice.clone()),
            "{name}"
        );
    }
    assert_eq!(
        store
            .credential_by_username("alice")
            .await
            .expect("credential_by_username"),
        None
    );
    assert_eq!(store.account_count().await.expect("account_count"), 1);

    // A user name is unique regardless of case.
    let mut tx = store.begin_write().await.expect("begin_write");
    match tx
        .put_credential(&credential("password", Some("ALICE.admin"), "officer"))
        .await
    {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a second account named alice.admin must be a Conflict, got {other:?}"),
    }
    drop(tx);
    let bob = credential("password", Some("bob"), "officer");
    let mut tx = store.begin_write().await.expect("begin_write");
    tx.put_credential(&bob).await.expect("put_credential");
    tx.commit().await.expect("commit");
    assert_eq!(store.account_count().await.expect("account_count"), 2);
}

/// Look-ups with a NUL character (which no stored key or user name holds, and which
/// PostgreSQL text cannot carry) find nothing, on every backend alike.
pub async fn case_lookups_with_nul(db: Arc<TestDb>) {
    let store = db.open().await;
    let id = Uuid::now_v7();
    commit_rows(
        store.as_ref(),
        &[row(
            EntityKind::Firearm,
            id,
            0,
            json!({}),
            vec![search("serial", "AB1")],
        )],
    )
    .await;
    let mut tx = store.begin_write().await.expect("begin_write");
    tx.put_credential(&credential("password", Some("alice"), "admin"))
        .await
        .expect("put_credential");
    tx.commit().await.expect("commit");
    for prefix in [false, true] {
        for value in ["AB1\0", "\0", "A\0B"] {
            let r = store
                .find_by_key(
                    EntityKind::Firearm,
                    "serial",
                    value,
                    prefix,
                    PageReq::default(),
                )
                .await
                .expect("find_by_key with NUL");
            assert_eq!(
                (r.items.len(), r.total),
                (0, 0),
                "{value:?} prefix={prefix}"
            );
        }
    }
    let r = store
        .find_by_key(
            EntityKind::Firearm,
            "serial",
            "AB",
            true,
            PageReq::default(),
        )
        .await
        .expect("find_by_key");
    assert_eq!(ids(&r.items), vec![id]);
    assert_eq!(
        store
            .credential_by_username("alice\0")
            .await
            .expect("credential_by_username with NUL"),
        None
    );
    assert!(
        store
            .credential_by_username("alice")
            .await
            .expect("credential_by_username")
            .is_some()
    );
}

/// Settings: absent, put, overwrite, delete.
pub async fn case_settings(db: Arc<TestDb>) {
    let store = db.open().await;
    assert_eq!(
        store.setting("setup_code_sha256").await.expect("setting"),
        None
    );
    store
        .put_setting("setup_code_sha256", Some("abc"))
        .await
        .expect("put_setting");
    store
        .put_setting("other", Some("Ünïcode ✓"))
        .await
        .expect("put_setting");
    assert_eq!(
        store
            .setting("setup_code_sha256")
            .await
            .expect("setting")
            .as_deref(),
        Some("abc")
    );
    store
        .put_setting("setup_code_sha256", Some("def"))
        .await
        .expect("put_setting");
    assert_eq!(
        store
            .setting("setup_code_sha256")
            .await
            .expect("setting")
            .as_deref(),
        Some("def")
    );
    store
        .put_setting("setup_code_sha256", None)
        .await
        .expect("put_setting");
    assert_eq!(
        store.setting("setup_code_sha256").await.expect("setting"),
        None
    );
    store
        .put_setting("setup_code_sha256", None)
        .await
        .expect("deleting a missing setting is fine");
    assert_eq!(
        store.setting("other").await.expect("setting").as_deref(),
        Some("Ünïcode ✓")
    );
    // Settings are not part of the ledger.
    assert_eq!(store.log_state().await.expect("log_state").size, 0);
}

/// Personal data written in a transaction round-trips; one event holds at most one.
pub async fn case_personal_data_round_trip(db: Arc<TestDb>) {
    let store = db.open().await;
    let recs: Vec<PersonalRecord> = (0..3u8)
        .map(|i| PersonalRecord {
            event_id: Uuid::now_v7(),
            subject_id: Uuid::now_v7(),
            salt: [i, 0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, i],
            data: format!(
                r#"{{"given_name":"Zoë {i}","family_name":"Ørsted","date_of_birth":null}}"#
            ),
        })
        .collect();
    let mut tx = store.begin_write().await.expect("begin_write");
    for r in &recs {
        tx.put_personal(r).await.expect("put_personal");
    }
    tx.commit().await.expect("commit");
    let mut got = store.all_personal_data().await.expect("all_personal_data");
    got.sort_by_key(|r| r.event_id);
    assert_eq!(got, recs);

    let mut tx = store.begin_write().await.expect("begin_write");
    match tx
        .put_personal(&PersonalRecord {
            data: "{}".into(),
            ..recs[0].clone()
        })
        .await
    {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a second personal record for one event must be a Conflict, got {other:?}"),
    }
}

/// `all_rows` returns every row with its keys (deduplicated), ordered by kind and id.
pub async fn case_all_rows(db: Arc<TestDb>) {
    let store = db.open().await;
    let mut rows = Vec::new();
    for kind in [
        EntityKind::Site,
        EntityKind::Firearm,
        EntityKind::AmmoStock,
        EntityKind::Account,
    ] {
        for id in fresh_ids(3) {
            let keys = vec![
                search("a", &format!("{id}")),
                unique("u", &format!("U{id}")),
                search("b", "shared"),
            ];
            rows.push(row(
                kind,
                id,
                0,
                json!({"x": [1, 2, {"y": null}], "s": "ß"}),
                keys,
            ));
        }
    }
    rows.push(row(
        EntityKind::Location,
        Uuid::new_v4(),
        9,
        json!({}),
        vec![],
    ));
    commit_rows(store.as_ref(), &rows).await;
    let got = store.all_rows().await.expect("all_rows");
    let norm = |v: &[Row]| {
        let mut v: Vec<(String, Uuid, String, Vec<Key>)> = v
            .iter()
            .map(|r| {
                (
                    r.kind.as_str().to_owned(),
                    r.id,
                    r.doc.to_string(),
                    sorted(r.keys.clone()),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(norm(&got), norm(&rows));
    let order: Vec<(String, Uuid)> = got
        .iter()
        .map(|r| (r.kind.as_str().to_owned(), r.id))
        .collect();
    let mut want_order = order.clone();
    want_order.sort();
    assert_eq!(order, want_order, "all_rows is ordered by kind and id");
}

/// Writers are serialised: while one write transaction is open, another (from a second
/// store instance on the same database) waits, and then sees the first one's commit.
pub async fn case_writers_are_serialized(db: Arc<TestDb>) {
    let first = db.open().await;
    let second = db.open().await;
    let mut tx = first.begin_write().await.expect("begin_write");
    let e0 = Entry::new(0, vec![]);
    append_all(tx.as_mut(), &mut Frontier::new(), std::slice::from_ref(&e0)).await;

    let (started_tx, started) = tokio::sync::oneshot::channel::<()>();
    let waiter = tokio::spawn(async move {
        let _ = started_tx.send(());
        let mut tx2 = second.begin_write().await.expect("second begin_write");
        let state = tx2.log_state().await.expect("log_state");
        let mut frontier = Frontier::from_bytes(&state.frontier).expect("frontier");
        let e1 = Entry::new(state.size, vec![]);
        append_all(tx2.as_mut(), &mut frontier, std::slice::from_ref(&e1)).await;
        tx2.commit().await.expect("second commit");
        state.size
    });
    let _ = started.await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiter.is_finished(),
        "a second writer must wait for the open write transaction"
    );
    tx.commit().await.expect("commit");
    let seen = tokio::time::timeout(Duration::from_secs(30), waiter)
        .await
        .expect("second writer finished")
        .expect("join");
    assert_eq!(
        seen, 1,
        "the second writer continued after the first one's entry"
    );
    let entries = first.entries(0, 10).await.expect("entries");
    assert_eq!(
        entries.iter().map(|e| e.idx).collect::<Vec<_>>(),
        vec![0, 1]
    );
    let state = first.log_state().await.expect("log_state");
    let hashes: Vec<[u8; 32]> = entries.iter().map(|e| e.leaf_hash).collect();
    assert_eq!(
        (state.size, state.root),
        (2, iwt_ledger::root_from_leaf_hashes(&hashes))
    );
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://u@h:5432/test", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h:5432", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
    }
}
