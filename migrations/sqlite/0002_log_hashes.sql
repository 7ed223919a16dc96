-- Stored hashes of the Merkle tree (SQLite). Mirrored in ../postgres/ with the same name.
-- Every perfect-subtree hash in the dense layout of Go's sumdb/tlog: leaf n writes its
-- leaf hash at stored_hash_index(0, n), then one hash per subtree it completes. Proofs
-- and historical roots read O(log n) rows. Written by the sequencer in the same
-- transaction as the entries; databases from before this table are backfilled at open.
CREATE TABLE log_hashes (
    stored_idx INTEGER PRIMARY KEY,
    hash       BLOB    NOT NULL
) STRICT;

-- Append-only, like the ledger entries.
CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes
BEGIN SELECT RAISE(ABORT, 'stored hashes are append-only'); END;
CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes
BEGIN SELECT RAISE(ABORT, 'stored hashes are append-only'); END;
