"""Finding the published files to read in the files and folders a researcher names.

Folders are searched recursively, the way people keep them: next to the monthly CSVs there are
READMEs, ``source_urls.txt``, CSVW ``-metadata.json`` files, PDFs, and sometimes the outputs of
an earlier ingest. Nothing is passed over in silence: every file inside a folder that is not
read is listed as *skipped* with the reason, and a folder that cannot be listed is listed as
*failed*. Hidden files and folders (``.x``: version control, the ingest cache) are the one
exception. A file named directly is always read, whatever its suffix (so a ``.txt`` table can
be read by naming it).

Standard library only, so that ``kil ingest`` can tell whether its outputs are up to date
without loading pandas.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
ARCHIVE_SUFFIXES = {".zip"}
TABLE_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES
SUPPORTED = TABLE_SUFFIXES | ARCHIVE_SUFFIXES
# Inside folders a .txt is almost always notes or links (source_urls.txt), not a table.
FOLDER_SUFFIXES = SUPPORTED - {".txt"}
NON_SPEND_FOLDERS = ("grants", "contracts")
# The outputs `kil ingest` writes (see `kil_analysis.readers.publish`).
INGEST_OUTPUTS = ("spend.parquet", "rejects.csv", "ingest_report.json")


@dataclass(frozen=True)
class InputFile:
    """One file on disk named by the caller (directly or inside a folder they named)."""

    path: Path
    display: str


@dataclass(frozen=True)
class NotRead:
    """A file or folder that was not read (skipped or failed), and why (one line)."""

    path: str
    reason: str

    def as_report(self) -> dict[str, str]:
        """The entry as the ingest report lists it."""
        return {"path": self.path, "reason": self.reason}


@dataclass
class FoundInputs:
    """What `find_inputs` found: files to read, files skipped, folders that failed."""

    files: list[InputFile] = field(default_factory=list)
    skipped: list[NotRead] = field(default_factory=list)
    failed: list[NotRead] = field(default_factory=list)


def not_a_table_reason(path: PurePath) -> str:
    """Why a file found in a folder (or an archive) is not read as a table."""
    name, suffix = path.name.lower(), path.suffix.lower()
    if name.startswith("~$"):
        return "an Office lock file (the workbook was open when copied), not a table"
    if name.startswith("readme") or suffix in (".md", ".rst"):
        return "notes (a README), not a spend table"
    if suffix == ".txt":
        return (
            "a text file (notes, or links such as source_urls.txt); name it directly to read it "
            "as a table"
        )
    if name.endswith("-metadata.json") or name.endswith("csv-metadata.json"):
        return "CSV on the Web metadata describing a CSV, not a table"
    if suffix == ".json":
        return "JSON (metadata or another dataset), not a spend table"
    if suffix == ".pdf":
        return "a PDF: tables cannot be read from PDFs (ask the council for CSV or a spreadsheet)"
    if suffix in (".parquet", ".feather", ".arrow"):
        return "a table written by a program (e.g. an earlier kil ingest), not a published file"
    if suffix in (".doc", ".docx", ".odt", ".rtf", ".html", ".htm"):
        return "a document, not a spend table"
    return f"not a CSV, spreadsheet or ZIP file ({suffix or 'no suffix'})"


def _hidden(parts: Sequence[str]) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def walk_folder(
    folder: Path,
    suffixes: Iterable[str],
    skip_names: Sequence[str] = (),
    skip_folders: Sequence[str] = (),
) -> FoundInputs:
    """Files below ``folder`` (recursively, sorted) whose lower-case suffix is in ``suffixes``.

    Every other file is listed in ``skipped`` with `not_a_table_reason` (names ending with one
    of ``skip_names``, compared in lower case, and files under ``skip_folders`` — immediate
    subfolders — included); hidden files and folders are left out; a folder that cannot be
    listed goes in ``failed``. A ``rejects.csv`` beside an ``ingest_report.json`` is an earlier
    ingest's output and is skipped as such.
    """
    wanted = set(suffixes)
    found = FoundInputs()

    def failed(error: OSError) -> None:
        where = error.filename or folder
        found.failed.append(NotRead(str(where), f"cannot list the folder ({_why(error)})"))

    if not _is_listable(folder):
        found.failed.append(NotRead(str(folder), "cannot list the folder (permission denied)"))
        return found
    for root, dirs, names in os.walk(folder, onerror=failed):
        here = Path(root)
        relative = here.relative_to(folder).parts
        dirs.sort()
        if _hidden(relative):
            dirs[:] = []
            continue
        if not relative:
            for name in [d for d in dirs if d.lower() in skip_folders]:
                dirs.remove(name)
                found.skipped.append(
                    NotRead(str(here / name), f"{name}/ holds {name} (read by the {name} reader)")
                )
        is_ingest_output = "ingest_report.json" in names
        for name in sorted(names):
            path = here / name
            if name.startswith("."):
                continue
            lower = name.lower()
            if path.suffix.lower() in wanted and not name.startswith("~$"):
                if lower.endswith(tuple(skip_names)):
                    found.skipped.append(NotRead(str(path), not_a_table_reason(path)))
                elif is_ingest_output and lower in INGEST_OUTPUTS:
                    found.skipped.append(
                        NotRead(
                            str(path), "an output of an earlier kil ingest, not a published file"
                        )
                    )
                else:
                    found.files.append(InputFile(path, str(path)))
            else:
                found.skipped.append(NotRead(str(path), not_a_table_reason(path)))
    return found


def _is_listable(folder: Path) -> bool:
    try:
        next(os.scandir(folder), None)
    except OSError:
        return False
    return True


def _why(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


def input_files(
    paths: Iterable[str | Path] | str | Path,
    suffixes: Iterable[str],
    skip_in_folders: Sequence[str] = (),
) -> list[Path]:
    """Files named directly (whatever their suffix), plus the readable files of folders named.

    ``skip_in_folders`` are name endings left out inside folders. FileNotFoundError (one line)
    for a path that does not exist. See `find_inputs` for the skipped and failed lists.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(i.path for i in walk_folder(p, suffixes, skip_in_folders).files)
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return files


