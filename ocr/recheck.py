"""The second model: which cells it is asked about, and what its read says of the first model's.

The fast model reads every cell; the larger one reads the doubtful cells and every cell of a kind the
fast model is known to misread while sure (ALWAYS_RECHECK).  Two reads that parse alike agree; where
they do not, the dictionaries (real places, names) or the printed glyphs (digits) may side with one,
else the cell is flagged ``ocr.models_disagree``.  A disputed address or school is read once more,
enlarged, by both models (``_second_look``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import cv2
import numpy as np

from . import crosscheck, digit_glyphs, names, places, reading
from . import fields as fl
from .dates import parse_date
from .engine import CellRequest, OcrEngine
from .errors import FieldError
from .model import Cell, OcrText

CONF_REVIEW = 0.80  # mean character confidence below this: review
MIN_WORD_REVIEW = 0.45  # any word below this: review
OCR_DOUBTS = {"ocr.models_disagree", "ocr.low_confidence"}

TEXT_KINDS = {
    "family_name",
    "given_name",
    "guardian",
    "address",
    "previous_school",
    "family_kana",
    "given_kana",
    "name_whole",
    "kana_whole",
}
KANJI_KINDS = {"family_name", "given_name", "guardian", "address", "previous_school", "name_whole"}
CHECK_KINDS = {"no", "birth_date", "phone"}
DOUBT_CONF = 0.91
DOUBT_MIN_WORD = 0.6


def _norm_read(s: str, kind: str = "") -> str:
    """A read as the field parser will see it, so two reads that parse alike count as agreeing."""
    out = "".join(fl.clean_text(s).split())
    if kind in ("family_kana", "given_kana", "kana_whole"):
        return fl.to_katakana(out)
    if kind in KANJI_KINDS:
        return fl.fix_lookalikes(out, address=kind == "address")
    if kind in CHECK_KINDS:
        if kind == "birth_date" and (m := _SLASH_READ_7.fullmatch(out)) is not None:
            out = "/".join(m.groups())  # 2018709711: the larger model reads the slashes of 2018/09/11 as 7
        # 090-4451・8070 and 0⑨0-④④⑤①-⑧0⑦0 (the larger model's circled digits) are one number
        with contextlib.suppress(FieldError):
            return str(_CHECK_PARSERS[kind](out))
    return out


_SLASH_READ_7 = re.compile(r"([0-9]{4})[7/]([0-9]{2})[7/]([0-9]{2})")


_CHECK_PARSERS: dict[str, Callable[[str], object]] = {
    "no": fl.parse_no,
    "phone": fl.parse_phone,
    "birth_date": fl.parse_date,
}


def _doubtful(cell: Cell, t: OcrText) -> bool:
    kind = cell.kind.split("#")[0]
    if kind in TEXT_KINDS:
        return t.confidence < DOUBT_CONF or t.min_confidence < DOUBT_MIN_WORD or not t.text.strip()
    if kind in CHECK_KINDS:
        return t.confidence < CONF_REVIEW or t.min_confidence < MIN_WORD_REVIEW
    return False


# Asked of the second model even when the first is sure: the first model confidently reads lookalike
# kanji in place names (狛→狐, 旛→施, 睦→陵, 間→問), drops dakuten / small kana (ザ→サ, ヨ→ョ) and
# digits (平成30年8月3日 for 8月30日, 03-5002-7454 for 03-5062-7454), and reads a guardian's given name,
# which no ふりがな check, as another name (加藤太朗 for 太郎 on a skewed scan, 岡田智志 for 智也).
ALWAYS_RECHECK = {"address", "family_kana", "given_kana", "kana_whole", "birth_date", "phone", "guardian"}
KANA_KINDS = {"family_kana", "given_kana", "kana_whole"}


def recheck(cells: Sequence[Cell], firsts: Sequence[OcrText], engine: OcrEngine, confirm_all: bool) -> list[OcrText]:
    """The first model's reads ``firsts`` of ``cells`` after asking the second model (``engine.secondary``)
    about the doubtful ones and every cell of a kind in ALWAYS_RECHECK (every text cell when
    ``confirm_all``: a standard fax read by its own model).

    Agreement confirms, disagreement flags.  A cell the first model was sure of is flagged only where
    its known blind spots lie: any other reading of an address, or kana that differ in voicing marks.
    """
    second = getattr(engine, "secondary", None)
    if second is None or not cells:
        return list(firsts)
    pairs = list(zip(cells, firsts, strict=True))
    doubt = [_doubtful(c, t) or (confirm_all and c.kind.split("#")[0] in TEXT_KINDS) for c, t in pairs]
    idx = [
        i for i, (c, t) in enumerate(pairs) if doubt[i] or (c.kind.split("#")[0] in ALWAYS_RECHECK and t.text.strip())
    ]
    if not idx:
        return list(firsts)
    reads = second.read_batch([CellRequest(cells[i].image, cells[i].multiline) for i in idx])
    own = _page_digits(cells, firsts, idx, reads)
    texts = list(firsts)
    for i, alt in zip(idx, reads, strict=True):
        first = texts[i]
        kind = cells[i].kind.split("#")[0]
        a, b = _norm_read(first.text, kind), _norm_read(alt.text, kind)
        agreed = a == b and bool(a)
        if agreed:
            texts[i] = replace(first, second=alt.text, agreed=True, confidence=max(first.confidence, alt.confidence))
        elif kind == "address" and (
            (side := places.municipality_side(cells[i].kind, a, b)) is not None
            or (side := places.town_side(cells[i].kind, a, b)) is not None
            or (side := places.place_side(cells[i].kind, a, b)) is not None
            or (side := places.well_formed_side(cells[i].kind, a, b)) is not None
        ):
            # the reads differ only in the municipality (狛江/狐江) or only in the town (池之端/池之蝶),
            # and just one of them is a real place name
            texts[i] = replace(first if side == 0 else alt, second=(alt if side == 0 else first).text, agreed=True)
        elif kind == "previous_school" and (side := _kind_garbled_side(a, b)) is not None:
            # the reads agree but for one character of the school's kind, which one of them reads whole
            # (すみれこども園 / すみれこども囲): the kinds are few, so that is no dispute
            texts[i] = replace(first if side == 0 else alt, second=(alt if side == 0 else first).text, agreed=True)
        elif kind in CHECK_KINDS and (side := _garbled_alike_side(kind, first.text, alt.text)) is not None:
            # one read with its era's letter garbled or lost (H30.4.10 / 30.4.10): the read that passes
            # the field's check is no dispute
            texts[i] = replace(first if side == 0 else alt, second=(alt if side == 0 else first).text, agreed=True)
        elif kind in ("phone", "birth_date") and (
            side := _digits_side(cells[i], kind, first.text, alt.text, own)
        ) is not None:
            # two numbers or dates a digit or two apart (03-5186-7072 / 03-5186-7078; H39.6.11 / H30.6.11,
            # VL Gothic's dotted 0 read 9): the printed glyphs of the digits they differ in side with one
            # read, which passes the field's check
            texts[i] = replace(first if side == 0 else alt, second=(alt if side == 0 else first).text, agreed=True)
        elif not doubt[i]:
            if kind in KANA_KINDS and names.voicing_only(a, b):
                # the larger model sees dakuten and small kana better; a person decides
                texts[i] = replace(alt, second=first.text, agreed=False)
            elif kind == "guardian" and _another_person(a, b):
                # a sure guardian the larger model reads as another person: flagged (the glyphs may
                # still settle it, with the dictionary, in the row checks)
                texts[i] = replace(first, second=alt.text, agreed=False)
            elif kind in CHECK_KINDS:
                # a sure date or number the larger model reads as another valid one (平成30年8月3日 /
                # 2018-08-30: a digit dropped) is flagged; a garbled second read (2018/707/726) is not
                texts[i] = replace(first, second=alt.text, agreed=False if _passes_check(kind, alt.text) else None)
            elif kind == "address":
                # flagged either way; show the likelier read (the larger model, when surer)
                pick = (alt, first) if alt.confidence > first.confidence and alt.text.strip() else (first, alt)
                texts[i] = replace(pick[0], second=pick[1].text, agreed=False)
            else:
                texts[i] = replace(first, second=alt.text)
        elif kind in KANJI_KINDS and alt.text.strip() and not confirm_all:
            # the larger model reads rare kanji better; the value stays flagged
            texts[i] = replace(alt, second=first.text, agreed=False)
        else:
            texts[i] = replace(first, second=alt.text, agreed=False)
    texts = _second_look(cells, firsts, engine, texts)
    return [_likelier_name(c, _likelier_shown(c, t)) for c, t in zip(cells, texts, strict=True)]


def _kind_garbled_side(a: str, b: str) -> int | None:
    """0 or 1: the one of two reads of a previous school that ends in a school's kind, when the other is
    that read with one character of the kind garbled and the name before the kind is a word or a
    place name (すみれ, 独鈷沢: a misread name both models share, きくら for さくら, stays disputed)."""
    for side, (whole, garbled) in enumerate(((a, b), (b, a))):
        if whole and fl.school_kind_repair(garbled) == whole:
            return side if crosscheck.school_name_known(whole) else None
    return None


def _garbled_alike_side(kind: str, a: str, b: str) -> int | None:
    """0 or 1: of two reads of a number or date alike from their first digit on (H30.4.10 / 30.4.10,
    H31.3.11 / H目31.3.11: only the era's letter garbled or lost), the one that passes the field's check
    when the other does not; None otherwise.  Two reads that both pass (H30 / S30) are a dispute, and
    junk among or after the digits (2018/11/2. beside 2018/11/27?) may hide a digit: no match."""
    tails = [_from_first_digit("".join(fl.clean_text(t).split())) for t in (a, b)]
    if not tails[0] or tails[0] != tails[1]:
        return None
    ok = (_passes_check(kind, a), _passes_check(kind, b))
    return None if ok[0] == ok[1] else ok.index(True)


def _from_first_digit(text: str) -> str:
    m = re.search(r"[0-9]", text)
    return "" if m is None else text[m.start() :]


def _digits_side(cell: Cell, kind: str, a: str, b: str, own: digit_glyphs.PageDigits) -> int | None:
    """0 or 1: which of two reads of a phone or date cell, alike but for some digits, the printed digits
    bear out (see ``digit_glyphs``; ``own``, the page's digits), when that read passes the field's check;
    None when they do not say.  (The fast model reads VL Gothic's dotted 0 as 9: 980-1078-2748 is no
    number, H39.6.11 no date.)"""
    if cell.image is None or cell.note == "joined" or cell.multiline:
        return None
    side = digit_glyphs.pick_digits(cell.image, _plain(a, kind), _plain(b, kind), own)
    return side if side is not None and _passes_check(kind, (a, b)[side]) else None


def _page_digits(
    cells: Sequence[Cell], firsts: Sequence[OcrText], idx: Sequence[int], reads: Sequence[OcrText]
) -> digit_glyphs.PageDigits:
    """The page's printed digits (``digit_glyphs.page_digits``): those of its phone numbers and dates that
    both models read as the same digit."""
    lines = []
    for i, alt in zip(idx, reads, strict=True):
        cell, first = cells[i], firsts[i]
        kind = cell.kind.split("#")[0]
        if kind not in ("phone", "birth_date") or cell.image is None or cell.note == "joined" or cell.multiline:
            continue
        a, b = (_plain(t, kind) for t in (first.text, alt.text))
        lines.append((cell.image, a, b))
    return digit_glyphs.page_digits(lines)


def _plain(read: str, kind: str) -> str:
    """A read of a phone or date cell as its glyphs are compared: a phone's digits, a date's characters."""
    text = "".join(fl.clean_text(read).split())
    return re.sub(r"\D", "", text) if kind == "phone" else text


def _another_person(a: str, b: str) -> bool:
    """``b``, another read of a guardian read ``a``, is a person's name other than ``a`` (but for a
    name-form variant: 髙橋 / 高橋 is a question for the glyph, not a dispute)."""
    return bool(b) and names.common_form(a) != names.common_form(b) and reading.is_person(b)


def _passes_check(kind: str, text: str) -> bool:
    """``text`` parses as a valid value of the field ``kind`` (a date or a phone number)."""
    try:
        if kind == "birth_date":
            parse_date(text)
        elif kind == "phone":
            fl.parse_phone(text)
    except FieldError:
        return False
    return True


def _likelier_name(cell: Cell, t: OcrText) -> OcrText:
    """The models disagree on a pupil's family or given name and only the other read is a name the
    dictionary knows (白佳 / 里佳): show that one.  The value stays flagged."""
    part = crosscheck.NAME_PARTS.get(cell.kind)
    if part is None or t.agreed is not False or not t.second:
        return t
    a, b = _norm_read(t.text, cell.kind), _norm_read(t.second, cell.kind)
    if a == b or not reading.is_name(b, part) or reading.is_name(a, part):
        return t
    return replace(t, text=t.second, second=t.text)


# kinds whose text is ordinary Japanese words (place and school names), where the dictionary can tell a
# likely read from a garbled one; not person names (和志 is as cheap as 和也)
LIKELIER_KINDS = {"address", "previous_school"}
LIKELIER_MARGIN = 3000  # measured: below this the cheaper read was as often wrong (睦/陵, 卯/凶)


def _likelier_shown(cell: Cell, t: OcrText, more: Sequence[str] = ()) -> OcrText:
    """The models still disagree on a place or school name: show the read (of theirs, or of their second
    look, ``more``) the dictionary finds clearly likelier (横浜市青葉区, not 横浜市膏蘇区).  The value stays
    flagged; only what the person sees first changes.  Reads of another length are not compared (a
    dropped kanji makes a read cheaper), and no character two reads agree on is replaced by one that
    fewer reads saw (睦 read twice stays, though 時 is the cheaper word)."""
    kind = cell.kind.split("#")[0]
    if t.agreed is not False or not t.second or kind not in LIKELIER_KINDS:
        return t
    a = _norm_read(t.text, kind)
    ca = reading.text_cost(a)
    reads = [_norm_read(x, kind) for x in (t.text, t.second, *more)]
    best: tuple[int, str] | None = None
    for other, b in zip((t.second, *more), reads[1:], strict=True):
        if len(b) != len(a) or b == a or not _outvotes(b, a, reads):
            continue
        cb = reading.text_cost(b)
        if ca is not None and cb is not None and cb + LIKELIER_MARGIN <= ca and (best is None or cb < best[0]):
            best = (cb, other)
    if best is None:
        return t
    return replace(t, text=best[1], second=t.text)


def _outvotes(b: str, a: str, reads: Sequence[str]) -> bool:
    """Wherever ``b`` differs from ``a``, at least as many of ``reads`` (of that length) saw b's character."""
    same = [r for r in reads if len(r) == len(a)]
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y and sum(r[k] == y for r in same) < sum(r[k] == x for r in same):
            return False
    return True


# not names: there both models came round to a wrong but real name (和世 for 和也) in a photo
SECOND_LOOK_KINDS = {"address", "previous_school"}
SECOND_LOOK_SCALE = 1.3


def _second_look(
    cells: Sequence[Cell], firsts: Sequence[OcrText], engine: OcrEngine, texts: list[OcrText]
) -> list[OcrText]:
    """The two models disagree on a kanji cell: each reads it once more, enlarged.  When one model's
    second look comes round to the other model's read (and not the other way as well), the two models
    agree after all; otherwise the cell stays flagged."""
    primary, second = getattr(engine, "primary", None), getattr(engine, "secondary", None)
    if primary is None or second is None:
        return texts
    idx = [
        i
        for i, (c, t) in enumerate(zip(cells, texts, strict=True))
        if t.agreed is False and t.second and t.text.strip() and c.kind.split("#")[0] in SECOND_LOOK_KINDS
    ]
    if not idx:
        return texts
    reqs = []
    for i in idx:
        img = cells[i].image
        big = np.asarray(
            cv2.resize(img, None, fx=SECOND_LOOK_SCALE, fy=SECOND_LOOK_SCALE, interpolation=cv2.INTER_CUBIC),
            dtype=np.uint8,
        )
        reqs.append(CellRequest(big, cells[i].multiline))
    again_first = primary.read_batch(reqs)
    again_second = second.read_batch(reqs)
    out = list(texts)
    for i, p2, s2 in zip(idx, again_first, again_second, strict=True):
        t, own = texts[i], firsts[i]  # ``own``: the fast model's first read
        kind = cells[i].kind.split("#")[0]
        other = (t.second or "") if t.text == own.text else t.text  # the larger model's first read
        fa, la = _norm_read(own.text, kind), _norm_read(other, kind)
        to_fast = _norm_read(s2.text, kind) == fa  # the larger model comes round to the fast one
        to_large = _norm_read(p2.text, kind) == la  # the fast model comes round to the larger one
        if to_fast and not to_large:
            out[i] = replace(own, second=other, agreed=True)
        elif to_large and not to_fast:
            out[i] = replace(
                own, text=other, second=own.text, agreed=True, confidence=max(own.confidence, p2.confidence)
            )
        else:
            out[i] = _likelier_shown(cells[i], t, (p2.text, s2.text))
    return out
