"""Checks across the fields of one row that look at the printed glyphs: a model disagreement on a name
settled by the glyphs and the dictionary together, ふりがな confirmed kana by kana, and a misread name
offered the spelling of its ふりがな that the glyphs match.  A glyph alone never settles anything."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import replace

from . import fields as fl
from . import kana_glyphs, names, reading, spellings, surnames, variants
from .crosscheck import (
    KANA_SETTLEABLE,
    NAME_PARTS,
    drop_reasons,
    likeness,
    one_edit,
    suggestible,
    thin_kanji_lost_from,
)
from .errors import FieldError
from .model import Cell, FieldValue, Gray, OcrText


def spell_name_by_kana(fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]) -> dict[str, FieldValue]:
    """A doubted name whose read does not spell the ふりがな beside it (翼 read 中 beside ツバサ, 澪 read
    温 beside ミオ): the spellings the name dictionary gives that reading are drawn and compared with
    the printed glyphs, and one that clearly matches best, and better than the read, is offered,
    still flagged, the read kept as an alternative.  Kana that are themselves the dictionary's
    reading of the read are not asked."""
    out = dict(fields)
    for part in ("family", "given"):
        key = f"{part}_name"
        nm, kn = out.get(key), out.get(f"{part}_kana")
        if nm is None or kn is None or not nm.needs_review or key not in got:
            continue
        if not isinstance(kn.value, str) or "kana.from_dictionary" in kn.reasons:
            continue
        cell = got[key][0]
        if cell.image is None or cell.note == "joined":
            continue
        read = nm.value if isinstance(nm.value, str) else ""
        exact = spellings.spellings(kn.value, part)
        cands = exact
        if read in cands:
            continue
        if len(kn.value) >= spellings.DROPPED_KANA_MIN and not _reads_near(read, kn.value):
            # ruby on a fax gains a kana as often as it loses one (ツバパサ beside 翼): each reading with
            # one kana dropped is asked too, unless the read name is itself near the ふりがな (涼平
            # beside リョウヘ: the ふりがな lost a kana, the name is right)
            dropped = spellings.with_a_kana_dropped(kn.value)
            cands = tuple(dict.fromkeys((*cands, *(c for r in dropped for c in spellings.spellings(r, part)))))
            if read in cands:
                continue
        if not cands:
            continue
        pick = variants.pick_spelling(cell.image, cands, read) or _spelling_a_kanji_off(cell.image, cands, read)
        if pick is None:
            continue
        out[key] = replace(nm, value=read).offered(pick, "name.spelled_from_kana")
        if pick not in exact and not kn.needs_review:
            # spelled from the ふりがな with a kana dropped: the ふりがな as read are doubted too
            out[f"{part}_kana"] = replace(kn, needs_review=True, reasons=(*kn.reasons, "kana.reading_mismatch"))
    return out


def offer_nearest_given(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """A doubted given name that its ふりがな do not bear out, and no spelling of the ふりがな matched the
    glyphs either (売介 beside ウリスケ, 和思 beside カズオモウ: a thin Mincho on a standard fax garbles
    both): of the given names a kanji away, the one whose kanji the printed glyph there matches
    clearly best is offered (:func:`nearest_given`), still flagged, the read kept as an alternative.
    A name printed without a gap and cut (木村|利也) is compared on the whole name's glyphs."""
    nm, kn = fields.get("given_name"), fields.get("given_kana")
    if nm is None or not nm.needs_review or not isinstance(nm.value, str) or GIVEN_FORM_ONLY & set(nm.reasons):
        return fields
    read = nm.value
    found = _part_glyphs(fields, got, "given")
    if found is None or not read or not any(reading.is_kanji(c) for c in read):
        return fields
    cell, text, at = found
    if cell.image is None or cell.note == "joined":
        return fields
    derived = kn is not None and "kana.from_dictionary" in kn.reasons
    kana_reads = () if kn is None else ((*(() if derived else (kn.value,)), *kn.alternatives))
    if any(isinstance(k, str) and _reads_near(read, k) for k in kana_reads):
        # a read of the ふりがな is the read's reading, or a kana or voicing mark off it (ナナ beside
        # 七海): the two bear each other out
        return fields
    pick = nearest_given(cell.image, text, read, at=at)
    if pick is None:
        return fields
    out = {**fields, "given_name": nm.offered(pick, "name.nearest_given")}
    if kn is not None and derived and (r := reading.reading(pick)) is not None and r != kn.value:
        # ふりがな that were the old read's reading (ウリスケ for 売介) become the offered name's
        out["given_kana"] = kn.offered(r, "kana.from_dictionary")
    return out


