"""The extraction pipeline: an explicit ordered list of stages passing frozen dataclasses.

Document:  load → [per page: normalise → grid → header → segment → read → parse] → validate.
Bounding boxes refer to ``Page.gray`` of :attr:`LedgerResult.pages` (the normalised page image:
square pixels at about 300 dpi, rectified, deskewed and turned upright when the sheet lay upside down or
on its side); :func:`load_pages` returns the same images before any such turn (``Page.quarter_turns``).
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import combinations, pairwise
from pathlib import Path

import numpy as np

from . import crosscheck, glyph_checks, guardians, names, places, reading
from . import fields as fl
from .dates import parse_date, salvage_date
from .engine import CellRequest, OcrEngine, default_engine
from .errors import Cancelled, FieldError, NoTableError
from .grid import HARDER_GROUND_CLEARINGS, TablePage, detect_grid, solid_ink
from .header import ROLE_FIELDS, map_columns, merge_synonyms, role_scores, score_role
from .load import read_raw_pages
from .model import (
    FIELD_NAMES,
    BBox,
    Cell,
    ColumnMap,
    FieldValue,
    Gray,
    Grid,
    LedgerResult,
    OcrText,
    Page,
    RawPage,
    Record,
)
from .normalise import normalise, turn_page
from .recheck import CHECK_KINDS, CONF_REVIEW, MIN_WORD_REVIEW, OCR_DOUBTS, recheck
from .rows import flag, validate_records, vote_single_glyphs
from .segment import (
    STANDARD_FAX_LINE_H,
    TARGET_LINE_H,
    bands,
    cell_ink,
    drop_stray_specks,
    render,
    segment_row,
    tight,
)

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

AGREED_REVIEW = 0.6  # both models read the same: review only below this
# kana: both models miss the same dakuten / small kana (ダ read タ, ヨ read ョ), so agreement counts less
KANA_AGREED_REVIEW = 0.92


@dataclass(frozen=True)
class Context:
    file: str
    engine: OcrEngine
    synonyms: Mapping[str, Sequence[str]]
    line_h: float = TARGET_LINE_H  # the height cell text is drawn at for the engine (per page)


@dataclass(frozen=True)
class PageWork:
    raw: RawPage
    page: Page | None = None
    table: TablePage | None = None
    cmap: ColumnMap | None = None
    prev_cmap: ColumnMap | None = None
    prev_grid: Grid | None = None  # the previous page's table, for a page that repeats no header
    data_rows: tuple[int, ...] = ()  # grid row indices holding records
    cells: tuple[Cell, ...] = ()
    texts: tuple[OcrText, ...] = ()
    records: tuple[Record, ...] = ()
    # columns holding values under a header that named no field (unread): their values are not imported
    unread_cols: tuple[int, ...] = ()


# ---------------------------------------------------------------- page stages


def stage_normalise(w: PageWork, ctx: Context) -> PageWork:
    return replace(w, page=normalise(w.raw))


def stage_grid(w: PageWork, ctx: Context) -> PageWork:
    assert w.page is not None
    tp = detect_grid(w.page)
    if tp is None or tp.grid.n_rows < 1 or tp.grid.n_cols < 2:
        raise NoTableError(file=ctx.file, page=w.raw.number)
    return replace(w, table=tp)


def stage_header(w: PageWork, ctx: Context) -> PageWork:
    tp = w.table
    assert tp is not None
    grid = tp.grid
    best: ColumnMap | None = None
    best_header: list[str] = []
    for r in range(min(2, grid.n_rows - 1)):
        reqs: list[CellRequest] = []
        cols: list[int] = []
        for c in range(grid.n_cols):
            ink = cell_ink(tp, grid.cell_box(r, c))
            if ink is None:
                continue
            reqs.append(CellRequest(render(tp.gray, ink, line_h=ctx.line_h)))
            cols.append(c)
        texts = ctx.engine.read_batch(reqs) if reqs else []
        header = ["" for _ in range(grid.n_cols)]
        for c, t in zip(cols, texts, strict=True):
            header[c] = t.text
        header = _reread_unmatched(header, cols, reqs, ctx)
        header = _reread_grounds(header, r, tp, ctx)
        cmap = _kana_holds_names(map_columns(header, ctx.synonyms, header_row=r), tp)
        cmap = _roles_by_content(cmap, header, tp, ctx)
        roles = cmap.roles()
        # a table that names its pupils (a name column whose header was not read is reported missing)
        if len(roles) >= 3 and ("name" in roles or "kana_name" in roles or "kana" in roles):
            best, best_header = cmap, header
            break
    if best is None:
        prev = w.prev_cmap
        if prev is not None and max(c for c, _ in prev.columns) < grid.n_cols and _continues(grid, w.prev_grid):
            best = ColumnMap(header_row=-1, columns=prev.columns)
        else:
            raise NoTableError(
                "no header row with recognisable column names (氏名, 生年月日, …)",
                "列名（氏名・生年月日など）のある見出し行が見つかりません",
                file=ctx.file,
                page=w.raw.number,
            )
    best = _infer_no_column(best, grid)
    rows = tuple(r for r in range(best.header_row + 1, grid.n_rows) if _row_has_record(tp, best, r))
    used = {c for c, _ in best.columns}
    unread = tuple(
        c
        for c in range(grid.n_cols)
        if c not in used
        and best_header  # a page continuing the last one's table: that page reported its columns
        and not _names_other_column(best_header[c])
        and 2 * sum(cell_ink(tp, grid.cell_box(r, c)) is not None for r in rows) >= max(len(rows), 1)
    )
    return replace(w, cmap=best, data_rows=rows, unread_cols=unread)


def _names_other_column(header: str) -> bool:
    """A header read as a word (備考, 学区, 国籍) names a column the ledger has and the store does not
    take: it was read, not lost.  One that reads as no word (児意多名, 邊雑先) was not read."""
    s = "".join(fl.clean_text(header).split())
    return len(s) >= 2 and fl.has_letters(s) and reading.is_word(s)


def borrowed_roles(
    cmap: ColumnMap, grid: Grid, unread: Sequence[int], others: Sequence[tuple[ColumnMap, Grid]]
) -> tuple[tuple[int, str], ...]:
    """Roles for a page's unread columns from another page of the same ledger (as many columns, of the
    same widths) whose header named them: a header a fax blotted on one page is clear on the next."""
    have = set(cmap.roles())
    out: list[tuple[int, str]] = []
    for other, other_grid in others:
        if not same_table(grid, other_grid):
            continue
        roles = dict(other.columns)
        for c in unread:
            role = roles.get(c)
            if role is None or role in have or any(c == k for k, _ in out):
                continue
            if (role == "kana_name" and have & {"name", "kana"}) or (role in ("name", "kana") and "kana_name" in have):
                continue
            out.append((c, role))
            have.add(role)
    return tuple(out)


def same_table(a: Grid, b: Grid) -> bool:
    """Two pages' tables with as many columns of the same widths: one ledger's layout."""
    if a.n_cols != b.n_cols:
        return False
    return max(abs(x - y) for x, y in zip(_widths(a), _widths(b), strict=True)) <= CONTINUE_WIDTH_TOL


def flag_disputed_columns(
    per_page: Sequence[tuple[Record, ...]], maps: Sequence[tuple[int, ColumnMap, Grid]]
) -> tuple[list[tuple[Record, ...]], list[str]]:
    """Pages of one table whose headers named a column differently (保護者氏名 read as 氏名 on one page
    only): no page's reading is trusted over another's, so every field taken from such a column is
    flagged on those pages, and a warning names the column."""
    out = list(per_page)
    warnings: list[str] = []
    disputed: dict[int, set[int]] = {}  # page index -> columns
    for (i, a, ga), (j, b, gb) in combinations(maps, 2):
        if not same_table(ga, gb):
            continue
        ra, rb = dict(a.columns), dict(b.columns)
        for c in sorted(set(ra) & set(rb)):
            if ra[c] != rb[c]:
                disputed.setdefault(i, set()).add(c)
                disputed.setdefault(j, set()).add(c)
    roles_of = {i: dict(m.columns) for i, m, _g in maps}
    for i, cols in sorted(disputed.items()):
        fields = {f for c in cols for f in ROLE_FIELDS[roles_of[i][c]]}
        recs = list(out[i])
        for name in fields:
            recs = [flag(r, name, "header.pages_disagree") for r in recs]
        out[i] = tuple(recs)
    for c in sorted({c for cols in disputed.values() for c in cols}):
        warnings.append(
            f"左から{c + 1}列目の見出しがページによって違って読めました。その列の値はすべて要確認です"
            f" / the header of column {c + 1} (from the left) reads differently on different pages;"
            " every value from it is flagged"
        )
    return out, warnings


def _widths(grid: Grid) -> list[float]:
    span = max(grid.xs[-1] - grid.xs[0], 1)
    return [(b - a) / span for a, b in pairwise(grid.xs)]


def _continues(grid: Grid, prev: Grid | None) -> bool:
    """A page without a header row continues the previous page's table unless its columns are that
    table's backwards (the sheet was fed upside down) or it has as many columns of other widths."""
    if prev is None or grid.n_cols != prev.n_cols:
        return True
    now, before = _widths(grid), _widths(prev)
    straight = max(abs(a - b) for a, b in zip(now, before, strict=True))
    backwards = max(abs(a - b) for a, b in zip(now[::-1], before, strict=True))
    return straight <= CONTINUE_WIDTH_TOL or straight < backwards


