"""Download published files and register extracts: cached, checksummed, resumable.

`fetch_sources` downloads each configured `Source` into a folder with pooch, which checks the
SHA-256 and moves the finished file into place atomically. Around pooch this module adds:

- **Cache**: a file already in the folder whose SHA-256 matches the configured checksum, or the
  one recorded in the folder's manifest for the same URL, is not downloaded again.
- **Manifest**: ``<dest>/sources.json`` records url, file, sha256, size (bytes) and fetched_at
  (UTC, ISO 8601) for every file fetched into the folder; it is rewritten atomically.
- **Resume**: bytes arrive in ``<dest>/.partial/<file>.part``; an interrupted download resumes
  with an HTTP ``Range`` request guarded by ``If-Range`` (so a file changed on the server is
  fetched afresh, never spliced), and only a complete, verified file replaces the old one.
- **Errors**: one line naming the URL (host unreachable / offline, HTTP status, timeout) or the
  file (checksum mismatch), raised as `FetchError`. Every source is attempted; files that
  succeeded are kept and recorded before the error is raised.

`register_sources` reads ``registers.yml`` (official download addresses of the Companies House
and Charity Commission register extracts, and notes for those that cannot be fetched directly).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kil_analysis.config import Source
from kil_analysis.readers.atomic import atomic_write
from kil_analysis.readers.checksums import sha256_file

MANIFEST_NAME = "sources.json"
PARTIAL_DIR = ".partial"
REGISTERS_FILE = Path(__file__).resolve().parent / "registers.yml"
CHUNK_BYTES = 1 << 20
TIMEOUT_SECONDS = (15, 120)  # (connect, read)


class FetchError(RuntimeError):
    """A download failed; the message is one line naming the URL or the file."""


@dataclass(frozen=True)
class FetchedFile:
    """One file present in the destination folder after `fetch_sources`.

    ``downloaded`` is False when the cached copy was kept (checksum matched); ``size`` is in
    bytes; ``fetched_at`` is when the bytes were downloaded (UTC, ISO 8601), from the manifest
    for cached files.
    """

    url: str
    file: str
    path: Path
    sha256: str
    size: int
    fetched_at: str
    downloaded: bool


@dataclass(frozen=True)
class RegisterEntry:
    """One reference register from registers.yml; ``source`` is None when it is manual-only."""

    name: str
    title: str
    page: str
    licence: str
    notes: str
    source: Source | None


def read_manifest(dest: Path) -> dict[str, dict[str, Any]]:
    """The manifest of a download folder as {file: entry}; empty when there is none yet."""
    path = Path(dest) / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("files", [])
    except (json.JSONDecodeError, AttributeError) as exc:
        raise FetchError(f"{path}: manifest is not valid JSON; delete it to start afresh") from exc
    return {e["file"]: e for e in entries if isinstance(e, dict) and "file" in e}


def _write_manifest(dest: Path, entries: dict[str, dict[str, Any]]) -> None:
    payload = {"files": [entries[k] for k in sorted(entries)]}
    text = json.dumps(payload, indent=2) + "\n"
    atomic_write(Path(dest) / MANIFEST_NAME, lambda p: Path(p).write_text(text, encoding="utf-8"))


def _check_file_name(source: Source) -> None:
    name = source.file
    if not name or Path(name).name != name or name in (".", "..", MANIFEST_NAME):
        raise FetchError(f"{source.url}: target file name {name!r} must be a plain file name")


class ResumableDownloader:
    """A pooch downloader (HTTP/HTTPS) that resumes from a persistent ``.part`` file.

    The bytes go to ``part``; a sidecar ``part.meta`` (JSON) keeps the server's ETag or
    Last-Modified so that a resumed request carries ``If-Range``: if the file changed on the
    server the reply is the whole new file (HTTP 200) and the part is discarded. When the
    download completes the part is moved onto pooch's temporary output file, which pooch then
    verifies and renames.
    """

    def __init__(self, part: Path, *, progress: bool = False) -> None:
        self.part = Path(part)
        self.meta = self.part.with_name(self.part.name + ".meta")
        self.progress = progress

    def _validator(self) -> str | None:
        try:
            return json.loads(self.meta.read_text(encoding="utf-8")).get("validator")
        except (FileNotFoundError, json.JSONDecodeError, AttributeError):
            return None

    def __call__(self, url: str, output_file: str | Any, pooch: Any = None) -> None:
        import requests

        headers: dict[str, str] = {}
        offset = self.part.stat().st_size if self.part.exists() else 0
        validator = self._validator()
        if offset and validator:
            headers = {"Range": f"bytes={offset}-", "If-Range": validator}
        else:
            offset = 0
        with requests.get(url, headers=headers, stream=True, timeout=TIMEOUT_SECONDS) as resp:
            if resp.status_code == 416:  # our part is already the whole file
                resp.close()
                return self._finish(output_file)
            resp.raise_for_status()
            resuming = resp.status_code == 206 and offset > 0
            if not resuming:
                offset = 0
                new_validator = resp.headers.get("ETag") or resp.headers.get("Last-Modified")
                self.meta.write_text(json.dumps({"url": url, "validator": new_validator}))
            total = resp.headers.get("Content-Length")
            total_bytes = int(total) + offset if total and total.isdigit() else None
            with (
                self._bar(url, total_bytes, offset) as bar,
                open(self.part, "ab" if resuming else "wb") as fh,
            ):
                for chunk in resp.iter_content(chunk_size=CHUNK_BYTES):
                    fh.write(chunk)
                    bar(len(chunk))
            if total_bytes is not None and self.part.stat().st_size < total_bytes:
                raise requests.exceptions.ConnectionError(
                    f"connection closed after {self.part.stat().st_size} of {total_bytes} bytes"
                )
        return self._finish(output_file)

    def _finish(self, output_file: str | Any) -> None:
        os.replace(self.part, output_file)
        with contextlib.suppress(FileNotFoundError):
            self.meta.unlink()

    @contextlib.contextmanager
    def _bar(self, url: str, total: int | None, initial: int) -> Iterator[Any]:
        if not self.progress:
            yield lambda n: None
            return
        from tqdm.auto import tqdm

        name = Path(urlsplit(url).path).name or url
        with tqdm(total=total, initial=initial, unit="B", unit_scale=True, desc=name) as bar:
            yield bar.update


def _describe_failure(exc: BaseException, source: Source) -> str:
    """One line for a failed download, naming the URL (or the file for a checksum mismatch)."""
    import requests

    url = source.url
    host = urlsplit(url).hostname or url
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        r = exc.response
        return f"HTTP {r.status_code} {r.reason or ''} for {url}".replace("  ", " ")
    if isinstance(exc, requests.exceptions.Timeout):
        return f"timed out downloading {url} (host {host} too slow or unreachable)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return f"cannot reach {host} (offline, or the host is down?) downloading {url}"
    if isinstance(exc, requests.exceptions.RequestException):
        return f"download failed for {url}: {exc.__class__.__name__}"
    if isinstance(exc, ValueError) and "hash" in str(exc).lower():
        return (
            f"{source.file}: SHA-256 of the download from {url} does not match the configured "
            f"checksum {source.sha256} (the published file changed, or the config is wrong)"
        )
    first_line = (str(exc).splitlines() or [exc.__class__.__name__])[0]
    return f"download failed for {url}: {first_line}"


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")
    try:
        yield
    finally:
        logger.setLevel(level)


def _fetch_one(
    source: Source, dest: Path, manifest: dict[str, dict[str, Any]], progress: bool
) -> FetchedFile:
    import pooch

    _check_file_name(source)
    target = dest / source.file
    expected = (source.sha256 or "").lower() or None
    recorded = manifest.get(source.file)
    if target.exists():
        wanted = expected or (recorded or {}).get("sha256")
        same_url = expected is not None or (recorded or {}).get("url") == source.url
        if wanted and same_url:
            actual = sha256_file(target)
            if actual == wanted:
                fetched_at = (recorded or {}).get("fetched_at") or _mtime_iso(target)
                return FetchedFile(
                    source.url,
                    source.file,
                    target,
                    actual,
                    target.stat().st_size,
                    fetched_at,
                    downloaded=False,
                )
    staging = dest / PARTIAL_DIR
    staging.mkdir(parents=True, exist_ok=True)
    staged = staging / source.file
    with contextlib.suppress(FileNotFoundError):
        staged.unlink()
    downloader = ResumableDownloader(staging / f"{source.file}.part", progress=progress)
    with _quiet_pooch():
        pooch.retrieve(
            source.url,
            known_hash=f"sha256:{expected}" if expected else None,
            fname=source.file,
            path=staging,
            downloader=downloader,
        )
    digest = sha256_file(staged)
    os.replace(staged, target)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    return FetchedFile(
        source.url, source.file, target, digest, target.stat().st_size, now, downloaded=True
    )


def _mtime_iso(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0).isoformat()


def fetch_sources(
    sources: Sequence[Source], dest: Path, *, progress: bool = False
) -> list[FetchedFile]:
    """Download every source into ``dest`` (cached, checksummed, resumable); see module doc.

    Returns one `FetchedFile` per source, in the given order. Raises `FetchError` (one line,
    naming the URL or file of the first failure and counting the others) after attempting every
    source; the files that did arrive are kept and recorded in ``dest/sources.json``.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(dest)
    fetched: list[FetchedFile] = []
    failures: list[str] = []
    for source in sources:
        try:
            item = _fetch_one(source, dest, manifest, progress)
        except FetchError as exc:
            failures.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line for the user
            failures.append(_describe_failure(exc, source))
            continue
        fetched.append(item)
        manifest[item.file] = {
            "url": item.url,
            "file": item.file,
            "sha256": item.sha256,
            "size": item.size,
            "fetched_at": item.fetched_at,
        }
        _write_manifest(dest, manifest)
    with contextlib.suppress(OSError):
        (dest / PARTIAL_DIR).rmdir()  # only when empty: a partial download stays for resuming
    if failures:
        more = f" ({len(failures) - 1} more source(s) failed)" if len(failures) > 1 else ""
        raise FetchError(failures[0] + more)
    return fetched


