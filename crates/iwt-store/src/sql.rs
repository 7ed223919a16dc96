//! The SQL shared by both backends. Queries use `$n` placeholders in ascending order of
//! first use, which SQLite and PostgreSQL read the same way; ids are stored as text so
//! that both backends compare and order them identically.

/// Parses a stored id.
pub(crate) fn parse_id(s: &str) -> Result<uuid::Uuid, crate::StoreError> {
    uuid::Uuid::parse_str(s).map_err(|_| crate::StoreError::Corrupt(format!("bad stored id `{s}`")))
}

/// Parses a stored JSON document.
pub(crate) fn parse_doc(s: &str) -> Result<serde_json::Value, crate::StoreError> {
    serde_json::from_str(s)
        .map_err(|e| crate::StoreError::Corrupt(format!("bad stored document: {e}")))
}

/// Converts stored bytes to a hash.
pub(crate) fn hash32(b: &[u8]) -> Result<[u8; 32], crate::StoreError> {
    b.try_into()
        .map_err(|_| crate::StoreError::Corrupt("stored hash is not 32 bytes".into()))
}

/// The exclusive upper bound of strings starting with `prefix` (byte order).
pub(crate) fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

pub(crate) fn u64_to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(crate) fn i64_to_u64(v: i64) -> Result<u64, crate::StoreError> {
    u64::try_from(v).map_err(|_| crate::StoreError::Corrupt(format!("negative index {v}")))
}