CONTINUE_WIDTH_TOL = 0.03  # of the table's width


def _reread_unmatched(header: list[str], cols: Sequence[int], reqs: Sequence[CellRequest], ctx: Context) -> list[str]:
    """Header cells that match no column name are read again by the second model, if there is one."""
    second: OcrEngine | None = getattr(ctx.engine, "secondary", None)
    if second is None:
        return header
    weak = [k for k, c in enumerate(cols) if score_role(header[c], ctx.synonyms)[1] < HEADER_WEAK]
    if not weak:
        return header
    alts = second.read_batch([reqs[k] for k in weak])
    out = list(header)
    for k, alt in zip(weak, alts, strict=True):
        c = cols[k]
        if score_role(alt.text, ctx.synonyms)[1] > score_role(header[c], ctx.synonyms)[1]:
            out[c] = alt.text
    return out


def _reread_grounds(header: list[str], row: int, tp: TablePage, ctx: Context) -> list[str]:
    """Header cells on a grey ground (網掛け) that match no column name are cleared of their dots
    harder and read again: a fax leaves clumps of dots that the usual clearing keeps."""
    weak = [
        c for c in range(len(header)) if (row, c) in tp.grounds and score_role(header[c], ctx.synonyms)[1] < HEADER_WEAK
    ]
    if not weak:
        return header
    reqs: list[CellRequest] = []
    owner: list[int] = []
    for c in weak:
        for fill, min_area in HARDER_GROUND_CLEARINGS:
            kept = drop_stray_specks(solid_ink(tp.grounds[(row, c)], fill, min_area))
            ink = tight(kept, 0, 0)
            if ink is None or int((ink.mask > 0).sum()) < 25:
                continue
            reqs.append(CellRequest(render(np.where(kept > 0, 0, 255).astype(np.uint8), ink, line_h=ctx.line_h)))
            owner.append(c)
    out = list(header)
    for c, t in zip(owner, ctx.engine.read_batch(reqs) if reqs else [], strict=True):
        if score_role(t.text, ctx.synonyms)[1] > score_role(out[c], ctx.synonyms)[1]:
            out[c] = t.text
    return out


