"""A sorted text table held compactly: the UTF-8 bytes and the offset of each line.

The name and place tables (``resources/names``, ``resources/places``) are about 100,000 short lines;
as Python strings in a tuple or a set they would take 10-18 MB each, kept this way 2-5 MB.  UTF-8
sorts bytes as the code points they spell, so a line is found by bisection on its bytes.
"""

from __future__ import annotations

import gzip
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path


class SortedLines:
    def __init__(self, text: bytes) -> None:
        self.text = text
        starts = [0]
        at = text.find(b"\n")
        while at != -1:
            starts.append(at + 1)
            at = text.find(b"\n", at + 1)
        if starts[-1] == len(text):
            starts.pop()
        self.starts = array("I", starts)

    @classmethod
    def read(cls, path: Path) -> SortedLines:
        """The gzip-compressed table at ``path``; empty when it is missing or unreadable."""
        try:
            with gzip.open(path, "rb") as f:
                return cls(f.read())
        except (OSError, EOFError):
            return cls(b"")

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> bytes:
        start = self.starts[i]
        end = self.text.find(b"\n", start)
        return self.text[start : end if end != -1 else len(self.text)]

    def first_with(self, prefix: bytes) -> bytes | None:
        """The first line that starts with ``prefix``."""
        i = bisect_left(self, prefix)
        if i < len(self) and (line := self[i]).startswith(prefix):
            return line
        return None

    def has(self, line: bytes) -> bool:
        i = bisect_left(self, line)
        return i < len(self) and self[i] == line

    def starting(self, prefix: bytes) -> Iterator[bytes]:
        """Every line that starts with ``prefix``, in order."""
        i = bisect_left(self, prefix)
        while i < len(self) and (line := self[i]).startswith(prefix):
            yield line
            i += 1

    def block(self, prefix: bytes) -> bytes:
        """Every line that starts with ``prefix``, as one piece of the text (lines end in newlines)."""
        first = bisect_left(self, prefix)
        if first == len(self) or not self[first].startswith(prefix):
            return b""
        # the first line past them: the prefix with its last byte raised (no line holds byte 0xFF)
        end = bisect_left(self, prefix[:-1] + bytes([prefix[-1] + 1])) if prefix[-1] < 0xFF else len(self)
        stop = self.starts[end] if end < len(self) else len(self.text)
        return self.text[self.starts[first] : stop]