def council_spend_inputs(data_dir: Path) -> list[Path]:
    """A council's spend by the folder convention of ``data/raw/<slug>/``: its ``spend/``
    subfolder when there is one, else the folder itself (whose ``grants/`` and ``contracts/``
    subfolders `find_inputs` leaves to their readers). FileNotFoundError if it is missing."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise FileNotFoundError(f"{data_dir}: no such folder of published files")
    return [data_dir / "spend"] if (data_dir / "spend").is_dir() else [data_dir]


def find_inputs(paths: Sequence[str | Path]) -> FoundInputs:
    """Expand files and folders (recursively) into spend inputs, and what was not read.

    Inside folders, `FOLDER_SUFFIXES` are read; ``grants/`` and ``contracts/`` immediately
    under a folder named are left to their own readers; everything else is listed as skipped
    with its reason (see `walk_folder`). A file named directly is read whatever its suffix
    (one that is not a CSV, spreadsheet or ZIP goes in ``failed``). A path that does not
    exist raises FileNotFoundError (one line). A file named twice is read once.
    """
    found = FoundInputs()
    seen: set[Path] = set()
    for given in map(Path, paths):  # in the order given, so errors come in that order
        if given.is_dir():
            part = walk_folder(given, FOLDER_SUFFIXES, skip_folders=NON_SPEND_FOLDERS)
        elif given.is_file():
            part = FoundInputs(files=[InputFile(given, str(given))])
            if given.suffix.lower() not in SUPPORTED:
                part = FoundInputs(failed=[NotRead(str(given), not_a_table_reason(given))])
        elif given.exists() or given.is_symlink():
            part = FoundInputs(failed=[NotRead(str(given), "not a regular file or folder")])
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
        for item in part.files:
            key = item.path.resolve()
            if key not in seen:
                seen.add(key)
                found.files.append(item)
        found.skipped.extend(part.skipped)
        found.failed.extend(part.failed)
    return found


_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Excel 97-2003 (.xls)


def table_content(data: bytes, ext: str) -> str:
    """How a table's bytes must be read, whatever its name says: a suffix of `TABLE_SUFFIXES`
    (``.csv`` for delimited text) or ``.html`` (an HTML table).

    Councils' web report writers save HTML tables and tab-separated text under an ``.xls``
    name, and a workbook is sometimes renamed: a spreadsheet name is trusted only when the
    bytes are a spreadsheet's (a ZIP package: ``.xlsx``, or ``.ods`` when its mimetype says so;
    a compound file: ``.xls``). Other bytes are text: an HTML table when they start with an
    HTML tag, else delimited text. Names of text tables (``.csv``, ``.txt``, ``.tsv``) are
    trusted as they are.
    """
    if ext not in EXCEL_SUFFIXES:
        return ext
    if data.startswith(_ZIP_MAGIC):
        if b"application/vnd.oasis.opendocument.spreadsheet" in data[:200]:
            return ".ods"
        return ext if ext in (".xlsx", ".xlsm") else ".xlsx"
    if data.startswith(_CFB_MAGIC):
        return ".xls"
    start = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    start = start.replace(b"\x00", b"")  # UTF-16 text
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")):
        return ".html"
    return ".csv"


_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}


def binary_text_problem(text: str) -> str | None:
    """Why decoded "text" is not a table's text, or None when it may be one.

    A file that decodes to control characters (NUL and the other C0 codes but tab, line ends
    and form feed) for more than a tenth of its first 4,096 characters holds binary bytes (a
    PDF, a word-processor document or an image under a ``.csv`` name, a truncated download):
    it is refused, never searched for a header among its bytes. NUL padding at the end of an
    export is not counted, and a few stray control characters are left to the reader.
    """
    head = text[:4096].rstrip("\x00")
    if not head:
        return None
    controls = sum(1 for ch in head if ch in _CONTROL)
    if controls * 10 <= len(head):
        return None
    return (
        f"not a text table: binary content ({controls:,} control bytes in the first {len(head):,})"
    )
