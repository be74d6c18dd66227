"""Finding published files and turning each into a grid of text cells.

A *source* is one table to read: a CSV file, one ZIP member (named ``archive.zip!member.csv``),
or a spreadsheet (the first sheet that has a spend header is used). Grids keep every physical
row — blank ones included — so row numbers in the report are the ones a researcher sees when
opening the file: 1-based physical line numbers for CSV (a quoted cell spanning lines counts
every line), 1-based sheet rows for spreadsheets.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
ARCHIVE_SUFFIXES = {".zip"}
SUPPORTED = CSV_SUFFIXES | EXCEL_SUFFIXES | ARCHIVE_SUFFIXES
DOUBLE_BOM = "ï»¿"
_FALLBACK = "kil-cp1252-fallback"
_FALLBACK_LATIN1 = "kil-latin1-fallback"


@dataclass(frozen=True)
class InputFile:
    """One file on disk named by the caller (directly or inside a folder they named)."""

    path: Path
    display: str


@dataclass
class Grid:
    """A source's cells as text (columns 0..n-1), with each row's 1-based line number."""

    member: str  # "" for a plain file, "!member.csv" for a ZIP member
    cells: pd.DataFrame
    lines: np.ndarray
    encoding: str
    sheet: str | None = None


def folder_files(
    folder: Path, suffixes: Iterable[str], skip_names: Sequence[str] = ()
) -> list[Path]:
    """Files below ``folder`` (recursively, sorted) whose lower-case suffix is in ``suffixes``.

    Hidden files and folders (``.x``), Office lock files (``~$x.xlsx``) and names ending with
    one of ``skip_names`` (compared in lower case) are left out.
    """
    wanted = set(suffixes)
    return [
        child
        for child in sorted(folder.rglob("*"))
        if child.is_file()
        and child.suffix.lower() in wanted
        and not any(p.startswith((".", "~$")) for p in child.relative_to(folder).parts)
        and not child.name.lower().endswith(tuple(skip_names))
    ]


def input_files(
    paths: Iterable[str | Path] | str | Path,
    suffixes: Iterable[str],
    skip_in_folders: Sequence[str] = (),
) -> list[Path]:
    """Files named directly (whatever their suffix), plus `folder_files` of folders named.

    ``skip_in_folders`` are name endings left out inside folders. FileNotFoundError (one line)
    for a path that does not exist.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(folder_files(p, suffixes, skip_in_folders))
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return files


NON_SPEND_FOLDERS = ("grants", "contracts")


