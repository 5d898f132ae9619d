"""The compact sorted table the name and place dictionaries are held in."""

from __future__ import annotations

from ocr.sorted_lines import SortedLines


def test_lines_are_found_by_prefix_and_as_one_block() -> None:
    table = SortedLines("c\t本町\ns\t一也\ns\t和也\ns\t舞\nt\t皇居外苑\n".encode())
    assert len(table) == 5 and table.has("s\t舞".encode()) and not table.has("s\t狂".encode())
    assert [line.decode() for line in table.starting(b"s\t")] == ["s\t一也", "s\t和也", "s\t舞"]
    assert table.block(b"s\t").decode() == "s\t一也\ns\t和也\ns\t舞\n"
    assert table.block(b"t\t").decode() == "t\t皇居外苑\n"  # the last lines
    assert table.block(b"r\t") == b"" and SortedLines(b"").block(b"s\t") == b""
