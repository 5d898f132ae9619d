"""Japanese and Western date parsing with era boundaries, and the school-entry cohort."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from .errors import FieldError

# (name, short letter, first day)
ERAS: tuple[tuple[str, str, date], ...] = (
    ("明治", "M", date(1868, 10, 23)),
    ("大正", "T", date(1912, 7, 30)),
    ("昭和", "S", date(1926, 12, 25)),
    ("平成", "H", date(1989, 1, 8)),
    ("令和", "R", date(2019, 5, 1)),
)
_ERA_BY_NAME = {n: i for i, (n, _, _) in enumerate(ERAS)}
_ERA_BY_LETTER = {s: i for i, (_, s, _) in enumerate(ERAS)}

_ERA_RE = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日?$")
_SHORT_RE = re.compile(r"^([MTSHR])(元|\d{1,2})[.\-/・,](\d{1,2})[.\-/・,](\d{1,2})$")
_WEST_RE = re.compile(r"^(\d{4})(?:[.\-/]|年)(\d{1,2})(?:[.\-/]|月)(\d{1,2})日?$")


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = "".join(s.split())
    s = s.replace("．", ".").replace("／", "/").replace("－", "-").replace("ー", "-").replace("―", "-")
    return s.upper()


def era_to_date(era_index: int, year: int, month: int, day: int) -> date:
    name, _, start = ERAS[era_index]
    if year < 1:
        raise FieldError("date.era_year", f"{name}{year}年 does not exist")
    try:
        d = date(start.year + year - 1, month, day)
    except ValueError as exc:
        raise FieldError("date.invalid", f"{name}{year}年{month}月{day}日 is not a calendar date") from exc
    if d < start:
        raise FieldError("date.before_era", f"{name}{year}年{month}月{day}日 is before {name} began")
    if era_index + 1 < len(ERAS) and d >= ERAS[era_index + 1][2]:
        raise FieldError("date.after_era", f"{name}{year}年{month}月{day}日 is after {name} ended")
    return d


def parse_date(text: str) -> date:
    """Parse 令和/平成/昭和 (元年 too), short H30.4.2 / R1.5.1, or 2018/04/02; raise FieldError."""
    s = _normalise(text)
    if not s:
        raise FieldError("date.empty", "no date")
    m = _ERA_RE.match(s)
    if m:
        y = 1 if m.group(2) == "元" else int(m.group(2))
        return era_to_date(_ERA_BY_NAME[m.group(1)], y, int(m.group(3)), int(m.group(4)))
    m = _SHORT_RE.match(s)
    if m:
        y = 1 if m.group(2) == "元" else int(m.group(2))
        return era_to_date(_ERA_BY_LETTER[m.group(1)], y, int(m.group(3)), int(m.group(4)))
    m = _WEST_RE.match(s)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise FieldError("date.invalid", f"{text!r} is not a calendar date") from exc
        if not 1900 <= d.year <= 2100:
            raise FieldError("date.range", f"{text!r} is out of range")
        return d
    raise FieldError("date.format", f"{text!r} is not a date")


_FUZZY_ERA = (("平", 3), ("成", 3), ("令", 4), ("昭", 2))


def salvage_date(text: str) -> date | None:
    """A best guess at an era date whose kanji the OCR garbled (平成30年9月25H, 平成31征3月16日):
    the era from its first characters and exactly three numbers for year, month and day.  Only for a
    value shown to a person: the caller keeps the field flagged."""
    s = _normalise(text)
    era: int | None = None
    rest = s
    for name, idx in _ERA_BY_NAME.items():
        if s.startswith(name):
            era, rest = idx, s[len(name) :]
            break
    if era is None and s[:1] in _ERA_BY_LETTER and s[1:2].isdigit():
        era, rest = _ERA_BY_LETTER[s[0]], s[1:]
    if era is None:
        for ch, idx in _FUZZY_ERA:
            if ch in s[:2]:
                era, rest = idx, s[2:] if not s[1:2].isdigit() else s[1:]
                break
    if era is None:
        return None
    nums = re.findall(r"\d+", rest.replace("元", "1"))
    if len(nums) != 3 or any(len(n) > 2 for n in nums):
        return None
    try:
        return era_to_date(era, int(nums[0]), int(nums[1]), int(nums[2]))
    except FieldError:
        return None


def cohort_of(d: date) -> int:
    """The school year (April start) of a child born on ``d`` enters first grade... as a key:
    children born 4月2日 of year Y to 4月1日 of Y+1 share cohort Y."""
    return d.year if (d.month, d.day) >= (4, 2) else d.year - 1


def in_cohort(d: date, cohort: int) -> bool:
    return date(cohort, 4, 2) <= d <= date(cohort + 1, 4, 1)
