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

// PostgreSQL takes arrays as parameters: every batch statement has one fixed text, so it
// is parsed and planned once per connection instead of once per batch size.
impl PgTx {
    pub(crate) async fn bulk_docs(
        &mut self,
        wanted: &[(EntityKind, Uuid)],
    ) -> Result<Vec<(EntityKind, Uuid, Value)>, StoreError> {
        let kinds: Vec<&str> = wanted.iter().map(|(k, _)| k.as_str()).collect();
        let ids: Vec<String> = wanted.iter().map(|(_, id)| id.to_string()).collect();
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT p.kind, p.id, p.doc FROM projections p \
             JOIN UNNEST($1::text[], $2::text[]) AS w(kind, id) ON p.kind = w.kind AND p.id = w.id",
        )
        .bind(&kinds)
        .bind(&ids)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.into_iter()
            .map(|(kind, id, doc)| {
                let kind = kind
                    .parse::<EntityKind>()
                    .map_err(|_| StoreError::Corrupt(format!("unknown kind `{kind}`")))?;
                Ok((kind, parse_id(&id)?, parse_doc(&doc)?))
            })
            .collect()
    }

    pub(crate) async fn bulk_unique_keys(
        &mut self,
        wanted: &[(EntityKind, String, String)],
    ) -> Result<Vec<(EntityKind, String, String, Uuid)>, StoreError> {
        let kinds: Vec<&str> = wanted.iter().map(|(k, _, _)| k.as_str()).collect();
        let names: Vec<&str> = wanted.iter().map(|(_, n, _)| n.as_str()).collect();
        let values: Vec<&str> = wanted.iter().map(|(_, _, v)| v.as_str()).collect();
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT k.kind, k.name, k.value, k.id FROM projection_keys k \
             JOIN UNNEST($1::text[], $2::text[], $3::text[]) AS w(kind, name, value) \
             ON k.kind = w.kind AND k.name = w.name AND k.value = w.value WHERE k.is_unique = 1",
        )
        .bind(&kinds)
        .bind(&names)
        .bind(&values)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.into_iter()
            .map(|(kind, name, value, id)| {
                let kind = kind
                    .parse::<EntityKind>()
                    .map_err(|_| StoreError::Corrupt(format!("unknown kind `{kind}`")))?;
                Ok((kind, name, value, parse_id(&id)?))
            })
            .collect()
    }

    pub(crate) async fn bulk_heads(
        &mut self,
        subjects: &[Uuid],
    ) -> Result<Vec<(Uuid, u64)>, StoreError> {
        let ids: Vec<String> = subjects.iter().map(Uuid::to_string).collect();
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT subject_id, MAX(idx) FROM subject_events WHERE subject_id = ANY($1) GROUP BY subject_id",
        )
        .bind(&ids)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.into_iter()
            .map(|(id, idx)| Ok((parse_id(&id)?, i64_to_u64(idx)?)))
            .collect()
    }

    pub(crate) async fn bulk_event_indices(
        &mut self,
        event_ids: &[Uuid],
    ) -> Result<Vec<(Uuid, u64, [u8; 32])>, StoreError> {
        let ids: Vec<String> = event_ids.iter().map(Uuid::to_string).collect();
        let rows: Vec<(String, i64, Vec<u8>)> = sqlx::query_as(
            "SELECT event_id, idx, leaf_hash FROM log_entries WHERE event_id = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.into_iter()
            .map(|(id, idx, hash)| Ok((parse_id(&id)?, i64_to_u64(idx)?, hash32(&hash)?)))
            .collect()
    }

    pub(crate) async fn bulk_write(&mut self, w: &crate::BatchWrite<'_>) -> Result<(), StoreError> {
        let e = &w.entries;
        sqlx::query(
            "INSERT INTO log_entries (idx, event_id, event_type, occurred_at_us, leaf, leaf_hash) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::int[], $4::bigint[], $5::bytea[], $6::bytea[])",
        )
        .bind(e.iter().map(|e| u64_to_i64(e.idx)).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.event_id.to_string()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| i32::from(e.event_type)).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.occurred_at_us).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.leaf.to_vec()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.leaf_hash.to_vec()).collect::<Vec<_>>())
        .execute(&mut *self.tx)
        .await?;
        let subjects: Vec<(i64, &str, String)> = e
            .iter()
            .flat_map(|e| {
                e.subjects
                    .iter()
                    .map(move |(k, id)| (u64_to_i64(e.idx), *k, id.to_string()))
            })
            .collect();
        sqlx::query(
            "INSERT INTO subject_events (subject_id, idx, kind) \
             SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[])",
        )
        .bind(subjects.iter().map(|s| s.2.clone()).collect::<Vec<_>>())
        .bind(subjects.iter().map(|s| s.0).collect::<Vec<_>>())
        .bind(subjects.iter().map(|s| s.1).collect::<Vec<_>>())
        .execute(&mut *self.tx)
        .await?;
        let r = &w.rows;
        let kinds: Vec<&str> = r.iter().map(|r| r.kind.as_str()).collect();
        let ids: Vec<String> = r.iter().map(|r| r.id.to_string()).collect();
        sqlx::query(
            "INSERT INTO projections (kind, id, doc, updated_index) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[]) \
             ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, updated_index = excluded.updated_index",
        )
        .bind(&kinds)
        .bind(&ids)
        .bind(r.iter().map(|r| r.doc.to_string()).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.doc["updated_index"].as_i64().unwrap_or(0)).collect::<Vec<_>>())
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "DELETE FROM projection_keys k USING UNNEST($1::text[], $2::text[]) AS w(kind, id) \
             WHERE k.kind = w.kind AND k.id = w.id",
        )
        .bind(&kinds)
        .bind(&ids)
        .execute(&mut *self.tx)
        .await?;
        let mut keys: Vec<(&str, String, Key)> = Vec::new();
        for row in r {
            let mut ks = row.keys.clone();
            ks.sort();
            ks.dedup();
            keys.extend(
                ks.into_iter()
                    .map(|k| (row.kind.as_str(), row.id.to_string(), k)),
            );
        }
        sqlx::query(
            "INSERT INTO projection_keys (kind, id, name, value, is_unique) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[])",
        )
        .bind(keys.iter().map(|k| k.0).collect::<Vec<_>>())
        .bind(keys.iter().map(|k| k.1.clone()).collect::<Vec<_>>())
        .bind(keys.iter().map(|k| k.2.name.clone()).collect::<Vec<_>>())
        .bind(keys.iter().map(|k| k.2.value.clone()).collect::<Vec<_>>())
        .bind(
            keys.iter()
                .map(|k| i16::from(k.2.unique))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *self.tx)
        .await?;
        for p in &w.personal {
            crate::WriteTx::put_personal(self, p).await?;
        }
        for c in &w.credentials {
            crate::WriteTx::put_credential(self, c).await?;
        }
        Ok(())
    }
}
