-- Stored hashes of the Merkle tree (PostgreSQL). Mirrored in ../sqlite/ with the same name.
-- Every perfect-subtree hash in the dense layout of Go's sumdb/tlog: leaf n writes its
-- leaf hash at stored_hash_index(0, n), then one hash per subtree it completes. Proofs
-- and historical roots read O(log n) rows. Written by the sequencer in the same
-- transaction as the entries; databases from before this table are backfilled at open.
CREATE TABLE log_hashes (
    stored_idx BIGINT PRIMARY KEY,
    hash       BYTEA  NOT NULL
);

-- Append-only, like the ledger entries.
CREATE FUNCTION log_hashes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stored hashes are append-only';
END;
$$;
CREATE TRIGGER log_hashes_no_update BEFORE UPDATE OR DELETE ON log_hashes
    FOR EACH ROW EXECUTE FUNCTION log_hashes_append_only();
CREATE TRIGGER log_hashes_no_truncate BEFORE TRUNCATE ON log_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION log_hashes_append_only();
