"""The Linux removable-drive check, on a fake /proc/self/mountinfo and /sys tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import drives

MOUNTINFO = """\
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
40 27 8:17 / /media/teacher/USB\\040STICK rw,nosuid - vfat /dev/sdb1 rw
41 27 8:1 / /srv/share rw - ext4 /dev/sda1 rw
42 27 253:0 / /mnt/crypt rw - ext4 /dev/mapper/luks rw
43 27 8:33 / /mnt/sdcard rw - ext4 /dev/sdc1 rw
44 27 0:50 / /run/user tmpfs rw - tmpfs tmpfs rw
"""


def _block(sys_root: Path, majmin: str, device: Path, removable: str | None = None) -> None:
    device.mkdir(parents=True, exist_ok=True)
    if removable is not None:
        (device.parent / "removable").write_text(removable)
    link = sys_root / "dev" / "block" / majmin
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(device, target_is_directory=True)


@pytest.fixture
def inspector(tmp_path: Path) -> drives.LinuxDriveInspector:
    proc = tmp_path / "mountinfo"
    proc.write_text(MOUNTINFO)
    root = tmp_path / "sys"
    devices = root / "devices"
    _block(root, "254:0", devices / "pci0000:00" / "virtio1" / "block" / "vda", None)
    (devices / "pci0000:00" / "virtio1" / "block" / "vda" / "removable").write_text("0\n")
    # a USB stick that claims not to be removable: the bus gives it away
    _block(root, "8:17", devices / "pci0000:00" / "usb2" / "2-1" / "host6" / "block" / "sdb" / "sdb1", "0\n")
    _block(root, "8:1", devices / "pci0000:00" / "ata1" / "host0" / "block" / "sda" / "sda1", "0\n")
    # LUKS on top of the USB stick
    _block(root, "253:0", devices / "virtual" / "block" / "dm-0", None)
    slaves = devices / "virtual" / "block" / "dm-0" / "slaves"
    slaves.mkdir()
    (slaves / "sdb1").symlink_to(devices / "pci0000:00" / "usb2" / "2-1" / "host6" / "block" / "sdb" / "sdb1")
    # an SD card reader that reports removable=1
    _block(root, "8:33", devices / "pci0000:00" / "mmc0" / "block" / "sdc" / "sdc1", "1\n")
    return drives.LinuxDriveInspector(proc, root)


@pytest.mark.parametrize(
    ("path", "removable"),
    [
        ("/home/teacher/exports", False),
        ("/srv/share/board", False),
        ("/media/teacher/USB STICK/exports", True),
        ("/mnt/crypt/x", True),
        ("/mnt/sdcard", True),
        ("/run/user/1000", False),
    ],
)
def test_linux_inspector(inspector: drives.LinuxDriveInspector, path: str, removable: bool) -> None:
    assert inspector.is_removable(Path(path)) is removable


def test_unreadable_mountinfo_fails_closed(tmp_path: Path) -> None:
    with pytest.raises(drives.DriveUnknown):
        drives.LinuxDriveInspector(tmp_path / "missing", tmp_path).is_removable(tmp_path)


def test_mountinfo_escapes_are_decoded() -> None:
    [mount] = drives.parse_mountinfo("40 27 8:17 / /media/a\\040b rw - vfat /dev/sdb1 rw\n")
    assert (mount.mount_point, mount.major, mount.minor, mount.source) == ("/media/a b", 8, 17, "/dev/sdb1")
