"""Addresses: which of two reads names real places, and the parser of one read.

The two OCR models often disagree on one kanji of a place name (狛江/狐江, 印旛/印施) or garble the block
number of one read (5丁目 / 5了上日).  Each function here answers 0 or 1 (the read that is right) only
when the dictionary or the address's form leaves no doubt, else None: the cell then stays flagged.
:func:`parse_address` mends lookalike kanji and says why a read needs a person, on the same knowledge.
"""

from __future__ import annotations

import re

from . import fields as fl
from . import placenames, reading, variants, wards
from .model import Gray


def municipality_side(kind: str, a: str, b: str) -> int | None:
    """0 or 1: which of two address reads (differing only in the municipality name) names a real one."""
    if not (kind == "address" or kind.endswith("#0")):
        return None  # later lines of an address hold no municipality
    ma, mb = reading.municipality(a), reading.municipality(b)
    if ma is None or mb is None or ma[0] == mb[0] or a.replace(ma[0], mb[0], 1) != b:
        return None
    ka, kb = reading.known_municipality(a), reading.known_municipality(b)
    if ka is True and kb is False:
        return 0
    if kb is True and ka is False:
        return 1
    return None


def town_span(address: str) -> tuple[int, int] | None:
    """Where the town name of an address lies: after the municipality, up to the first number."""
    mu = reading.municipality(address)
    digit = next((k for k, c in enumerate(address) if c.isdigit()), None)
    if mu is None or digit is None or digit - mu[1] < 1:
        return None
    return mu[1], digit


def town_side(kind: str, a: str, b: str) -> int | None:
    """0 or 1: which of two address reads, differing only in the town name, names a real place."""
    if not (kind == "address" or kind.endswith("#0")):
        return None
    ta, tb = town_span(a), town_span(b)
    if ta is None or tb is None or a[: ta[0]] != b[: tb[0]] or a[ta[1] :] != b[tb[1] :]:
        return None
    wa, wb = a[ta[0] : ta[1]], b[tb[0] : tb[1]]
    if len(wa) < 2 or len(wb) < 2:
        return None
    if placenames.available():
        ka, kb = bool(placenames.town_known(wa)), bool(placenames.town_known(wb))
    else:
        ka, kb = reading.is_word(wa), reading.is_word(wb)
    if ka and not kb:
        return 0
    if kb and not ka:
        return 1
    return None


def well_formed_side(kind: str, a: str, b: str) -> int | None:
    """0 or 1: two address reads with the same place names whose block numbers only one read gives in
    proper form (5丁目8番13号 / 5了上日8番13号), the other keeping no digit the first lacks."""
    if kind != "address" or a == b:
        return None
    da = next((k for k, c in enumerate(a) if c.isdigit()), None)
    db = next((k for k, c in enumerate(b) if c.isdigit()), None)
    if da is None or db is None or a[:da] != b[:db] or da < 2:
        return None
    ok_a, ok_b = not fl.address_doubts(a), not fl.address_doubts(b)
    if ok_a == ok_b:
        return None
    good, bad = (a, b) if ok_a else (b, a)
    digits = iter("".join(c for c in good if c.isdigit()))
    if not all(c in digits for c in bad if c.isdigit()):  # the garbled read's digits, in order, are the good one's
        return None
    return 0 if ok_a else 1


_PLACE_RE = re.compile(
    r"(?:[^0-9]{2,3}?[都道府県])??"  # a prefecture, rarely printed on a ledger
    r"(?:(?P<gun>[^0-9]+?)郡)?(?P<muni>[^0-9]+?)(?P<suffix>[市区町村])"
    r"(?:(?P<ward>[^0-9市区町村]{1,5})区)?(?P<town>[^0-9]*)(?P<rest>[0-9].*)?$"
)


def place_parts(address: str) -> tuple[tuple[str, ...], list[tuple[str, str]]] | None:
    """An address's shape (suffixes, the block numbers) and its place names: 郡, municipality, ward, town."""
    m = _PLACE_RE.match(address)
    if m is None or not m.group("town"):
        return None
    has = "".join("1" if m.group(g) is not None else "0" for g in ("gun", "ward"))
    shape = (m.group("suffix"), has, m.group("rest") or "")
    parts = [("gun", m.group("gun") or ""), ("muni", m.group("muni")), ("ward", m.group("ward") or "")]
    return shape, [*parts, ("town", m.group("town"))]