def _kana_holds_names(cmap: ColumnMap, tp: TablePage) -> ColumnMap:
    """A ふりがな column and no 氏名 column: the header was ふりがな／氏名 misread ("フリガナン紅名").

    Every ledger names its pupils, so the ふりがな column holds the names under the readings, when its
    cells show two printed lines.  Cells of one line are plain ふりがな: the name column's header was
    not read, and its fields are reported missing rather than filled with the readings.
    """
    roles = cmap.roles()
    if "kana" not in roles or "name" in roles or "kana_name" in roles:
        return cmap
    col = next(c for c, r in cmap.columns if r == "kana")
    lines = [
        len(bands(ink))
        for r in range(cmap.header_row + 1, tp.grid.n_rows)
        if (ink := cell_ink(tp, tp.grid.cell_box(r, col)))
    ]
    if not lines or sum(n >= 2 for n in lines) < STACKED_SHARE * len(lines):
        return cmap
    return replace(cmap, columns=tuple((c, "kana_name" if r == "kana" else r) for c, r in cmap.columns))


STACKED_SHARE = 0.5  # of a column's filled cells that show ふりがな above a name


def _content_role(text: str) -> str | None:
    """What one cell's text can only be: a date, a phone number, 男/女, a row number, a school, an
    address or a reading.  Names are never told apart this way (a pupil's from a guardian's)."""
    s = fl.clean_text(text)
    if not s:
        return None
    for role, parse in (("birth_date", parse_date), ("phone", fl.parse_phone), ("sex", fl.parse_sex)):
        with contextlib.suppress(FieldError):
            parse(s)
            return role
    if re.fullmatch(r"[0-9]{1,3}\.?", s):
        return "no"
    if not re.search(r"[0-9]", s) and (s.endswith(fl.SCHOOL_KINDS) or fl.school_kind_repair(s)):
        return "previous_school"
    doubts = fl.address_doubts(s)
    if "address.no_municipality" not in doubts and "address.no_number" not in doubts:
        return "address"
    with contextlib.suppress(FieldError):
        fl.parse_kana(s)
        return "kana"
    return None


