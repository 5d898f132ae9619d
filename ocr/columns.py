"""Which field each column of a page's table holds.

The header row's cells are read and matched to column names and their synonyms (``header``); a weak
match is read again by the second model, a header on a grey ground (網掛け) cleared of its dots harder;
columns no header names are told by what their first cells hold; a narrow unnamed first column is the
row number.  Across pages: a page without a header continues the last page's table, an unread header
borrows the role another page's same column had, and columns the pages name differently are flagged.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import combinations, pairwise

import numpy as np

from . import fields as fl
from . import reading, surnames
from .context import Context
from .dates import parse_date
from .engine import CellRequest, OcrEngine
from .errors import FieldError, NoTableError
from .grid import HARDER_GROUND_CLEARINGS, TablePage, solid_ink
from .header import ROLE_FIELDS, map_columns, role_scores, score_role
from .model import BBox, ColumnMap, FieldValue, Grid, Record
from .rows import flag
from .segment import bands, cell_ink, drop_stray_specks, render, tight


def find_columns(
    tp: TablePage, ctx: Context, page: int, prev_cmap: ColumnMap | None = None, prev_grid: Grid | None = None
) -> tuple[ColumnMap, tuple[int, ...], tuple[int, ...]]:
    """The field each column of page ``page``'s table holds (from a header row in the first two rows,
    read again where weak, or by the columns' content), the grid rows holding records, and the columns
    with values under a header that named no field.  A page with no header row continues the previous
    page's table (``prev_cmap`` over ``prev_grid``) when its columns are that table's; else NoTableError."""
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
        if prev_cmap is not None and max(c for c, _ in prev_cmap.columns) < grid.n_cols and _continues(grid, prev_grid):
            best = ColumnMap(header_row=-1, columns=prev_cmap.columns)
        else:
            raise NoTableError(
                "no header row with recognisable column names (氏名, 生年月日, …)",
                "列名（氏名・生年月日など）のある見出し行が見つかりません",
                file=ctx.file,
                page=page,
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
    return best, rows, unread


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


def disputed_columns(maps: Sequence[tuple[int, ColumnMap, Grid]]) -> dict[int, set[int]]:
    """Page index -> the columns whose header that page named otherwise than another page of the same
    table did."""
    disputed: dict[int, set[int]] = {}
    for (i, a, ga), (j, b, gb) in combinations(maps, 2):
        if not same_table(ga, gb):
            continue
        ra, rb = dict(a.columns), dict(b.columns)
        for c in sorted(set(ra) & set(rb)):
            if ra[c] != rb[c]:
                disputed.setdefault(i, set()).add(c)
                disputed.setdefault(j, set()).add(c)
    return disputed


# roles whose values a check can tell apart (a phone number is no row number, nor a date)
CHECKED_ROLES = ("no", "phone", "birth_date", "sex")
CHECKED_SHARE = 0.8  # of a disputed column's cells: read as this role they pass its check

# re-reads a field's raw text as another field: (field, raw text, confidence, page, bbox) -> value
Reparse = Callable[[str, str, float, int, BBox], FieldValue]


def settle_disputed_roles(
    per_page: Sequence[tuple[Record, ...]], maps: Sequence[tuple[int, ColumnMap, Grid]], reparse: Reparse
) -> list[tuple[Record, ...]]:
    """Pages that named a column differently (電話 read as 番号 on one page): when the column's text, on
    every such page, passes the check of one of the roles named (a phone number, a date, a row number,
    男/女) in at least CHECKED_SHARE of its cells, and of no other, the pages that named it otherwise
    are read again as that role from the text they read (``reparse``), flagged
    ``header.pages_disagree``; the pages' own fields from it are dropped.  Only one-field roles are
    read again."""
    out = list(per_page)
    disputed = disputed_columns(maps)
    roles_of = {i: dict(m.columns) for i, m, _g in maps}
    for c in sorted({c for cols in disputed.values() for c in cols}):
        pages = [i for i, cols in disputed.items() if c in cols]
        named = {roles_of[i][c] for i in pages}
        if any(len(ROLE_FIELDS[r]) != 1 for r in named):
            continue
        cells = [f for i in pages for r in out[i] if (f := r.fields.get(ROLE_FIELDS[roles_of[i][c]][0]))]
        passing = [
            role
            for role in named & set(CHECKED_ROLES)
            if cells and sum(_passes(reparse, role, fv) for fv in cells) >= CHECKED_SHARE * len(cells)
        ]
        if len(passing) != 1:
            continue
        role = passing[0]
        for i in pages:
            own = ROLE_FIELDS[roles_of[i][c]][0]
            if own == role:
                continue
            out[i] = tuple(_read_as(rec, own, role, reparse) for rec in out[i])
    return out


def _passes(reparse: Reparse, name: str, fv: FieldValue) -> bool:
    got = reparse(name, fv.raw, fv.confidence, fv.page, fv.bbox)
    return got.value is not None and not set(got.reasons) - {"ocr.low_confidence"}


def _read_as(rec: Record, own: str, role: str, reparse: Reparse) -> Record:
    fv = rec.fields.get(own)
    if fv is None:
        return rec
    new = reparse(role, fv.raw, fv.confidence, fv.page, fv.bbox)
    new = replace(new, needs_review=True, reasons=(*new.reasons, "header.pages_disagree"))
    fields = {k: v for k, v in rec.fields.items() if k != own}
    fields[role] = new
    missing = tuple(m for m in (*rec.missing, own) if m != role)
    return replace(rec, fields=fields, missing=missing)


def flag_disputed_columns(
    per_page: Sequence[tuple[Record, ...]], maps: Sequence[tuple[int, ColumnMap, Grid]]
) -> tuple[list[tuple[Record, ...]], list[str]]:
    """Pages of one table whose headers named a column differently (保護者氏名 read as 氏名 on one page
    only): no page's reading is trusted over another's, so every field taken from such a column is
    flagged on those pages, and a warning names the column."""
    out = list(per_page)
    warnings: list[str] = []
    disputed = disputed_columns(maps)
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


PERSON = "person"  # a cell that reads as a family name and a given name: a pupil's or a guardian's


def _person(text: str) -> str | None:
    """PERSON when the cell reads as a family name (or one of Japan's commonest: 林) followed by a given
    name (後藤 達也, 後藤 正和)."""
    s = "".join(fl.clean_text(text).split())
    if not 2 <= len(s) <= 8:
        return None
    for i in range(1, len(s)):
        family, given = s[:i], s[i:]
        if (reading.is_name(family, "姓") or surnames.is_common(family)) and (
            reading.is_name(given, "名") or reading.is_proper_noun(given)
        ):
            return PERSON
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
            kinds.setdefault(c, []).append(_content_role(t.text) or _person(t.text))
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
    # people's names in one column beside the column named for the pupils' names (even faintly), under
    # a header hidden by a grey ground or not printed: the guardians' (保護者氏名 read 県議若区名 through
    # a fax's dotted grey ground); without the pupils' column, or with two such, no telling whose
    pupils = {c for c, role in cmap.columns if role in ("name", "kana_name")}
    # (a header printed plainly and read as something else, 父母名, is a board's to name: templates)
    hidden = {c for c in told if (cmap.header_row, c) in tp.grounds or not fl.clean_text(header[c]).strip()}
    people = [c for c, role in told.items() if role == PERSON and c not in pupils and c in hidden]
    told = {c: role for c, role in told.items() if role != PERSON}
    if pupils and len(people) == 1 and "guardian" not in taken:
        told[people[0]] = "guardian"
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
    """Some cell of the row but its number holds ink (the first one found settles it)."""
    return any(role != "no" and cell_ink(tp, tp.grid.cell_box(row, col)) is not None for col, role in cmap.columns)