def place_known(kind: str, name: str, suffix: str) -> bool | None:
    """A place name is a dictionary word (with or without its suffix); a 郡 must be a place name (実隅 is a
    given name, 夷隅 a place).  None: too short to tell."""
    if len(name) < 2:
        return None
    if kind == "gun":
        return reading.is_place(name) or reading.is_place(name + "郡")
    forms: tuple[str, ...] = {"muni": (name, name + suffix), "ward": (name, name + "区")}.get(
        kind, (name, name[:-1]) if name[-1] in "町村" and len(name) > 2 else (name,)  # a town: 猿楽町 known as 猿楽
    )
    return any(reading.is_word(f) for f in forms)


def place_side(kind: str, a: str, b: str) -> int | None:
    """0 or 1: two address reads alike in shape and numbers, differing in one or more place names (印旛郡印旛村
    read 印施郡印族村), where every differing name is a dictionary word in just one read, the same read."""
    if not (kind == "address" or kind.endswith("#0")) or a == b:
        return None
    pa, pb = place_parts(a), place_parts(b)
    if pa is None or pb is None or pa[0] != pb[0]:
        return None
    sides = set()
    for (part, x), (_, y) in zip(pa[1], pb[1], strict=True):
        if x == y:
            continue
        kx, ky = place_known(part, x, pa[0][0]), place_known(part, y, pa[0][0])
        if kx is None or ky is None or kx == ky:
            return None
        sides.add(0 if kx else 1)
    return sides.pop() if len(sides) == 1 else None


_TOWN_MAN = re.compile(r"(?<=[\u4e00-\u9fff])男(?=[0-9])")
_GUN_TO = re.compile(r"((?:(?![都道府県市区町村郡])[\u4e00-\u9fff]){2,4})都(?=[^0-9]+?[市区町村])")
# the block part N丁目N番N号 with its kanji garbled (5一日13番8号, 1一21席10日, 6下日8番10): three
# numbers apart, one to three characters after the first, one after the second, up to two at the end
_BLOCK_GARBLED = re.compile(r"([0-9]{1,2})([^0-9]{1,3})([0-9]{1,3})[^0-9]([0-9]{1,3})[^0-9]{0,2}")


def _block_repair(value: str) -> str | None:
    """``value`` with a garbled block part written N丁目N番N号, when three numbers stand apart as that
    form puts them (5一日13番8号 → 5丁目13番8号); None when they do not.  Offered, still flagged."""
    first = re.search(r"[0-9]", value)
    if first is None or not value[: first.start()]:
        return None
    m = _BLOCK_GARBLED.fullmatch(value, first.start())
    if m is None:
        return None
    chome, ban = m.group(1), m.group(3)
    if m.group(2) == "丁" and len(ban) == 3 and ban.startswith("11"):
        ban = ban[2:]  # 7丁116帯12旨: the 目 after 丁 read as 11
    return f"{value[: first.start()]}{chome}丁目{ban}番{m.group(4)}号"