def _roles_by_content(cmap: ColumnMap, header: Sequence[str], tp: TablePage, ctx: Context) -> ColumnMap:
    """Columns whose header was not read (a grey ground a fax made dots of, a faint print), or read so
    badly it matched a column name only faintly, are told by what their first cells hold, when most
    of them can only be one kind of field no surely named column has.

    Only with at least two headers read.  A header cell that itself reads as the kind of value its
    column holds (番号 read as 2) leaves that column as it was; two such cells make the row a pupil,
    not a header (a page that continues the previous page's table), and nothing is changed.
    """
    if len(cmap.roles()) < 2:
        return cmap
    # a header read as a word that names no field (学区 over 桜台小学校) is another column, whatever it holds
    faint = {
        c
        for c, role in cmap.columns
        if role_scores(header[c], ctx.synonyms).get(role, 0.0) < FAINT_HEADER and not _names_other_column(header[c])
    }
    used = {c for c, _ in cmap.columns}
    check = sorted(faint | {c for c in range(tp.grid.n_cols) if c not in used and not _names_other_column(header[c])})
    rows = range(cmap.header_row, min(tp.grid.n_rows, cmap.header_row + 1 + CONTENT_ROWS))
    reqs: list[CellRequest] = []
    owner: list[tuple[int, int]] = []
    for c in check:
        for r in rows:
            ink = cell_ink(tp, tp.grid.cell_box(r, c))
            if ink is not None:
                multi = len(bands(ink)) > 1
                reqs.append(CellRequest(render(tp.gray, ink, multi, ctx.line_h), multiline=multi))
                owner.append((c, r))
    if not reqs:
        return cmap
    kinds: dict[int, list[str | None]] = {}
    head: dict[int, str | None] = {}
    for (c, r), t in zip(owner, ctx.engine.read_batch(reqs), strict=True):
        if r == cmap.header_row:
            head[c] = _content_role(t.text)
        else:
            kinds.setdefault(c, []).append(_content_role(t.text))
    told: dict[int, str] = {}
    alike = 0  # header cells that read as the kind of value below them
    for c, ks in kinds.items():
        top, n = Counter(ks).most_common(1)[0]
        if top is not None and len(ks) >= 2 and n >= CONTENT_SHARE * len(ks):
            if head.get(c) == top:
                alike += 1
            else:
                told[c] = top
    if alike >= 2:
        return cmap  # the "header" is a row of data
    sure = [(c, role) for c, role in cmap.columns if c not in faint]
    taken = {role for _, role in sure} | ({"kana"} if any(r == "kana_name" for _, r in sure) else set())
    by_role: dict[str, list[int]] = {}
    for c, role in told.items():
        if role not in taken:
            by_role.setdefault(role, []).append(c)
    added = {cols[0]: role for role, cols in by_role.items() if len(cols) == 1}
    taken |= set(added.values())
    # a faintly named column the content says nothing about keeps its name, if still free
    kept = [(c, role) for c, role in cmap.columns if c in faint and c not in told and role not in taken]
    return replace(cmap, columns=tuple(sorted((*sure, *added.items(), *kept))))


CONTENT_ROWS = 5  # data rows read to tell what a column without a readable header holds
CONTENT_SHARE = 0.6  # of them that must read as one kind of field
FAINT_HEADER = 0.6  # a header less like its column name than this is checked against the column's content


def _infer_no_column(cmap: ColumnMap, grid: Grid) -> ColumnMap:
    """An unreadable header over a narrow first column: it is the row number (番号) column.

    Its values still go through the number parser and the sequence check, so a wrong guess shows.
    """
    roles = cmap.roles()
    used = {c for c, _ in cmap.columns}
    if "no" in roles or 0 in used or grid.n_cols < 3:
        return cmap
    table_w = grid.xs[-1] - grid.xs[0]
    if grid.xs[1] - grid.xs[0] > NO_COL_MAX_W * table_w:
        return cmap
    return replace(cmap, columns=tuple(sorted(((0, "no"), *cmap.columns))))


NO_COL_MAX_W = 0.07  # of the table width
HEADER_WEAK = 0.75  # a header text less similar than this to every column name is read again


def _row_has_record(tp: TablePage, cmap: ColumnMap, row: int) -> bool:
    inked = [role for col, role in cmap.columns if cell_ink(tp, tp.grid.cell_box(row, col)) is not None]
    return any(r != "no" for r in inked)


def stage_segment(w: PageWork, ctx: Context) -> PageWork:
    assert w.table is not None and w.cmap is not None
    cells: list[Cell] = []
    for i, r in enumerate(w.data_rows, start=1):
        cells.extend(segment_row(w.table, w.cmap, r, i, ctx.line_h))
    return replace(w, cells=tuple(cells))


