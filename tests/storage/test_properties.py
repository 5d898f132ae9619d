"""Every parser that reads outside data returns a valid value or raises the project's typed
error — never anything else (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import classes, crypto, imports, school_code
from storage.errors import DamagedError, InputError, StoreError
from storage.keyslots import KeySlotFile

FIELDS = ["no", "family_name", "given_name", "family_kana", "given_kana", "sex", "birth_date", "guardian",
          "address", "phone", "previous_school"]
japaneseish = st.text(
    alphabet=st.sampled_from("0123456789０１２３４５６７８９年月日令和平成昭元.-/ 　あいうカタナ山田男女()ｱｲｳ"),
    max_size=20,
)


@given(st.one_of(st.text(max_size=20), st.from_regex(r"[A-H][0-9][0-9]{2}[1-3][1-9][0-9]{7}", fullmatch=True)))
def test_school_code_is_valid_or_refused(text: str) -> None:
    try:
        code = school_code.validate(text)
    except InputError as exc:
        assert exc.code == "school.code_invalid"
    else:
        assert len(code) == 13
        assert school_code.check_digit(code[:12]) == int(code[12])


@given(st.text(alphabet="ABCDEFGHJKMNPQRSTVWXYZ0123456789- oil", max_size=50))
def test_recovery_key_typos_are_typed_errors(text: str) -> None:
    try:
        key = crypto.normalise_recovery_key(text)
    except InputError as exc:
        assert exc.code in {"recovery.malformed", "recovery.typo"}
    else:
        assert len(key) == 44


def test_a_fresh_recovery_key_survives_hand_copying() -> None:
    key = crypto.new_recovery_key()
    assert crypto.normalise_recovery_key(key.lower().replace("-", "  ")) == key


@given(st.sampled_from(FIELDS), st.one_of(japaneseish, st.text(max_size=30)))
def test_reviewer_values_are_normalised_or_refused(field: str, text: str) -> None:
    try:
        value = imports.normalise_field(field, text)
    except InputError as exc:
        assert exc.code.startswith("field.")
    else:
        assert isinstance(value, str)
        if field == "birth_date":
            assert len(value) == 10


@given(st.text(max_size=12))
def test_class_specs_parse_or_are_refused(text: str) -> None:
    try:
        grade, name = classes.parse_class_spec(text)
    except InputError:
        return
    assert 0 <= grade <= 9
    assert name


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(st.one_of(json_values, st.binary(max_size=64).map(lambda b: b.decode("latin-1"))))
def test_a_tampered_key_slot_file_is_reported_as_damage(tmp_path: Path, content: object) -> None:
    path = tmp_path / "keyslots.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    try:
        KeySlotFile.load(path)
    except DamagedError as exc:
        assert exc.code == "store.keyslots_damaged"
    except StoreError as exc:  # pragma: no cover - any other typed refusal is acceptable
        assert exc.exit_code in (2, 3, 4)


@given(st.lists(st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=12)), min_size=3, max_size=3),
                max_size=6))
def test_csv_cells_are_neutralised_and_round_trip(rows: list[list[object]]) -> None:
    import csv
    import io

    from storage.reports.csvfile import neutralise, write_csv

    data = write_csv(["a", "b", "c"], rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(data, newline="")))
    assert parsed[0] == ["a", "b", "c"]
    assert parsed[1:] == [[neutralise(v) for v in row] for row in rows]
    for row, original in zip(parsed[1:], rows, strict=True):
        for cell, value in zip(row, original, strict=True):
            if isinstance(value, str):  # numbers are written as numbers (-1 is not a formula)
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert "\n" not in cell and "\r" not in cell


@settings(max_examples=150)
@given(st.binary(max_size=300))
def test_any_template_package_bytes_are_read_or_refused_with_a_typed_error(data: bytes) -> None:
    from storage.templates import package

    for candidate in (data, _zip_with_manifest(data)):
        try:
            package.read(candidate)
        except StoreError as exc:
            assert exc.exit_code in (2, 4, 5)


def _zip_with_manifest(manifest: bytes) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr("manifest.sig", b"AAAA")
    return buf.getvalue()


@settings(max_examples=100)
@given(st.dictionaries(st.sampled_from(["format", "version", "files", "board", "name", "created_at", "x"]),
                       json_values, max_size=6))
def test_any_template_manifest_json_is_read_or_refused_with_a_typed_error(manifest: dict[str, object]) -> None:
    from storage.templates import package

    try:
        package.read(_zip_with_manifest(json.dumps(manifest).encode()))
    except StoreError as exc:
        assert exc.exit_code in (2, 4, 5)
