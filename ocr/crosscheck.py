"""Checks across the fields of one row by the name dictionary: the ふりがな against the dictionary
reading of the name read beside it, names no one has, ふりがな split at the wrong gap, and the
consistency checks that need no second opinion.  Those that compare printed glyphs with drawn ones
are in ``glyph_checks``; the guardian against the pupil's family name in ``guardians``; ふりがな settled
or offered once the names are read in ``kana_checks``.  Nothing is
filled in from a dictionary or a glyph alone: offered values stay flagged; a flag is cleared only when
two independent sources agree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import replace
from difflib import SequenceMatcher

from . import fields as fl
from . import names, placenames, reading, spellings, surnames
from .errors import FieldError
from .model import Cell, FieldValue, OcrText

NAME_SURE = 0.91  # a name read at least this confidently is not the doubtful side of a mismatch


def drop_reasons(f: FieldValue, *codes: str, value: str | None = None) -> FieldValue:
    reasons = tuple(r for r in f.reasons if r not in codes)
    return replace(f, value=f.value if value is None else value, reasons=reasons, needs_review=bool(reasons))


def one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by exactly one substituted, dropped or added character."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def confirm_by_reading(fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]) -> dict[str, FieldValue]:
    """Kana against the dictionary reading of the kanji read from the same row.

    * an uncertain family/given kana split is settled when either half equals the reading of its name;
    * the two models disagreeing on a name: the one whose reading equals the (unflagged) kana wins,
      when the other's does not;
    * the two models disagreeing on kana other than by voicing marks: the read that equals the
      reading of the (unflagged) name wins.
    """
    out = dict(fields)
    # the split of the ふりがな line
    fk, gk = out.get("family_kana"), out.get("given_kana")
    if fk is not None and gk is not None and "kana.split_uncertain" in fk.reasons:
        ok = False
        for part, kn in (("family", fk), ("given", gk)):
            nm = out.get(f"{part}_name")
            if nm is not None and isinstance(nm.value, str) and isinstance(kn.value, str):
                ok = ok or reading.confirms(nm.value, kn.value)
        if ok:
            out["family_kana"] = drop_reasons(fk, "kana.split_uncertain")
            out["given_kana"] = drop_reasons(gk, "kana.split_uncertain")
    for part in ("family", "given"):
        nm_f, kn_f = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm_f is None or kn_f is None or not isinstance(nm_f.value, str) or not isinstance(kn_f.value, str):
            continue
        nm, kn = nm_f, kn_f
        name_v, kana_v = nm_f.value, kn_f.value
        # names the models disagree on: pick by the kana (a spelling of the reading in the name
        # dictionary counts too: 柊 is シュウ as a given name, ヒイラギ as a word); the other model
        # reading nothing usable (陽..., or nothing) leaves the read the kana confirm
        if nm.reasons == ("ocr.models_disagree",) and not kn.needs_review and f"{part}_name" in got:
            other = got[f"{part}_name"][1].second or ""
            cand = fl.fix_lookalikes("".join(fl.clean_text(other).split()))
            cand_reasons = names.name_value(cand)[1] if cand else ["name.bad_char"]
            ok_v = _spells(name_v, kana_v, part)
            if cand != nm.value and not cand_reasons:
                ok_c = _spells(cand, kana_v, part)
                if ok_v != ok_c:
                    nm = drop_reasons(nm, "ocr.models_disagree", value=name_v if ok_v else cand)
                    out[f"{part}_name"] = nm
                    name_v = name_v if ok_v else cand
            elif ok_v and (cand == nm.value or "name.bad_char" in cand_reasons):
                nm = drop_reasons(nm, "ocr.models_disagree")
                out[f"{part}_name"] = nm
        # kana the models disagree on (not by voicing alone): pick by the name (read without doubt, or
        # doubted only for its form: 髙橋 reads as 高橋)
        name_sure = not nm.needs_review or nm.reasons in names.FORM_ONLY_REASONS
        if kn.reasons == ("ocr.models_disagree",) and name_sure and f"{part}_kana" in got:
            t = got[f"{part}_kana"][1]
            alt = t.second
            if alt:
                try:
                    cand = fl.parse_kana(alt)
                except FieldError:
                    cand = ""
                if cand and cand != kana_v and not names.voicing_only(cand, kana_v):
                    common = names.common_form(name_v)
                    ok_v, ok_c = reading.confirms(common, kana_v), reading.confirms(common, cand)
                    if ok_v != ok_c:
                        out[f"{part}_kana"] = drop_reasons(kn, "ocr.models_disagree", value=kana_v if ok_v else cand)
        # kana neither model doubts but the reading of the name contradicts: both models miss the
        # same dakuten (ダイキ read タイキ) or misread / drop one kana (ミサキ read ミキキ, リョウスケ read
        # リョウス).  A family name's reading is regular enough to check whole; a given name's is not
        # (淳 ジュン, not アツシ), so only a near miss of its dictionary reading counts.
        kn = out[f"{part}_kana"]
        r = reading.reading(name_v)
        if (
            not kn.needs_review
            and isinstance(kn.value, str)
            and r is not None
            and r != kn.value
            and (part == "family" or names.voicing_only(r, kn.value) or one_edit(r, kn.value))
        ):
            out[f"{part}_kana"] = replace(kn, needs_review=True, reasons=(*kn.reasons, "kana.reading_mismatch"))
            nm_now = out[f"{part}_name"]
            if part == "family" and not nm_now.needs_review and nm_now.confidence < NAME_SURE:
                # the less certain side may be the misread one (三浦 read 二浦 beside a clear ミウラ)
                out[f"{part}_name"] = replace(
                    nm_now, needs_review=True, reasons=(*nm_now.reasons, "kana.reading_mismatch")
                )
        elif not kn.needs_review and isinstance(kn.value, str) and nm.needs_review and f"{part}_name" in got:
            # the name itself is doubted: a kana one voicing mark or one kana away from the reading of
            # either model's name read (リョウズケ beside 克介 / 亮介) is doubted too
            alt = got[f"{part}_name"][1].second or ""
            cands = {name_v, names.name_value(alt)[0]} - {""}
            rs = {x for c in cands if (x := reading.reading(c)) is not None}
            if kn.value not in rs and any(names.voicing_only(x, kn.value) or one_edit(x, kn.value) for x in rs):
                out[f"{part}_kana"] = replace(kn, needs_review=True, reasons=(*kn.reasons, "kana.reading_mismatch"))
        # kana that stay flagged next to a name read without doubt: offer the dictionary reading as
        # the value, still flagged for a person (a family name's reading always; a given name's only
        # when the read is garbled or near it, given names being read so many ways)
        kn = out[f"{part}_kana"]
        # (a given name's own confident read that merely contradicts the dictionary is kept: 七夏 is
        # ナナミ as often as ナナ)
        only_mismatch = set(kn.reasons) <= {"kana.reading_mismatch"}
        if (
            kn.needs_review
            and not nm.needs_review
            and r is not None
            and kn.value != r
            and not (part == "given" and only_mismatch)
            and (part == "family" or suggestible(kn, r))
            and not (part == "given" and isinstance(kn.value, str) and thin_kanji_lost_from(name_v, kn.value))
        ):
            out[f"{part}_kana"] = replace(kn, value=r, reasons=(*kn.reasons, "kana.from_dictionary"))
        elif (
            part == "family"
            and kn.needs_review
            and nm.needs_review
            and isinstance(kn.value, str)
            and f"{part}_name" in got
        ):
            # both doubted: a family kana one mark or one kana away from the reading of exactly one of
            # the name's reads is offered that reading (オカタ beside 岡田: オカダ), still flagged
            alt = got[f"{part}_name"][1].second or ""
            near = {
                x
                for c in {name_v, names.name_value(alt)[0]} - {""}
                if (x := reading.reading(c)) is not None
                and x != kn.value
                and (names.voicing_only(x, kn.value) or one_edit(x, kn.value))
            }
            if len(near) == 1:
                out[f"{part}_kana"] = replace(kn, value=near.pop(), reasons=(*kn.reasons, "kana.from_dictionary"))
    return out


def _spells(name: str, kana: str, part: str) -> bool:
    """``kana`` is the dictionary reading of ``name``, or (a given name) ``name`` a spelling of ``kana`` in
    the name dictionary.  A family name's rare readings are not asked: 岡田 is オカタ there too, which is
    what a dropped dakuten makes of オカダ."""
    return reading.confirms(name, kana) or (part == "given" and name in spellings.spellings(kana, part))


# what makes a ふりがな read doubted without being wrong in form
KANA_READ_DOUBTS = {"ocr.models_disagree", "ocr.low_confidence"}


def settle_name_and_kana_together(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """A name the two models read differently beside ふりがな doubted only for their confidence or a
    disagreement (澪 / 滞 beside ミオ, or ミオ / ミス): when one read of the name spells one well-formed
    read of the ふりがな (the name dictionary: 澪 is ミオ) and the other read of the name spells none,
    the two cells confirm each other and both are settled on those reads.  Two readings that each spell
    a read, or none, leave both flagged."""
    out = dict(fields)
    for part in ("family", "given"):
        nm, kn = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm is None or kn is None or nm.reasons != ("ocr.models_disagree",) or not kn.needs_review:
            continue
        if not set(kn.reasons) <= KANA_READ_DOUBTS or f"{part}_name" not in got:
            continue
        if not isinstance(nm.value, str) or not isinstance(kn.value, str) or not kn.value:
            continue
        kana_reads = [kn.value]
        if f"{part}_kana" in got and (second := got[f"{part}_kana"][1].second):
            with contextlib.suppress(FieldError):
                kana_reads.append(fl.parse_kana(second))
        other, doubts = names.name_value(got[f"{part}_name"][1].second or "")
        reads = [nm.value] + ([other] if other and other != nm.value and not doubts else [])
        spelled = {r: {k for k in kana_reads if _spells(r, k, part)} for r in reads}
        named = [r for r in reads if spelled[r]]
        if len(named) != 1 or len(spelled[named[0]]) != 1:
            continue
        name, kana = named[0], next(iter(spelled[named[0]]))
        out[f"{part}_name"] = drop_reasons(nm, "ocr.models_disagree", value=name)
        out[f"{part}_kana"] = drop_reasons(kn, *KANA_READ_DOUBTS, value=kana)
    return out


def check_names_against_kana_and_dictionary(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """Two checks that need no second opinion.

    * a name written in kana is its own reading: さゆり beside ミノル (稔 read る) is wrong somewhere;
    * a guardian sharing the pupil's family name has a given name the dictionary knows as one proper
      noun when it is two kanji or more (里住 and 陽了 are misreads of 里佳 and 陽子).
    """
    out = dict(fields)
    for part in ("family", "given"):
        nm, kn = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm is None or kn is None or not isinstance(nm.value, str) or not isinstance(kn.value, str):
            continue
        if nm.value and all("\u3041" <= c <= "\u30fa" for c in nm.value) and fl.to_katakana(nm.value) != kn.value:
            for key, f in ((f"{part}_name", nm), (f"{part}_kana", kn)):
                if "name.kana_differs" not in f.reasons:
                    out[key] = replace(f, needs_review=True, reasons=(*f.reasons, "name.kana_differs"))
    out = flag_thin_kanji_lost(out)
    gd, fam = out.get("guardian"), out.get("family_name")
    if (
        gd is not None
        and fam is not None
        and isinstance(gd.value, str)
        and isinstance(fam.value, str)
        and fam.value
        and not gd.needs_review
        and gd.value.startswith(fam.value)
        and reading.available()
    ):
        given = gd.value[len(fam.value) :]
        kanji = bool(given) and all("\u4e00" <= c <= "\u9fff" for c in given)
        if kanji and ((len(given) >= 2 and not reading.is_proper_noun(given)) or _surname_only(given)):
            out["guardian"] = replace(gd, needs_review=True, reasons=(*gd.reasons, "name.unknown_given"))
    gn = out.get("given_name")
    if gn is not None and not gn.needs_review and isinstance(gn.value, str) and _surname_only(gn.value):
        out["given_name"] = replace(gn, needs_review=True, reasons=(*gn.reasons, "name.unknown_given"))
    return flag_given_names_no_one_has(out)


def flag_given_names_no_one_has(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """Two checks against the name dictionary's given names, for a given name read without doubt:

    * one written in kana is a reading some given name has (さめゆり, read so with its ふりがな サメユリ
      from a printed さゆり, is nobody's name: both are flagged) and is more than one kana (に, read so
      from a faint 翼, is the reading of 尼 but no child's name);
    * ふりがな that spell nothing the name is written with, where the ふりがな with one kana more, less or
      changed do (リョウヘ beside 涼平, which is リョウヘイ), are doubted: a kana was lost or misread;
    * a name in kanji that no one is given, beside ふりがな that are a given name's reading (発介 read
      from a printed 亮介 beside リョウスケ), is doubted: a kanji was misread.
    """
    out = dict(fields)
    nm, kn = out.get("given_name"), out.get("given_kana")
    if nm is None or not isinstance(nm.value, str) or not nm.value or not spellings.available():
        return out
    name = nm.value
    if all("\u3041" <= c <= "\u30fa" for c in name) and not nm.needs_review:
        if len(name) < 2 or not spellings.spellings(name, "given"):
            for key in ("given_name", "given_kana"):
                f = out.get(key)
                if f is not None and "name.unknown_given" not in f.reasons:
                    out[key] = replace(f, needs_review=True, reasons=(*f.reasons, "name.unknown_given"))
        return out
    if kn is None or kn.needs_review or not isinstance(kn.value, str) or not kn.value:
        return out
    if name in spellings.spellings(kn.value, "given") or reading.confirms(name, kn.value):
        return out
    if any(name in spellings.spellings(r, "given") for r in _one_kana_off(kn.value)):
        out["given_kana"] = replace(kn, needs_review=True, reasons=(*kn.reasons, "kana.reading_mismatch"))
    if spellings.given_known(name) is False and spellings.spellings(kn.value, "given") and not nm.needs_review:
        out["given_name"] = replace(nm, needs_review=True, reasons=(*nm.reasons, "name.unknown_given"))
    return out


def _one_kana_off(kana: str) -> set[str]:
    """``kana`` with one kana dropped, added (any of the kana a reading ends or goes on with) or changed."""
    alphabet = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
    alphabet += "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポャュョッー"
    out = {kana[:i] + kana[i + 1 :] for i in range(len(kana))}
    for i in range(len(kana) + 1):
        for c in alphabet:
            out.add(kana[:i] + c + kana[i:])
            if i < len(kana):
                out.add(kana[:i] + c + kana[i + 1 :])
    out.discard(kana)
    return out


def flag_names_the_kana_do_not_confirm(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """For a standard-mode fax: a name is taken without review only when its ふりがな are its dictionary
    reading.  There the fine-tuned model and the larger one can agree on the same wrong kanji (山日 for
    山口 beside ヤマグチ, 拓員 for 拓真 beside タクマ); the name and its ふりがな are both flagged."""
    if not reading.available():
        return fields
    out = dict(fields)
    for part in ("family", "given"):
        nm, kn = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm is None or kn is None or nm.needs_review or not isinstance(nm.value, str):
            continue
        if not isinstance(kn.value, str) or not kn.value or not any(reading.is_kanji(c) for c in nm.value):
            continue
        if reading.confirms(nm.value, kn.value) and "kana.from_dictionary" not in kn.reasons:
            continue  # (ふりがな offered from the dictionary were not read: they confirm nothing)
        for key, f in ((f"{part}_name", nm), (f"{part}_kana", kn)):
            if "kana.reading_mismatch" not in f.reasons:
                out[key] = replace(f, needs_review=True, reasons=(*f.reasons, "kana.reading_mismatch"))
    return out


def flag_one_kanji_given_without_kana(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """For a standard-mode fax of a ledger without ふりがな: a one-kanji given name that is also a given
    name with 一, 二 or 三 after it (陽 / 陽一) is flagged; the fax can drop the flat kanji whole and no
    reading is there to tell."""
    nm = fields.get("given_name")
    if "given_kana" in fields or nm is None or nm.needs_review or not isinstance(nm.value, str):
        return fields
    if len(nm.value) != 1 or not reading.available():
        return fields
    if not any(reading.is_name(nm.value + t, "名") for t in THIN_KANJI):
        return fields
    return {**fields, "given_name": replace(nm, needs_review=True, reasons=(*nm.reasons, "name.flat_kanji_lost"))}


def _surname_only(given: str) -> bool:
    """A one-kanji given name the dictionary knows as a family name only (韓, read for 幹): a misread."""
    if len(given) != 1 or not "\u4e00" <= given <= "\u9fff":
        return False
    return reading.is_name(given, "姓") and not reading.is_name(given, "名")


THIN_KANJI = "一二三"  # flat strokes a faint Mincho or a standard fax can lose entirely
THIN_TAILS = {"一": ("イチ",), "二": ("ジ",), "三": ("ゾウ",)}  # how they end a given name's reading


def thin_kanji_lost_from(name: str, kana: str) -> bool:
    """The ふりがな as read are (within one kana) the reading of ``name`` with 一, 二 or 三 after it
    (けんいら beside 健): the flat kanji may be lost from the name, so its own reading is not offered."""
    if not name or len(name) > 2:
        return False
    for t in THIN_KANJI:
        r = reading.reading(name + t)
        if r is not None and len(kana) > len(reading.reading(name) or "") and (r == kana or one_edit(r, kana)):
            return True
    return False


def flag_thin_kanji_lost(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A given name whose ふりがな are the reading of the name with 一, 二 or 三 after it (健 beside
    ケンイチ): the flat kanji was lost in the image.  That name is shown, flagged, the read offered too.
    Garbled ふりがな of that reading's length and ending (カトイチ) only flag the name as read.  Run again
    once the other model's reads are known (ケンイラチ read, ケンイチ the other)."""
    nm, kn = fields.get("given_name"), fields.get("given_kana")
    if nm is None or kn is None or not isinstance(nm.value, str) or not isinstance(kn.value, str):
        return fields
    read = "kana.from_dictionary" not in kn.reasons  # a value filled in from the dictionary is no read
    if not nm.value or len(nm.value) > 2 or not reading.available():
        return fields
    if read and reading.confirms(nm.value, kn.value):
        return fields
    kana_reads = (*((kn.value,) if read else ()), *(fl.to_katakana(a) for a in kn.alternatives))
    for ch in THIN_KANJI:
        if any(reading.confirms(nm.value + ch, k) for k in kana_reads):
            flagged = replace(
                nm,
                value=nm.value + ch,
                needs_review=True,
                reasons=(*nm.reasons, "name.kana_differs"),
                alternatives=(nm.value, *nm.alternatives),
            )
            return {**fields, "given_name": flagged}
    # garbled ふりがな as long as that reading and ending like it (健 beside カトイチ): the flat kanji
    # may be lost all the same; the name is only flagged
    if nm.needs_review:
        return fields
    for ch in THIN_KANJI:
        whole = reading.reading(nm.value + ch)
        tail = next((t for t in THIN_TAILS[ch] if whole is not None and whole.endswith(t)), None)
        if whole is None or tail is None or len(whole) <= len(tail):
            continue
        if any(len(k) == len(whole) and k.endswith(tail) for k in kana_reads):
            flagged = replace(nm, needs_review=True, reasons=(*nm.reasons, "name.kana_differs"))
            return {**fields, "given_name": flagged}
    return fields