def stage_read(w: PageWork, ctx: Context) -> PageWork:
    reqs = [CellRequest(c.image, c.multiline) for c in w.cells]
    texts = ctx.engine.read_batch(reqs) if reqs else []
    return replace(w, texts=tuple(texts))


def stage_parse(w: PageWork, ctx: Context) -> PageWork:
    assert w.cmap is not None and w.table is not None
    by_row: dict[int, dict[str, tuple[Cell, OcrText]]] = {}
    for cell, text in zip(w.cells, w.texts, strict=True):
        row = by_row.setdefault(cell.row, {})
        kind = cell.kind.split("#")[0]
        if kind in row and "#" in cell.kind:
            row[kind] = _join(row[kind], (cell, text))
        else:
            row[kind] = (cell, text)
    wanted: list[str] = []
    for _col, role in w.cmap.columns:
        wanted.extend(ROLE_FIELDS[role])
    col_of_field = {f: col for col, role in w.cmap.columns for f in ROLE_FIELDS[role]}
    missing = tuple(f for f in FIELD_NAMES if f not in col_of_field)
    records: list[Record] = []
    strict_names = _read_by_fax_model(ctx)
    for i, grid_row in enumerate(w.data_rows, start=1):
        got = by_row.get(i, {})
        boxes = {name: w.table.grid.cell_box(grid_row, col_of_field[name]) for name in wanted}
        fields = {name: parse_field(name, got, w.raw.number, boxes[name]) for name in wanted}
        fields = crosscheck.split_name_by_reading(fields)
        fields = crosscheck.confirm_by_reading(fields, got)
        fields = crosscheck.settle_name_and_kana_together(fields, got)
        fields = glyph_checks.settle_names_by_glyphs(fields, got, strict=strict_names)
        fields = glyph_checks.offer_reading_by_glyphs(fields, got)
        fields = glyph_checks.settle_kana_by_glyphs(fields, got)
        fields = crosscheck.check_names_against_kana_and_dictionary(fields)
        fields = crosscheck.settle_dictionary_kana_by_second_read(fields, got)
        fields = crosscheck.settle_agreed_kana_by_reading(fields, got)
        fields = crosscheck.resplit_kana_by_reading(fields)
        fields = crosscheck.settle_dictionary_kana_by_likeness(fields, got)
        fields = _with_alternatives(fields, got, w.raw.number, boxes)
        fields = guardians.offer_likelier_guardian(fields)
        fields = crosscheck.settle_kana_by_other_read(fields)
        fields = guardians.offer_family_from_guardian(fields)
        fields = crosscheck.flag_thin_kanji_lost(fields)
        fields = crosscheck.flag_kana_split_leftover(fields)
        fields = crosscheck.flag_family_before_garbled_given(fields)
        fields = crosscheck.settle_school_by_kind(fields)
        fields = crosscheck.offer_reading_beside_doubted_name(fields)
        fields = glyph_checks.spell_name_by_kana(fields, got)
        fields = guardians.offer_nearest_guardian_given(fields, got)
        fields = guardians.settle_name_form_by_the_other(fields)
        if strict_names:
            fields = crosscheck.flag_names_the_kana_do_not_confirm(fields)
            fields = crosscheck.flag_one_kanji_given_without_kana(fields)
        records.append(Record(page=w.raw.number, row=i, fields=fields, missing=missing))
    return replace(w, records=tuple(records))


def _with_alternatives(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]], page: int, boxes: Mapping[str, BBox]
) -> dict[str, FieldValue]:
    """Each flagged value the other model read differently offers that read too (the reviewer takes it
    with one key when the cell image agrees)."""
    other = {
        k: (c, replace(t, text=t.second, second=t.text))
        for k, (c, t) in got.items()
        if t.agreed is False and t.second and t.second.strip()
    }
    if not other:
        return fields
    alt_got = {**got, **other}
    out = dict(fields)
    for name, fv in fields.items():
        if not fv.needs_review:
            continue
        alt_fv = parse_field(name, alt_got, page, boxes[name])
        alt = alt_fv.value
        if alt is None or alt == fv.value or str(alt) in fv.alternatives:
            continue
        if name in CHECK_KINDS and _check_failure(alt_fv) < _check_failure(fv):
            # 平成30企5月0日 beside 平成30年5月30日: the read that passes the field's check is shown
            # (still flagged: the models disagree); the garbled one is no value to offer
            out[name] = replace(fv, value=alt, reasons=(*fv.reasons, "ocr.other_read_valid"))
        else:
            out[name] = replace(fv, alternatives=(*fv.alternatives, str(alt)))
    return out