def _part_glyphs(
    fields: Mapping[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]], part: str
) -> tuple[Cell, str, int] | None:
    """The cell printing the ``part`` ("family" or "given") name, the text it prints and where in it the
    part starts: its own cell, or the whole name's when the name was read whole (printed without a
    gap) and cut (family + given)."""
    fam, giv = fields.get("family_name"), fields.get("given_name")
    nm = fam if part == "family" else giv
    if nm is None or not isinstance(nm.value, str):
        return None
    if f"{part}_name" in got:
        return got[f"{part}_name"][0], nm.value, 0
    if "name_whole" not in got or fam is None or giv is None:
        return None
    if not isinstance(fam.value, str) or not isinstance(giv.value, str) or not fam.value or not giv.value:
        return None
    return got["name_whole"][0], fam.value + giv.value, 0 if part == "family" else len(fam.value)


# a given name offered already, or flagged for its form only
GIVEN_FORM_ONLY = {"name.spelled_from_kana", "name.variant_glyph", "name.variant_possible", "name.no_gap"}


def nearest_given(image: Gray, text: str, given: str, at: int = 0) -> str | None:
    """Of the given names a kanji away from ``given`` (printed from position ``at`` of the one-line cell
    ``image`` read ``text``), the one whose kanji the glyph there matches clearly best, and clearly
    better than the read's (by more when the read is itself a given name); None when none does.

    容子 has 1,529 given names a kanji away, 舞 some 1,500: of so many only those in a kanji common in
    given names are drawn, and the best must stand further out (由美 printed on a standard fax, 市美
    came out best by 0.06)."""
    near = spellings.given_one_kanji_away(given)
    spread = variants.SPELLING_MARGIN
    if len(near) > GIVEN_CHOICES_MAX:
        near = tuple((i, c) for i, c in near if spellings.common_in_given_names(c[i]))
        spread = MANY_CHOICES_SPREAD
    if not near or len(near) > GIVEN_CHOICES_MAX:
        return None
    margin = GIVEN_READ_MARGIN if spellings.given_known(given) else variants.SPELLING_MARGIN
    return variants.pick_one_kanji_off(image, text, near, margin, at=at, spread=spread)


# given names a kanji away from 吉介: 497; from 容子: 1,529 (328 in common given-name kanji); each is drawn
GIVEN_CHOICES_MAX = 600
MANY_CHOICES_SPREAD = 0.1  # of the likeness, between the best of hundreds of names and the next
GIVEN_READ_MARGIN = 0.15  # over a read that is itself a given name (裕子 read right, 椿子 nearly as like)


def _spelling_a_kanji_off(image: Gray, spellings_: tuple[str, ...], read: str) -> str | None:
    """Of the spellings written like ``read`` but for one kanji (和也 beside 利也: the others, 一也 …,
    differ from it at the same place), the one whose kanji the printed glyph there matches clearly best,
    and clearly better than the read's: the glyph compared where the read went wrong only."""
    near = [(i, cand) for cand in spellings_ if (i := reading.kanji_put_for_another(cand, read)) is not None]
    return variants.pick_one_kanji_off(image, read, near, variants.SPELLING_MARGIN)


