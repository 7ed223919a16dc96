-- Ledger, projections and credentials (PostgreSQL). Mirrored in ../sqlite/ with the same name.
CREATE TABLE log_entries (
    idx            BIGINT  PRIMARY KEY,
    event_id       TEXT    NOT NULL UNIQUE,
    event_type     INTEGER NOT NULL,
    occurred_at_us BIGINT  NOT NULL,
    leaf           BYTEA   NOT NULL,
    leaf_hash      BYTEA   NOT NULL
);

-- History is append-only: no code path updates or deletes a ledger row.
CREATE FUNCTION log_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only';
END;
$$;
CREATE TRIGGER log_entries_no_update BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION log_entries_append_only();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION log_entries_append_only();

CREATE TABLE log_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    size     BIGINT  NOT NULL,
    root     BYTEA   NOT NULL,
    frontier BYTEA   NOT NULL
);
INSERT INTO log_state (id, size, root, frontier) VALUES
    (1, 0, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '\x0000000000000000');

CREATE TABLE subject_events (
    subject_id TEXT   NOT NULL,
    idx        BIGINT NOT NULL,
    kind       TEXT   NOT NULL,
    PRIMARY KEY (subject_id, idx)
);

CREATE TABLE projections (
    kind          TEXT   NOT NULL,
    id            TEXT   NOT NULL,
    doc           TEXT   NOT NULL,
    updated_index BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE projection_keys (
    kind      TEXT     NOT NULL,
    id        TEXT     NOT NULL,
    name      TEXT     NOT NULL,
    value     TEXT     COLLATE "C" NOT NULL,
    is_unique SMALLINT NOT NULL
);
CREATE UNIQUE INDEX projection_keys_unique ON projection_keys (kind, name, value) WHERE is_unique = 1;
CREATE INDEX projection_keys_lookup ON projection_keys (kind, name, value);
CREATE INDEX projection_keys_owner ON projection_keys (kind, id);

-- Personal data stays off the ledger; the leaf holds SHA-256 over salt and data.
CREATE TABLE personal_data (
    event_id   TEXT  NOT NULL PRIMARY KEY,
    subject_id TEXT  NOT NULL,
    salt       BYTEA NOT NULL,
    data       TEXT  NOT NULL
);

-- Passwords (Argon2id PHC strings) and token hashes; never the secrets themselves.
CREATE TABLE credentials (
    principal_id  TEXT   NOT NULL PRIMARY KEY,
    account_id    TEXT,
    kind          TEXT   NOT NULL,
    username      TEXT   UNIQUE,
    secret_hash   TEXT   NOT NULL,
    role          TEXT   NOT NULL,
    name          TEXT   NOT NULL,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT,
    revoked_at_us BIGINT
);

CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
