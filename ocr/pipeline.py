"""The extraction pipeline: an explicit ordered list of stages passing frozen dataclasses.

Document:  load → [per page: normalise → grid → header → segment → read → recheck → parse] → validate.
Each stage's work lives in its own module (``normalise``, ``grid``, ``columns``, ``segment``, the
engine, ``recheck``; parse: ``fields`` and the row checks of ``crosscheck``, ``kana_checks``,
``glyph_checks``, ``guardians``; validate: ``rows``); this module runs them in order.
Bounding boxes refer to ``Page.gray`` of :attr:`LedgerResult.pages` (the normalised page image:
square pixels at about 300 dpi, rectified, deskewed and turned upright when the sheet lay upside down or
on its side); :func:`load_pages` returns the same images before any such turn (``Page.quarter_turns``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import crosscheck, glyph_checks, guardians, kana_checks, names, places, reading
from . import fields as fl
from .columns import borrowed_roles, find_columns, flag_disputed_columns, settle_disputed_roles
from .context import Context
from .dates import salvage_date
from .engine import CellRequest, OcrEngine, default_engine
from .errors import Cancelled, FieldError, NoTableError
from .grid import TablePage, detect_grid
from .header import ROLE_FIELDS, merge_synonyms
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
from .rows import validate_records, vote_single_glyphs
from .segment import STANDARD_FAX_LINE_H, segment_row

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

AGREED_REVIEW = 0.6  # both models read the same: review only below this
# kana: both models miss the same dakuten / small kana (ダ read タ, ヨ read ョ), so agreement counts less
KANA_AGREED_REVIEW = 0.92


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
    assert w.table is not None
    cmap, rows, unread = find_columns(w.table, ctx, w.raw.number, w.prev_cmap, w.prev_grid)
    return replace(w, cmap=cmap, data_rows=rows, unread_cols=unread)


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
        fields = crosscheck.split_name_by_dictionary(fields, got)
        fields = crosscheck.confirm_by_reading(fields, got)
        fields = crosscheck.settle_name_and_kana_together(fields, got)
        fields = glyph_checks.settle_names_by_glyphs(fields, got, strict=strict_names)
        fields = glyph_checks.offer_reading_by_glyphs(fields, got)
        fields = glyph_checks.settle_kana_by_glyphs(fields, got)
        fields = crosscheck.check_names_against_kana_and_dictionary(fields)
        fields = kana_checks.settle_dictionary_kana_by_second_read(fields, got)
        fields = kana_checks.settle_agreed_kana_by_reading(fields, got)
        fields = kana_checks.resplit_kana_by_reading(fields)
        fields = kana_checks.settle_dictionary_kana_by_likeness(fields, got)
        fields = _with_alternatives(fields, got, w.raw.number, boxes)
        fields = guardians.offer_likelier_guardian(fields)
        fields = kana_checks.settle_kana_by_other_read(fields)
        fields = guardians.offer_family_from_guardian(fields)
        fields = crosscheck.flag_thin_kanji_lost(fields)
        fields = kana_checks.flag_kana_split_leftover(fields)
        fields = crosscheck.flag_family_before_garbled_given(fields)
        fields = crosscheck.settle_school_by_kind(fields)
        fields = kana_checks.offer_reading_beside_doubted_name(fields)
        fields = kana_checks.offer_reading_for_unread_kana(fields)
        fields = glyph_checks.spell_name_by_kana(fields, got)
        fields = glyph_checks.offer_nearest_given(fields, got)
        fields = glyph_checks.offer_common_surname(fields, got)
        fields = guardians.offer_nearest_guardian_given(fields, got)
        fields = guardians.settle_name_form_by_the_other(fields)
        fields = crosscheck.settle_split_by_kana(fields)
        fields = kana_checks.flag_unborne_kana_beside_doubted_name(fields)
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
    alt_names: dict[str, FieldValue] = {}
    if "name_whole" in other and "family_name" in fields and "given_name" in fields:
        # the other model's read of a name printed without a gap is cut like the shown one (前田|美咲)
        whole = {k: parse_field(k, alt_got, page, boxes[k]) for k in ("family_name", "given_name")}
        alt_names = crosscheck.split_name_by_dictionary(whole)
    out = dict(fields)
    for name, fv in fields.items():
        if not fv.needs_review:
            continue
        alt_fv = alt_names.get(name) or parse_field(name, alt_got, page, boxes[name])
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
    per_page = settle_disputed_roles(per_page, maps, _reparse)
    per_page, disputes = flag_disputed_columns(per_page, maps)
    warnings.extend(disputes)
    records = [r for recs in per_page for r in recs]
    final = validate_records(vote_single_glyphs(records, sex_images))
    return LedgerResult(file=name, n_pages=total, records=tuple(final), pages=tuple(pages), warnings=tuple(warnings))


def _reparse(name: str, raw: str, confidence: float, page: int, bbox: BBox) -> FieldValue:
    """The text read from a cell parsed as the field ``name`` (a column whose header the pages named
    differently, read again as the role its text bears out)."""
    cell = Cell(page=page, row=0, kind=name, bbox=bbox, image=np.full((4, 4), 255, np.uint8), note="joined")
    return parse_field(name, {name: (cell, OcrText(raw, confidence, confidence))}, page, bbox)


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