def offer_common_surname(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """A doubted family name that is none of Japan's common ones (栖本, 井一; 池山 is one) and is
    written like some of them but for one kanji (橋本, 坂本 …; 井上, 井口 …): the one whose kanji
    matches the printed glyph there clearly best, and clearly better than the read's, is offered,
    still flagged, the read kept as an alternative; so is the other model's read when it is the one
    common family name among the reads, and the read with a kanji read twice written once (井上上: 井上)
    when that is a common one.  A read the dictionary knows as a family name must be beaten by a wider
    margin: rare names are printed too.  A name printed without a gap and cut is compared on the whole
    name's glyphs."""
    fam = fields.get("family_name")
    found = _part_glyphs(fields, got, "family")
    if fam is None or not fam.needs_review or not isinstance(fam.value, str) or found is None:
        return fields
    read = fam.value
    cell, text, _at = found
    if not 2 <= len(read) <= 4 or cell.image is None or cell.note == "joined" or not surnames.available():
        return fields
    if surnames.is_common(names.common_form(read)):
        return fields
    twice = reading.kanji_read_twice(read)
    if twice is not None and surnames.is_common(names.common_form(twice[1])):
        # 井上上: a kanji read twice (a standard fax's doubled scan lines) in a common family name
        return {**fields, "family_name": fam.offered(twice[1], "name.common_surname")}
    others = [a for a in dict.fromkeys(fam.alternatives) if surnames.is_common(names.common_form(a))]
    if len(others) == 1:
        # the other model read a common family name (山本 / 由木): that read is offered
        return {**fields, "family_name": fam.offered(others[0], "name.common_surname")}
    near = surnames.one_kanji_away(read)
    if not near or len(near) > SURNAME_CHOICES_MAX:
        return fields
    margin = SURNAME_READ_MARGIN if reading.is_name(read, "姓") else variants.SPELLING_MARGIN
    pick = variants.pick_one_kanji_off(cell.image, text, near, margin)
    return fields if pick is None else {**fields, "family_name": fam.offered(pick, "name.common_surname")}


SURNAME_CHOICES_MAX = 400  # common family names a kanji from 前日: 9; from 的田: 193
SURNAME_READ_MARGIN = 0.15  # over a read the dictionary knows as a family name (井土 beside 井上)


def _reads_near(name: str, kana: str) -> bool:
    """The dictionary reading of ``name`` is ``kana`` or one kana or voicing mark away from it."""
    r = reading.reading(name) if name else None
    return r is not None and (r == kana or one_edit(r, kana) or names.voicing_only(r, kana))


def settle_names_by_glyphs(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]], *, strict: bool = False
) -> dict[str, FieldValue]:
    """A name the two models read differently (和也 / 和志), nothing else doubted: the printed glyphs
    pick one read, and only when the picked name is in the dictionary as a person's name.

    Glyph shapes alone mislead (陽子 printed, 了 matches better than the other read 孔), so both the
    glyph and the dictionary must agree; anything less stays flagged.  ``strict`` (a standard-mode
    fax): a name with no ふりがな beside it keeps its flag, the pick shown.
    """
    out = dict(fields)
    for name in ("family_name", "given_name", "guardian"):
        f = out.get(name)
        # (a name also doubted for its 高 may still be settled between the reads; the 高 keeps its flag)
        if f is None or set(f.reasons) - {"name.variant_possible"} != {"ocr.models_disagree"}:
            continue
        if not isinstance(f.value, str) or name not in got:
            continue
        cell, text = got[name]
        if not text.second or cell.image is None or cell.note == "joined":
            continue
        alt, alt_reasons = names.name_value(text.second)
        # a 高 the two reads share is no reason to doubt the other read (the shown read keeps whatever
        # flag its 高 earned); one only the other read has is told from 髙 by the glyph
        same = len(alt) == len(f.value)
        if same and all(a == b for a, b in zip(alt, f.value, strict=True) if a in names.VARIANT_PRONE):
            alt_reasons = [r for r in alt_reasons if r != "name.variant_possible"]
        alt, alt_reasons = names.check_variants(alt, alt_reasons, cell.image)
        if alt_reasons:
            continue
        pick = variants.arbitrate(cell.image, f.value, alt)
        if pick is None:
            continue
        known = reading.is_person(pick) if name == "guardian" else reading.is_name(pick, NAME_PARTS[name])
        kana = out.get(name.replace("_name", "_kana")) if name != "guardian" else None
        unconfirmed = strict and (kana is None or not isinstance(kana.value, str))
        if kana is not None and isinstance(kana.value, str):
            other = alt if pick == f.value else f.value
            r_pick, r_other = reading.reading(pick), reading.reading(other)
            # the row's ふりがな sides with the other read, or (a family name's reading being regular)
            # contradicts this one: 三浦 faxed so that 三 lost a stroke reads 二浦 by glyph, kana ミウラ
            if r_other == kana.value or (name == "family_name" and r_pick is not None and r_pick != kana.value):
                continue
            # the ふりがな are nearer the other read's reading (リカ beside 里仁 サトヒト / 里佐 リサ: 里佳
            # printed, both misread): the glyphs chose between two wrong reads
            if r_other is not None and likeness(kana.value, r_other) > likeness(kana.value, r_pick or ""):
                continue
            # the ふりがな go on past the reading of the pick (健 beside ケンイラ): a kanji may be lost
            if r_pick is not None and len(kana.value) >= len(r_pick) + 2 and kana.value.startswith(r_pick):
                continue
        if known and unconfirmed:
            # a standard fax with no ふりがな to read the pick against: at its resolution the glyphs
            # have chosen a real name that was not printed (池山 for 池田), so the pick is shown, flagged
            out[name] = replace(f, value=pick)
        elif known:
            out[name] = drop_reasons(f, "ocr.models_disagree", value=pick)
    return out


