-- 0002: ledger imports. An OCR result waits as a draft (with its page images, for the
-- review screen's cell crops) until a person commits or discards it. On commit the
-- images and the draft's copy of the data are dropped: the students table holds it.

CREATE TABLE import_drafts (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    pages       INTEGER NOT NULL CHECK (pages >= 1),
    rows        INTEGER NOT NULL,
    flagged     INTEGER NOT NULL,
    result      TEXT NOT NULL,          -- extractor JSON with the reviewer's corrections
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'committed', 'discarded')),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE import_draft_pages (
    draft_id INTEGER NOT NULL REFERENCES import_drafts (id) ON DELETE CASCADE,
    page     INTEGER NOT NULL CHECK (page >= 1),
    image    BLOB NOT NULL,            -- normalised page as PNG; bboxes refer to it
    PRIMARY KEY (draft_id, page)
) STRICT;

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    draft_id     INTEGER REFERENCES import_drafts (id),
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    pages        INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    merged       INTEGER NOT NULL,
    skipped      INTEGER NOT NULL,
    committed_by TEXT NOT NULL,
    committed_at TEXT NOT NULL
) STRICT;
