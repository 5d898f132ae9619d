-- 0001: school, users, years, classes, students, memberships, audit log.
-- Room is left for attendance (0002+), templates and exports: they get their own tables.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE school (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    school_code TEXT NOT NULL CHECK (length(school_code) = 13),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    login              TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 64),
    display_name       TEXT NOT NULL,
    role               TEXT NOT NULL CHECK (role IN ('teacher', 'administrator')),
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    signing_public_key BLOB,            -- Ed25519, filled by the attendance migration
    created_at         TEXT NOT NULL,
    removed_at         TEXT
) STRICT;

CREATE TABLE academic_years (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 1900 AND 2200),  -- 年度: starts 04-01
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    CHECK (start_date < end_date)
) STRICT;

CREATE TABLE classes (
    id               INTEGER PRIMARY KEY,
    year_id          INTEGER NOT NULL REFERENCES academic_years (id),
    grade            INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 9),
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    homeroom_user_id INTEGER REFERENCES users (id),
    UNIQUE (year_id, grade, name)
) STRICT;

-- Which teachers may read a class's students and keep its attendance.
CREATE TABLE class_teachers (
    class_id INTEGER NOT NULL REFERENCES classes (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (class_id, user_id)
) STRICT;

CREATE TABLE students (
    id              INTEGER PRIMARY KEY,
    student_number  TEXT UNIQUE,
    family_name     TEXT NOT NULL CHECK (length(family_name) BETWEEN 1 AND 40),
    given_name      TEXT NOT NULL CHECK (length(given_name) BETWEEN 1 AND 40),
    family_kana     TEXT NOT NULL CHECK (length(family_kana) BETWEEN 1 AND 80),
    given_kana      TEXT NOT NULL CHECK (length(given_kana) BETWEEN 1 AND 80),
    sex             TEXT NOT NULL CHECK (sex IN ('男', '女')),
    birth_date      TEXT NOT NULL CHECK (birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    guardian_name   TEXT,
    address         TEXT,
    phone           TEXT,
    previous_school TEXT,
    enrolled_on     TEXT,
    left_on         TEXT,
    status          TEXT NOT NULL DEFAULT 'enrolled'
                    CHECK (status IN ('planned', 'enrolled', 'left', 'graduated')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX students_kana ON students (family_kana, given_kana);
CREATE INDEX students_birth ON students (birth_date);

-- Dated membership: past months keep the roster as it was.
CREATE TABLE class_memberships (
    id            INTEGER PRIMARY KEY,
    class_id      INTEGER NOT NULL REFERENCES classes (id),
    student_id    INTEGER NOT NULL REFERENCES students (id),
    attendance_no INTEGER NOT NULL CHECK (attendance_no >= 1),  -- 出席番号
    from_date     TEXT NOT NULL,
    to_date       TEXT,
    CHECK (to_date IS NULL OR from_date <= to_date)
) STRICT;
CREATE INDEX class_memberships_class ON class_memberships (class_id, from_date);
CREATE INDEX class_memberships_student ON class_memberships (student_id);

-- Append-only, hash-chained audit log.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,   -- canonical JSON (RFC 8785)
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
