-- Ledger, projections and credentials (SQLite). Mirrored in ../postgres/ with the same name.
CREATE TABLE log_entries (
    idx            INTEGER PRIMARY KEY,
    event_id       TEXT    NOT NULL UNIQUE,
    event_type     INTEGER NOT NULL,
    occurred_at_us INTEGER NOT NULL,
    leaf           BLOB    NOT NULL,
    leaf_hash      BLOB    NOT NULL
) STRICT;

-- History is append-only: no code path updates or deletes a ledger row.
CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

CREATE TABLE log_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    size     INTEGER NOT NULL,
    root     BLOB    NOT NULL,
    frontier BLOB    NOT NULL
) STRICT;
INSERT INTO log_state (id, size, root, frontier) VALUES
    (1, 0, X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', X'0000000000000000');

CREATE TABLE subject_events (
    subject_id TEXT    NOT NULL,
    idx        INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    PRIMARY KEY (subject_id, idx)
) STRICT;

CREATE TABLE projections (
    kind          TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    doc           TEXT    NOT NULL,
    updated_index INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) STRICT;

CREATE TABLE projection_keys (
    kind      TEXT    NOT NULL,
    id        TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    is_unique INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX projection_keys_unique ON projection_keys (kind, name, value) WHERE is_unique = 1;
CREATE INDEX projection_keys_lookup ON projection_keys (kind, name, value);
CREATE INDEX projection_keys_owner ON projection_keys (kind, id);

-- Personal data stays off the ledger; the leaf holds SHA-256 over salt and data.
CREATE TABLE personal_data (
    event_id   TEXT NOT NULL PRIMARY KEY,
    subject_id TEXT NOT NULL,
    salt       BLOB NOT NULL,
    data       TEXT NOT NULL
) STRICT;

-- Passwords (Argon2id PHC strings) and token hashes; never the secrets themselves.
CREATE TABLE credentials (
    principal_id  TEXT    NOT NULL PRIMARY KEY,
    account_id    TEXT,
    kind          TEXT    NOT NULL,
    username      TEXT    UNIQUE,
    secret_hash   TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    created_at_us INTEGER NOT NULL,
    expires_at_us INTEGER,
    revoked_at_us INTEGER
) STRICT;

CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
