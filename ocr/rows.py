"""Checks across the rows of one ledger: row numbers in sequence, one birth cohort (and a date whose
lost digit only the class's year can fill), ふりがな long enough for the name, the guardian sharing the
pupil's family name, and the sex column voted by its glyphs."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from . import crosscheck, reading
from . import fields as fl
from .dates import cohort_of, in_cohort
from .errors import FieldError
from .model import FieldValue, Gray, Record
from .recheck import OCR_DOUBTS
from .vote import vote_sex


def flag(rec: Record, name: str, reason: str, value: str | int | None = None, set_value: bool = False) -> Record:
    """``rec`` with its field ``name`` flagged for ``reason`` (and given ``value`` when ``set_value``)."""
    f = rec.fields.get(name)
    if f is None:
        return rec
    new = replace(f, needs_review=True, reasons=(*f.reasons, reason), value=value if set_value else f.value)
    return replace(rec, fields={**rec.fields, name: new})


def vote_single_glyphs(records: Sequence[Record], images: Mapping[tuple[int, int], Gray]) -> list[Record]:
    """The sex column, one glyph a row, decided by voting the glyphs across the ledger (``vote.vote_sex``)."""
    idx = [i for i, r in enumerate(records) if "sex" in r.fields]
    if not idx:
        return list(records)
    voted = vote_sex(
        [records[i].fields["sex"] for i in idx], [images.get((records[i].page, records[i].row)) for i in idx]
    )
    out = list(records)
    for i, fv in zip(idx, voted, strict=True):
        out[i] = replace(out[i], fields={**out[i].fields, "sex": fv})
    return out


def _sure_no(r: Record, want: int) -> bool:
    f = r.fields.get("no")
    return f is not None and f.value == want and not f.needs_review


def _settled_no(f: FieldValue, value: int) -> FieldValue:
    reasons = tuple(x for x in f.reasons if x not in ("no.format", "ocr.other_read_valid", *OCR_DOUBTS))
    return replace(f, value=value, needs_review=bool(reasons), reasons=reasons)


_MONTH_DAY = re.compile(r"([0-9]{1,2})月([0-9]{1,2})日?$|[.\-/]([0-9]{1,2})[.\-/]([0-9]{1,2})$")


def _date_in_cohort(raw: str, cohort: int) -> str | None:
    """The one date of the entering cohort with the month and day that end ``raw``, as YYYY-MM-DD."""
    s = "".join(unicodedata.normalize("NFKC", raw).split())
    m = _MONTH_DAY.search(s)
    if m is None:
        return None
    month, day = (int(g) for g in (m.group(1, 2) if m.group(1) else m.group(3, 4)))
    try:
        d = date(cohort, month, day)
        if not in_cohort(d, cohort):
            d = date(cohort + 1, month, day)
    except ValueError:
        return None
    return d.isoformat() if in_cohort(d, cohort) else None


# what a date taken from the other model's read is flagged for when the first read only lost a digit
LOST_DIGIT_REASONS = {
    "date.era_year",
    "date.format",
    "date.invalid",
    "date.after_era",
    "ocr.models_disagree",
    "ocr.other_read_valid",
}


def _digit_lost_only(f: FieldValue, cohort: int) -> bool:
    """A birth date flagged only because the first model's read ``f.raw`` failed and the other model's
    valid read was taken, where putting one digit into the first read gives exactly one date of the
    class, the one taken: both models agree on every digit the first one saw."""
    if "ocr.other_read_valid" not in f.reasons or not set(f.reasons) <= LOST_DIGIT_REASONS:
        return False
    found = _one_digit_into(f.raw, cohort)
    return len(found) == 1 and next(iter(found)).isoformat() == f.value


def _one_digit_into(raw: str, cohort: int) -> set[date]:
    """The dates of the class ``cohort`` that one digit put into the read ``raw``, beside one of its
    digits, makes of it (平成 3 年 3 月 2 日: 平成31年3月2日)."""
    found: set[date] = set()
    for k in range(len(raw) + 1):
        if not (raw[k - 1 : k].isdigit() or raw[k : k + 1].isdigit()):
            continue  # a digit lost beside another digit, not a whole number
        for digit in "0123456789":
            with contextlib.suppress(FieldError):
                d = fl.parse_date(raw[:k] + digit + raw[k:])
                if in_cohort(d, cohort):
                    found.add(d)
    return found


def _between_sure(recs: Sequence[Record], sure: Sequence[bool], i: int) -> bool:
    """Every neighbour of row ``i`` on its page (at least one) has a confidently read number in sequence."""
    near = [j for j in (i - 1, i + 1) if 0 <= j < len(recs) and recs[j].page == recs[i].page]
    return bool(near) and all(sure[j] for j in near)


def _fixed_by_neighbours(recs: Sequence[Record], sure: Sequence[bool], i: int) -> bool:
    """Row ``i``'s neighbours on its page have confidently read numbers in sequence: the one before and
    the one after it, or, for the first or last row of a page, the two next to it."""

    def on_page(j: int) -> bool:
        return 0 <= j < len(recs) and recs[j].page == recs[i].page

    def ok(j: int) -> bool:
        return on_page(j) and sure[j]

    if on_page(i - 1) and on_page(i + 1):
        return ok(i - 1) and ok(i + 1)
    if on_page(i + 1):
        return ok(i + 1) and ok(i + 2)
    if on_page(i - 1):
        return ok(i - 1) and ok(i - 2)
    return False


KANA_PER_CHAR_MAX = 5  # 志 → ココロザシ


def validate_records(records: Sequence[Record]) -> list[Record]:
    """Checks across fields and rows: numbering in sequence, one birth cohort, guardian's family name."""
    out = list(records)
    # row numbers: the offset most rows agree on
    offs = Counter(
        r.fields["no"].value - i
        for i, r in enumerate(out)
        if "no" in r.fields and isinstance(r.fields["no"].value, int)
    )
    if offs:
        start = offs.most_common(1)[0][0]
        sure = [_sure_no(r, start + i) for i, r in enumerate(out)]
        for i, r in enumerate(out):
            if "no" not in r.fields:
                continue
            if r.fields["no"].value == start + i:
                if r.fields["no"].needs_review and _between_sure(out, sure, i):
                    # read as expected, only doubted by the OCR, between confidently read neighbours
                    out[i] = replace(r, fields={**r.fields, "no": _settled_no(r.fields["no"], start + i)})
                continue
            if _fixed_by_neighbours(out, sure, i):
                # an unreadable number between two confidently read neighbours in sequence (or, first or
                # last on its page, beside two): it is start + i for certain (a lost or doubled row would
                # break the neighbours' sequence)
                out[i] = replace(r, fields={**r.fields, "no": _settled_no(r.fields["no"], start + i)})
            else:
                out[i] = flag(r, "no", "no.sequence", start + i, set_value=True)
    out = _one_cohort(out)
    # a reading has at least one kana per kanji of the name
    for i, r in enumerate(out):
        for part in ("family", "given"):
            nm, kn = r.fields.get(f"{part}_name"), r.fields.get(f"{part}_kana")
            if nm is None or kn is None or not isinstance(nm.value, str) or not isinstance(kn.value, str):
                continue
            if len(kn.value) < len(nm.value) or len(kn.value) > KANA_PER_CHAR_MAX * len(nm.value):
                out[i] = flag(flag(r, f"{part}_kana", "kana.length"), f"{part}_name", "kana.length")
                r = out[i]
    # guardian normally shares the family name
    for i, r in enumerate(out):
        fam, gd = r.fields.get("family_name"), r.fields.get("guardian")
        if fam is None or gd is None or not isinstance(fam.value, str) or not isinstance(gd.value, str):
            continue
        if not gd.value.replace(" ", "").startswith(fam.value):
            out[i] = flag(flag(r, "family_name", "name.guardian_mismatch"), "guardian", "name.guardian_mismatch")
    return [_family_confirmed_by_kana(r) for r in out]