def suggestible(kn: FieldValue, reading_: str) -> bool:
    """The read kana is no kana at all, or one or two kana away from the dictionary reading."""
    if not isinstance(kn.value, str) or not kn.value:
        return True
    if {"kana.not_kana", "kana.bad_start", "kana.empty"} & set(kn.reasons):
        return True
    return SequenceMatcher(None, kn.value, reading_).ratio() >= SUGGEST_RATIO


SUGGEST_RATIO = 0.6


NAME_PARTS = {"family_name": "姓", "given_name": "名"}


def likeness(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio() if a and b else 0.0


KANA_SETTLEABLE = {
    "ocr.models_disagree",
    "ocr.low_confidence",
    "kana.from_dictionary",
    "kana.not_kana",
    "kana.bad_start",
}


def school_name_known(value: str) -> bool:
    """The name before the school's kind in ``value`` is a word or a place name (すみれ, 独鈷沢): two
    models agreeing on it are believed; a name both misread alike (きくら for さくら) is no word."""
    name = value[: len(value) - len(fl.school_kind(value) or "")]
    return bool(name) and (reading.is_word(name) or bool(placenames.town_known(name)))


def settle_school_by_kind(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A school name the two models read alike up to its kind, where only the shown read ends in a
    kind of school (あおぞら保育園 / あおぞら保胆國): both agree on the name, and the kind is one of a
    few; the garbled read is no rival.  Two valid kinds (保育園 / 保育所), or a name that is no word or
    place, stay flagged."""
    f = fields.get("previous_school")
    if f is None or f.reasons != ("ocr.models_disagree",) or not isinstance(f.value, str) or not f.alternatives:
        return fields
    kind = fl.school_kind(f.value)
    if kind is None or len(f.value) == len(kind) or not school_name_known(f.value):
        return fields
    name = f.value[: -len(kind)]
    for alt in f.alternatives:
        if not alt.startswith(name) or alt.endswith(fl.SCHOOL_KINDS):
            return fields
    return {**fields, "previous_school": drop_reasons(f, "ocr.models_disagree")}


def split_name_by_reading(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A name printed without a gap (鈴木花子) is cut after a dictionary family name whose reading begins
    the ふりがな line (スズキ|ハナコ read beside it): where the rest is a dictionary given name reading
    the rest of the line, else where the ふりがな were cut.  Without the name's gap the ふりがな may have
    been cut wrongly too (タ|ナカカナ for 田中加奈): a cut of two names reading the line cuts them again.
    The parts stay flagged (name.split_by_reading) unless two names make up the line exactly and the
    ふりがな were read without doubt."""
    fam, giv = fields.get("family_name"), fields.get("given_name")
    fk, gk = fields.get("family_kana"), fields.get("given_kana")
    if fam is None or giv is None or fk is None or "name.no_gap" not in fam.reasons or giv.value is not None:
        return fields
    if not isinstance(fam.value, str) or not isinstance(fk.value, str):
        return fields
    whole = fam.value
    given_kana = gk.value if gk is not None and isinstance(gk.value, str) else ""
    line = fk.value + given_kana
    cuts: list[tuple[int, str | None, bool]] = []
    garbled = spellings.available() and not spellings.spellings(fk.value, "family")  # read as no family name
    for i in range(1, len(whole)):
        family, given = whole[:i], whole[i:]
        # (林 is a common word to the dictionary, and one of Japan's commonest family names)
        if not (reading.is_name(family, "姓") or surnames.is_common(family)):
            continue
        head = reading.reading(family) or surnames.reading(family)
        # (a small kana read for a large one, ョシダ for ヨシダ, still begins the line with the reading)
        starts = head is not None and names.small_made_large(line).startswith(names.small_made_large(head))
        if head and starts and len(head) < len(line):
            # 崎拓真 reads サキタクマ too: only a dictionary given name makes the rest of the line sure
            rest = reading.is_name(given, "名") and reading.confirms(given, line[len(head) :])
            cuts.append((i, head, rest))
        elif garbled and given_kana and reading.is_name(given, "名") and reading.confirms(given, given_kana):
            # the family ふりがな garbled (ブフジタ beside 藤田翔太), the given name reads the given ふりがな
            cuts.append((i, None, True))
    # where both parts are names reading the line, else where the ふりがな were cut
    chosen = [c for c in cuts if c[2]] or [c for c in cuts if c[1] == fk.value]
    if len(chosen) != 1:
        return fields
    cut, head, sure = chosen[0]
    sure = sure and head is not None and line.startswith(head)
    sure = sure and not fk.needs_review and not (gk is not None and gk.needs_review)
    extra = () if sure else ("name.split_by_reading",)
    out = dict(fields)
    parts = [("family_name", whole[:cut], fam), ("given_name", whole[cut:], giv)]
    if gk is not None and head is not None and len(head) != len(fk.value):
        parts += [("family_kana", line[: len(head)], fk), ("given_kana", line[len(head) :], gk)]
    for key, part, f in parts:
        reasons = tuple(r for r in f.reasons if r not in ("name.no_gap", "field.empty", "kana.split_uncertain")) + extra
        raw = f.raw or (whole if key.endswith("_name") else "")
        out[key] = replace(f, value=part, raw=raw, reasons=reasons, needs_review=bool(reasons))
    return out


def split_name_by_dictionary(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]] | None = None
) -> dict[str, FieldValue]:
    """A name printed without a gap that its ふりがな could not cut (garbled on a standard fax, or none
    printed): cut after the one common family name it starts with that a dictionary given name follows
    (伊藤|亮介, 佐々木|さゆり), else after the one common family name it starts with at all (木村|鞭咲:
    the given name misread), else before the one given name it ends in that follows a kanji off a
    common family name (村土|陽一: 村上 misread).  Both parts are flagged (name.split_by_dictionary) but
    for the first kind of cut on a ledger without ふりがな: no other cut is possible, and over 3,000 names
    of Japan's 2,000 commonest family names and the dictionary's given names it cut every one right
    (a rarer family name cut wrongly: 藤浜|治 as 藤|浜治, 2 in 3,000).  Either part keeps the doubts of the
    whole read, but for the models' disagreement where the other model read that part alike."""
    fam, giv = fields.get("family_name"), fields.get("given_name")
    if fam is None or giv is None or "name.no_gap" not in fam.reasons or giv.value:
        return fields
    whole = fam.value if isinstance(fam.value, str) else ""
    if len(whole) < 2 or not surnames.available():
        return fields
    heads = [k for k in range(1, len(whole)) if surnames.is_common(names.common_form(whole[:k]))]
    given = [k for k in range(1, len(whole)) if spellings.given_known(whole[k:]) or reading.is_name(whole[k:], "名")]
    named = [k for k in heads if k in given]
    short = [k for k in heads if len(whole) - k <= MAX_GIVEN_LEN]
    near = [k for k in given if k > 1 and surnames.one_kanji_away(whole[:k])]
    cuts = named or short or near
    if len(cuts) != 1:
        return fields
    cut = cuts[0]
    sure = cuts is named and "family_kana" not in fields and "given_kana" not in fields
    doubts = tuple(r for r in fam.reasons if r not in ("name.no_gap", "field.empty"))
    # the other model's read of the whole name, where the two disagreed
    second = got["name_whole"][1].second if got is not None and "name_whole" in got else None
    others = ["".join(fl.clean_text(a).split()) for a in (*fam.alternatives, second) if a]
    out = dict(fields)
    for key, part in (("family_name", whole[:cut]), ("given_name", whole[cut:])):
        own = doubts
        if others and all(o.startswith(part) if key == "family_name" else o.endswith(part) for o in others):
            # the other model read this part alike (岡田 of 岡田翼 / 岡田連): their dispute is the other's
            own = tuple(r for r in doubts if r != "ocr.models_disagree")
        reasons = own if sure else (*own, "name.split_by_dictionary")
        out[key] = replace(fam, value=part, raw=fam.raw or whole, reasons=reasons, needs_review=bool(reasons))
    return out


