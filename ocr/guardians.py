"""The guardian's name against the pupil's: the same family name, a given name the dictionary knows.
A garbled guardian is shown as the pupil's family name and a known given name, a garbled family name
as the guardian's, and a guardian's given name a kanji off as the one its glyph matches; all offered,
still flagged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from . import fields as fl
from . import glyph_checks, names, reading
from .crosscheck import one_edit
from .model import Cell, FieldValue, OcrText


def offer_nearest_guardian_given(
    fields: dict[str, FieldValue], got: Mapping[str, tuple[Cell, OcrText]]
) -> dict[str, FieldValue]:
    """A doubted guardian, the pupil's family name then a given name, whose given name the printed
    glyphs do not bear out (容子 printed 裕子, 吉介 printed 亮介; no ふりがな to check it by): of the given
    names a kanji away, the one whose kanji matches the glyph there clearly best, and clearly better
    than the read's, is offered, still flagged, the read kept as an alternative.  A read that is itself
    a given name must be beaten by a wider margin."""
    gd, fam = fields.get("guardian"), fields.get("family_name")
    if gd is None or fam is None or not gd.needs_review or not isinstance(gd.value, str) or "guardian" not in got:
        return fields
    family = fam.value if isinstance(fam.value, str) else ""
    cell = got["guardian"][0]
    if not family or not gd.value.startswith(family) or cell.image is None or cell.note == "joined":
        return fields
    pick = glyph_checks.nearest_given(cell.image, gd.value, gd.value[len(family) :], at=len(family))
    if pick is None:
        return fields
    return {**fields, "guardian": gd.offered(family + pick, "name.nearest_given")}


# flags on a family name that leave its reading and its kanji (but for the variant form) as read
FORM_ONLY = {"name.variant_glyph", "name.guardian_mismatch"}


def offer_likelier_guardian(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A flagged guardian name is shown as the read (or the other model's read) that is the pupil's sure
    family name followed by a given name the dictionary knows; a family part one kanji off the pupil's
    (出田 beside 山田) is read as the pupil's.  Only what is shown first changes: the field stays flagged,
    and when the first read did not start with the pupil's family name both names keep that flag (the
    guardian now shown was built from the family name, so it is no evidence for it).  A family name
    flagged only for its variant form (山﨑: the glyph showed 﨑, which a person confirms) or only for
    this guardian's mismatch counts as read: the garbled guardian (出﨑修平) is shown as 山﨑修平.  A doubted
    family name counts too when one of the guardian's reads starts with it (井上 offered beside 井土康弘
    and the other model's 井上康弘), unless the shown guardian differs from it in form only (髙橋 /
    高橋: a question for the glyphs, and the stock models never read 髙)."""
    gd, fam = fields.get("guardian"), fields.get("family_name")
    if gd is None or fam is None or not gd.needs_review or not isinstance(fam.value, str) or not fam.value:
        return fields
    if not reading.available():
        return fields
    family = fam.value
    if fam.needs_review and not set(fam.reasons) <= FORM_ONLY:
        reads = [r for r in (gd.value, *gd.alternatives) if isinstance(r, str)]
        if not any(r.startswith(family) and len(r) > len(family) for r in reads):
            return fields
        head = gd.value[: len(family)] if isinstance(gd.value, str) else ""
        if head != family and names.common_form(head) == names.common_form(family):
            return fields
    found: list[str] = []
    for read in (gd.value, *gd.alternatives):
        if not isinstance(read, str) or len(read) <= len(family):
            continue
        head, given = read[: len(family)], read[len(family) :]
        if head != family and not (len(family) >= 2 and sum(a != b for a, b in zip(head, family, strict=True)) == 1):
            continue
        if (reading.is_name(given, "名") or reading.is_proper_noun(given)) and family + given not in found:
            found.append(family + given)
    if len(found) != 1 or found[0] == gd.value:
        return fields
    alternatives = tuple(a for a in (gd.value, *gd.alternatives) if isinstance(a, str) and a != found[0])
    out = {**fields, "guardian": replace(gd, value=found[0], alternatives=alternatives)}
    if not (isinstance(gd.value, str) and gd.value.startswith(family)):
        for key in ("family_name", "guardian"):
            f = out[key]
            if "name.guardian_mismatch" not in f.reasons:
                out[key] = replace(f, needs_review=True, reasons=(*f.reasons, "name.guardian_mismatch"))
    return out