SALVAGED = {"date.salvaged", "phone.leading_zero"}  # a value offered from a read that failed its check


def _check_failure(fv: FieldValue) -> int:
    """0 when the value passed its field's check, 1 when it was only salvaged from a garbled read
    (平成30年9月25H, 945-794-7158), 2 when it failed."""
    doubts = set(fv.reasons) - OCR_DOUBTS
    if fv.value is None or (doubts and not doubts & SALVAGED):
        return 2
    return 1 if doubts else 0


def stage_recheck(w: PageWork, ctx: Context) -> PageWork:
    """Ask the second model about doubtful cells (see ``recheck``)."""
    if getattr(ctx.engine, "secondary", None) is None or not w.cells:
        return w
    return replace(w, texts=tuple(recheck(w.cells, w.texts, ctx.engine, confirm_all=_read_by_fax_model(ctx))))


PAGE_STAGES: tuple[tuple[str, Callable[[PageWork, Context], PageWork]], ...] = (
    ("normalise", stage_normalise),
    ("grid", stage_grid),
    ("header", stage_header),
    ("segment", stage_segment),
    ("read", stage_read),
    ("recheck", stage_recheck),
    ("parse", stage_parse),
)
# the stages a page runs again when another page names a column its header left unread
AFTER_HEADER = PAGE_STAGES[[name for name, _ in PAGE_STAGES].index("header") + 1 :]


# ---------------------------------------------------------------- field parsing


def _join(a: tuple[Cell, OcrText], b: tuple[Cell, OcrText]) -> tuple[Cell, OcrText]:
    """One field printed on two lines of a cell: texts joined, boxes united, weakest confidence kept."""
    (ca, ta), (cb, tb) = a, b
    box = (
        min(ca.bbox[0], cb.bbox[0]),
        min(ca.bbox[1], cb.bbox[1]),
        max(ca.bbox[2], cb.bbox[2]),
        max(ca.bbox[3], cb.bbox[3]),
    )
    agreed = (
        None if ta.agreed is None and tb.agreed is None else bool(ta.agreed is not False and tb.agreed is not False)
    )
    text = OcrText(
        ta.text + tb.text,
        min(ta.confidence, tb.confidence),
        min(ta.min_confidence, tb.min_confidence),
        agreed=agreed,
    )
    return replace(ca, bbox=box, kind=ca.kind.split("#")[0], note="joined"), text


def _fv(
    value: str | int | None,
    text: OcrText | None,
    page: int,
    bbox: BBox,
    reasons: list[str],
    raw: str = "",
    kana: bool = False,
) -> FieldValue:
    conf = text.confidence if text is not None else 0.0
    if text is not None and text.agreed is False:
        reasons.append("ocr.models_disagree")
    elif text is not None and text.agreed is True:
        if text.confidence < (KANA_AGREED_REVIEW if kana else AGREED_REVIEW):
            reasons.append("ocr.low_confidence")
    elif text is not None and (text.confidence < CONF_REVIEW or text.min_confidence < MIN_WORD_REVIEW):
        reasons.append("ocr.low_confidence")
    if value is None or value == "":
        reasons.append("field.empty")
        value = None
    return FieldValue(
        value=value,
        confidence=conf,
        needs_review=bool(reasons),
        page=page,
        bbox=bbox,
        raw=raw if raw else (text.text if text is not None else ""),
        reasons=tuple(reasons),
    )


