-- 0004: data-loss prevention. Export destinations (allow-list) and recipients' age public
-- keys kept by administrators, per-user accounting of which students were read or exported
-- (for bulk-access alerts and the monthly access report), the alerts themselves with one
-- acknowledgement per administrator, and second-administrator approvals of large exports.

-- Folders an export may be written into (resolved real paths; sub-folders are allowed).
CREATE TABLE export_destinations (
    path     TEXT PRIMARY KEY CHECK (length(path) BETWEEN 1 AND 4096),
    note     TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
) STRICT;

-- Who an export may be encrypted to: an age X25519 public key (age1…) per recipient.
CREATE TABLE export_recipients (
    name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
    public_key TEXT NOT NULL UNIQUE CHECK (public_key GLOB 'age1*'),
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL
) STRICT;

-- One row per (user, read|export, month, student): bounded, and enough to count the
-- distinct students one user touched in a sliding window and in a month.
CREATE TABLE student_access (
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('read', 'export')),
    month      TEXT NOT NULL CHECK (month GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    student_id INTEGER NOT NULL,
    first_at   REAL NOT NULL,      -- epoch seconds
    last_at    REAL NOT NULL,
    PRIMARY KEY (actor, kind, month, student_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX student_access_recent ON student_access (actor, kind, last_at);

-- Bulk-access alerts; every administrator sees each one once (access_alert_acks).
CREATE TABLE access_alerts (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    at_epoch  REAL NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('read', 'export')),
    students  INTEGER NOT NULL,
    threshold INTEGER NOT NULL,
    minutes   INTEGER NOT NULL
) STRICT;
CREATE INDEX access_alerts_actor ON access_alerts (actor, kind, at_epoch);

CREATE TABLE access_alert_acks (
    alert_id INTEGER NOT NULL REFERENCES access_alerts (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    at       TEXT NOT NULL,
    PRIMARY KEY (alert_id, user_id)
) STRICT, WITHOUT ROWID;

-- A large export waits for a second administrator; the approval is bound to what it allows.
CREATE TABLE export_approvals (
    token        TEXT PRIMARY KEY,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    destination  TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    students     INTEGER NOT NULL,
    students_sha256 TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'used', 'rejected')),
    decided_by   TEXT,
    decided_at   TEXT,
    used_at      TEXT
) STRICT;
