-- 0006: backups this app wrote (so that pruning removes only its own files) and the signed
-- records of retention purges (保存期間を過ぎた記録の廃棄), which stand in for what was removed.

-- One row per backup file written (storage.backup); ``removed_at`` once pruned.
CREATE TABLE backups (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    destination     TEXT NOT NULL,
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),   -- of the encrypted file
    bytes           INTEGER NOT NULL,
    manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
    recipient       TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    removed_at      TEXT
) STRICT;
CREATE INDEX backups_file ON backups (file_name);

-- Signed purge records, chained by ``prev_hash`` (storage.retention). ``canonical`` holds the
-- exact signed bytes (RFC 8785 JSON: kind, counts, years, and for the attendance register
-- the chain range removed with the hash of its last sheet, which verification uses as a
-- checkpoint); ``signature`` is the purging administrator's Ed25519 signature over them.
CREATE TABLE retention_purges (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    purged_at TEXT NOT NULL,
    signer_id INTEGER NOT NULL REFERENCES users (id),
    key_id    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE,
    canonical BLOB NOT NULL,
    signature BLOB NOT NULL CHECK (length(signature) = 64)
) STRICT;

CREATE TRIGGER retention_purges_no_update BEFORE UPDATE ON retention_purges
BEGIN
    SELECT RAISE(ABORT, 'purge records are immutable');
END;

CREATE TRIGGER retention_purges_no_delete BEFORE DELETE ON retention_purges
BEGIN
    SELECT RAISE(ABORT, 'purge records are immutable');
END;