def parse_field(name: str, got: Mapping[str, tuple[Cell, OcrText]], page: int, cell_box: BBox) -> FieldValue:
    """Turn the OCR text of one field into a validated FieldValue."""
    if name in ("family_name", "given_name", "family_kana", "given_kana"):
        is_kana = name.endswith("_kana")
        whole = got.get("kana_whole" if is_kana else "name_whole")
        if name in got:
            cell, text = got[name]
            nval, nreasons = names.kana_value(text.text) if is_kana else names.name_value(text.text)
            if not is_kana:
                nval, nreasons = names.check_variants(nval, nreasons, cell.image)
            if cell.note:
                nreasons.append(cell.note)
            return _fv(nval, text, page, cell.bbox, nreasons, kana=is_kana)
        if whole is not None:
            cell, text = whole
            parts = fl.clean_text(text.text).split()
            wreasons = ["name.no_gap"]
            idx = 0 if name.startswith("family") else 1
            part = parts[idx] if len(parts) == 2 else (parts[0] if idx == 0 and parts else "")
            wval, more = names.kana_value(part) if is_kana and part else (names.name_value(part) if part else ("", []))
            return _fv(wval, text, page, cell.bbox, wreasons + more, kana=is_kana)
        return _fv(None, None, page, cell_box, [])
    if name not in got:
        return _fv(None, None, page, cell_box, [])
    cell, text = got[name]
    raw = text.text
    reasons: list[str] = []
    value: str | int | None
    try:
        if name == "no":
            value = fl.parse_no(raw)
        elif name == "sex":
            value = fl.parse_sex(raw)
        elif name == "birth_date":
            value = fl.parse_date(raw).isoformat()
        elif name == "phone":
            value = fl.parse_phone(raw)
        elif name == "guardian":
            value, reasons = names.name_value(fl.clean_text(raw))
            if cell.note != "joined":
                value, reasons = names.check_variants(value, reasons, cell.image)
        elif name == "address":
            one_line = cell.note != "joined" and not cell.multiline
            image = cell.image if one_line else None
            value, found = places.parse_address(raw, whole=("#" not in cell.kind), image=image)
            reasons.extend(found)
        elif name == "previous_school":
            value = fl.fix_lookalikes("".join(fl.clean_text(raw).split()))
            if (kind_end := fl.school_kind_repair(value)) is not None:
                # こども團, 保膏園: one garbled character of the school's kind; offered, still flagged
                value = kind_end
                reasons.append("school.kind_repaired")
            reasons.extend(fl.school_doubts(value))
            one_line = cell.note != "joined" and not cell.multiline
            read = "".join(fl.clean_text(raw).split())
            if (placed := places.mend_school_place(value, cell.image if one_line else None, read)) is not None:
                # 独鮎沢保育所: a place name found nowhere, one kanji from the real 独鈷沢; offered, flagged
                value = placed
                reasons.append("school.place_mended")
            kind = fl.school_kind(value) or ""
            if reading.odd_kana_name(value[: len(value) - len(kind)]):
                reasons.append("school.odd_name")  # はなやぞの保育所: はなぞの with a stray や
        else:
            value = fl.fix_lookalikes("".join(fl.clean_text(raw).split()))
    except FieldError as exc:
        value = "".join(fl.clean_text(raw).split()) or None
        reasons.append(exc.code)
        if name == "birth_date" and (guess := salvage_date(raw)) is not None:
            # 平成30年9月25H: the date is legible, its kanji are not; offered, still flagged
            value = guess.isoformat()
            reasons.append("date.salvaged")
        if name == "phone" and (number := fl.salvage_phone(raw)) is not None:
            # 945-794-7158: a leading 0 read as 9; the valid number is offered, flagged for that alone
            value = number
            reasons[reasons.index(exc.code)] = "phone.leading_zero"
    return _fv(value, text, page, cell.bbox, reasons, raw)


# ---------------------------------------------------------------- entry points


