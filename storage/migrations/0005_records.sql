-- 0005: standard records out (OneRoster ids and profile) and board templates in.

-- Stable OneRoster sourcedIds: a random UUIDv4 given once to each local record and kept, so
-- that every export of the same records uses the same ids. ``local_key`` names the record
-- (e.g. 'student:12', 'class:3', 'school', 'year:2025', 'enrollment:student:12:class:3').
CREATE TABLE oneroster_ids (
    kind       TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    local_key  TEXT NOT NULL CHECK (length(local_key) BETWEEN 1 AND 200),
    sourced_id TEXT NOT NULL UNIQUE
               CHECK (sourced_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-*'
                      AND length(sourced_id) = 36),
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, local_key)
) STRICT;

-- Which OneRoster variant exports use (one row; absent = the built-in default, Japan Profile 1.2.1).
CREATE TABLE oneroster_profile (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    variant TEXT NOT NULL CHECK (length(variant) BETWEEN 1 AND 40),
    source  TEXT NOT NULL,            -- 'setting' or 'template:<id>@<version>'
    set_by  TEXT NOT NULL,
    set_at  TEXT NOT NULL
) STRICT;

-- Boards of education whose template signatures this school trusts (Ed25519 public keys).
CREATE TABLE board_keys (
    key_id     TEXT PRIMARY KEY CHECK (length(key_id) = 32),   -- sha256(raw public key)[:16] hex
    public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    name       TEXT NOT NULL DEFAULT '',
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL
) STRICT;

-- Installed board templates. The manifest and signature are kept verbatim (re-verifiable);
-- ``parts`` holds the validated JSON parts. The most recently installed row is in force.
CREATE TABLE templates (
    id             INTEGER PRIMARY KEY,
    template_id    TEXT NOT NULL CHECK (length(template_id) BETWEEN 1 AND 100),
    version        INTEGER NOT NULL CHECK (version >= 1),
    name           TEXT NOT NULL,
    board          TEXT NOT NULL,
    board_key_id   TEXT NOT NULL REFERENCES board_keys (key_id),
    manifest       BLOB NOT NULL,
    signature      BLOB NOT NULL CHECK (length(signature) = 64),
    parts          TEXT NOT NULL,      -- canonical JSON: {part file name: content}
    package_sha256 TEXT NOT NULL,
    installed_by   TEXT NOT NULL,
    installed_at   TEXT NOT NULL,
    UNIQUE (template_id, version)
) STRICT;
