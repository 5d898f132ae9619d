"""Property tests: the backup manifest and container parsers read outside data; they return a
valid manifest or raise the project's typed error (DamagedError exit 4 / InputError exit 2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import backup
from storage.errors import DamagedError, InputError

VALID: dict[str, Any] = {
    "format": "gakuseki-backup",
    "version": 1,
    "created_at": "2026-04-01T09:00:00.000+09:00",
    "app_version": "0.1.0",
    "schema_version": 7,
    "store_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "school_code": "B113212345602",
    "school_name": "テスト市立第一小学校",
    "created_by": "admin",
    "rows": {"students": 3, "audit_log": 20},
    "files": {"store.db": {"sha256": "a" * 64, "bytes": 4096}, "keyslots.json": {"sha256": "b" * 64, "bytes": 900}},
    "audit_head": {"seq": 20, "hash": "c" * 64},
    "attendance_head": None,
    "mac": "d" * 64,
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _parses_or_typed_error(data: bytes) -> None:
    try:
        manifest = backup.parse_manifest(data)
    except (DamagedError, InputError) as exc:
        assert exc.exit_code in (2, 4)
        assert " / " in str(exc)
        return
    assert manifest.files.keys() == {"store.db", "keyslots.json"}
    assert backup.parse_manifest(manifest.to_bytes()) == manifest  # round trip


def test_the_valid_manifest_round_trips() -> None:
    manifest = backup.parse_manifest(json.dumps(VALID).encode())
    assert manifest.rows["students"] == 3 and manifest.attendance_head is None
    assert backup.parse_manifest(manifest.to_bytes()) == manifest


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_arbitrary_bytes(data: bytes) -> None:
    _parses_or_typed_error(data)


@given(st.sampled_from(sorted(VALID)), json_values)
@settings(max_examples=400, deadline=None)
def test_one_field_replaced(key: str, value: Any) -> None:
    changed = dict(VALID)
    changed[key] = value
    _parses_or_typed_error(json.dumps(changed).encode())


@given(st.sampled_from(sorted(VALID)))
@settings(max_examples=50, deadline=None)
def test_one_field_missing(key: str) -> None:
    changed = {k: v for k, v in VALID.items() if k != key}
    with pytest.raises(DamagedError):
        backup.parse_manifest(json.dumps(changed).encode())


def test_a_newer_format_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        backup.parse_manifest(json.dumps({**VALID, "version": 2}).encode())
    assert caught.value.code == "backup.too_new"


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_the_container_parser(data: bytes) -> None:
    try:
        members = backup.unpack(data)
    except DamagedError:
        return
    assert set(members) == set(backup.MEMBERS)


@given(st.dictionaries(st.sampled_from([*backup.MEMBERS, "extra", "../x"]), st.binary(max_size=50), max_size=4))
@settings(max_examples=100, deadline=None)
def test_containers_with_chosen_members(members: dict[str, bytes]) -> None:
    import io
    import tarfile

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    try:
        found = backup.unpack(out.getvalue())
    except DamagedError:
        assert set(members) != set(backup.MEMBERS)
        return
    assert found == members
