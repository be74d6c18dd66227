"""Where one council's run reads from: the one rule shared by the notebook, the runner and the CLI.

Three places a council's published files can be:

- the generated demo data, ``data/demo/<slug>/`` (``demo=True``; what the notebook's empty
  ``data_dir`` parameter means);
- a folder the user names (``data``): its ``<slug>/`` subfolder when it has one (required when
  several councils share one folder), else the folder itself;
- by default, ``data/raw/<slug>/`` as ``kil fetch`` leaves it.

Reference data (registers, postcode lookups) sits beside the demo data for a demo folder (the
generator writes ``registers/`` and ``lookups/`` next to the councils' folders) and in
``data/registers`` / ``data/lookups`` otherwise; either can be named explicitly. Nothing here
generates data: missing demo data is a one-line error saying to run ``kil demo``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kil_analysis import paths


class DataSelectionError(ValueError):
    """A council's input files cannot be found (one-line reason saying what to do)."""


@dataclass(frozen=True)
class DataSelection:
    """The folders one council's run reads, and whether they hold synthetic demo data."""

    data_dir: Path
    registers_dir: Path
    lookups_dir: Path
    is_demo: bool


def is_demo_dir(folder: str | Path) -> bool:
    """True when ``folder`` holds generated demo data (it carries the ``KIL_DEMO.json`` marker)."""
    return (Path(folder) / paths.DEMO_MARKER).is_file()


def display_path(path: Path) -> str:
    """``path`` relative to the project root when inside it (shorter error messages)."""
    try:
        return Path(path).resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def has_files(folder: Path) -> bool:
    """True when ``folder`` contains at least one file that is not hidden (at any depth)."""
    return folder.is_dir() and any(
        p.is_file() and not p.name.startswith(".") for p in folder.rglob("*")
    )


def _council_folder(slug: str, demo: bool, data: Path | None, several: bool) -> Path:
    if demo:
        folder = paths.demo_council_dir(slug)
        if not has_files(folder):
            raise DataSelectionError(f"no demo data in {display_path(folder)}: run `kil demo`")
        return folder
    if data is not None:
        root = Path(data).expanduser().resolve()
        folder = root / slug if (root / slug).is_dir() else root
        if several and folder == root:
            raise DataSelectionError(
                f"--data {root} has no {slug}/ subfolder (with several councils, "
                "--data needs one subfolder per council)"
            )
        if not has_files(folder):
            raise DataSelectionError(f"no published files in {folder}")
        return folder
    folder = paths.raw_dir(slug)
    if not has_files(folder):
        raise DataSelectionError(
            f"no published files in {display_path(folder)}: run `kil fetch {slug}`, "
            "pass --data PATH, or use --demo"
        )
    return folder


def select_data(
    slug: str,
    data: str | Path | None = None,
    *,
    demo: bool = False,
    several: bool = False,
    registers_dir: str | Path | None = None,
    lookups_dir: str | Path | None = None,
) -> DataSelection:
    """Choose the folders ``slug``'s run reads (see the module docstring for the rule).

    ``demo`` and ``data`` are exclusive; ``several`` says the run is one of a batch sharing
    ``data``. Empty strings count as not given (the notebook's parameters are strings).
    Raises DataSelectionError, with a one-line reason, when there is nothing to read.
    """
    data = Path(data) if data not in (None, "") else None
    if demo and data is not None:
        raise DataSelectionError("choose the demo data or --data PATH, not both")
    folder = _council_folder(slug, demo, data, several)
    demo_data = is_demo_dir(folder)
    beside = folder.parent if demo or demo_data else None  # the generator's layout
    registers = Path(registers_dir or (beside / "registers" if beside else paths.registers_dir()))
    lookups = Path(lookups_dir or (beside / "lookups" if beside else paths.lookups_dir()))
    return DataSelection(folder, registers.resolve(), lookups.resolve(), demo_data)