/// Implements [`crate::Store`] for `$store` and [`crate::WriteTx`] for `$tx` on the
/// sqlx database `$db`. `$store` has fields `read` and `write` (pools) and a method
/// `begin_tx(&self) -> Result<sqlx::Transaction<'static, $db>, StoreError>`.
macro_rules! impl_sql_store {
    ($store:ident, $tx:ident, $db:ty, $backend:literal) => {
        use $crate::sql::{hash32, i64_to_u64, parse_doc, parse_id, prefix_end, u64_to_i64};
        use $crate::{Credential, LogState, NewEntry, Page, PageReq, PersonalRecord, StoreError, StoredEntry};
        use async_trait::async_trait;
        use iwt_domain::projection::Row;
        use iwt_domain::records::Key;
        use iwt_domain::EntityKind;
        use serde_json::Value;
        use sqlx::Row as _;
        use uuid::Uuid;

        type EntryRow = (i64, String, Vec<u8>, Vec<u8>);
        type CredRow = (String, Option<String>, String, Option<String>, String, String, String, i64, Option<i64>, Option<i64>);

        fn entry(r: EntryRow) -> Result<StoredEntry, StoreError> {
            Ok(StoredEntry { idx: i64_to_u64(r.0)?, event_id: parse_id(&r.1)?, leaf: r.2, leaf_hash: hash32(&r.3)? })
        }

        fn credential(r: CredRow) -> Result<Credential, StoreError> {
            Ok(Credential {
                principal_id: parse_id(&r.0)?,
                account_id: r.1.as_deref().map(parse_id).transpose()?,
                kind: r.2,
                username: r.3,
                secret_hash: r.4,
                role: r.5,
                name: r.6,
                created_at_us: r.7,
                expires_at_us: r.8,
                revoked_at_us: r.9,
            })
        }

        fn log_state(r: (i64, Vec<u8>, Vec<u8>)) -> Result<LogState, StoreError> {
            Ok(LogState { size: i64_to_u64(r.0)?, root: hash32(&r.1)?, frontier: r.2 })
        }

        fn docs(rows: Vec<(String,)>) -> Result<Vec<Value>, StoreError> {
            rows.iter().map(|r| parse_doc(&r.0)).collect()
        }

        const ENTRY_COLS: &str = "SELECT idx, event_id, leaf, leaf_hash FROM log_entries";
        const CRED_COLS: &str = "SELECT principal_id, account_id, kind, username, secret_hash, role, name, created_at_us, expires_at_us, revoked_at_us FROM credentials";

        #[async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn begin_write(&self) -> Result<Box<dyn $crate::WriteTx>, StoreError> {
                Ok(Box::new($tx { tx: self.begin_tx().await? }))
            }

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(&self.read).await?;
                Ok(())
            }

            async fn log_state(&self) -> Result<LogState, StoreError> {
                let r = sqlx::query_as("SELECT size, root, frontier FROM log_state WHERE id = 1")
                    .fetch_one(&self.read)
                    .await?;
                log_state(r)
            }

            async fn entries(&self, from: u64, limit: u32) -> Result<Vec<StoredEntry>, StoreError> {
                let sql = format!("{ENTRY_COLS} WHERE idx >= $1 ORDER BY idx LIMIT $2");
                let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(u64_to_i64(from))
                    .bind(i64::from(limit))
                    .fetch_all(&self.read)
                    .await?;
                rows.into_iter().map(entry).collect()
            }

            async fn entry(&self, idx: u64) -> Result<Option<StoredEntry>, StoreError> {
                let Ok(idx) = i64::try_from(idx) else {
                    return Ok(None);
                };
                let sql = format!("{ENTRY_COLS} WHERE idx = $1");
                let row: Option<EntryRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(idx).fetch_optional(&self.read).await?;
                row.map(entry).transpose()
            }

            async fn stored_hashes(&self, idxs: &[u64]) -> Result<Vec<(u64, [u8; 32])>, StoreError> {
                let wanted: Vec<i64> = idxs.iter().filter_map(|i| i64::try_from(*i).ok()).collect();
                let mut out = Vec::with_capacity(wanted.len());
                for chunk in wanted.chunks($crate::batch::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT stored_idx, hash FROM log_hashes WHERE stored_idx IN (");
                    let mut sep = qb.separated(", ");
                    for i in chunk {
                        sep.push_bind(*i);
                    }
                    qb.push(")");
                    let rows: Vec<(i64, Vec<u8>)> = qb.build_query_as().fetch_all(&self.read).await?;
                    for (i, h) in rows {
                        out.push((i64_to_u64(i)?, hash32(&h)?));
                    }
                }
                Ok(out)
            }

            async fn entry_by_event_id(&self, event_id: Uuid) -> Result<Option<StoredEntry>, StoreError> {
                let sql = format!("{ENTRY_COLS} WHERE event_id = $1");
                let row: Option<EntryRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(event_id.to_string()).fetch_optional(&self.read).await?;
                row.map(entry).transpose()
            }

            async fn subject_entries(&self, subject: Uuid, page: PageReq) -> Result<Vec<StoredEntry>, StoreError> {
                let sql = "SELECT e.idx, e.event_id, e.leaf, e.leaf_hash FROM subject_events s \
                           JOIN log_entries e ON e.idx = s.idx WHERE s.subject_id = $1 \
                           ORDER BY s.idx LIMIT $2 OFFSET $3";
                let rows: Vec<EntryRow> = sqlx::query_as(sql)
                    .bind(subject.to_string())
                    .bind(i64::from(page.limit))
                    .bind(u64_to_i64(page.offset))
                    .fetch_all(&self.read)
                    .await?;
                rows.into_iter().map(entry).collect()
            }

            async fn doc(&self, kind: EntityKind, id: Uuid) -> Result<Option<Value>, StoreError> {
                let row: Option<(String,)> = sqlx::query_as("SELECT doc FROM projections WHERE kind = $1 AND id = $2")
                    .bind(kind.as_str())
                    .bind(id.to_string())
                    .fetch_optional(&self.read)
                    .await?;
                row.map(|r| parse_doc(&r.0)).transpose()
            }

            async fn list_docs(&self, kind: EntityKind, page: PageReq) -> Result<Page<Value>, StoreError> {
                let rows: Vec<(String,)> =
                    sqlx::query_as("SELECT doc FROM projections WHERE kind = $1 ORDER BY id LIMIT $2 OFFSET $3")
                        .bind(kind.as_str())
                        .bind(i64::from(page.limit))
                        .bind(u64_to_i64(page.offset))
                        .fetch_all(&self.read)
                        .await?;
                let total: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM projections WHERE kind = $1")
                    .bind(kind.as_str())
                    .fetch_one(&self.read)
                    .await?;
                Ok(Page { items: docs(rows)?, total: i64_to_u64(total.0)? })
            }

            async fn find_by_key(
                &self,
                kind: EntityKind,
                name: &str,
                value: &str,
                prefix: bool,
                page: PageReq,
            ) -> Result<Page<Value>, StoreError> {
                // No stored key holds a NUL (PostgreSQL text cannot): nothing to find, and
                // PostgreSQL would refuse the parameter.
                if value.contains('\0') {
                    return Ok(Page { items: Vec::new(), total: 0 });
                }
                // An exact match is the closed range [value, value]: PostgreSQL text cannot
                // hold the NUL that a half-open bound `value + "\0"` would need.
                let (end, upper) = if prefix { (prefix_end(value), "<") } else { (value.to_owned(), "<=") };
                let ids = format!(
                    "SELECT DISTINCT id FROM projection_keys WHERE kind = $1 AND name = $2 AND value >= $3 AND value {upper} $4"
                );
                let sql = format!(
                    "SELECT p.doc FROM projections p WHERE p.kind = $1 AND p.id IN ({ids}) ORDER BY p.id LIMIT $5 OFFSET $6"
                );
                let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(kind.as_str())
                    .bind(name)
                    .bind(value)
                    .bind(&end)
                    .bind(i64::from(page.limit))
                    .bind(u64_to_i64(page.offset))
                    .fetch_all(&self.read)
                    .await?;
                let count_sql = format!("SELECT COUNT(*) FROM ({ids}) t");
                let total: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
                    .bind(kind.as_str())
                    .bind(name)
                    .bind(value)
                    .bind(&end)
                    .fetch_one(&self.read)
                    .await?;
                Ok(Page { items: docs(rows)?, total: i64_to_u64(total.0)? })
            }

            async fn all_rows(&self) -> Result<Vec<Row>, StoreError> {
                let rows: Vec<(String, String, String)> =
                    sqlx::query_as("SELECT kind, id, doc FROM projections ORDER BY kind, id").fetch_all(&self.read).await?;
                let keys: Vec<(String, String, String, String, i16)> = sqlx::query_as(
                    "SELECT kind, id, name, value, is_unique FROM projection_keys ORDER BY kind, id, name, value",
                )
                .fetch_all(&self.read)
                .await?;
                let mut by_owner: std::collections::HashMap<(String, String), Vec<Key>> = Default::default();
                for (kind, id, name, value, unique) in keys {
                    by_owner.entry((kind, id)).or_default().push(Key { name, value, unique: unique != 0 });
                }
                let mut out = Vec::with_capacity(rows.len());
                for (kind_s, id_s, doc) in rows {
                    let kind = kind_s.parse::<EntityKind>().map_err(|_| StoreError::Corrupt(format!("unknown kind `{kind_s}`")))?;
                    let keys = by_owner.remove(&(kind_s, id_s.clone())).unwrap_or_default();
                    out.push(Row { kind, id: parse_id(&id_s)?, doc: parse_doc(&doc)?, keys });
                }
                for ((kind, id), _) in by_owner {
                    out.push(Row { kind: kind.parse().unwrap_or(EntityKind::Account), id: parse_id(&id)?, doc: Value::Null, keys: Vec::new() });
                }
                Ok(out)
            }

            async fn all_personal_data(&self) -> Result<Vec<PersonalRecord>, StoreError> {
                let rows: Vec<(String, String, Vec<u8>, String)> =
                    sqlx::query_as("SELECT event_id, subject_id, salt, data FROM personal_data").fetch_all(&self.read).await?;
                rows.into_iter()
                    .map(|(e, s, salt, data)| {
                        let salt: [u8; 16] = salt.as_slice().try_into().map_err(|_| StoreError::Corrupt("salt is not 16 bytes".into()))?;
                        Ok(PersonalRecord { event_id: parse_id(&e)?, subject_id: parse_id(&s)?, salt, data })
                    })
                    .collect()
            }

            async fn credential(&self, principal_id: Uuid) -> Result<Option<Credential>, StoreError> {
                let sql = format!("{CRED_COLS} WHERE principal_id = $1");
                let row: Option<CredRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(principal_id.to_string()).fetch_optional(&self.read).await?;
                row.map(credential).transpose()
            }

            async fn credential_by_username(&self, username: &str) -> Result<Option<Credential>, StoreError> {
                if username.contains('\0') {
                    return Ok(None); // no user name holds a NUL; PostgreSQL would refuse it
                }
                let sql = format!("{CRED_COLS} WHERE username = $1");
                let row: Option<CredRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username.to_lowercase()).fetch_optional(&self.read).await?;
                row.map(credential).transpose()
            }

            async fn account_count(&self) -> Result<u64, StoreError> {
                let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM credentials WHERE kind = 'password'").fetch_one(&self.read).await?;
                i64_to_u64(n.0)
            }

            async fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT value FROM settings WHERE name = $1").bind(name).fetch_optional(&self.read).await?;
                Ok(row.map(|r| r.0))
            }

            async fn take_setting(&self, name: &str, value: &str) -> Result<bool, StoreError> {
                let mut tx = self.begin_tx().await?;
                let done = sqlx::query("DELETE FROM settings WHERE name = $1 AND value = $2")
                    .bind(name)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn put_setting(&self, name: &str, value: Option<&str>) -> Result<(), StoreError> {
                let mut tx = self.begin_tx().await?;
                sqlx::query("DELETE FROM settings WHERE name = $1").bind(name).execute(&mut *tx).await?;
                if let Some(v) = value {
                    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2)").bind(name).bind(v).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }

        /// The write transaction of this backend.
        pub struct $tx {
            tx: sqlx::Transaction<'static, $db>,
        }


        #[async_trait]
        impl $crate::WriteTx for $tx {
            async fn log_state(&mut self) -> Result<LogState, StoreError> {
                let r = sqlx::query_as("SELECT size, root, frontier FROM log_state WHERE id = 1")
                    .fetch_one(&mut *self.tx)
                    .await?;
                log_state(r)
            }

            async fn set_log_state(&mut self, s: &LogState) -> Result<(), StoreError> {
                sqlx::query("UPDATE log_state SET size = $1, root = $2, frontier = $3 WHERE id = 1")
                    .bind(u64_to_i64(s.size))
                    .bind(s.root.to_vec())
                    .bind(s.frontier.clone())
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn index_of_event(&mut self, event_id: Uuid) -> Result<Option<u64>, StoreError> {
                let row: Option<(i64,)> = sqlx::query_as("SELECT idx FROM log_entries WHERE event_id = $1")
                    .bind(event_id.to_string())
                    .fetch_optional(&mut *self.tx)
                    .await?;
                row.map(|r| i64_to_u64(r.0)).transpose()
            }

            async fn doc(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<Value>, StoreError> {
                let row: Option<(String,)> = sqlx::query_as("SELECT doc FROM projections WHERE kind = $1 AND id = $2")
                    .bind(kind.as_str())
                    .bind(id.to_string())
                    .fetch_optional(&mut *self.tx)
                    .await?;
                row.map(|r| parse_doc(&r.0)).transpose()
            }

            async fn key_owner(&mut self, kind: EntityKind, name: &str, value: &str) -> Result<Option<Uuid>, StoreError> {
                let row: Option<(String,)> = sqlx::query_as(
                    "SELECT id FROM projection_keys WHERE kind = $1 AND name = $2 AND value = $3 AND is_unique = 1",
                )
                .bind(kind.as_str())
                .bind(name)
                .bind(value)
                .fetch_optional(&mut *self.tx)
                .await?;
                row.map(|r| parse_id(&r.0)).transpose()
            }

            async fn subject_head(&mut self, subject: Uuid) -> Result<Option<u64>, StoreError> {
                let row = sqlx::query("SELECT MAX(idx) FROM subject_events WHERE subject_id = $1")
                    .bind(subject.to_string())
                    .fetch_one(&mut *self.tx)
                    .await?;
                let v: Option<i64> = row.try_get(0)?;
                v.map(i64_to_u64).transpose()
            }

            async fn subject_has(&mut self, subject: Uuid, idx: u64) -> Result<bool, StoreError> {
                let row: Option<(i64,)> = sqlx::query_as("SELECT idx FROM subject_events WHERE subject_id = $1 AND idx = $2")
                    .bind(subject.to_string())
                    .bind(u64_to_i64(idx))
                    .fetch_optional(&mut *self.tx)
                    .await?;
                Ok(row.is_some())
            }

            async fn append(&mut self, e: &NewEntry<'_>) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO log_entries (idx, event_id, event_type, occurred_at_us, leaf, leaf_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(u64_to_i64(e.idx))
                .bind(e.event_id.to_string())
                .bind(i32::from(e.event_type))
                .bind(e.occurred_at_us)
                .bind(e.leaf.to_vec())
                .bind(e.leaf_hash.to_vec())
                .execute(&mut *self.tx)
                .await?;
                for (kind, id) in &e.subjects {
                    sqlx::query("INSERT INTO subject_events (subject_id, idx, kind) VALUES ($1, $2, $3)")
                        .bind(id.to_string())
                        .bind(u64_to_i64(e.idx))
                        .bind(*kind)
                        .execute(&mut *self.tx)
                        .await?;
                }
                Ok(())
            }

            async fn put_row(&mut self, row: &Row) -> Result<(), StoreError> {
                let id = row.id.to_string();
                let updated = row.doc["updated_index"].as_i64().unwrap_or(0);
                sqlx::query(
                    "INSERT INTO projections (kind, id, doc, updated_index) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, updated_index = excluded.updated_index",
                )
                .bind(row.kind.as_str())
                .bind(&id)
                .bind(row.doc.to_string())
                .bind(updated)
                .execute(&mut *self.tx)
                .await?;
                sqlx::query("DELETE FROM projection_keys WHERE kind = $1 AND id = $2")
                    .bind(row.kind.as_str())
                    .bind(&id)
                    .execute(&mut *self.tx)
                    .await?;
                let mut keys = row.keys.clone();
                keys.sort();
                keys.dedup();
                for k in &keys {
                    sqlx::query("INSERT INTO projection_keys (kind, id, name, value, is_unique) VALUES ($1, $2, $3, $4, $5)")
                        .bind(row.kind.as_str())
                        .bind(&id)
                        .bind(&k.name)
                        .bind(&k.value)
                        .bind(i16::from(k.unique))
                        .execute(&mut *self.tx)
                        .await?;
                }
                Ok(())
            }

            async fn put_personal(&mut self, p: &PersonalRecord) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO personal_data (event_id, subject_id, salt, data) VALUES ($1, $2, $3, $4)")
                    .bind(p.event_id.to_string())
                    .bind(p.subject_id.to_string())
                    .bind(p.salt.to_vec())
                    .bind(&p.data)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn put_credential(&mut self, c: &Credential) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO credentials (principal_id, account_id, kind, username, secret_hash, role, name, created_at_us, expires_at_us, revoked_at_us) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(c.principal_id.to_string())
                .bind(c.account_id.map(|a| a.to_string()))
                .bind(&c.kind)
                .bind(c.username.as_ref().map(|u| u.to_lowercase()))
                .bind(&c.secret_hash)
                .bind(&c.role)
                .bind(&c.name)
                .bind(c.created_at_us)
                .bind(c.expires_at_us)
                .bind(c.revoked_at_us)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn load_docs(&mut self, wanted: &[(EntityKind, Uuid)]) -> Result<Vec<(EntityKind, Uuid, Value)>, StoreError> {
                self.bulk_docs(wanted).await
            }

            async fn load_unique_keys(&mut self, wanted: &[(EntityKind, String, String)]) -> Result<Vec<(EntityKind, String, String, Uuid)>, StoreError> {
                self.bulk_unique_keys(wanted).await
            }

            async fn load_heads(&mut self, subjects: &[Uuid]) -> Result<Vec<(Uuid, u64)>, StoreError> {
                self.bulk_heads(subjects).await
            }

            async fn load_event_indices(&mut self, event_ids: &[Uuid]) -> Result<Vec<(Uuid, u64, [u8; 32])>, StoreError> {
                self.bulk_event_indices(event_ids).await
            }

            async fn write_batch(&mut self, batch: &$crate::BatchWrite<'_>) -> Result<(), StoreError> {
                self.bulk_write(batch).await
            }

            async fn commit(self: Box<Self>) -> Result<(), StoreError> {
                self.tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_sql_store;