def offer_reading_by_glyphs(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """Flagged ふりがな beside a name now read without doubt that were not offered its dictionary
    reading: the name was settled only after the offer was weighed (翔太 / 痴太, ジョウタナ), or the
    read was too garbled to look near the reading (ダイミュ beside 大輝).  The reading is offered, still
    flagged, when it would have been then, or when the printed kana look more like it than like any
    read of the models (compared glyph by glyph, at the reading's length and at each read's).  A read
    that differs from the reading only by a small kana for a large one (チョ beside 千代) is settled
    by the printed size: the reading, cleared, when every glyph confirms it."""
    out = dict(fields)
    for part in ("family", "given"):
        key = f"{part}_kana"
        found = _flagged_kana_beside_sure_name(out, part, got)
        if found is None or "kana.from_dictionary" in found[0].reasons:
            continue
        kn, name_v, kana_v = found
        r = reading.reading(name_v)
        cell, text = got[key]
        if r is None or r == kana_v or cell.image is None:
            continue
        if set(kn.reasons) <= {"kana.reading_mismatch"}:
            # read チョ beside 千代 (チヨ): the printed size of each such kana decides, and with the
            # dictionary against the read, a clear size settles it
            if kana_glyphs.size_twins(kana_v, r) and kana_glyphs.confirm(cell.image, r, (kana_v,), _hiragana(text)):
                out[key] = replace(kn, value=r, needs_review=False, reasons=())
                continue
            if part == "given":
                continue  # a confident read that merely contradicts the dictionary (七夏 ナナ) is kept
        if not (part == "family" or suggestible(kn, r) or _glyphs_favour(cell.image, r, kana_v, text)):
            continue
        if part == "given" and thin_kanji_lost_from(name_v, kana_v):
            continue
        out[key] = replace(kn, value=r, reasons=(*kn.reasons, "kana.from_dictionary"))
    return out


def _glyphs_favour(image: Gray, kana: str, value: str, text: OcrText) -> bool:
    """The printed kana look more like ``kana`` than like the value or either model's read."""
    hiragana = _hiragana(text)
    mine = kana_glyphs.likeness(image, kana, hiragana)
    if mine is None:
        return False
    reads = {value, *_kana_reads(text)} - {kana, ""}
    theirs = [s for r in reads if (s := kana_glyphs.likeness(image, r, hiragana)) is not None]
    return all(mine > s for s in theirs)


def _flagged_kana_beside_sure_name(
    fields: Mapping[str, FieldValue], part: str, got: Mapping[str, tuple[Cell, OcrText]]
) -> tuple[FieldValue, str, str] | None:
    """The ``part`` ふりがな when flagged beside its name read without doubt: field, name, kana."""
    kn, nm = fields.get(f"{part}_kana"), fields.get(f"{part}_name")
    if kn is None or nm is None or not kn.needs_review or nm.needs_review or f"{part}_kana" not in got:
        return None
    if not isinstance(kn.value, str) or not isinstance(nm.value, str):
        return None
    return kn, nm.value, kn.value


def _hiragana(text: OcrText) -> bool:
    return any("\u3041" <= c <= "\u3096" for c in text.text)


def _kana_reads(text: OcrText) -> list[str]:
    """Both models' reads of a ふりがな cell that parse as kana."""
    out: list[str] = []
    for alt in (text.text, text.second or ""):
        with contextlib.suppress(FieldError):
            out.append(fl.parse_kana(alt))
    return out


def settle_kana_by_glyphs(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """Flagged ふりがな whose value is the dictionary reading of its name (read without doubt) are
    cleared when every printed kana matches that reading clearly better than any kana it could be
    mistaken for.  Two independent sources must agree: a name read otherwise than the dictionary
    says, or a glyph in doubt, stays flagged."""
    out = dict(fields)
    for part in ("family", "given"):
        key = f"{part}_kana"
        found = _flagged_kana_beside_sure_name(out, part, got)
        if found is None or not set(found[0].reasons) <= KANA_SETTLEABLE:
            continue
        kn, name_v, kana_v = found
        cell, text = got[key]
        if reading.reading(name_v) != kana_v or cell.image is None:
            continue
        others = tuple(o for o in _kana_reads(text) if o != kana_v)
        if kana_glyphs.confirm(cell.image, kana_v, others, _hiragana(text)):
            out[key] = replace(kn, needs_review=False, reasons=())
    return out
