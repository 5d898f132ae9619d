"""ふりがな checked against the name beside them once the names are read: kana the other model, the
name's dictionary reading or the printed glyphs settle; kana split between family and given name by
the reading; and the reading offered, still flagged, in place of ふりがな read garbled, as nothing, or as
no name is read.  The value offered is never taken as a read: it keeps ``kana.from_dictionary``."""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from difflib import SequenceMatcher

from . import fields as fl
from . import names, reading, spellings, surnames
from .crosscheck import KANA_SETTLEABLE, drop_reasons, likeness, one_edit, suggestible, thin_kanji_lost_from
from .errors import FieldError
from .model import Cell, FieldValue, OcrText

# what marks a ふりがな read as broken rather than merely doubted
GARBLED_KANA = {"kana.not_kana", "kana.bad_start", "kana.empty", "kana.split_uncertain", "kana.length"}


CLEAN_KANA_KEPT = 0.8  # a well-formed ふりがな read at least this confidently is kept beside a doubted name


def _one_kana_more(read: str, reading_: str) -> bool:
    """``read`` is ``reading_`` with one kana slipped in before its end (ツバパサ for ツバサ, ヲヨウイチ for
    ヨウイチ); one more at the end is a longer reading as often (七夏: ナナ, ナナミ)."""
    n = len(read)
    return n == len(reading_) + 1 and any(read[:i] + read[i + 1 :] == reading_ for i in range(n - 1))