def parse_address(raw: str, whole: bool = True, image: Gray | None = None) -> tuple[str, list[str]]:
    """An address as read, with lookalike kanji mended, and the reasons a person should look at it.
    ``whole``: the read holds the start of the address (not a later line of a two-line cell);
    ``image``: the one-line cell it was read from, to choose between real place names by their glyphs."""
    plain = "".join(fl.clean_text(raw).split())
    value = fl.fix_lookalikes(plain, address=True)
    reasons: list[str] = []
    if _TOWN_MAN.search(value):
        # 旭町 read 旭男 on a standard fax: no town ends in 男 before its block number
        value = _TOWN_MAN.sub("町", value, count=1)
        reasons.append("address.lookalike")
    if (gun := _GUN_TO.match(value)) is not None and gun.group(1) != "東京" and reading.is_place(gun.group(1)):
        # 印旛郡 read 印旛都: 東京都 is the only 都
        value = gun.group(1) + "郡" + value[gun.end() :]
        reasons.append("address.lookalike")
    doubts = fl.address_doubts(value)
    if "address.pattern" in doubts and (block := _block_repair(value)) is not None:
        value, doubts = block, [*fl.address_doubts(block), "address.block_repaired"]
    reasons.extend(doubts)
    if (dbl := reading.kanji_read_twice(value)) is not None and not _real_double(value, dbl[0]):
        # 箪笥町 read 箇箇町: a place name repeats a kanji with 々, not by writing it twice.  A town the
        # dictionary knows once one of the two is dropped (上上野台: 上野台) is shown so, still flagged
        at, once = dbl
        span, span_once = town_span(value), town_span(once)
        if (
            span is not None
            and span_once is not None
            and span[0] <= at < span[1]
            and span_once[1] - span_once[0] >= 3  # (箇町, from 箇箇町, is a word too short to tell by)
            and reading.available()
            and reading.is_word(once[span_once[0] : span_once[1]])
        ):
            value = once
        reasons.append("address.lookalike")
    town = town_span(value)
    mended_town = town is not None and value[: town[1]] != plain[: town[1]]
    if town is not None and mended_town and reading.available() and not reading.is_word(value[town[0] : town[1]]):
        # a katakana read as its kanji twin (ニ → 二) in a town the dictionary does not know: the kanji
        # may be another (三ノ輪 printed, ニノ輪 read)
        reasons.append("address.lookalike")
    mu = reading.municipality(value) if whole else None
    if mu is not None and (mended := wards.mend_ward(value, mu)) is not None:
        # 横浜市草葉区 (both models): 横浜 has one ward a kanji away, 青葉区
        value = mended
        reasons.append("address.ward_mended")
    if whole and reading.known_municipality(value) is False:
        # not a place name the dictionary knows: a misread kanji (川口市 read 川白市)
        reasons.append("address.unknown_municipality")
    if whole and reading.available() and (parts := place_parts(value)) is not None:
        county = dict(parts[1]).get("gun", "")
        if county and place_known("gun", county, parts[0][0]) is False:
            # 夷隅郡 read 実隅郡 (both models, a standard fax): a 郡 is always a place name
            reasons.append("address.unknown_county")
    if whole and placenames.available():
        value, reasons = _check_against_places(value, reasons, image, plain)
    return value, reasons


_UNKNOWN = ("address.unknown_municipality", "address.unknown_county")
_KANJI_CHOME = re.compile(r"[一二三四五六七八九十]+丁目")


def _check_against_places(value: str, reasons: list[str], image: Gray | None, plain: str) -> tuple[str, list[str]]:
    """The municipality and the town of an address against Japan's (:mod:`ocr.placenames`).  A real
    municipality clears the dictionary's doubt about it; one that is not real, or a town found nowhere,
    is flagged, and mended (still flagged) when exactly one real name is a kanji away, or when the
    printed glyph picks one of several (船横市: 船橋市; 川日市: 川口市, not 川西市)."""
    spans_found = _place_spans(value)
    if spans_found is None:
        return value, reasons
    start, end, town_end = spans_found
    spans = [("m", start, end)]
    town_start = end
    for prefix in ("大字", "字"):
        if value.startswith(prefix, town_start) and town_end - town_start > len(prefix):
            town_start += len(prefix)
            break
    if (chome := _KANJI_CHOME.search(value, town_start, town_end)) is not None:
        town_end = chome.start()  # 本町一丁目: the town is 本町
    if town_end > town_start:
        spans.append(("t", town_start, town_end))
    out = list(reasons)
    for kind, a, b in spans:
        if kind == "t" and value[a:b] != plain[a:b] and len(value) == len(plain) and placenames.town_known(plain[a:b]):
            # a katakana put right as its kanji twin in a town that is real as read (佐原ロ, 与兵エ新田)
            value = value[:a] + plain[a:b] + value[b:]
            if value == plain:
                out = [r for r in out if r != "address.lookalike"]
        name = value[a:b]
        if kind == "m":
            known = bool(placenames.municipality_known(name)) or placenames.former_municipality(name)
        else:
            known = bool(placenames.town_known(name))
        if known:
            if kind == "m":
                out = [r for r in out if r not in _UNKNOWN]
            continue
        pick = _nearest_place(name, kind, image, plain, a)
        if pick is not None:
            value = value[:a] + pick + value[b:]
            out = [r for r in out if not (kind == "m" and r in _UNKNOWN)]
            out.append("address.municipality_mended" if kind == "m" else "address.town_mended")
        elif kind == "m" and not set(_UNKNOWN) & set(out):
            out.append("address.unknown_municipality")
        elif kind == "t":
            out.append("address.unknown_town")
    return value, out