MAX_GIVEN_LEN = 3  # characters: a given name cut off without a dictionary to say so (くみ子, 亮介, 翼)


def settle_split_by_kana(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A name printed without a gap and cut by its ふりがな (:func:`split_name_by_reading`), flagged because
    the ふりがな were doubted when it was cut: once the later checks have settled both ふりがな, and the
    dictionary reads each part so (伊藤|澪 beside イトウ|ミオ; 澪 is read レイ as well), the cut is sure."""
    fam, giv = fields.get("family_name"), fields.get("given_name")
    fk, gk = fields.get("family_kana"), fields.get("given_kana")
    if fam is None or giv is None or fk is None or gk is None or fk.needs_review or gk.needs_review:
        return fields
    if "name.split_by_reading" not in fam.reasons and "name.split_by_reading" not in giv.reasons:
        return fields
    for nm, kn, part in ((fam, fk, "family"), (giv, gk, "given")):
        if not isinstance(nm.value, str) or not nm.value or not isinstance(kn.value, str):
            return fields
        if nm.value not in spellings.spellings(kn.value, part) and not reading.confirms(nm.value, kn.value):
            return fields
    return {
        **fields,
        "family_name": drop_reasons(fam, "name.split_by_reading"),
        "given_name": drop_reasons(giv, "name.split_by_reading"),
    }


def flag_family_before_garbled_given(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A given name read as no letters at all (|」 after 林健) means the cut may not have been the printed
    gap (林健|一 for 林|健一): the family name before it is flagged unless the dictionary knows it as a
    family name (鈴木 before a garbled 翼 is cut right)."""
    fam, giv = fields.get("family_name"), fields.get("given_name")
    if fam is None or giv is None or fam.needs_review or not isinstance(fam.value, str) or not fam.value:
        return fields
    if fl.has_letters(str(giv.value or "")) or reading.is_name(fam.value, "姓"):
        return fields
    return {**fields, "family_name": replace(fam, needs_review=True, reasons=(*fam.reasons, "name.no_gap"))}

