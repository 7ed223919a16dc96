//! Scratch databases and the bare-table baseline used by benchmarks and tests: what a
//! plain table can do at the same durability, to put the ledger's rate in proportion.
use crate::StoreError;
use sqlx::Connection;
use std::time::{Duration, Instant};

/// Replaces the database name in a PostgreSQL URL.
pub fn pg_url_with_db(base_url: &str, db: &str) -> String {
    let (head, query) = match base_url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (base_url, None),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match head[scheme_end..].find('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    match query {
        Some(q) => format!("{host_part}/{db}?{q}"),
        None => format!("{host_part}/{db}"),
    }
}

/// Creates a fresh PostgreSQL database `name` and returns its URL.
pub async fn create_pg_database(base_url: &str, name: &str) -> Result<String, StoreError> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(StoreError::Config(
            "scratch database names use a-z, 0-9 and _".into(),
        ));
    }
    let mut conn = sqlx::PgConnection::connect(base_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(pg_url_with_db(base_url, name))
}

/// Drops a scratch database (best effort, forcing other sessions off).
pub async fn drop_pg_database(base_url: &str, name: &str) -> Result<(), StoreError> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(StoreError::Config(
            "scratch database names use a-z, 0-9 and _".into(),
        ));
    }
    let mut conn = sqlx::PgConnection::connect(base_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// The bare-table loop, the same for both drivers: one transaction per `batch` rows.
macro_rules! insert_loop {
    ($conn:ident, $ddl:expr, $payload:expr, $batch:expr, $duration:expr) => {{
        sqlx::query($ddl).execute(&mut $conn).await?;
        let mut id = 0i64;
        let start = Instant::now();
        while start.elapsed() < $duration {
            let mut tx = $conn.begin().await?;
            for _ in 0..$batch {
                sqlx::query("INSERT INTO bare_bench (id, payload) VALUES ($1, $2)")
                    .bind(id)
                    .bind(&$payload)
                    .execute(&mut *tx)
                    .await?;
                id += 1;
            }
            tx.commit().await?;
        }
        Ok(id as f64 / start.elapsed().as_secs_f64())
    }};
}

/// Inserts rows of `row_bytes` bytes in transactions of `batch` rows into a fresh table
/// for `duration`, with the store's durability settings; returns rows per second.
pub async fn bare_insert_rate(
    url: &str,
    row_bytes: usize,
    batch: usize,
    duration: Duration,
) -> Result<f64, StoreError> {
    let payload = vec![0x5au8; row_bytes];
    if url.starts_with("sqlite:") {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
        use std::str::FromStr;
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full);
        let mut conn = sqlx::SqliteConnection::connect_with(&opts).await?;
        let ddl =
            "CREATE TABLE IF NOT EXISTS bare_bench (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)";
        insert_loop!(conn, ddl, payload, batch, duration)
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let ddl =
            "CREATE TABLE IF NOT EXISTS bare_bench (id BIGINT PRIMARY KEY, payload BYTEA NOT NULL)";
        insert_loop!(conn, ddl, payload, batch, duration)
    }
}