def offer_family_from_guardian(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A flagged family name the ふりがな do not confirm is shown as the start of the guardian's name when
    the ふりがな as read are its dictionary reading and it is a dictionary surname (体永 / 抽本 beside
    山本直樹 and ヤマモト), or when the other model read it in the pupil's cell too and the ふりがな are
    its reading or one kana from it (杭 / 林 beside 林康弘 and ハヤン).  Two other cells agree on it; it is
    still only what is shown first: the field stays flagged and the first read is offered."""
    fam, gd, fk = fields.get("family_name"), fields.get("guardian"), fields.get("family_kana")
    if (
        fam is None
        or gd is None
        or fk is None
        or not fam.needs_review
        or not isinstance(fam.value, str)
        or not fam.value
        or "name.variant_glyph" in fam.reasons  # 髙橋 is printed: the guardian's 高橋 is the stock model's
        or not reading.available()
    ):
        return fields
    shown = fam.value
    kana_reads = {fl.to_katakana(a) for a in fk.alternatives}
    if isinstance(fk.value, str) and "kana.from_dictionary" not in fk.reasons:
        kana_reads.add(fk.value)
    kana_reads.discard("")
    if not kana_reads or reading.reading(shown) in kana_reads:
        return fields
    found: set[str] = set()
    for read in (gd.value, *gd.alternatives):
        if not isinstance(read, str) or len(read) <= len(shown):
            continue
        head = read[: len(shown)]
        r = reading.reading(head)
        read_twice = head in fam.alternatives  # the other model read it in the pupil's cell too
        if head == shown or r is None or not (read_twice or reading.is_name(head, "姓")):
            continue
        if r in kana_reads or (read_twice and any(one_edit(r, k) for k in kana_reads)):
            found.add(head)
    if len(found) != 1:
        return fields
    pick = found.pop()
    alternatives = (shown, *(a for a in fam.alternatives if a not in (pick, shown)))
    reasons = fam.reasons if "name.from_guardian" in fam.reasons else (*fam.reasons, "name.from_guardian")
    out = {**fields, "family_name": replace(fam, value=pick, alternatives=alternatives, reasons=reasons)}
    if "name.guardian_mismatch" not in gd.reasons:
        # the pupil's name as read did not start the guardian's: the family name now shown was taken
        # from the guardian, so it is no evidence for the guardian's read
        out["guardian"] = replace(gd, needs_review=True, reasons=(*gd.reasons, "name.guardian_mismatch"))
    return out


def settle_name_form_by_the_other(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A family name flagged only because its 高/崎/邊 may be printed in the name form the models cannot
    read (髙, 﨑, 邉) and its glyph did not say, beside the same family name read sure in the other
    cell (the pupil's or the guardian's: that glyph said 高): a family prints its name alike for pupil
    and guardian, so the flag is dropped.  A variant-prone kanji in the guardian's given name keeps it."""
    gd, fam = fields.get("guardian"), fields.get("family_name")
    if gd is None or fam is None or not isinstance(gd.value, str) or not isinstance(fam.value, str):
        return fields
    given = gd.value[len(fam.value) :]
    if not fam.value or not given or not gd.value.startswith(fam.value):
        return fields
    if any(c in names.VARIANT_PRONE for c in given):
        return fields
    undecided = ("name.variant_possible",)
    if gd.reasons == undecided and not fam.needs_review:
        return {**fields, "guardian": replace(gd, needs_review=False, reasons=())}
    if fam.reasons == undecided and not gd.needs_review:
        return {**fields, "family_name": replace(fam, needs_review=False, reasons=())}
    return fields
