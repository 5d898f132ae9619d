"""Board templates: signing, verification, safe reading, install, refusals, and their effects."""

from __future__ import annotations

import io
import json
import shutil
import stat
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from storage import attendance, classes, oneroster, students, templates, users
from storage.attendance import codes
from storage.errors import DamagedError, InputError, PolicyError, StoreError
from storage.reports import attendance as report
from storage.store import Store
from storage.templates import keys, package, parts

DEFAULT = templates.DEFAULT_SOURCE


@pytest.fixture
def board(tmp_path: Path) -> tuple[Ed25519PrivateKey, bytes]:
    private_path, public_path, _kid = keys.generate(tmp_path / "board")
    return keys.load_private(private_path), public_path.read_bytes()


def _source(tmp_path: Path, version: int = 2, **changes: dict[str, object]) -> Path:
    src = tmp_path / f"src-{version}-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(DEFAULT, src)
    meta = json.loads((src / "template.json").read_text(encoding="utf-8"))
    meta.update(id="jp.example-city", name="例市 標準様式", board="例市教育委員会", version=version)
    (src / "template.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    for name, part in changes.items():
        (src / f"{name}.json").write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
    return src


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _state(store: Store) -> tuple[object, ...]:
    return (
        store.query("SELECT count(*) AS n FROM templates")[0]["n"],
        tuple(sorted(codes.symbols(store).items())),
        oneroster.current_variant(store),
        tuple(sorted(templates.header_synonyms(store))),
    )


def _refused(store: Store, data: bytes, error: type[StoreError], code: str) -> None:
    before = _state(store)
    with pytest.raises(error) as err:
        templates.install(store, data)
    assert err.value.code == f"template.{code}", err.value.code
    assert "\n" not in str(err.value)
    assert _state(store) == before  # nothing changed


# --- the default template ---------------------------------------------------------------------


def test_default_template_source_is_the_built_in_default() -> None:
    found = templates.default_source_parts()
    meta = found.pop("template.json")
    assert meta["id"] and meta["version"] == 1
    assert set(found) == set(parts.PART_NAMES)
    for name, value in found.items():
        assert parts.check_part(name, value) == parts.DEFAULTS[name], name
    assert found["attendance.json"]["symbols"] == {c.code: c.symbol for c in codes.CODES}


def test_with_nothing_installed_the_defaults_apply(store: Store) -> None:
    assert templates.header_synonyms(store) == {}
    assert templates.export_options(store)["variant"] == "jp-1.2.1"
    assert templates.report_options(store) == parts.DEFAULTS["reports.json"]
    assert templates.installed(store) == []


# --- sign, trust, install ---------------------------------------------------------------------


def test_sign_trust_install_applies_every_part(
    store: Store, tmp_path: Path, board: tuple[Ed25519PrivateKey, bytes]
) -> None:
    private, public = board
    src = _source(
        tmp_path,
        attendance={"symbols": {"absent_sick": "病欠", "late": "遅"}},
        ledger={"header_synonyms": {"guardian": ["父母名"]}, "fields": {"phone": "phone"}},
        export={"oneroster": {"variant": "jp-1.1", "district_name": "例市教育委員会"}, "csv_encoding": "cp932"},
        reports={"font": "gothic", "paper": "B4", "show_kana": False},
    )
    data = package.build(src, private)
    key = templates.trust_board(store, public, "例市教育委員会")
    assert key.key_id == package.read(data).key_id
    done = templates.install(store, data)
    assert (done.template_id, done.version) == ("jp.example-city", 2)
    assert codes.symbols(store)["absent_sick"] == "病欠"
    assert codes.symbols(store)["absent_accident"] == "事"  # not in the part: built-in
    assert attendance.parse_status("病欠", store) == "absent_sick"
    assert templates.header_synonyms(store) == {"guardian": ["父母名"]}
    assert oneroster.current_variant(store) == "jp-1.1"
    assert templates.export_options(store)["district_name"] == "例市教育委員会"
    assert templates.report_options(store)["font"] == "gothic"
    [listed] = templates.installed(store)
    assert listed.active and listed.board == "例市教育委員会"
    actions = [r["action"] for r in store.query("SELECT action FROM audit_log ORDER BY seq")]
    assert "template.trust_board" in actions and "template.install" in actions


def test_public_key_as_base64_line(store: Store, board: tuple[Ed25519PrivateKey, bytes]) -> None:
    import base64

    private, _public = board
    raw = keys.raw_public(private.public_key())
    key = templates.trust_board(store, base64.b64encode(raw) + b"\n")
    assert key.key_id == keys.key_id(raw)
    with pytest.raises(InputError):
        templates.trust_board(store, b"not a key")


def test_encrypted_private_key(tmp_path: Path) -> None:
    private_path, _public, _kid = keys.generate(tmp_path / "enc", "board passphrase")
    assert keys.private_is_encrypted(private_path)
    assert keys.load_private(private_path, "board passphrase")
    with pytest.raises(InputError):
        keys.load_private(private_path)
    with pytest.raises(InputError):
        keys.load_private(private_path, "wrong")
    with pytest.raises(InputError):
        keys.generate(tmp_path / "enc")  # never overwrites


# --- refusals: nothing changes ----------------------------------------------------------------


@pytest.fixture
def trusted(store: Store, board: tuple[Ed25519PrivateKey, bytes]) -> Ed25519PrivateKey:
    templates.trust_board(store, board[1])
    return board[0]


def test_refuses_unsigned(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    data = package.build(_source(tmp_path), trusted)
    unsigned = package.write_zip([m for m in _members(data) if m[0] != package.SIGNATURE])
    _refused(store, unsigned, PolicyError, "unsigned")


def test_refuses_another_key(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    other = Ed25519PrivateKey.generate()
    _refused(store, package.build(_source(tmp_path), other), PolicyError, "untrusted")
    # another key claiming to be the trusted one: forged
    data = package.build(_source(tmp_path), other)
    members = dict(_members(data))
    manifest = json.loads(members[package.MANIFEST])
    manifest["key_id"] = keys.key_id(keys.raw_public(trusted.public_key()))
    members[package.MANIFEST] = json.dumps(manifest).encode()
    import base64

    members[package.SIGNATURE] = base64.b64encode(other.sign(members[package.MANIFEST]))
    _refused(store, package.write_zip(list(members.items())), DamagedError, "forged")


def test_refuses_any_altered_file(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    data = package.build(_source(tmp_path), trusted)
    members = dict(_members(data))
    part = members["attendance.json"].replace("病".encode(), b"X")
    _refused(store, package.write_zip(list({**members, "attendance.json": part}.items())), DamagedError, "altered")
    # the manifest itself: one byte (the version) changed, hashes still right
    manifest = members[package.MANIFEST].replace(b'"version": 2', b'"version": 9')
    _refused(store, package.write_zip(list({**members, package.MANIFEST: manifest}.items())), DamagedError, "forged")
    # re-serialising the manifest (same content, other bytes) also breaks the signature
    loose = json.dumps(json.loads(members[package.MANIFEST])).encode()
    _refused(store, package.write_zip(list({**members, package.MANIFEST: loose}.items())), DamagedError, "forged")
    # a file the manifest does not list
    extra = package.write_zip([*members.items(), ("reports2.json", b"{}")])
    _refused(store, extra, DamagedError, "altered")


def test_refuses_version_not_newer(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    templates.install(store, package.build(_source(tmp_path, 2), trusted))
    _refused(store, package.build(_source(tmp_path, 2), trusted), PolicyError, "not_newer")
    _refused(store, package.build(_source(tmp_path, 1), trusted), PolicyError, "not_newer")
    templates.install(store, package.build(_source(tmp_path, 3), trusted))
    assert [t.version for t in templates.installed(store)] == [2, 3]


@pytest.mark.parametrize("name", ["../attendance.json", "/etc/attendance.json", "C:/attendance.json",
                                  "parts\\attendance.json", "a/../../x.json"])
def test_refuses_paths_that_escape(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey, name: str) -> None:
    data = package.build(_source(tmp_path), trusted)
    members = _members(data)
    evil = package.write_zip([*members, (name, b"{}")])
    _refused(store, evil, DamagedError, "unsafe_path")


def test_refuses_symlinks(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    data = package.build(_source(tmp_path), trusted)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in _members(data):
            zf.writestr(name, content)
        link = zipfile.ZipInfo("link.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    _refused(store, out.getvalue(), DamagedError, "unsafe_path")


def test_refuses_oversized_and_too_many_files(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    data = package.build(_source(tmp_path), trusted)
    members = _members(data)
    big = package.write_zip([*members, ("big.json", b" " * (package.MAX_MEMBER_BYTES + 1))])
    assert len(big) < package.MAX_PACKAGE_BYTES  # compresses well: the declared size is what counts
    _refused(store, big, PolicyError, "too_large")
    many = package.write_zip([*members, *[(f"x{i}.json", b"{}") for i in range(package.MAX_MEMBERS)]])
    _refused(store, many, PolicyError, "too_many_files")
    _refused(store, b"PK" + b"\0" * (package.MAX_PACKAGE_BYTES + 1), PolicyError, "too_large")


def test_refuses_a_size_that_lies(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    data = bytearray(package.build(_source(tmp_path), trusted))
    # shrink one central-directory "uncompressed size" (a zip bomb hides its real size this way)
    at = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, 3)
    _refused(store, bytes(data), DamagedError, "malformed")


def test_refuses_garbage_and_invalid_parts(store: Store, tmp_path: Path, trusted: Ed25519PrivateKey) -> None:
    _refused(store, b"not a zip", DamagedError, "malformed")
    with pytest.raises(InputError):  # a board cannot sign a broken part
        package.build(_source(tmp_path, attendance={"symbols": {"nonsense": "X"}}), trusted)
    with pytest.raises(InputError):
        package.build(_source(tmp_path, export={"oneroster": {"variant": "jp-9"}}), trusted)


def test_teachers_cannot_trust_or_install(
    store: Store, store_dir: Path, tmp_path: Path, board: tuple[Ed25519PrivateKey, bytes]
) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", "tanaka-passphrase")
    data = package.build(_source(tmp_path), board[0])
    with Store.open(store_dir, "tanaka", "tanaka-passphrase") as teacher:
        with pytest.raises(PolicyError):
            templates.trust_board(teacher, board[1])
        with pytest.raises(PolicyError):
            templates.install(teacher, data)


# --- effects: the 病欠 symbol changes the grid and the report ----------------------------------


def test_template_symbol_changes_grid_and_reports(
    store: Store, store_dir: Path, tmp_path: Path, trusted: Ed25519PrivateKey
) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", "tanaka-passphrase")
    info = classes.add_class(store, 2025, 1, "1", "tanaka")
    sid = students.add_student(store, students.StudentData("山田", "花子", "やまだ", "はなこ", "女", "2018-05-05"))
    classes.enrol(store, info.id, [sid], "2025-04-01")
    day = date(2025, 6, 3)
    attendance.set_days(store, [day], "school_day")
    with Store.open(store_dir, "tanaka", "tanaka-passphrase") as teacher:
        attendance.mark(teacher, info.id, day, sid, "absent_sick")
        attendance.seal(teacher, info.id, day)
    today = date(2025, 6, 30)

    def shown() -> tuple[str, str]:
        grid = attendance.month_grid(store, info.id, 2025, 6, today=today)
        csv_text = report.monthly_summary_csv(store, info.id, 2025, 6, today=today).payload.decode("utf-8-sig")
        return grid.rows[0].cells[day].symbol, csv_text

    symbol, text = shown()
    assert symbol == "病" and ",病," in text and "病=欠席(病気)" in text
    templates.install(store, package.build(_source(tmp_path, attendance={"symbols": {"absent_sick": "病欠"}}), trusted))
    symbol, text = shown()
    assert symbol == "病欠" and ",病欠," in text and "病欠=欠席(病気)" in text
    # the signed sheet itself is unchanged: only what people see changes
    assert attendance.verify(store).ok