def offer_reading_beside_doubted_name(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """Flagged ふりがな beside a name that is itself doubted (the models disagree on it): the reading of the
    name as shown is offered in place of a garbled read (リバヤシフチ or 『 beside 小林 / 花子: ruby too
    small for a standard fax), still flagged, with the read kept as an alternative.  A well-formed,
    confident read (タクマ beside 拓衣) is the likelier half and stays; beside a given name only a broken
    read, or one that is the reading with a kana slipped in, is replaced.  A read that no name is read
    as, even with a kana dropped (ハヤニミキ beside 林), counts as broken, however far it strayed."""
    out = dict(fields)
    for part in ("family", "given"):
        nm, kn = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm is None or kn is None or not nm.needs_review or not kn.needs_review:
            continue
        if not isinstance(nm.value, str) or "name.bad_char" in nm.reasons or "kana.from_dictionary" in kn.reasons:
            continue
        if not any(reading.is_kanji(c) for c in nm.value) or "name.no_gap" in nm.reasons:
            continue  # (a name printed without a gap, left whole, is no family name to read)
        r = reading.reading(nm.value)
        read = kn.value if isinstance(kn.value, str) else ""
        if r is None or r == read:
            continue
        # a read no name of this part is read as, even with a kana dropped (ハヤニミキ beside 林, ムツ
        # beside 陽子), is garbled however far from the reading it went; ツバパサ beside 暫 is ツバサ
        # with a kana slipped in, and may tell the name
        unread = no_name_reads(read, part) and not (
            len(read) >= spellings.DROPPED_KANA_MIN
            and any(spellings.spellings(r, part) for r in spellings.with_a_kana_dropped(read))
        )
        broken = part == "family" and _broken_beside_common_surname(nm.value, kn, r)
        if not (unread or broken or suggestible(kn, r)):
            continue
        garbled = unread or broken or bool(GARBLED_KANA & set(kn.reasons))
        if not garbled and (kn.confidence >= CLEAN_KANA_KEPT or set(kn.reasons) <= {"kana.reading_mismatch"}):
            continue
        if part == "given" and not garbled and not _one_kana_more(read, r):
            continue  # a given name is read so many ways (七夏: ナナミ, ナナカ) that only a broken read yields
        if part == "given" and thin_kanji_lost_from(nm.value, read):
            continue
        out[f"{part}_kana"] = replace(kn, value=read).offered(r, "kana.from_dictionary")
    return out


def _broken_beside_common_surname(name: str, kn: FieldValue, reading_: str) -> bool:
    """ふりがな read broken beside a common family name (タ beside 田中, スヤ beside 鈴木, モタ beside
    藤田: ruby a few dots high on a standard fax): fewer kana than the name has kanji, or read
    unsurely by both models, neither of them the name's reading, and the read no reading of the name."""
    read = kn.value if isinstance(kn.value, str) else ""
    if not surnames.is_common(names.common_form(name)) or name in spellings.spellings(read, "family"):
        return False
    if len(read) < len(name):
        return True
    return kn.confidence < BROKEN_KANA_CONF and reading_ not in kn.alternatives


BROKEN_KANA_CONF = 0.6  # measured over the 22 sets: below it a ふりがな read beside a common family name
# that is not its reading was wrong every time (28 of 28); the given names are read too many ways


def offer_reading_for_unread_kana(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """Flagged ふりがな beside a name read without doubt that were read as nothing, or (a given name's) as
    no given name is read in the name dictionary (リョウス beside 亮介, the thin ケ lost; ミキキ beside
    美咲): the name's dictionary reading is offered, still flagged, the read kept as the other reading.
    A read that is some given name's reading (ナナミ beside 七夏, which the dictionary reads ナナ) stays."""
    out = dict(fields)
    for part in ("family", "given"):
        nm, kn = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm is None or kn is None or nm.needs_review or not kn.needs_review or not isinstance(nm.value, str):
            continue
        if "kana.from_dictionary" in kn.reasons or not any(reading.is_kanji(c) for c in nm.value):
            continue
        read = kn.value if isinstance(kn.value, str) else ""
        r = reading.reading(nm.value)
        if r is None or r == read:
            continue
        if read and (part == "family" or not no_given_name_reads(read) or thin_kanji_lost_from(nm.value, read)):
            continue
        out[f"{part}_kana"] = replace(kn, value=read).offered(r, "kana.from_dictionary")
    return out


def no_given_name_reads(kana: str) -> bool:
    """``kana`` is read as no given name in the name dictionary (リョウス, ミキキ); False without the table."""
    return no_name_reads(kana, "given")


def flag_unborne_kana_beside_doubted_name(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """ふりがな taken as read beside a name left unread (ミササ beside 美咲, which neither model read), or
    beside a doubted name they are not the reading of, when no name is read so: nothing bears them
    out, so they are flagged too."""
    out = dict(fields)
    for part in ("family", "given"):
        nm, kn = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm is None or kn is None or not nm.needs_review or kn.needs_review or not isinstance(kn.value, str):
            continue
        if "name.no_gap" in nm.reasons:
            continue  # a name printed without a gap, read whole in the family name's field
        unread = not (isinstance(nm.value, str) and nm.value)
        if not unread and reading.confirms(str(nm.value), kn.value):
            continue
        if unread or no_name_reads(kn.value, part):
            why = "kana.name_unread" if unread else "kana.reading_mismatch"
            out[f"{part}_kana"] = replace(kn, needs_review=True, reasons=(*kn.reasons, why))
    return out


def no_name_reads(kana: str, part: str) -> bool:
    """``kana`` is read as no ``part`` ("family" or "given") name in the name dictionary (ハヤニミキ);
    False without the table."""
    return bool(kana) and spellings.available() and not spellings.spellings(kana, part)


def settle_kana_by_other_read(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """ふりがな flagged only because the two models disagree, where the shown read is exactly the
    dictionary reading of the sure name beside it and the other model's read is neither that reading
    nor a voicing-mark variant of it (ヤマモト / ャィモト; not ヤマサキ / ヤマザキ): two independent
    sources agree, the flag is cleared.  Works whether the ふりがな line was split before or after
    reading (the alternatives are those of the parsed field)."""
    out = dict(fields)
    for part in ("family", "given"):
        nm, kn = out.get(f"{part}_name"), out.get(f"{part}_kana")
        if nm is None or kn is None or nm.needs_review or kn.reasons != ("ocr.models_disagree",):
            continue
        if not isinstance(nm.value, str) or not isinstance(kn.value, str) or not kn.alternatives:
            continue
        if not reading.confirms(nm.value, kn.value):
            continue
        if all(a != kn.value and not names.voicing_only(fl.to_katakana(a), kn.value) for a in kn.alternatives):
            out[f"{part}_kana"] = drop_reasons(kn, "ocr.models_disagree")
    return out


def resplit_kana_by_reading(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A ふりがな line cut at the wrong gap (いしいひびろ | し beside 石井 浩): when the whole line, as read,
    is within one kana of the two sure names' readings run together, each half is offered its reading
    (イシイ | ヒロシ), both still flagged."""
    fk, gk = fields.get("family_kana"), fields.get("given_kana")
    fn, gn = fields.get("family_name"), fields.get("given_name")
    if fk is None or gk is None or fn is None or gn is None or fn.needs_review or gn.needs_review:
        return fields
    if "kana.split_uncertain" not in fk.reasons or not isinstance(fn.value, str) or not isinstance(gn.value, str):
        return fields
    rf, rg = reading.reading(fn.value), reading.reading(gn.value)
    if rf is None or rg is None or (fk.value, gk.value) == (rf, rg):
        return fields
    whole = fl.to_katakana("".join(fl.clean_text(fk.raw + gk.raw).split()))
    if whole != rf + rg and not one_edit(whole, rf + rg):
        return fields
    out = dict(fields)
    for key, f, r in (("family_kana", fk, rf), ("given_kana", gk, rg)):
        if f.value != r:
            reasons = f.reasons if "kana.from_dictionary" in f.reasons else (*f.reasons, "kana.from_dictionary")
            out[key] = replace(f, value=r, needs_review=True, reasons=reasons)
    return out


def flag_kana_split_leftover(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """ふりがな of one part that are the reading of its name with kana before (given) or after (family)
    it, while the other part's ふりがな are doubted (コメ | トウユイ beside 近藤 結衣): the line was cut
    at the wrong place, so the longer part is doubted too."""
    out = dict(fields)
    for part, other, ends in (("given", "family", str.endswith), ("family", "given", str.startswith)):
        kn, nm, ok = out.get(f"{part}_kana"), out.get(f"{part}_name"), out.get(f"{other}_kana")
        if kn is None or nm is None or ok is None or kn.needs_review or not ok.needs_review:
            continue
        if nm.needs_review or not isinstance(nm.value, str) or not isinstance(kn.value, str):
            continue
        r = reading.reading(nm.value)
        if r is not None and len(kn.value) > len(r) and ends(kn.value, r):
            out[f"{part}_kana"] = replace(kn, needs_review=True, reasons=(*kn.reasons, "kana.split_uncertain"))
    return out


def settle_dictionary_kana_by_second_read(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """ふりがな offered from the dictionary because the fast model garbled them (』バヤシ, ャマモト) are
    cleared when the larger model read exactly that reading beside a name read without doubt: the
    second read and the dictionary are two independent sources."""
    out = dict(fields)
    for part in ("family", "given"):
        key = f"{part}_kana"
        found = _dictionary_kana(out, part, got, KANA_SETTLEABLE)
        if found is None or not (second := got[key][1].second):
            continue
        kn, kana = found
        with contextlib.suppress(FieldError):
            if fl.parse_kana(second) == kana:
                out[key] = replace(kn, needs_review=False, reasons=())
    return out


def _dictionary_kana(
    fields: Mapping[str, FieldValue], part: str, got: Mapping[str, tuple[Cell, OcrText]], allowed: set[str]
) -> tuple[FieldValue, str] | None:
    """The ``part`` ふりがな when it was offered from the dictionary (flagged only for ``allowed``
    reasons) and is the dictionary reading of its name, read without doubt: field and reading."""
    kn, nm = fields.get(f"{part}_kana"), fields.get(f"{part}_name")
    if kn is None or nm is None or nm.needs_review or f"{part}_kana" not in got:
        return None
    if "kana.from_dictionary" not in kn.reasons or not set(kn.reasons) <= allowed:
        return None
    if not isinstance(kn.value, str) or not isinstance(nm.value, str) or not reading.confirms(nm.value, kn.value):
        return None
    return kn, kn.value


def settle_agreed_kana_by_reading(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """ふりがな both models read alike, flagged only for a faint print (low confidence), that are exactly
    the dictionary reading of the name read without doubt beside them: three reads agree.  A name
    flagged only for its form (髙橋 as the glyph showed, or 高橋 that may be printed 髙橋) is read as its
    common form (高橋): the forms share their reading."""
    out = dict(fields)
    for part in ("family", "given"):
        key = f"{part}_kana"
        kn, nm = out.get(key), out.get(f"{part}_name")
        if kn is None or nm is None or kn.reasons != ("ocr.low_confidence",) or key not in got:
            continue
        if nm.needs_review and nm.reasons not in names.FORM_ONLY_REASONS:
            continue
        if got[key][1].agreed is not True or not isinstance(kn.value, str) or not isinstance(nm.value, str):
            continue
        if reading.confirms(names.common_form(nm.value), kn.value):
            out[key] = drop_reasons(kn, "ocr.low_confidence")
    return out


def _voiced_twins(a: str, b: str) -> bool:
    """Two kana that differ only by a voicing mark (タ/ダ, ハ/パ)."""
    strip = ("\u3099", "\u309a")
    base = ["".join(c for c in unicodedata.normalize("NFD", x) if c not in strip) for x in (a, b)]
    return a != b and base[0] == base[1]


def _longer_reading(reads: list[str], kana: str) -> bool:
    """Every read goes on past ``kana`` with one same kana (not a long-vowel mark): ナナミミ and ナナミ
    beside ナナ.  A given name has several readings, and the printed one may be the longer."""
    ends = set()
    for r in reads:
        ops = SequenceMatcher(None, r, kana, autojunk=False).get_opcodes()
        op, i1, _i2, j1, _j2 = ops[-1]
        if op != "delete" or j1 != len(kana) or r[i1] == "ー":
            return False
        ends.add(r[i1])
    return len(ends) == 1


def _one_to_one(read: str, value: str) -> dict[int, str]:
    """The read's kana set against the value's positions where the two differ one for one."""
    out: dict[int, str] = {}
    for op, i1, i2, j1, j2 in SequenceMatcher(None, read, value, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1:
            out.update({j1 + k: read[i1 + k] for k in range(i2 - i1)})
    return out


def settle_dictionary_kana_by_likeness(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """ふりがな offered from the dictionary because both models garbled the small print (キレムラ,
    きむなら for 木村) are cleared beside a name read without doubt when the reads look like that
    reading: the likelier read mostly is it, no read has a kana's voiced or unvoiced twin where the
    reading has the other (中田 ナカタ/ナカダ), and the models never read one other kana alike where
    the reading has its own (小山 read オヤマ twice is not コヤマ)."""
    out = dict(fields)
    for part in ("family", "given"):
        key = f"{part}_kana"
        found = _dictionary_kana(out, part, got, KANA_SETTLEABLE | {"kana.split_uncertain"})
        if found is None:
            continue
        kn, kana = found
        t = got[key][1]
        reads = [fl.to_katakana("".join(fl.clean_text(r).split())) for r in (t.text, t.second or "")]
        reads = [r for r in reads if r]
        if not reads or max(likeness(r, kana) for r in reads) < KANA_LIKENESS_MIN:
            continue
        diffs = [_one_to_one(r, kana) for r in reads]
        if any(_voiced_twins(c, kana[j]) for d in diffs for j, c in d.items()):
            continue
        if part == "given" and len(reads) == 2 and _longer_reading(reads, kana):
            continue  # both models read on past the reading (ナナミ beside 七夏: ナナ): another reading
        if len(diffs) == 2 and any(diffs[1].get(j) == c and "ァ" <= c <= "ヶ" for j, c in diffs[0].items()):
            continue
        out[key] = replace(kn, needs_review=False, reasons=())
    return out


KANA_LIKENESS_MIN = 0.6  # the likelier read shares this much with the dictionary reading