def fetched_as_dicts(files: Sequence[FetchedFile]) -> list[dict[str, Any]]:
    """FetchedFile records as JSON-ready dicts (path as a string)."""
    return [{**asdict(f), "path": str(f.path)} for f in files]


def register_sources(
    month: str | None = None, registers_file: Path = REGISTERS_FILE
) -> list[RegisterEntry]:
    """The reference registers listed in registers.yml.

    ``{ym}`` in a url or file name is replaced by ``month`` (``YYYY-MM``; default: the current
    UTC month) — Companies House names its monthly snapshot by the first of the month. Entries
    without a url (e.g. the ONS Postcode Directory, published through the ONS Open Geography
    portal with a new address each quarter) come back with ``source=None`` and their notes.
    """
    import re

    import yaml

    month = month or datetime.now(UTC).strftime("%Y-%m")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise FetchError(f"month {month!r} must be YYYY-MM")
    try:
        raw = yaml.safe_load(Path(registers_file).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FetchError(f"{registers_file}: cannot read ({exc.__class__.__name__})") from exc
    entries = []
    for i, item in enumerate((raw or {}).get("registers") or []):
        if not isinstance(item, dict) or not item.get("name"):
            raise FetchError(f"{registers_file}: registers[{i}] needs a name")
        url, file = item.get("url"), item.get("file")
        source = None
        if url:
            if not file:
                raise FetchError(f"{registers_file}: registers[{i}] has a url but no file")
            source = Source(
                str(url).format(ym=month),
                str(file).format(ym=month),
                "register",
                item.get("sha256"),
            )
        entries.append(
            RegisterEntry(
                name=str(item["name"]),
                title=str(item.get("title") or item["name"]),
                page=str(item.get("page") or ""),
                licence=str(item.get("licence") or ""),
                notes=" ".join(str(item.get("notes") or "").split()),
                source=source,
            )
        )
    return entries
