"""Is a folder on a removable drive? Exports refuse removable drives (USB sticks, SD cards).

Behind the :class:`DriveInspector` Protocol so tests (and other systems) inject a fake:

- Linux (:class:`LinuxDriveInspector`): the folder's mount from ``/proc/self/mountinfo`` (longest
  mount point containing it), its block device in ``/sys/dev/block/MAJ:MIN`` (through
  device-mapper ``slaves/`` for LUKS/LVM, and the ``/dev/…`` mount source for filesystems with
  anonymous device numbers such as btrfs or FUSE/ntfs-3g), then removable if the device or its
  parent disk has ``removable`` = 1 or sits on a USB bus (its sysfs path contains ``/usb``).
- Windows (:class:`WindowsDriveInspector`): ``GetDriveTypeW`` (removable, CD-ROM), and for fixed
  drives ``IOCTL_STORAGE_QUERY_PROPERTY`` → ``STORAGE_DEVICE_DESCRIPTOR.BusType`` because USB
  hard disks and many USB sticks report themselves as fixed.

Unknown answers fail closed: if the drive cannot be inspected the export is refused
(:class:`DriveUnknown`), since "I could not tell" must not let a file onto a USB stick.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class DriveUnknown(Exception):  # noqa: N818 - a state, not a failure of the code
    """The drive holding a path could not be inspected."""


class DriveInspector(Protocol):
    def is_removable(self, path: Path) -> bool:
        """True when ``path`` (an existing folder) is on a removable drive or a USB/SD bus."""
        ...


# --- Linux --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mount:
    mount_point: str
    major: int
    minor: int
    source: str


_OCTAL = re.compile(r"\\([0-7]{3})")


def _unescape(text: str) -> str:
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), text)


def parse_mountinfo(text: str) -> list[Mount]:
    """Mounts from ``/proc/self/mountinfo`` (see proc(5))."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 10 or "-" not in fields[6:]:
            continue
        dash = fields.index("-", 6)
        major, _, minor = fields[2].partition(":")
        source = fields[dash + 2] if len(fields) > dash + 2 else ""
        mounts.append(Mount(_unescape(fields[4]), int(major), int(minor), _unescape(source)))
    return mounts


def mount_of(path: Path, mounts: list[Mount]) -> Mount | None:
    """The mount with the longest mount point containing ``path`` (the last mounted wins)."""
    best: Mount | None = None
    target = str(path)
    for mount in mounts:
        point = mount.mount_point.rstrip("/") or "/"
        inside = target == point or target.startswith(point + "/") or point == "/"
        if inside and (best is None or len(point) >= len(best.mount_point.rstrip("/") or "/")):
            best = mount
    return best


