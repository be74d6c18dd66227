"""The one result shape every register loader returns, and the evidence holder they fill.

Every loader turns one published file into rows of :data:`ORG_COLUMNS` (an organisation and the
evidence about it: register id in org-id style, name, organisation type and form, postcode,
size, company/charity numbers, and ``area_code`` — the ONS code of the council area the body
*is*, for councils, so that a council is placed without a postcode). A name variant of the same
organisation (a council's "MBC" form, a charity's working name) is another row with the same
``register_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kil_analysis.enrich.keys import match_keys, name_keys

ORG_COLUMNS = [
    "register_id",  # org-id style: GB-COH-01234567, GB-CHC-1057949, GB-MPR-1234R, GB-LAE-GAT
    "name",
    "match_key",
    "org_type",
    "vcse_form",
    "org_type_confidence",
    "postcode",
    "size",
    "size_rule",
    "size_confidence",
    "company_number",
    "charity_number",
    "active",
    "public_kind",  # council, nhs, school, police, fire, central_government, university, …
    "area_code",  # ONS code of the council area a council *is* (placed without a postcode)
    "register",  # which register the row came from (label)
]


def org_frame(**cols) -> pd.DataFrame:
    """Build :data:`ORG_COLUMNS` rows from column values (scalars broadcast; missing → None).

    ``match_key`` is computed from ``name`` when not given; ``active`` defaults to True,
    ``size`` to "unknown" and ``size_confidence`` to 0.
    """
    frame = pd.DataFrame(cols)
    if "match_key" not in frame and "name" in frame:
        frame["match_key"] = match_keys(name_keys(frame["name"].fillna("")))
    defaults = {"active": True, "size": "unknown", "size_confidence": 0.0}
    for col in ORG_COLUMNS:
        if col not in frame:
            frame[col] = defaults.get(col)
    frame["name"] = frame["name"].fillna("").astype(str).str.strip()
    frame["postcode"] = frame["postcode"].astype(object).where(frame["postcode"].notna(), None)
    frame["postcode"] = frame["postcode"].map(
        lambda p: str(p).strip().upper() if isinstance(p, str) and p.strip() else None
    )
    return frame[ORG_COLUMNS]


@dataclass
class Registers:
    """The evidence found: small registers in pandas, Companies House as Parquet, lookups.

    ``organisations`` has :data:`ORG_COLUMNS`; ``companies_parquet`` (may be None) has the same
    columns plus ``category``; ``charity_scale`` maps charity number → scale label;
    ``onspd_parquet`` / ``district_lads`` / ``codepoint_parquet`` are postcode lookups (a user's
    ONS Postcode Directory, the district lookup, OS Code-Point Open for wards);
    ``areas_of_operation`` holds the charities' areas of operation with ONS codes
    (``operations.AREA_COLUMNS``) and ``lad_names`` ONS code → council name; ``sources`` names
    what was read, one entry per file; ``unrecognised`` the files no layout accepted;
    ``derived`` caches what matchers compute from ``organisations`` (e.g. academy trusts' own
    names), each beside the frame it came from.
    """

    organisations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ORG_COLUMNS))
    companies_parquet: Path | None = None
    charity_scale: dict[str, str] = field(default_factory=dict)
    onspd_parquet: Path | None = None
    codepoint_parquet: Path | None = None
    district_lads: dict[str, list[str]] | None = None
    areas_of_operation: pd.DataFrame | None = None
    lad_names: dict[str, str] | None = None
    sources: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    # values the matchers derive from ``organisations`` once per load (name -> (the frame they
    # were derived from, the value)); not part of what was read
    derived: dict[str, tuple[pd.DataFrame, object]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def connect(self):  # -> duckdb.DuckDBPyConnection
        """A DuckDB connection with a view ``orgs`` over every register's rows (ORG_COLUMNS)."""
        import duckdb

        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = false")
        con.register("small_orgs", self._arrow_table())
        parts = [f"SELECT {', '.join(ORG_COLUMNS)} FROM small_orgs"]
        if self.companies_parquet is not None:
            path = str(self.companies_parquet).replace("'", "''")
            parts.append(f"SELECT {', '.join(ORG_COLUMNS)} FROM read_parquet('{path}')")
        con.execute("CREATE VIEW orgs AS " + " UNION ALL ".join(parts))
        return con

    def _arrow_table(self):
        """The small registers as one Arrow table (built once, reused by every connection)."""
        import pyarrow as pa

        cached = getattr(self, "_arrow", None)
        if cached is not None and cached[0] is self.organisations:
            return cached[1]
        small = self.organisations.reindex(columns=ORG_COLUMNS)
        for col in ("org_type_confidence", "size_confidence"):
            small[col] = pd.to_numeric(small[col], errors="coerce").astype(float)
        small["active"] = small["active"].fillna(True).astype(bool)
        text = [c for c in ORG_COLUMNS if c not in ("org_type_confidence", "size_confidence")]
        text.remove("active")
        for col in text:
            small[col] = small[col].astype(object).where(small[col].notna(), None).astype("string")
        table = pa.Table.from_pandas(small, preserve_index=False)
        self._arrow = (self.organisations, table)
        return table