def _real_double(value: str, at: int) -> bool:
    """The kanji doubled at ``at`` is in a real municipality, or ends it and starts its town (四日市市,
    太田市市場町)."""
    spans = _place_spans(value) if placenames.available() else None
    return (
        spans is not None
        and spans[0] <= at < spans[1]
        and bool(placenames.municipality_known(value[spans[0] : spans[1]]))
    )


def _place_spans(value: str) -> tuple[int, int, int] | None:
    """Where an address's municipality starts and ends and where its town ends (at the block number).
    The longest real municipality the address starts with (羽村市, not 羽村 and a town 市蔵前; 横浜市青葉区);
    failing one, where the address's form puts it (郡, then 市区町村, a city's 区)."""
    off = next((len(p) for p in reading.PREFECTURES if value.startswith(p)), 0)
    digit = next((k for k, c in enumerate(value) if c.isdigit()), len(value))
    for end in range(digit, off + 1, -1):
        if placenames.municipality_known(value[off:end]):
            return off, end, digit
    m = _PLACE_RE.match(value)
    if m is None:
        return None
    start = m.start("gun") if m.group("gun") is not None else m.start("muni")
    end = m.end("ward") + 1 if m.group("ward") is not None else m.end("suffix")
    return start, end, m.end("town")


def _nearest_place(name: str, kind: str, image: Gray | None, read: str, at: int) -> str | None:
    """The one real place name a kanji away from ``name`` (found at ``at`` in the cell's ``read``), or
    the one of several that the printed glyph there picks."""
    if kind == "t" and (dbl := reading.kanji_read_twice(name)) is not None and placenames.town_known(dbl[1]):
        return dbl[1]  # 上上野台: a kanji read twice (a standard fax's doubled rows)
    near = placenames.one_kanji_away(name, kind)
    if len(near) == 1:
        return near[0]
    if not near or image is None or read[at : at + len(name)] != name:
        return None
    pick = _pick_by_glyph(near, name, image, read, at) if len(near) <= PLACE_CHOICES_MAX else None
    if pick is None and kind == "t":
        # too many real towns a kanji away (則町: 366, from 一町 to 鷹町) or no clear pick among them: the
        # glyph is asked again among the towns many municipalities have (旭町, 栄町, 南町 …: 36)
        common = tuple(t for t in near if placenames.town_common(t))
        if 0 < len(common) <= PLACE_CHOICES_MAX and len(common) < len(near):
            pick = _pick_by_glyph(common, name, image, read, at)
    return pick


def _pick_by_glyph(near: tuple[str, ...], name: str, image: Gray, read: str, at: int) -> str | None:
    """The one of ``near`` (real names a kanji from ``name``, found at ``at`` in the cell's ``read``) whose
    kanji the printed glyph there matches clearly best."""
    choices = []
    for cand in near:
        k = next(i for i, (x, y) in enumerate(zip(cand, placenames.norm(name), strict=True)) if x != y)
        choices.append((at + k, cand[k]))
    best = variants.pick_in_line(image, read, tuple(choices))
    return None if best is None else near[best]


PLACE_CHOICES_MAX = 40  # more real names than this a kanji away (2-kanji towns: 高輝 has 147): no pick


def mend_school_place(value: str, image: Gray | None, read: str) -> str | None:
    """A preschool named for its locality (独鈷沢保育所, 外国府間こども園) whose place name was misread to
    one found nowhere (独鮎沢, 外国府問): the name with the one real town a kanji away, or the one of
    several the printed glyph picks; None when the name is a word or a town as read, or none is near."""
    kind = fl.school_kind(value)
    if kind is None or not placenames.available():
        return None
    stem = value[: len(value) - len(kind)]
    if len(stem) < SCHOOL_PLACE_MIN or not all(reading.is_kanji(c) or c in "ヶケノのツつ" for c in stem):
        return None
    if placenames.town_known(stem) or placenames.municipality_known(stem) or reading.is_word(stem):
        return None
    pick = _nearest_place(stem, "t", image, read, 0)
    return None if pick is None else pick + kind


SCHOOL_PLACE_MIN = 3  # a two-kanji place name has dozens of real ones a kanji away
