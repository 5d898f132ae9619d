-- 0007: the approval steps that replace the principal's seal on the attendance register.
--
-- Month close (homeroom teacher), countersign (校長), year seal and reopen (with a reason)
-- are signed records in their own hash chain, kept as their exact canonical bytes (RFC 8785)
-- like the sheets (storage/attendance/records.py); `attendance verify` checks both chains.

-- 校長: an administrator flagged as the principal countersigns months and may reopen a
-- sealed year (storage.users.set_principal).
ALTER TABLE users ADD COLUMN is_principal INTEGER NOT NULL DEFAULT 0 CHECK (is_principal IN (0, 1));

CREATE TABLE attendance_records (
    id        INTEGER PRIMARY KEY,
    chain_seq INTEGER NOT NULL UNIQUE CHECK (chain_seq >= 1),
    kind      TEXT NOT NULL CHECK (kind IN ('month_close', 'month_countersign', 'year_seal', 'year_reopen')),
    class_id  INTEGER REFERENCES classes (id),     -- NULL for year records
    period    TEXT NOT NULL,                       -- 'YYYY-MM' (calendar month) or 'YYYY' (年度)
    refers_id INTEGER REFERENCES attendance_records (id),  -- a countersign: the close it covers
    reason    TEXT,
    signer_id INTEGER NOT NULL REFERENCES users (id),
    key_id    TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE,
    canonical BLOB NOT NULL,        -- the exact signed bytes
    signature BLOB NOT NULL CHECK (length(signature) = 64)
) STRICT;
CREATE INDEX attendance_records_period ON attendance_records (class_id, period);

CREATE TRIGGER attendance_records_no_update BEFORE UPDATE ON attendance_records
BEGIN
    SELECT RAISE(ABORT, 'attendance records are immutable');
END;

CREATE TRIGGER attendance_records_no_delete BEFORE DELETE ON attendance_records
BEGIN
    SELECT RAISE(ABORT, 'attendance records are immutable');
END;

-- Years sealed now (derived from the records: a row while the last year record is a seal).
-- The triggers make a sealed year unmodifiable below the application too.
CREATE TABLE attendance_sealed_years (
    year       INTEGER PRIMARY KEY,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    record_id  INTEGER NOT NULL REFERENCES attendance_records (id)
) STRICT;

CREATE TRIGGER attendance_sheets_year_sealed BEFORE INSERT ON attendance_sheets
WHEN EXISTS (SELECT 1 FROM attendance_sealed_years y WHERE NEW.date BETWEEN y.start_date AND y.end_date)
BEGIN
    SELECT RAISE(ABORT, 'the school year is sealed');
END;

CREATE TRIGGER attendance_marks_year_sealed BEFORE INSERT ON attendance_marks
WHEN EXISTS (SELECT 1 FROM attendance_sealed_years y WHERE NEW.date BETWEEN y.start_date AND y.end_date)
BEGIN
    SELECT RAISE(ABORT, 'the school year is sealed');
END;

CREATE TRIGGER attendance_marks_update_year_sealed BEFORE UPDATE ON attendance_marks
WHEN EXISTS (SELECT 1 FROM attendance_sealed_years y WHERE NEW.date BETWEEN y.start_date AND y.end_date)
BEGIN
    SELECT RAISE(ABORT, 'the school year is sealed');
END;
