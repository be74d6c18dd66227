"""The demo's published files and ground truth read with nothing but ``csv`` and ``Decimal``.

Tests compare the reports with these figures, computed here independently of the package
(no kil_analysis reader, normaliser or measure): payments and totals per financial year from
the raw spend files, and who each payment went to from the generator's truth tables (whose
``published_names`` list every spelling a supplier appears under).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REDACTED = {"newcastle": "Redacted Personal Data", "bristol": "redacted"}
LAYOUT = {  # encoding, title lines above the header, amount column, supplier column
    "newcastle": ("cp1252", 2, "Total (excludes VAT)", "Supplier Name"),
    "bristol": ("utf-8-sig", 0, "Amount Excluding VAT", "Supplier Name"),
}


@dataclass(frozen=True)
class Payment:
    """One published payment line: financial year, supplier as published, amount in pounds."""

    financial_year: str
    supplier: str
    amount: Decimal


@dataclass
class Year:
    """One financial year's figures, from the raw files and the truth table."""

    total: Decimal = Decimal(0)
    payments: int = 0
    redacted: Decimal = Decimal(0)
    by_supplier: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_org_type: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_locality: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def share(self, part: Decimal) -> Decimal:
        """``part`` as a share of the year's total spend."""
        return part / self.total

    @property
    def top10_share(self) -> Decimal:
        """Share of spend that went to the ten largest named suppliers."""
        return self.share(sum(sorted(self.by_supplier.values(), reverse=True)[:10], Decimal(0)))


def _financial_year(path: Path, slug: str) -> str:
    """The file's financial year, from its published name (every line falls in it)."""
    if slug == "newcastle":
        year, month = (int(p) for p in path.stem.split("-"))
        start = year - (month < 4)
        return f"{start}/{(start + 1) % 100:02d}"
    found = re.search(r"-(\d{4})-(\d{2})-q(\d)\.csv$", path.name)
    assert found, path
    return f"{found[1]}/{found[2]}"


def payments(demo: Path, slug: str) -> Iterator[Payment]:
    """Every non-blank payment line of ``slug``'s demo spend files."""
    encoding, skip, amount, supplier = LAYOUT[slug]
    for path in sorted((demo / slug / "spend").glob("*.csv")):
        year = _financial_year(path, slug)
        with open(path, encoding=encoding, newline="") as fh:
            lines = fh.read().splitlines()[skip:]
        for row in csv.DictReader(lines):
            if any((v or "").strip() for v in row.values()):
                pounds = Decimal(row[amount].strip().replace(",", ""))
                yield Payment(year, row[supplier].strip(), pounds)


def truth(demo: Path, slug: str) -> dict[str, dict[str, str]]:
    """Published spelling → the generator's truth row for that supplier."""
    out = {}
    with open(demo / "truth" / f"{slug}_suppliers.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for spelling in row["published_names"].split(" | "):
                out[spelling] = row
    return out


def figures(demo: Path, slug: str) -> dict[str, Year]:
    """Financial year → its figures, computed from the raw files and the truth table."""
    who = truth(demo, slug)
    years: dict[str, Year] = defaultdict(Year)
    for p in payments(demo, slug):
        year = years[p.financial_year]
        year.total += p.amount
        year.payments += 1
        row = who[p.supplier]
        year.by_org_type[row["org_type"]] += p.amount
        year.by_locality[row["locality"]] += p.amount
        if p.supplier == REDACTED[slug]:
            year.redacted += p.amount
        else:
            year.by_supplier[row["supplier_id"]] += p.amount
    return dict(sorted(years.items()))