def council_spend_inputs(data_dir: Path) -> list[Path]:
    """A council's spend files by the folder convention of ``data/raw/<slug>/``: its ``spend/``
    subfolder when there is one, else everything in the folder except the ``grants/`` and
    ``contracts/`` subfolders and hidden files (FileNotFoundError if the folder is missing)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise FileNotFoundError(f"{data_dir}: no such folder of published files")
    if (data_dir / "spend").is_dir():
        return [data_dir / "spend"]
    return sorted(
        p
        for p in data_dir.iterdir()
        if p.name not in NON_SPEND_FOLDERS and not p.name.startswith(".")
    )


def find_inputs(paths: Sequence[str | Path]) -> list[InputFile]:
    """Expand files and folders (recursively) into readable spend inputs, sorted per folder.

    Inside folders, hidden files, Office lock files (``~$x.xlsx``), ``.txt`` files (usually
    notes) and other suffixes are skipped; name a ``.txt`` table directly to read it. A named
    file that does not exist raises FileNotFoundError; an unsupported named file, ValueError.
    A file named twice (directly and through its folder) is read once.
    """
    found: list[InputFile] = []
    seen: set[Path] = set()
    for given in paths:  # one at a time, so errors come in the order the paths were given
        for path in input_files(given, SUPPORTED - {".txt"}):
            if path.suffix.lower() not in SUPPORTED:
                raise ValueError(f"{path}: not a CSV, spreadsheet or ZIP file")
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append(InputFile(path, str(path)))
    return found


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors=_FALLBACK_LATIN1), exc.end  # 0x81 etc. as latin-1


def decode(data: bytes) -> tuple[str, str]:
    """Decode a CSV's bytes; returns (text, encoding as reported).

    UTF-8 (``utf-8`` / ``utf-8-sig`` with a BOM) when the bytes are valid UTF-8; ``cp1252`` when
    they are not (Newcastle's £ is byte 0xA3); ``utf-8+cp1252`` when valid UTF-8 and stray cp1252
    bytes are mixed (each stray byte is read as cp1252). A double-encoded BOM (``ï»¿``) is removed
    and reported as ``+double-encoded-bom``; if the whole text was double-encoded it is repaired.
    """
    _register()
    if data.startswith(codecs.BOM_UTF8):
        name, body = "utf-8-sig", data[len(codecs.BOM_UTF8) :]
    else:
        name, body = "utf-8", data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        mixed = body.decode("utf-8", errors=_FALLBACK)
        pure = body.decode("cp1252", errors=_FALLBACK_LATIN1)
        text, name = (pure, "cp1252") if mixed == pure else (mixed, "utf-8+cp1252")
    if text.startswith(DOUBLE_BOM):
        text = text[len(DOUBLE_BOM) :]
        try:
            repaired = text.encode("cp1252").decode("utf-8")
            if repaired != text:
                text, name = repaired, name + "+double-encoded(repaired)"
            else:
                name += "+double-encoded-bom"
        except UnicodeError:
            name += "+double-encoded-bom"
    if _C1.search(text):  # cp1252 punctuation stored as C1 controls (U+0092 for ’)
        translated = text.translate(_C1_TO_CP1252)
        if translated != text:
            text, name = translated, name + "+c1-as-cp1252"
    if "\r" in text and "\n" not in text:  # old Mac line endings
        text = text.replace("\r", "\n")
    return text, name


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


def _register() -> None:
    codecs.register_error(_FALLBACK, _cp1252_fallback)
    codecs.register_error(_FALLBACK_LATIN1, _latin1_fallback)


def _sniff_delimiter(text: str) -> str:
    head = text[:20000]
    counts = {d: head.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 and counts[","] == 0 else ","


_C1 = re.compile("[\x80-\x9f]")
_C1_TO_CP1252 = {
    i: bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(0x80, 0xA0)
}
_EXPECTED = re.compile(r"Expected \d+ fields in line \d+, saw (\d+)")


def csv_grid(text: str, where: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Parse decoded CSV text into a grid of str cells ("" for empty) and 1-based line numbers."""
    if not text.strip():
        return pd.DataFrame(), np.zeros(0, dtype=np.int64)
    delimiter = _sniff_delimiter(text)
    # Width from the top and bottom lines; a wider row elsewhere makes the parser say so, and
    # the read is retried at that width (never truncating a row).
    head_lines = text[:50000].split("\n")[:200] + text[-20000:].split("\n")[-50:]
    width = max(line.count(delimiter) for line in head_lines) + 1
    for _attempt in range(4):
        try:
            cells = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                names=list(range(width)),
                dtype=str,
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
                quoting=csv.QUOTE_MINIMAL,
            )
            break
        except pd.errors.ParserError as exc:
            wider = _EXPECTED.search(str(exc))
            if not wider:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "bad CSV"
                raise ValueError(f"{where}: cannot read as CSV ({first})") from exc
            width = max(width + 1, int(wider.group(1)))
    else:  # pragma: no cover - only after repeated widening
        raise ValueError(f"{where}: cannot read as CSV (rows of very different widths)")
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if physical == len(cells):
        lines = np.arange(1, len(cells) + 1, dtype=np.int64)
    else:  # quoted cells spanning lines: each record starts after the lines before it
        spans = np.ones(len(cells), dtype=np.int64)
        for col in cells.columns:
            spans += cells[col].str.count("\n").to_numpy(dtype=np.int64)
        lines = np.concatenate([[1], 1 + np.cumsum(spans)[:-1]]).astype(np.int64)
    return cells, lines


def excel_grids(data: bytes, suffix: str) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every sheet of a spreadsheet as a grid of str cells ("" for empty), in workbook order."""
    engine = {".xls": "xlrd", ".ods": "odf"}.get(suffix, "openpyxl")
    sheets = pd.read_excel(
        io.BytesIO(data), sheet_name=None, header=None, dtype=str, na_filter=False, engine=engine
    )
    for name, frame in sheets.items():
        frame = frame.fillna("").astype(str)
        frame.columns = list(range(frame.shape[1]))
        yield str(name), frame.reset_index(drop=True)


def read_members(item: InputFile, data: bytes) -> Iterator[tuple[str, str, bytes]]:
    """(member suffix, lower-case extension, bytes) of each table in a file or ZIP archive."""
    suffix = item.path.suffix.lower()
    if suffix not in ARCHIVE_SUFFIXES:
        yield "", suffix, data
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{item.display}: not a readable ZIP archive") from exc
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = info.filename
            ext = Path(name).suffix.lower()
            hidden = any(p.startswith((".", "__MACOSX", "~$")) for p in Path(name).parts)
            if info.is_dir() or hidden or ext not in CSV_SUFFIXES | EXCEL_SUFFIXES:
                continue
            yield f"!{name}", ext, archive.read(info)
