"""Every path the workbench uses, anchored on the project root (never on the current directory)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
COUNCILS_DIR = PACKAGE_DIR / "councils"
# A folder of published files holding this file is synthetic demo data (reports say so).
DEMO_MARKER = "KIL_DEMO.json"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def councils_dir() -> Path:
    """Folder of council configs ``<slug>.yml``: the package's own, or KIL_COUNCILS_DIR."""
    return Path(os.environ.get("KIL_COUNCILS_DIR") or COUNCILS_DIR).resolve()


def data_dir() -> Path:
    """Root of data/ (override with KIL_DATA_DIR, e.g. for tests writing to a temporary folder)."""
    return Path(os.environ.get("KIL_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def reports_dir() -> Path:
    """Root of reports/ (override with KIL_REPORTS_DIR)."""
    return Path(os.environ.get("KIL_REPORTS_DIR", PROJECT_ROOT / "reports")).resolve()


def user_cache_dir() -> Path:
    """This machine's cache of derived files that never change for a package version.

    ``KIL_CACHE_DIR``, else ``$XDG_CACHE_HOME/kil`` (``~/.cache/kil``): shared by every checkout,
    data folder and test run on the machine, so a one-off conversion is paid once.
    """
    given = os.environ.get("KIL_CACHE_DIR")
    if given:
        return Path(given).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return (Path(base).expanduser() / "kil").resolve()


def raw_dir(slug: str) -> Path:
    """Where a council's files go exactly as published (never modified): data/raw/<slug>/."""
    return data_dir() / "raw" / slug


def processed_dir(slug: str) -> Path:
    """Parquet cache of a council's ingested tables: data/processed/<slug>/."""
    return data_dir() / "processed" / slug


def demo_dir() -> Path:
    """The generated demo data: data/demo/."""
    return data_dir() / "demo"


def demo_council_dir(slug: str) -> Path:
    """One council's demo files in its published layout: data/demo/<slug>/."""
    return demo_dir() / slug


def registers_dir() -> Path:
    """Downloaded register extracts (Companies House, Charity Commission, ...): data/registers/."""
    return data_dir() / "registers"


def lookups_dir() -> Path:
    """Downloaded lookups (ONSPD extract, postcode districts): data/lookups/."""
    return data_dir() / "lookups"


def shared_data_dir() -> Path:
    """The team's copy of real published files (../shared/data), used by tests when present."""
    return Path(
        os.environ.get("KIL_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data")
    ).resolve()
