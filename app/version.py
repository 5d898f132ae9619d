"""The application's version, from the installed package metadata."""

from __future__ import annotations

from importlib import metadata


def app_version() -> str:
    try:
        return metadata.version("gakuseki")
    except metadata.PackageNotFoundError:
        return "0+unknown"
