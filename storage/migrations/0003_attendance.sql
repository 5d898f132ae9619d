-- 0003: signing keys, school calendar and the signed attendance register (出席簿).
--
-- Sealed sheets are immutable (triggers) and hash-chained per school; the signed bytes
-- (canonical RFC 8785 JSON) are kept verbatim and are the source of truth: the entries
-- table is an index of them for fast reading, checked against them by verification.

-- Ed25519 public keys with owner and validity. The private key is kept wrapped with a key
-- derived from the owner's passphrase (see storage/signing.py); retired keys lose it but
-- keep their public half so old signatures stay verifiable.
CREATE TABLE signing_keys (
    id              INTEGER PRIMARY KEY,
    key_id          TEXT NOT NULL UNIQUE CHECK (length(key_id) = 32),  -- sha256(public key)[:16] hex
    user_id         INTEGER NOT NULL REFERENCES users (id),
    public_key      BLOB NOT NULL CHECK (length(public_key) = 32),
    wrapped_private BLOB,              -- nonce || AES-256-GCM(private key); NULL once retired
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,              -- NULL: the user's current key
    retired_reason  TEXT
) STRICT;
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (user_id) WHERE valid_to IS NULL;

CREATE TRIGGER signing_keys_fixed BEFORE UPDATE OF key_id, user_id, public_key, valid_from ON signing_keys
BEGIN
    SELECT RAISE(ABORT, 'signing keys are immutable');
END;

CREATE TRIGGER signing_keys_retire_once BEFORE UPDATE OF valid_to ON signing_keys
WHEN OLD.valid_to IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signing keys are immutable');
END;

CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys
BEGIN
    SELECT RAISE(ABORT, 'signing keys are immutable');
END;

-- Symbols shown for the internal status codes; installed by a board template, else built in.
CREATE TABLE attendance_symbols (
    code   TEXT PRIMARY KEY,
    symbol TEXT NOT NULL CHECK (length(symbol) BETWEEN 0 AND 4)
) STRICT;

-- The school calendar: days not listed are not school days.
CREATE TABLE school_calendar (
    date TEXT PRIMARY KEY CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('school_day', 'holiday', 'school_closure')),
    note TEXT NOT NULL DEFAULT ''
) STRICT;

-- 学級閉鎖: a school day on which one class is closed (counts as 出席停止・忌引等).
CREATE TABLE class_closures (
    class_id INTEGER NOT NULL REFERENCES classes (id),
    date     TEXT NOT NULL,
    reason   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (class_id, date)
) STRICT;

-- Unsealed marks: ordinary rows, editable until the day is sealed (then consumed).
CREATE TABLE attendance_marks (
    class_id   INTEGER NOT NULL REFERENCES classes (id),
    date       TEXT NOT NULL,
    student_id INTEGER NOT NULL REFERENCES students (id),
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    marked_by  INTEGER NOT NULL REFERENCES users (id),
    marked_at  TEXT NOT NULL,
    PRIMARY KEY (class_id, date, student_id)
) STRICT, WITHOUT ROWID;

-- Sealed sheets and their corrections (revision > 0), one hash chain per school.
CREATE TABLE attendance_sheets (
    id          INTEGER PRIMARY KEY,
    chain_seq   INTEGER NOT NULL UNIQUE CHECK (chain_seq >= 1),
    class_id    INTEGER NOT NULL REFERENCES classes (id),
    date        TEXT NOT NULL,
    revision    INTEGER NOT NULL CHECK (revision >= 0),
    corrects_id INTEGER REFERENCES attendance_sheets (id),
    reason      TEXT,
    signer_id   INTEGER NOT NULL REFERENCES users (id),
    key_id      TEXT NOT NULL,
    signed_at   TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    canonical   BLOB NOT NULL,        -- the exact signed bytes
    signature   BLOB NOT NULL CHECK (length(signature) = 64),
    UNIQUE (class_id, date, revision),
    CHECK ((revision = 0) = (corrects_id IS NULL))
) STRICT;
CREATE INDEX attendance_sheets_class_date ON attendance_sheets (class_id, date);

CREATE TABLE attendance_entries (
    sheet_id      INTEGER NOT NULL REFERENCES attendance_sheets (id),
    student_id    INTEGER NOT NULL REFERENCES students (id),
    attendance_no INTEGER NOT NULL,
    status        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sheet_id, student_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER attendance_sheets_no_update BEFORE UPDATE ON attendance_sheets
BEGIN
    SELECT RAISE(ABORT, 'sealed attendance sheets are immutable');
END;

CREATE TRIGGER attendance_sheets_no_delete BEFORE DELETE ON attendance_sheets
BEGIN
    SELECT RAISE(ABORT, 'sealed attendance sheets are immutable');
END;

CREATE TRIGGER attendance_entries_no_update BEFORE UPDATE ON attendance_entries
BEGIN
    SELECT RAISE(ABORT, 'sealed attendance sheets are immutable');
END;

CREATE TRIGGER attendance_entries_no_delete BEFORE DELETE ON attendance_entries
BEGIN
    SELECT RAISE(ABORT, 'sealed attendance sheets are immutable');
END;
