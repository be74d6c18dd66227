"""A bounded fuzz run: real files' bytes, mutated, never crash a reader and never lose a row.

Seeds are small files cut from the real published files (the first rows of a CSV from each
council, an .xlsx and a .zip built from them) when ``../shared/data`` is present, else files
in the published layouts of ``tests/layout_files.py``. Each seed is mutated (bytes flipped,
inserted, deleted; truncated; delimiters, quotes, NULs, huge numbers and BOMs inserted) with
a fixed random seed, and each outcome must be rows kept, rows rejected, or one line naming
the file — no other exception, no row unaccounted for. Bounded in time: seconds, not minutes.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

import openpyxl

from kil_analysis.paths import shared_data_dir
from kil_analysis.readers.contracts.reader import read_contracts
from kil_analysis.readers.grants import read_grants
from kil_analysis.readers.spend import ingest_spend
from tests.layout_files import LAYOUTS, sample_payments
from tests.unit.test_readers_layouts import check_accounting

TIME_BUDGET_SECONDS = 25.0
MUTANTS_PER_SEED = 6
INSERTS = [b",", b'"', b"\n", b"\r\n", b"\x00", b";", b"\t", b"\xef\xbb\xbf", b"\xff\xfe",
           b"9500000000000000", b"1,234.56", b'"1.234,56"', b"Total", b"(blank)", b"\xa3",
           b"PK\x03\x04", b"=SUM(1,2)"]  # fmt: skip


def _head(path: Path, lines: int = 30) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".csv"))
            with archive.open(name) as member:
                data = member.read(200_000)
    return b"\n".join(data.splitlines()[:lines]) + b"\n"


def _xlsx(csv_bytes: bytes) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in csv_bytes.decode("utf-8", errors="replace").splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def seeds() -> list[tuple[str, bytes]]:
    """(file name, bytes) of small real files, or of the published layouts when absent."""
    root = shared_data_dir() / "spend"
    found: list[tuple[str, bytes]] = []
    if root.is_dir():
        for council in sorted(p for p in root.iterdir() if p.is_dir()):
            files = sorted(p for p in council.rglob("*") if p.suffix in (".csv", ".zip"))
            for path in files[:2]:
                found.append((f"{council.name}-{path.stem}.csv", _head(path)))
    if not found:
        payments = sample_payments(8)
        for name in ("title_and_parameters", "totals_and_subtotals", "cp1252_file",
                     "procurement_card_section", "sap_semicolon_decimal_comma"):  # fmt: skip
            published = LAYOUTS[name](payments)
            found.append((published.name, published.data))
    csv_seed = found[0][1]
    found.append(("book.xlsx", _xlsx(csv_seed)))
    found.append(("archive.zip", _zip("month.csv", csv_seed)))
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random mutation of a file's bytes."""
    b = bytearray(data)
    kind = rng.choice(["flip", "insert", "delete", "truncate", "duplicate", "splice"])
    at = rng.randrange(max(len(b), 1))
    if kind == "flip" and b:
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif kind == "insert":
        b[at:at] = rng.choice(INSERTS)
    elif kind == "delete":
        del b[at : at + rng.randint(1, 64)]
    elif kind == "truncate":
        del b[at:]
    elif kind == "duplicate":
        b[at:at] = b[at : at + rng.randint(1, 400)] * rng.randint(1, 5)
    else:
        other = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        b[at : at + len(other)] = other
    return bytes(b)


def _check_spend(path: Path, cache: Path) -> None:
    try:
        result = ingest_spend([path], cache_dir=cache, use_cache=False)
    except ValueError as exc:
        message = str(exc)
        assert str(path) in message and "\n" not in message, message
        return
    report = result.report
    check_accounting(report)
    assert len(result.spend) == report["totals"]["rows_kept"]
    assert len(result.rejects) == sum(report["totals"]["rows_rejected"].values())
    for item in report["failed"]:
        assert item["path"].startswith(str(path)) and "\n" not in item["reason"]


def test_mutated_real_files_give_rows_rejects_or_one_line(tmp_path: Path) -> None:
    rng = random.Random(20260601)
    started = time.monotonic()
    tried = 0
    for name, data in seeds():
        for n in range(MUTANTS_PER_SEED):
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                break
            path = tmp_path / f"m{tried}-{name}"
            path.write_bytes(mutate(data, rng) if n else data)
            _check_spend(path, tmp_path / "cache")
            tried += 1
    assert tried >= 20


def test_mutated_grants_and_contracts_never_raise(tmp_path: Path) -> None:
    rng = random.Random(7)
    grants = (
        b"Identifier,Title,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name\n"
        b"360G-1,Choir,2266.50,2013-01-18,GB-CHC-1057949,Young Voices\n"
        b"360G-2,Hall,500,18/01/2013,GB-COH-08242480,Village Hall CIC\n"
    )
    contracts = (
        b'{"releases": [{"ocid": "ocds-1", "id": "r1", "date": "2025-01-01T00:00:00Z",'
        b' "awards": [{"id": "a1", "value": {"amount": 1000, "currency": "GBP"},'
        b' "suppliers": [{"id": "GB-COH-1", "name": "Acme"}]}],'
        b' "parties": [{"id": "GB-COH-1", "name": "Acme", "details": {"scale": "sme"}}]}]}'
    )
    started = time.monotonic()
    for n in range(60):
        if time.monotonic() - started > 10:
            break
        pairs = ((".csv", grants, read_grants), (".json", contracts, read_contracts))
        for suffix, seed, read in pairs:
            path = tmp_path / f"g{n}{suffix}"
            path.write_bytes(mutate(seed, rng))
            result = read(path)
            for entry in result.report["files"]:
                rejected = sum(entry["rows_rejected"].values())
                assert entry["rows_read"] == entry["rows_kept"] + rejected
