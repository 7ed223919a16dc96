//! Backfill of the stored tree hashes (`log_hashes`) of a database written before they
//! were stored: at open, when fewer hashes are stored than the tree size needs, they are
//! recomputed from the leaf hashes of `log_entries` in index order and the missing ones
//! appended, in one write transaction (PostgreSQL: under the ledger lock, so concurrent
//! openers do not race). A ledger whose entries do not match its size (tampering) is
//! left alone with a warning, so that `iwt verify` can still open and report it.

/// Leaf hashes read per query while backfilling.
pub(crate) const PAGE: i64 = 5000;

/// Implements `backfill_hashes` as an inherent method of the store type `$store`, whose
/// write transaction type is `$tx` (from `impl_sql_store!`).
macro_rules! impl_backfill {
    ($store:ident, $tx:ident) => {
        impl $store {
            /// Appends the stored hashes missing for the current tree size; returns how
            /// many were written.
            pub(crate) async fn backfill_hashes(&self) -> Result<u64, StoreError> {
                let mut t = $tx { tx: self.begin_tx().await? };
                let (size,): (i64,) = sqlx::query_as("SELECT size FROM log_state WHERE id = 1")
                    .fetch_one(&mut *t.tx)
                    .await?;
                let size = i64_to_u64(size)?;
                let (max,): (Option<i64>,) = sqlx::query_as("SELECT MAX(stored_idx) FROM log_hashes")
                    .fetch_one(&mut *t.tx)
                    .await?;
                let have = max.map(|m| i64_to_u64(m).map(|m| m + 1)).transpose()?.unwrap_or(0);
                if have >= iwt_ledger::stored_hash_count(size) {
                    return Ok(0);
                }
                let mut frontier = iwt_ledger::Frontier::new();
                let mut pending: Vec<(u64, [u8; 32])> = Vec::new();
                let mut written = 0u64;
                while frontier.size() < size {
                    let rows: Vec<(i64, Vec<u8>)> =
                        sqlx::query_as("SELECT idx, leaf_hash FROM log_entries WHERE idx >= $1 ORDER BY idx LIMIT $2")
                            .bind(u64_to_i64(frontier.size()))
                            .bind($crate::backfill::PAGE)
                            .fetch_all(&mut *t.tx)
                            .await?;
                    if rows.is_empty() {
                        break;
                    }
                    for (idx, h) in rows {
                        let n = frontier.size();
                        if i64_to_u64(idx)? != n || n >= size {
                            tracing::warn!(index = n, "ledger entries do not match the tree size; stored hashes not backfilled");
                            return Ok(0);
                        }
                        let leaf = hash32(&h)?;
                        let start = iwt_ledger::stored_hash_index(0, n);
                        let new = iwt_ledger::stored_hashes_from_frontier(&frontier, leaf);
                        pending.extend((start..).zip(new).filter(|(pos, _)| *pos >= have));
                        frontier.push(leaf);
                    }
                    t.bulk_hashes(&pending).await?;
                    written += pending.len() as u64;
                    pending.clear();
                }
                if frontier.size() != size {
                    tracing::warn!(entries = frontier.size(), size, "ledger entries are missing; stored hashes not backfilled");
                    return Ok(0);
                }
                t.tx.commit().await?;
                tracing::info!(written, size, "stored tree hashes backfilled");
                Ok(written)
            }
        }
    };
}
pub(crate) use impl_backfill;