class LinuxDriveInspector:
    def __init__(self, proc: Path = Path("/proc/self/mountinfo"), sys_root: Path = Path("/sys")) -> None:
        self.proc = proc
        self.sys_root = sys_root

    def is_removable(self, path: Path) -> bool:
        real = Path(os.path.realpath(path))
        try:
            mounts = parse_mountinfo(self.proc.read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            raise DriveUnknown(f"cannot read {self.proc}: {exc}") from exc
        mount = mount_of(real, mounts)
        if mount is None:
            raise DriveUnknown(f"no mount found for {real}")
        device = self._device_dir(mount)
        if device is None:
            return False  # a virtual filesystem (tmpfs, overlay, proc) or a network share
        return self._removable(device, depth=0)

    def _device_dir(self, mount: Mount) -> Path | None:
        if mount.major != 0:
            candidate = self.sys_root / "dev" / "block" / f"{mount.major}:{mount.minor}"
            if candidate.exists():
                return candidate.resolve()
        if mount.source.startswith("/dev/"):  # btrfs, FUSE (ntfs-3g, exfat-fuse): anonymous st_dev
            try:
                st = Path(mount.source).resolve(strict=True).stat()
            except OSError:
                return None
            candidate = self.sys_root / "dev" / "block" / f"{os.major(st.st_rdev)}:{os.minor(st.st_rdev)}"
            if candidate.exists():
                return candidate.resolve()
        return None

    def _removable(self, device: Path, depth: int) -> bool:
        if depth > 8:
            raise DriveUnknown(f"device-mapper nesting too deep at {device}")
        if "/usb" in device.as_posix():
            return True
        # a partition's own folder has no `removable`; its parent disk's folder does
        for folder in (device, device.parent):
            flag = folder / "removable"
            with contextlib.suppress(OSError, ValueError):
                if int(flag.read_text().strip() or "0") == 1:
                    return True
        slaves = device / "slaves"
        if slaves.is_dir():  # dm-crypt / LVM: removable if any underlying device is
            return any(self._removable(s.resolve(), depth + 1) for s in slaves.iterdir())
        return False


# --- Windows ------------------------------------------------------------------------------

DRIVE_REMOVABLE = 2
DRIVE_FIXED = 3
DRIVE_REMOTE = 4
DRIVE_CDROM = 5
DRIVE_RAMDISK = 6
IOCTL_STORAGE_QUERY_PROPERTY = 0x002D1400
#: STORAGE_BUS_TYPE values of buses that carry removable disks
BUS_1394 = 0x4
BUS_USB = 0x7
BUS_SD = 0xC
BUS_MMC = 0xD
REMOVABLE_BUSES = frozenset({BUS_1394, BUS_USB, BUS_SD, BUS_MMC})


class WindowsDriveInspector:
    """``GetDriveTypeW`` plus the storage bus type; only runs on Windows (tested via the Protocol)."""

    def is_removable(self, path: Path) -> bool:  # pragma: no cover - Windows only
        import ctypes
        from ctypes import wintypes

        real = os.path.realpath(path)
        drive, _ = os.path.splitdrive(real)
        if not drive:
            raise DriveUnknown(f"no drive in {real}")
        if drive.startswith(("\\\\", "//")) and not drive.startswith("\\\\?\\"):
            return False  # a UNC network share: the allow-list decides
        root = drive.rstrip("\\/") + "\\"
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        kernel32.GetDriveTypeW.argtypes = [wintypes.LPCWSTR]
        kernel32.GetDriveTypeW.restype = wintypes.UINT
        kind = int(kernel32.GetDriveTypeW(root))
        if kind in (DRIVE_REMOVABLE, DRIVE_CDROM):
            return True
        if kind == DRIVE_REMOTE:
            return False
        if kind not in (DRIVE_FIXED, DRIVE_RAMDISK):
            raise DriveUnknown(f"drive type {kind} for {root}")
        return self._bus_is_removable(kernel32, drive.rstrip("\\/"))

    @staticmethod
    def _bus_is_removable(kernel32: object, drive: str) -> bool:  # pragma: no cover - Windows only
        import ctypes
        from ctypes import wintypes

        class StoragePropertyQuery(ctypes.Structure):
            _fields_ = (
                ("PropertyId", wintypes.DWORD),  # StorageDeviceProperty = 0
                ("QueryType", wintypes.DWORD),  # PropertyStandardQuery = 0
                ("AdditionalParameters", ctypes.c_ubyte * 1),
            )

        class StorageDeviceDescriptor(ctypes.Structure):
            _fields_ = (
                ("Version", wintypes.DWORD),
                ("Size", wintypes.DWORD),
                ("DeviceType", ctypes.c_ubyte),
                ("DeviceTypeModifier", ctypes.c_ubyte),
                ("RemovableMedia", ctypes.c_ubyte),
                ("CommandQueueing", ctypes.c_ubyte),
                ("VendorIdOffset", wintypes.DWORD),
                ("ProductIdOffset", wintypes.DWORD),
                ("ProductRevisionOffset", wintypes.DWORD),
                ("SerialNumberOffset", wintypes.DWORD),
                ("BusType", wintypes.DWORD),
                ("RawPropertiesLength", wintypes.DWORD),
                ("RawDeviceProperties", ctypes.c_ubyte * 1),
            )

        k32 = kernel32
        create = k32.CreateFileW  # type: ignore[attr-defined]
        create.argtypes = [
            wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
            wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE,
        ]
        create.restype = wintypes.HANDLE
        io = k32.DeviceIoControl  # type: ignore[attr-defined]
        io.argtypes = [
            wintypes.HANDLE, wintypes.DWORD, wintypes.LPVOID, wintypes.DWORD,
            wintypes.LPVOID, wintypes.DWORD, ctypes.POINTER(wintypes.DWORD), wintypes.LPVOID,
        ]
        io.restype = wintypes.BOOL
        file_share_read_write = 0x1 | 0x2
        open_existing = 3
        invalid = wintypes.HANDLE(-1).value
        handle = create(f"\\\\.\\{drive}", 0, file_share_read_write, None, open_existing, 0, None)
        if handle in (None, invalid):
            raise DriveUnknown(f"cannot open volume {drive} (error {ctypes.get_last_error()})")  # type: ignore[attr-defined]
        try:
            query = StoragePropertyQuery(0, 0)
            descriptor = StorageDeviceDescriptor()
            returned = wintypes.DWORD(0)
            ok = io(
                handle, IOCTL_STORAGE_QUERY_PROPERTY, ctypes.byref(query), ctypes.sizeof(query),
                ctypes.byref(descriptor), ctypes.sizeof(descriptor), ctypes.byref(returned), None,
            )
            if not ok:
                raise DriveUnknown(f"storage query failed for {drive} (error {ctypes.get_last_error()})")  # type: ignore[attr-defined]
            return bool(descriptor.RemovableMedia) or int(descriptor.BusType) in REMOVABLE_BUSES
        finally:
            k32.CloseHandle(handle)  # type: ignore[attr-defined]


# --- the inspector in use -----------------------------------------------------------------


class _NoInspector:
    def is_removable(self, path: Path) -> bool:
        raise DriveUnknown(f"removable drives cannot be detected on {sys.platform}")


_override: DriveInspector | None = None


def default_inspector() -> DriveInspector:
    if _override is not None:
        return _override
    if sys.platform == "win32":
        return WindowsDriveInspector()
    if sys.platform.startswith("linux"):
        return LinuxDriveInspector()
    return _NoInspector()


def set_inspector(inspector: DriveInspector | None) -> None:
    """Replace the platform inspector (tests, or an embedding app); None restores it."""
    global _override
    _override = inspector