def _one_cohort(records: list[Record]) -> list[Record]:
    """Birth dates checked against the class's cohort (the one most sure dates fall in): a date outside
    it is flagged; one whose read is a digit short of just one date of the class, or whose year is
    unreadable, is offered that date; a date the other model's read completed is settled."""
    cohorts: Counter[int] = Counter()
    for r in records:
        f = r.fields.get("birth_date")
        if f is not None and isinstance(f.value, str) and not f.needs_review:
            with contextlib.suppress(FieldError):
                cohorts[cohort_of(fl.parse_date(f.value))] += 1
    if not cohorts:
        return records
    cohort, sure = cohorts.most_common(1)[0]
    out = list(records)
    for i, r in enumerate(out):
        f = r.fields.get("birth_date")
        if f is None or not isinstance(f.value, str):
            continue
        try:
            d: date | None = fl.parse_date(f.value)
        except FieldError:
            d = None
        if d is not None and in_cohort(d, cohort):
            if sure >= 2 and _digit_lost_only(f, cohort):
                # 平成0年8月3日 / 平成30年8月3日: the first model lost a digit the other read, and no other
                # date of the class is one digit from what it read
                out[i] = replace(r, fields={**r.fields, "birth_date": replace(f, needs_review=False, reasons=())})
            continue
        found = _one_digit_into(f.raw, cohort) if d is not None else set()
        if len(found) == 1:
            # a real date outside the class one digit short of just one date of the class (平成3年3月2日,
            # 1991, for 平成31年3月2日): that one is offered, the read kept as the other reading
            guess = next(iter(found)).isoformat()
            alts = (f.value, *(a for a in f.alternatives if a not in (f.value, guess)))
            g = replace(f, value=guess, needs_review=True, reasons=(*f.reasons, "date.digit_lost"), alternatives=alts)
            out[i] = replace(r, fields={**r.fields, "birth_date": g})
            continue
        out[i] = flag(r, "birth_date", "date.cohort")  # any other real date stays as read
        year_guess = _date_in_cohort(f.raw, cohort) if d is None else None
        if year_guess is not None:
            # 平成0年4月27日 (3 of 30 lost): month and day are legible, the year is the class's
            out[i] = flag(out[i], "birth_date", "date.from_cohort", year_guess, set_value=True)
    return out


def _family_confirmed_by_kana(r: Record) -> Record:
    """A family name doubted only because the guardian's name does not start with it, beside ふりがな read
    without doubt that are its dictionary reading: the guardian is the misread (or another family
    name) and keeps its flag; the family name, confirmed by a second cell, does not."""
    fam, kn = r.fields.get("family_name"), r.fields.get("family_kana")
    if (
        fam is None
        or kn is None
        or fam.reasons != ("name.guardian_mismatch",)
        or kn.needs_review
        or not isinstance(fam.value, str)
        or not isinstance(kn.value, str)
        or not reading.confirms(fam.value, kn.value)
    ):
        return r
    return replace(r, fields={**r.fields, "family_name": crosscheck.drop_reasons(fam, "name.guardian_mismatch")})