def extract_file(
    path: Path,
    *,
    engine: OcrEngine | None = None,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> LedgerResult:
    """Read a ledger (TIFF/PDF/PNG/JPEG) into records; every doubtful field has ``needs_review``."""
    path = Path(path)
    name = path.name
    raws = read_raw_pages(path, cancel=cancel)
    eng = engine if engine is not None else default_engine()
    ctx = Context(file=name, engine=eng, synonyms=merge_synonyms(synonyms))
    total = len(raws)
    if progress is not None:
        progress(0, total, f"{name}: {total} page(s)")
    pages: list[Page] = []
    per_page: list[tuple[Record, ...]] = []
    maps: list[tuple[int, ColumnMap, Grid]] = []  # each page's columns, to name a column a page could not
    unread: list[tuple[int, PageWork]] = []
    sex_images: dict[tuple[int, int], Gray] = {}
    prev: ColumnMap | None = None
    prev_grid: Grid | None = None
    prep_stages = PAGE_STAGES[:2]  # normalise, grid: no OCR, so the next page is prepared meanwhile
    ocr_stages = PAGE_STAGES[2:]

    def prepare(raw: RawPage) -> PageWork:
        w = PageWork(raw=raw)
        for _name, stage in prep_stages:
            try:
                w = stage(w, ctx)
            except NoTableError:
                return w  # no table this way up: _read_page turns the page
        return w

    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt: Future[PageWork] | None = pool.submit(prepare, raws[0])
        for k, raw in enumerate(raws):
            if cancel is not None and cancel():
                raise Cancelled(file=name, page=raw.number)
            assert nxt is not None
            w = replace(nxt.result(), prev_cmap=prev, prev_grid=prev_grid)
            nxt = pool.submit(prepare, raws[k + 1]) if k + 1 < total else None
            try:
                w = _read_page(w, _page_context(ctx, raw), ocr_stages, cancel)
            except BaseException:
                if nxt is not None:
                    nxt.cancel()
                raise
            assert w.page is not None
            pages.append(w.page)
            per_page.append(w.records)
            sex_images.update({(c.page, c.row): c.image for c in w.cells if c.kind == "sex"})
            prev = w.cmap
            prev_grid = w.table.grid if w.table is not None else None
            if w.cmap is not None and w.table is not None:
                maps.append((k, w.cmap, w.table.grid))
            if w.unread_cols:
                unread.append((k, w))
            if progress is not None:
                progress(k + 1, total, f"{name}: page {raw.number}/{total}, {len(w.records)} row(s)")
    warnings: list[str] = []
    for k, w in unread:
        assert w.cmap is not None and w.table is not None
        extra = borrowed_roles(w.cmap, w.table.grid, w.unread_cols, [(m, g) for _k, m, g in maps])
        if extra:
            cmap = replace(w.cmap, columns=tuple(sorted((*w.cmap.columns, *extra))))
            w = _run_stages(
                replace(w, cmap=cmap, cells=(), texts=(), records=()), _page_context(ctx, w.raw), AFTER_HEADER, cancel
            )
            per_page[k] = w.records
            sex_images.update({(c.page, c.row): c.image for c in w.cells if c.kind == "sex"})
        for c in (c for c in w.unread_cols if c not in dict(extra)):
            warnings.append(
                f"{w.raw.number}ページ: 左から{c + 1}列目の見出しが読めず、その列は取り込まれません"
                "（原本で確認してください）"
                f" / page {w.raw.number}: the header of column {c + 1} (from the left) could not be read;"
                " that column is not imported (check the original)"
            )
    per_page, disputes = flag_disputed_columns(per_page, maps)
    warnings.extend(disputes)
    records = [r for recs in per_page for r in recs]
    final = validate_records(vote_single_glyphs(records, sex_images))
    return LedgerResult(file=name, n_pages=total, records=tuple(final), pages=tuple(pages), warnings=tuple(warnings))


def _read_by_fax_model(ctx: Context) -> bool:
    """The page is a standard fax read first by the model fine-tuned on them, which is sure of itself
    more often than it is right: every text cell is confirmed by the second model, every name by its
    ふりがな."""
    return bool(getattr(ctx.engine, "confirm_text", False))


def _page_context(ctx: Context, raw: RawPage) -> Context:
    """The file's context for this page: a standard-mode fax may have its own model, and its text is
    drawn smaller for the engine."""
    if raw.standard_fax:
        ctx = replace(ctx, line_h=STANDARD_FAX_LINE_H)
    for_page = getattr(ctx.engine, "for_page", None)
    return ctx if for_page is None else replace(ctx, engine=for_page(raw))


# quarter turns tried when a page shows no ledger table as it lies: upside down first (a sheet fed the
# wrong way round), then on its side (a landscape ledger faxed or scanned upright)
TURNS = (2, 1, 3)


def _read_page(
    w: PageWork,
    ctx: Context,
    stages: Sequence[tuple[str, Callable[[PageWork, Context], PageWork]]],
    cancel: CancelFn | None,
) -> PageWork:
    """Run the OCR stages on a prepared page; a page with no table or header row the right way up is
    tried turned, and fails with the first error when no turn finds one."""
    first: NoTableError | None = None
    if w.table is not None:
        try:
            return _run_stages(w, ctx, stages, cancel)
        except NoTableError as exc:
            first = exc
    assert w.page is not None
    for k in TURNS:
        turned = replace(w, page=turn_page(w.page, k), table=None)
        try:
            return _run_stages(turned, ctx, (("grid", stage_grid), *stages), cancel)
        except NoTableError:
            continue
    raise first if first is not None else NoTableError(file=ctx.file, page=w.raw.number)


def _run_stages(
    w: PageWork,
    ctx: Context,
    stages: Sequence[tuple[str, Callable[[PageWork, Context], PageWork]]],
    cancel: CancelFn | None,
) -> PageWork:
    for _name, stage in stages:
        if cancel is not None and cancel():
            raise Cancelled(file=ctx.file, page=w.raw.number)
        w = stage(w, ctx)
    return w


def load_pages(path: Path) -> list[Gray]:
    """The normalised page images that bboxes of :func:`extract_file` refer to (as the sheet lay: a page
    the extraction turned upright has ``Page.quarter_turns``)."""
    return [normalise(r).gray for r in read_raw_pages(Path(path))]
