"""Company registers: Companies House basic company data, and Community Interest Company numbers.

* Companies House "BasicCompanyDataAsOneFile-YYYY-MM-DD.csv" (or its .zip, or the split
  "BasicCompanyData-…-partN_M.csv" files; recognised by the ``CompanyName``/``CompanyNumber``/
  ``CompanyCategory`` header, whatever the file is called). About five million rows: converted
  once, out of core, with DuckDB to Parquet in a cache folder and only ever queried with DuckDB.
* UK-CAT's list of CIC company numbers (``org_id,icnptso_code,…`` with ``GB-COH-`` ids, no
  names): identifier-only rows, so a CIC paid with its company number is read as a CIC.
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.enrich.keys import match_keys, name_keys
from kil_analysis.enrich.size import size_from_account_category
from kil_analysis.readers.registers.shape import ORG_COLUMNS, org_frame

CH_CATEGORY_TYPES: dict[str, tuple[str, str | None, float]] = {
    "community interest company": ("vcse", "CIC", 0.95),
    "charitable incorporated organisation": ("vcse", "CIO", 0.95),
    "scottish charitable incorporated organisation": ("vcse", "CIO", 0.95),
    "registered society": ("vcse", "co-operative or community benefit society", 0.85),
    "industrial and provident society": ("vcse", "co-operative or community benefit society", 0.85),
    "private limited company": ("private", None, 0.85),
    "public limited company": ("private", None, 0.9),
    "limited liability partnership": ("private", None, 0.9),
    "limited partnership": ("private", None, 0.85),
    "private unlimited company": ("private", None, 0.8),
    "private unlimited": ("private", None, 0.8),
    "overseas entity": ("private", None, 0.7),
    "other company type": ("private", None, 0.5),
}
# "PRI/LBG/NSC (Private, Limited by guarantee, …)" and "PRIV LTD SECT. 30 (…)" are companies
# limited by guarantee: mostly non-profits (charities, clubs, academies, residents' companies).
GUARANTEE = ("vcse", "company limited by guarantee", 0.6)

CH_COLUMNS = {
    "CompanyName": "name",
    "CompanyNumber": "company_number",
    "RegAddress.PostCode": "postcode",
    "CompanyCategory": "category",
    "CompanyStatus": "status",
    "Accounts.AccountCategory": "account_category",
}
CH_LABEL = "Companies House basic company data"


def is_companies_house(header: list[str]) -> bool:
    """The Companies House basic company data header (names padded with spaces in the file)."""
    cols = {c.strip() for c in header}
    return {"CompanyName", "CompanyNumber", "CompanyCategory"} <= cols


def _classify_categories(category: pd.Series) -> pd.DataFrame:
    key = category.fillna("").astype(str).str.strip().str.lower()
    guarantee = key.str.startswith("pri/lbg") | key.str.startswith("priv ltd sect")
    found = key.map(CH_CATEGORY_TYPES)
    org_type = found.map(lambda t: t[0] if isinstance(t, tuple) else None)
    form = found.map(lambda t: t[1] if isinstance(t, tuple) else None)
    conf = found.map(lambda t: t[2] if isinstance(t, tuple) else 0.0)
    org_type = org_type.where(~guarantee, GUARANTEE[0])
    form = form.where(~guarantee, GUARANTEE[1])
    conf = conf.where(~guarantee, GUARANTEE[2])
    return pd.DataFrame({"org_type": org_type, "vcse_form": form, "org_type_confidence": conf})


def companies_house_to_parquet(csv_paths: list, out, batch_rows: int = 250_000):
    """Convert Companies House basic company data CSV(s) to Parquet in :data:`ORG_COLUMNS`.

    Out of core: DuckDB streams the CSV(s) to a narrow Parquet file, which is then read back in
    batches of ``batch_rows`` to add match keys, types and sizes. Peak memory is one batch.
    """
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    narrow = out.with_suffix(".narrow.parquet")
    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in csv_paths)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    source = f"read_csv([{files}], header = true, all_varchar = true, quote = '\"')"
    actual = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    by_stripped = {c.strip(): c for c in actual}
    missing = [c for c in CH_COLUMNS if c not in by_stripped]
    if missing:
        raise ValueError(f"{csv_paths[0]}: not Companies House basic data (no {missing[0]})")
    select = ", ".join(f'"{by_stripped[c]}" AS {alias}' for c, alias in CH_COLUMNS.items())
    con.execute(f"COPY (SELECT {select} FROM {source}) TO '{narrow}' (FORMAT parquet)")
    con.close()

    tmp = out.with_suffix(".part")
    writer = None
    try:
        for batch in pq.ParquetFile(narrow).iter_batches(batch_size=batch_rows):
            frame = _companies_frame(batch.to_pandas())
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
        narrow.unlink(missing_ok=True)
    if writer is None:  # empty register
        pd.DataFrame(columns=[*ORG_COLUMNS, "category"]).astype(str).to_parquet(tmp)
    tmp.replace(out)
    return out


def _companies_frame(df: pd.DataFrame) -> pd.DataFrame:
    number = df["company_number"].fillna("").str.strip().str.upper()
    types = _classify_categories(df["category"])
    size = size_from_account_category(df["account_category"])
    status = df["status"].fillna("").str.strip().str.lower()
    frame = pd.DataFrame(
        {
            "register_id": "GB-COH-" + number,
            "name": df["name"].fillna("").str.strip(),
            "match_key": match_keys(name_keys(df["name"])),
            "org_type": types["org_type"],
            "vcse_form": types["vcse_form"],
            "org_type_confidence": types["org_type_confidence"].astype(float),
            "postcode": df["postcode"].fillna("").str.strip().str.upper(),
            "size": size["size"],
            "size_rule": size["size_rule"],
            "size_confidence": size["size_confidence"].astype(float),
            "company_number": number,
            "charity_number": None,
            "active": ~status.str.startswith("dissolved") & ~status.str.contains("removed"),
            "public_kind": None,
            "area_code": None,
            "register": CH_LABEL,
            "category": df["category"].fillna("").str.strip(),
        }
    )
    for col in (
        "org_type",
        "vcse_form",
        "size_rule",
        "charity_number",
        "public_kind",
        "area_code",
    ):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None).astype("string")
    return frame


def is_cic_numbers(header: list[str]) -> bool:
    """UK-CAT's CIC list: ``org_id,icnptso_code,icnptso_code_probability,…`` (no names)."""
    return header[:2] == ["org_id", "icnptso_code"]


def read_cic_numbers(path) -> pd.DataFrame:
    """CIC company numbers (GB-COH- ids, no names) → identifier-only rows, form CIC."""
    df = pd.read_csv(path, dtype=str, usecols=["org_id"])
    ids = df["org_id"].fillna("").str.strip().str.upper()
    ids = ids[ids.str.startswith("GB-COH-")].drop_duplicates()
    return org_frame(
        register_id=ids.to_numpy(),
        name="",
        match_key="",
        org_type="vcse",
        vcse_form="CIC",
        org_type_confidence=0.95,
        company_number=ids.str.replace("GB-COH-", "", regex=False).to_numpy(),
        register="Community Interest Companies (UK-CAT)",
    )
