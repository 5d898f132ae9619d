"""Japanese fonts available on the system (used for glyph templates and by the test generator)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
PATTERNS = (
    "ipaexg*.ttf",
    "ipaexm*.ttf",
    "ipag*.ttf",
    "ipam*.ttf",
    "ipagp*.ttf",
    "ipamp*.ttf",
    "NotoSansCJK*.tt[cf]",
    "NotoSerifCJK*.tt[cf]",
    "NotoSansJP*.[ot]tf",
    "NotoSerifJP*.[ot]tf",
    "TakaoP?Gothic.ttf",
    "TakaoP?Mincho.ttf",
    "VL-*Gothic*.ttf",
)


@lru_cache(maxsize=1)
def _found() -> tuple[Path, ...]:
    found: dict[str, Path] = {}
    for d in FONT_DIRS:
        if not d.is_dir():
            continue
        for pat in PATTERNS:
            for p in sorted(d.rglob(pat)):
                found.setdefault(p.name, p.resolve())
    return tuple(sorted(set(found.values())))


def japanese_fonts() -> list[Path]:
    """The system's Japanese font files (searched once per process)."""
    return list(_found())
