"""Tables inside ZIP archives, read in memory, with every member accounted for.

Each member is either a table to read (CSV or spreadsheet, yielded with its bytes), a member
that is not a table (skipped, with the reason), or a member that cannot be read (failed, with
the reason): encrypted, compressed with a method Python cannot inflate, corrupt (bad CRC,
truncated), or larger than the inflation limit. A ZIP inside the ZIP is opened in turn (its
members named ``outer.zip!inner.zip!member.csv``) down to `MAX_DEPTH` levels.

Zip bombs: a member's inflated size is known before it is inflated (the central directory
states it, and Python's zipfile never returns more than that), so a member is refused before
any memory is spent when it would inflate beyond ``max_member_bytes`` (default
`DEFAULT_MAX_MEMBER_BYTES`, or the ``KIL_MAX_MEMBER_BYTES`` environment variable) or, above
`RATIO_CHECK_BYTES`, by more than `MAX_RATIO` times its compressed size (CSV compresses about
ten-fold; a bomb a thousand-fold).

Member names are used only as labels (nothing is extracted to disk), so a name that climbs out
of the archive (``../x.csv``, ``/etc/x.csv``) is harmless here; it is still read, and the member
is flagged so a researcher sees the archive is odd.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from kil_analysis.readers.sources import TABLE_SUFFIXES, not_a_table_reason

DEFAULT_MAX_MEMBER_BYTES = 1024**3
RATIO_CHECK_BYTES = 64 * 1024**2
MAX_RATIO = 200
MAX_DEPTH = 3


def max_member_bytes() -> int:
    """The inflation limit per member: ``KIL_MAX_MEMBER_BYTES`` if set, else the default."""
    try:
        return int(os.environ.get("KIL_MAX_MEMBER_BYTES", DEFAULT_MAX_MEMBER_BYTES))
    except ValueError:
        return DEFAULT_MAX_MEMBER_BYTES


@dataclass(frozen=True)
class Member:
    """One member: ``data`` to read, or ``problem`` (failed) or ``skip`` (not a table)."""

    name: str  # "!member.csv", "!inner.zip!member.csv"
    ext: str
    data: bytes | None = None
    problem: str | None = None
    skip: str | None = None
    note: str | None = None


def inflation_problem(info: zipfile.ZipInfo, limit: int) -> str | None:
    """Why a member must not be inflated (too large, or a bomb's ratio), or None."""
    size, packed = info.file_size, max(info.compress_size, 1)
    if size > limit:
        return f"would inflate to {size:,} bytes, over the {limit:,}-byte limit"
    if size > RATIO_CHECK_BYTES and size / packed > MAX_RATIO:
        return (
            f"would inflate {size / packed:,.0f}-fold to {size:,} bytes (a zip bomb, not a table)"
        )
    return None


def _unsafe_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, str | None]:
    """(bytes, None) or (None, why the member cannot be read)."""
    if info.flag_bits & 0x1:
        return None, "encrypted (password protected)"
    try:
        return archive.read(info), None
    except NotImplementedError as exc:
        return None, f"compressed with a method that cannot be read ({exc})"
    except RuntimeError as exc:  # zipfile raises RuntimeError for encryption it detects late
        return None, f"cannot be read ({exc})"
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        return None, f"corrupt ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"


def zip_members(data: bytes, limit: int | None = None, depth: int = 1) -> Iterator[Member]:
    """Every member of a ZIP archive's bytes, in name order (see the module docstring).

    Raises ValueError when the bytes are not a readable ZIP archive at all.
    """
    limit = max_member_bytes() if limit is None else limit
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = sorted(archive.infolist(), key=lambda i: i.filename)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"not a readable ZIP archive ({reason})") from exc
    with archive:
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if info.is_dir() or any(p.startswith((".", "__MACOSX")) for p in parts if p != ".."):
                continue
            label = f"!{name}"
            ext = PurePosixPath(name).suffix.lower()
            note = (
                "member name climbs out of the archive (read in memory, never extracted)"
                if _unsafe_name(name)
                else None
            )
            if ext != ".zip" and ext not in TABLE_SUFFIXES:
                yield Member(label, ext, skip=not_a_table_reason(PurePosixPath(name)))
                continue
            if PurePosixPath(name).name.startswith("~$"):
                yield Member(label, ext, skip="an Office lock file, not a table")
                continue
            problem = inflation_problem(info, limit)
            payload = None
            if problem is None:
                payload, problem = _read(archive, info)
            if problem is not None or payload is None:
                yield Member(label, ext, problem=problem or "cannot be read", note=note)
                continue
            if ext != ".zip":
                yield Member(label, ext, data=payload, note=note)
                continue
            if depth >= MAX_DEPTH:
                yield Member(label, ext, problem=f"a ZIP nested more than {MAX_DEPTH} deep")
                continue
            try:
                inner = list(zip_members(payload, limit, depth + 1))
            except ValueError as exc:
                yield Member(label, ext, problem=str(exc), note=note)
                continue
            if not inner:
                yield Member(label, ext, skip="an empty ZIP archive")
            for member in inner:
                yield Member(
                    label + member.name,
                    member.ext,
                    member.data,
                    member.problem,
                    member.skip,
                    member.note or note,
                )


def xlsx_inflation_problem(data: bytes, limit: int | None = None) -> str | None:
    """Why a spreadsheet (itself a ZIP: .xlsx, .xlsm, .ods) must not be opened, or None.

    Its parts' inflated sizes are added up before the spreadsheet library inflates them.
    """
    limit = max_member_bytes() if limit is None else limit
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            infos = book.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        return None  # not a ZIP: the spreadsheet library says what is wrong
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > limit:
        return f"would inflate to {total:,} bytes, over the {limit:,}-byte limit"
    if total > RATIO_CHECK_BYTES and total / packed > MAX_RATIO:
        return f"would inflate {total / packed:,.0f}-fold to {total:,} bytes (a zip bomb)"
    return None
