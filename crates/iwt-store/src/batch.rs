//! Bulk reads and writes for one sequencer batch: the sequencer loads everything a batch
//! needs in a few queries, works in memory, and writes the batch back with multi-row
//! statements, so a batch costs a handful of round trips whatever its size.

/// Most values bound in one statement (well under SQLite's and PostgreSQL's limits).
pub(crate) const CHUNK: usize = 400;

/// Appends `(v1, v2, ...)` with every value bound, closing an `IN` list.
pub(crate) fn push_in_list<DB>(
    qb: &mut sqlx::QueryBuilder<DB>,
    values: impl IntoIterator<Item = String>,
) where
    DB: sqlx::Database,
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    qb.push(" IN (");
    let mut sep = qb.separated(", ");
    for v in values {
        sep.push_bind(v);
    }
    qb.push(")");
}

/// Implements the bulk operations as inherent methods of the transaction type `$tx`.
macro_rules! impl_batch_ops {
    ($tx:ident, $db:ty) => {
        impl $tx {
            pub(crate) async fn bulk_docs(&mut self, wanted: &[(EntityKind, Uuid)]) -> Result<Vec<(EntityKind, Uuid, Value)>, StoreError> {
                let mut by_kind: std::collections::BTreeMap<EntityKind, Vec<String>> = Default::default();
                for (kind, id) in wanted {
                    by_kind.entry(*kind).or_default().push(id.to_string());
                }
                let mut out = Vec::new();
                for (kind, ids) in by_kind {
                    for chunk in ids.chunks($crate::batch::CHUNK) {
                        // Filtering on kind lets the primary key (kind, id) serve the lookup.
                        let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT id, doc FROM projections WHERE kind = ");
                        qb.push_bind(kind.as_str());
                        qb.push(" AND id");
                        $crate::batch::push_in_list(&mut qb, chunk.iter().cloned());
                        let rows: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut *self.tx).await?;
                        for (id, doc) in rows {
                            out.push((kind, parse_id(&id)?, parse_doc(&doc)?));
                        }
                    }
                }
                Ok(out)
            }

            pub(crate) async fn bulk_unique_keys(&mut self, wanted: &[(EntityKind, String, String)]) -> Result<Vec<(EntityKind, String, String, Uuid)>, StoreError> {
                let mut by_name: std::collections::BTreeMap<(EntityKind, &str), Vec<&str>> = Default::default();
                for (kind, name, value) in wanted {
                    by_name.entry((*kind, name.as_str())).or_default().push(value.as_str());
                }
                let mut out = Vec::new();
                for ((kind, name), values) in by_name {
                    for chunk in values.chunks($crate::batch::CHUNK) {
                        let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT value, id FROM projection_keys WHERE is_unique = 1 AND kind = ");
                        qb.push_bind(kind.as_str());
                        qb.push(" AND name = ");
                        qb.push_bind(name.to_owned());
                        qb.push(" AND value");
                        $crate::batch::push_in_list(&mut qb, chunk.iter().map(|v| v.to_string()));
                        let rows: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut *self.tx).await?;
                        for (value, id) in rows {
                            out.push((kind, name.to_owned(), value, parse_id(&id)?));
                        }
                    }
                }
                Ok(out)
            }

            pub(crate) async fn bulk_heads(&mut self, subjects: &[Uuid]) -> Result<Vec<(Uuid, u64)>, StoreError> {
                let mut out = Vec::new();
                for chunk in subjects.chunks($crate::batch::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT subject_id, MAX(idx) FROM subject_events WHERE subject_id");
                    $crate::batch::push_in_list(&mut qb, chunk.iter().map(|id| id.to_string()));
                    qb.push(" GROUP BY subject_id");
                    let rows: Vec<(String, i64)> = qb.build_query_as().fetch_all(&mut *self.tx).await?;
                    for (id, idx) in rows {
                        out.push((parse_id(&id)?, i64_to_u64(idx)?));
                    }
                }
                Ok(out)
            }

            pub(crate) async fn bulk_event_indices(&mut self, event_ids: &[Uuid]) -> Result<Vec<(Uuid, u64, [u8; 32])>, StoreError> {
                let mut out = Vec::new();
                for chunk in event_ids.chunks($crate::batch::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT event_id, idx, leaf_hash FROM log_entries WHERE event_id");
                    $crate::batch::push_in_list(&mut qb, chunk.iter().map(|id| id.to_string()));
                    let rows: Vec<(String, i64, Vec<u8>)> = qb.build_query_as().fetch_all(&mut *self.tx).await?;
                    for (id, idx, hash) in rows {
                        out.push((parse_id(&id)?, i64_to_u64(idx)?, hash32(&hash)?));
                    }
                }
                Ok(out)
            }

            pub(crate) async fn bulk_hashes(&mut self, hashes: &[(u64, [u8; 32])]) -> Result<(), StoreError> {
                for chunk in hashes.chunks($crate::batch::CHUNK / 2) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO log_hashes (stored_idx, hash) ");
                    qb.push_values(chunk, |mut b, (idx, hash)| {
                        b.push_bind(u64_to_i64(*idx)).push_bind(hash.to_vec());
                    });
                    qb.build().execute(&mut *self.tx).await?;
                }
                Ok(())
            }

            pub(crate) async fn bulk_write(&mut self, w: &$crate::BatchWrite<'_>) -> Result<(), StoreError> {
                for chunk in w.entries.chunks($crate::batch::CHUNK / 6) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO log_entries (idx, event_id, event_type, occurred_at_us, leaf, leaf_hash) ",
                    );
                    qb.push_values(chunk, |mut b, e| {
                        b.push_bind(u64_to_i64(e.idx))
                            .push_bind(e.event_id.to_string())
                            .push_bind(i32::from(e.event_type))
                            .push_bind(e.occurred_at_us)
                            .push_bind(e.leaf.to_vec())
                            .push_bind(e.leaf_hash.to_vec());
                    });
                    qb.build().execute(&mut *self.tx).await?;
                }
                self.bulk_hashes(&w.hashes).await?;
                let subjects: Vec<(u64, &'static str, Uuid)> =
                    w.entries.iter().flat_map(|e| e.subjects.iter().map(move |(k, id)| (e.idx, *k, *id))).collect();
                for chunk in subjects.chunks($crate::batch::CHUNK / 3) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO subject_events (subject_id, idx, kind) ");
                    qb.push_values(chunk, |mut b, (idx, kind, id)| {
                        b.push_bind(id.to_string()).push_bind(u64_to_i64(*idx)).push_bind(*kind);
                    });
                    qb.build().execute(&mut *self.tx).await?;
                }
                for chunk in w.rows.chunks($crate::batch::CHUNK / 4) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO projections (kind, id, doc, updated_index) ");
                    qb.push_values(chunk, |mut b, r| {
                        b.push_bind(r.kind.as_str())
                            .push_bind(r.id.to_string())
                            .push_bind(r.doc.to_string())
                            .push_bind(r.doc["updated_index"].as_i64().unwrap_or(0));
                    });
                    qb.push(" ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, updated_index = excluded.updated_index");
                    qb.build().execute(&mut *self.tx).await?;
                }
                let mut owners: std::collections::BTreeMap<EntityKind, Vec<String>> = Default::default();
                for (kind, id) in &w.replaced {
                    owners.entry(*kind).or_default().push(id.to_string());
                }
                for (kind, ids) in owners {
                    for chunk in ids.chunks($crate::batch::CHUNK) {
                        let mut qb = sqlx::QueryBuilder::<$db>::new("DELETE FROM projection_keys WHERE kind = ");
                        qb.push_bind(kind.as_str());
                        qb.push(" AND id");
                        $crate::batch::push_in_list(&mut qb, chunk.iter().cloned());
                        qb.build().execute(&mut *self.tx).await?;
                    }
                }
                let mut keys: Vec<(&Row, Key)> = Vec::new();
                for r in &w.rows {
                    let mut ks = r.keys.clone();
                    ks.sort();
                    ks.dedup();
                    keys.extend(ks.into_iter().map(|k| (r, k)));
                }
                for chunk in keys.chunks($crate::batch::CHUNK / 5) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO projection_keys (kind, id, name, value, is_unique) ");
                    qb.push_values(chunk, |mut b, (r, k)| {
                        b.push_bind(r.kind.as_str())
                            .push_bind(r.id.to_string())
                            .push_bind(k.name.clone())
                            .push_bind(k.value.clone())
                            .push_bind(i16::from(k.unique));
                    });
                    qb.build().execute(&mut *self.tx).await?;
                }
                for p in &w.personal {
                    $crate::WriteTx::put_personal(self, p).await?;
                }
                for c in &w.credentials {
                    $crate::WriteTx::put_credential(self, c).await?;
                }
                Ok(())
            }
        }
    };
}
pub(crate) use impl_batch_ops;
