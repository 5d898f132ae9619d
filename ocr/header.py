"""Stage 4: map header cells to fields by keywords and synonyms, in any column order."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from .model import ColumnMap

# Roles a column can play.  "name" and "kana" are split into family/given later;
# "kana_name" is ふりがな printed small above 氏名 in one cell.
DEFAULT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "no": ("番号", "No", "NO", "No.", "連番", "整理番号", "№"),
    "kana_name": (
        "ふりがな/氏名",
        "フリガナ/氏名",
        "ふりがな氏名",
        "フリガナ氏名",
        "よみがな/氏名",
        "氏名/ふりがな",
    ),
    "kana": ("ふりがな", "フリガナ", "よみがな", "ヨミガナ", "かな", "カナ", "氏名かな", "氏名カナ"),
    "name": ("氏名", "児童氏名", "生徒氏名", "児童名", "生徒名", "名前", "氏名(漢字)", "幼児氏名"),
    "sex": ("性別", "性", "男女"),
    "birth_date": ("生年月日", "誕生日", "生年月日(和暦)", "生年月日(西暦)"),
    "guardian": ("保護者氏名", "保護者", "保護者名", "保護者の氏名"),
    "address": ("住所", "現住所", "住居", "所在地", "住所(現住所)"),
    "phone": ("電話番号", "連絡先", "電話", "TEL", "緊急連絡先", "連絡先電話番号", "電話番号(連絡先)"),
    "previous_school": (
        "出身園",
        "出身校",
        "出身小学校",
        "出身幼稚園",
        "出身保育園",
        "在籍園",
        "出身園名",
        "就学前施設",
        "出身中学校",
    ),
}

ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "no": ("no",),
    "kana_name": ("family_kana", "given_kana", "family_name", "given_name"),
    "kana": ("family_kana", "given_kana"),
    "name": ("family_name", "given_name"),
    "sex": ("sex",),
    "birth_date": ("birth_date",),
    "guardian": ("guardian",),
    "address": ("address",),
    "phone": ("phone",),
    "previous_school": ("previous_school",),
}

FIELD_TO_ROLE: dict[str, str] = {
    "no": "no",
    "family_name": "name",
    "given_name": "name",
    "family_kana": "kana",
    "given_kana": "kana",
    "sex": "sex",
    "birth_date": "birth_date",
    "guardian": "guardian",
    "address": "address",
    "phone": "phone",
    "previous_school": "previous_school",
}


def norm_header(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = "".join(s.split())
    s = s.replace("／", "/").replace("・", "/").replace("|", "/")
    return re.sub(r"[()（）\[\]「」:：.。、,]", "", s)


def merge_synonyms(extra: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    """Add a board template's wordings; keys may be roles or field names (family_name → name)."""
    out = dict(DEFAULT_SYNONYMS)
    for key, words in (extra or {}).items():
        role = key if key in out else FIELD_TO_ROLE.get(key)
        if role is None:
            continue
        out[role] = tuple(words) + out[role]
    return out


def score_role(text: str, synonyms: Mapping[str, Sequence[str]]) -> tuple[str | None, float]:
    """The best role for one header text and its similarity (0..1)."""
    t = norm_header(text)
    if not t:
        return None, 0.0
    has_kana_word = bool(re.search(r"ふりがな|フリガナ|よみがな|ヨミガナ|がな|ガナ", t))
    has_name_word = "氏名" in t or "名前" in t
    # 保護者 with its third kanji misread (保護着氏名) still heads the guardian, and so does a name header
    # that starts with 保 (保科午氏名 on a fax's dotted grey ground): no pupil's name header does
    guardian_word = "保護" in t or (t.startswith("保") and has_name_word)
    if has_kana_word and has_name_word and not guardian_word:
        return "kana_name", 1.0
    best: tuple[str | None, float] = (None, 0.0)
    for role, words in synonyms.items():
        for w in words:
            wn = norm_header(w)
            if not wn:
                continue
            if t == wn:
                s = 1.0
            else:
                s = SequenceMatcher(None, t, wn).ratio()
                if wn in t and len(wn) >= 2:
                    s = max(s, 0.75 + 0.2 * len(wn) / len(t))
            # "保護者氏名" contains "氏名": prefer the longer keyword
            if s > best[1] + 1e-9:
                best = (role, s)
    if guardian_word and best[0] == "name":
        return "guardian", best[1]
    return best


LOW_SCORE = 0.34


def role_scores(text: str, synonyms: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """Similarity of one header text to every role."""
    t = norm_header(text)
    out: dict[str, float] = {}
    if not t:
        return out
    best_role, best = score_role(text, synonyms)
    for role, words in synonyms.items():
        s = 0.0
        for w in words:
            wn = norm_header(w)
            if wn:
                s = max(s, SequenceMatcher(None, t, wn).ratio())
        out[role] = s
    if best_role is not None:
        out[best_role] = max(out.get(best_role, 0.0), best)
    return out


def map_columns(
    header_texts: Sequence[str],
    synonyms: Mapping[str, Sequence[str]],
    header_row: int = 0,
    min_score: float = 0.6,
) -> ColumnMap:
    """Assign each role to at most one column (best similarity wins)."""
    cands: list[tuple[float, int, str]] = []
    for col, text in enumerate(header_texts):
        for role, s in role_scores(text, synonyms).items():
            if s >= LOW_SCORE:
                cands.append((s, col, role))
    cands.sort(reverse=True)
    used_cols: set[int] = set()
    used_roles: set[str] = set()
    cols: list[tuple[int, str]] = []
    # confident matches first, then leftover columns take leftover roles on weaker evidence
    ordered = [c for c in cands if c[0] >= min_score] + [c for c in cands if c[0] < min_score]
    for _s, col, role in ordered:
        if col in used_cols or role in used_roles:
            continue
        if role == "kana_name" and ("name" in used_roles or "kana" in used_roles):
            continue
        if role in ("name", "kana") and "kana_name" in used_roles:
            continue
        used_cols.add(col)
        used_roles.add(role)
        cols.append((col, role))
    return ColumnMap(header_row=header_row, columns=tuple(sorted(cols)))
