"""String the stages together for one council: ingest → enrich → an analysis-ready table.

This is what the case-study notebook calls first. Each stage is a plain function in its own
module; this one only decides which files go where and joins the results.

Folder convention for a council's published files (``data_dir``): spend files in ``spend/``
(or directly in ``data_dir`` when it has no ``spend/`` subfolder), 360Giving grants in
``grants/``, Contracts Finder OCDS releases in ``contracts/`` (or the folder given as
``contracts_dir``). Supplier postcodes given by grants and by the council's own contract notices
are locality evidence for enrichment. A ``KIL_DEMO.json`` marker in ``data_dir`` means the files
are synthetic demo data, and every output built on them says so. This module never imports the
demo generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_analysis import paths
from kil_analysis.config import CouncilConfig, load_council
from kil_analysis.readers.atomic import write_json_atomic
from kil_analysis.reporting.data_selection import select_data

if TYPE_CHECKING:
    from kil_analysis.readers.registers.shape import Registers

SUPPLIER_ATTRIBUTES = ["org_type", "vcse_form", "size", "locality"]


@dataclass
class CaseStudyData:
    """Everything the case study needs for one council, already joined and filtered."""

    config: CouncilConfig
    data_dir: Path
    is_demo: bool
    period: tuple[str, str]
    spend: pd.DataFrame  # canonical spend in the period, with supplier attributes joined
    rejects: pd.DataFrame
    ingest_report: dict
    suppliers: pd.DataFrame  # enrichment, one row per organisation (spelling variants merged)
    grants: pd.DataFrame | None = None  # grants read once (the reader rejects repeats)
    grants_report: dict | None = None
    rows_outside_period: int = 0
    # the grants reader's rejected rows (duplicate_grant among them), when grants were read
    grants_rejects: pd.DataFrame | None = None
    # where contracts were looked for; the notices whose buyer is the council (None: no OCDS
    # files there) and the contracts reader's report (releases of every buyer read)
    contracts_dir: Path | None = None
    contracts: pd.DataFrame | None = None
    contracts_report: dict | None = None
    # the register evidence enrichment used (reused by the sections beyond the spend ledger)
    registers: Registers | None = None
    # every merge of spelling variants: organisation_key, supplier_key, supplier_name, rule,
    # total_pence (kil_analysis.enrich.merges); a report's data section can show it
    merges: pd.DataFrame | None = None


def text_dtype() -> object:
    """The Arrow-backed text dtype of pandas, with NaN for missing values (pandas 3's ``str``).

    The spend table's text columns have it; the enrichment columns, built as Python objects,
    are given it when joined, so that the measures' comparisons and group-bys over every
    payment line run in Arrow rather than one Python string at a time. ``object`` on a pandas
    too old to have it (before 2.3), which gives the same values, only slower.
    """
    try:
        return pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pragma: no cover - pandas < 2.3
        return object


def positions_in(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Where each of ``values`` is in ``keys`` (distinct), -1 where it is not.

    A missing value is found where ``keys`` has one. As ``pd.Index(keys).get_indexer(values)``;
    for Arrow-backed text (the spend table's keys)
    looked up in Arrow (``pyarrow.compute.index_in``) instead of through a Python object per
    payment line: on Newcastle's 242,011 lines 0.08 s -> 0.01 s.
    """
    if _arrow_text(values) and _arrow_text(keys):
        import pyarrow as pa
        import pyarrow.compute as pc

        found = pc.index_in(pa.array(values.array), value_set=pa.array(keys.array))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)
    return pd.Index(keys).get_indexer(values)


def _arrow_text(series: pd.Series) -> bool:
    dtype = series.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def attach_supplier_attributes(
    spend: pd.DataFrame, suppliers: pd.DataFrame, merges: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Join org_type, vcse_form, size and locality onto each payment row by supplier_key.

    With ``merges`` (spelling variants of one organisation), each row's ``supplier_key`` becomes
    its organisation's key, so rankings, supplier counts and concentration count one
    organisation once; the key as published is kept in ``published_supplier_key``. Rows of
    ``not_a_supplier`` accounts keep that org type: they stay in total spend. Also
    ``operates_in_area`` (nullable boolean, Charity Commission area of operation names the
    council) when the supplier table has it. The four attributes have :func:`text_dtype`.
    """
    if merges is not None and not merges.empty:
        from kil_analysis.enrich.merges import organisation_keys

        spend = spend.assign(published_supplier_key=spend["supplier_key"])
        spend["supplier_key"] = organisation_keys(spend["supplier_key"], merges)
    attributes = SUPPLIER_ATTRIBUTES + [c for c in ("operates_in_area",) if c in suppliers]
    attrs = suppliers[["supplier_key", *attributes]].drop_duplicates("supplier_key")
    # Each payment line's supplier row, looked up once (a left join, many lines to one
    # supplier; a key missing from the table gives missing attributes). The key is compared
    # in the payment lines' dtype, so the line keeps its key as it is.
    keys = attrs["supplier_key"].astype(spend["supplier_key"].dtype)
    out = spend.drop(columns=[c for c in attributes if c in spend]).reset_index(drop=True)
    row = positions_in(out["supplier_key"], keys)
    text = text_dtype()
    for col in attributes:
        # the small supplier table takes the dtype, not the joined lines: the four attributes
        # as the other text columns (compared in bulk, not per object), the area flag boolean
        values = attrs[col].astype(text if col in SUPPLIER_ATTRIBUTES else "boolean").array
        out[col] = values.take(row, allow_fill=True)
    out["org_type"] = out["org_type"].fillna("unknown")
    out.loc[out["is_redacted"], "org_type"] = "individual"
    out["locality"] = out["locality"].fillna("unknown")
    out["size"] = out["size"].fillna("unknown")
    return out


def grant_postcodes(grants: pd.DataFrame | None) -> pd.DataFrame | None:
    """Postcodes that a grants file gives for its recipients, keyed like suppliers.

    The recipient key is the same normalisation as the supplier key.
    """
    if grants is None or grants.empty or "recipient_postcode" not in grants:
        return None
    out = grants[["recipient_key", "recipient_postcode"]].dropna()
    return out.rename(columns={"recipient_key": "supplier_key", "recipient_postcode": "postcode"})


def buyer_names(config: CouncilConfig) -> list[str]:
    """The names the council's notices use as buyer.

    (config's ``contract_buyer_names``, else its name).
    """
    return list(config.contract_buyer_names) or [config.name]


def council_contracts(
    folder: Path, config: CouncilConfig
) -> tuple[pd.DataFrame | None, dict | None]:
    """The OCDS notices in ``folder`` whose buyer is the council, and the reader's report.

    (None, None) when the folder holds no ``.json`` files; an empty table when none of the
    notices read names the council as buyer (the report still counts every release read).
    """
    if not folder.is_dir() or not any(folder.rglob("*.json")):
        return None, None
    from kil_analysis.analysis.contracts import buyer_mask
    from kil_analysis.readers.contracts.reader import read_contracts

    read = read_contracts([folder])
    table = read.table
    return table[buyer_mask(table, buyer_names(config))].reset_index(drop=True), read.report


def contract_postcodes(contracts: pd.DataFrame | None) -> pd.DataFrame | None:
    """Supplier postcodes inside the council's notices, keyed like suppliers (or None)."""
    if contracts is None or contracts.empty:
        return None
    from kil_analysis.analysis.contracts import supplier_locality_evidence

    return supplier_locality_evidence(contracts)[["supplier_key", "postcode"]]


def _extra_postcodes(*tables: pd.DataFrame | None) -> pd.DataFrame | None:
    given = [t for t in tables if t is not None and not t.empty]
    return pd.concat(given, ignore_index=True) if given else None


def load_case_study(
    council: str,
    data_dir: str | Path = "",
    registers_dir: str | Path = "",
    lookups_dir: str | Path = "",
    period_start: str | None = None,
    period_end: str | None = None,
    contracts_dir: str | Path = "",
) -> CaseStudyData:
    """Ingest, enrich and join one council's published files for the case study.

    Where the files come from is decided by
    :func:`kil_analysis.reporting.data_selection.select_data` (as for ``kil report``):
    ``data_dir`` empty means the council's demo data (run ``kil demo`` first: a missing demo
    is a one-line error, never generated here), otherwise the published files in
    ``data_dir`` (its ``<slug>/`` subfolder when it has one). Ingested tables are cached under
    ``data/processed/<slug>/`` (``demo/`` inside it for demo data) with the ingest report and
    rejects, so every figure can be traced back to a source file and row. The enrichment is
    reused while its inputs are unchanged (:mod:`kil_analysis.enrichment_cache`, under
    ``data/processed/<slug>/.cache/enrich/``). ``contracts_dir``
    (empty: ``<data_dir>/contracts``) holds Contracts Finder OCDS files; the supplier postcodes
    of the council's own notices, like those of grant recipients, inform where suppliers are.
    """
    from kil_analysis.analysis.measures import in_period
    from kil_analysis.enrich import load_registers
    from kil_analysis.enrich.suppliers import enrich_suppliers_and_merges
    from kil_analysis.enrichment_cache import cached_enrichment, enrichment_key
    from kil_analysis.readers.publish import SPEND_FILE
    from kil_analysis.readers.sources import council_spend_inputs
    from kil_analysis.readers.spend import ingest_spend

    config = load_council(council)
    chosen = select_data(
        council,
        data_dir or None,
        demo=not data_dir,
        registers_dir=registers_dir or None,
        lookups_dir=lookups_dir or None,
    )
    data, registers_path, lookups_path, demo = (
        chosen.data_dir,
        chosen.registers_dir,
        chosen.lookups_dir,
        chosen.is_demo,
    )
    out_dir = paths.processed_dir(config.slug) / ("demo" if demo else "published")
    inputs = council_spend_inputs(data)
    ingested = ingest_spend(
        inputs,
        council=config.ons_code,
        column_overrides=config.column_overrides,
        out_dir=out_dir,
        cache_dir=paths.processed_dir(config.slug) / ".cache",
    )
    registers = load_registers(registers_path, lookups_path if lookups_path.exists() else None)
    grants = grants_report = grants_rejects = None
    grants_dir = data / "grants"
    if grants_dir.is_dir() and any(grants_dir.iterdir()):
        from kil_analysis.readers.grants import read_grants

        read = read_grants([grants_dir])
        grants, grants_report, grants_rejects = read.table, read.report, read.rejects
    contracts_folder = Path(contracts_dir).expanduser() if str(contracts_dir).strip() else None
    contracts_folder = (contracts_folder or data / "contracts").resolve()
    contracts, contracts_report = council_contracts(contracts_folder, config)
    overrides = paths.data_dir() / "overrides" / f"{config.slug}.csv"
    overrides_path = overrides if overrides.exists() else None
    extra = _extra_postcodes(grant_postcodes(grants), contract_postcodes(contracts))
    key = enrichment_key(
        ingested.spend,
        config,
        reference_dirs=(registers_path, lookups_path),
        overrides_path=overrides_path,
        extra_postcodes=extra,
        spend_digest=(ingested.report.get("outputs") or {}).get(SPEND_FILE, {}).get("sha256"),
    )
    suppliers, merges = cached_enrichment(
        paths.processed_dir(config.slug) / ".cache" / "enrich" / out_dir.name,
        key,
        lambda: enrich_suppliers_and_merges(
            ingested.spend, config, registers, overrides_path, extra_postcodes=extra
        ),
    )
    spend = attach_supplier_attributes(ingested.spend, suppliers, merges)
    start = period_start or str(spend["payment_date"].min().date())
    end = period_end or str(spend["payment_date"].max().date())
    mask = in_period(spend, start, end)

    return CaseStudyData(
        config=config,
        data_dir=data,
        is_demo=demo,
        period=(start, end),
        spend=spend[mask].reset_index(drop=True),
        rejects=ingested.rejects,
        ingest_report=ingested.report,
        suppliers=suppliers,
        grants=grants,
        grants_report=grants_report,
        rows_outside_period=int((~mask).sum()),
        merges=merges,
        grants_rejects=grants_rejects,
        contracts_dir=contracts_folder,
        contracts=contracts,
        contracts_report=contracts_report,
        registers=registers,
    )


def write_summary(
    path: str | Path,
    study: CaseStudyData,
    headline: pd.DataFrame,
    *,
    local_definition: str = "council",
    top_n: int = 300,
    top_n_table: pd.DataFrame | None = None,
    min_coverage: float | None = None,
) -> Path:
    """Write the machine-readable headline figures (per financial year) for the report runner.

    They take the shape ``reporting/summary.schema.json`` defines (the runner validates it:
    importing ``jsonschema`` in the notebook's kernel would cost seconds for nothing).

    ``top_n_table`` is ``cles.top_n_by_year`` (its ``covered_share`` becomes ``top_n_share``).
    """
    from kil_analysis.analysis.measures import MIN_COVERAGE
    from kil_analysis.reporting.summary import headline_rows

    covered = {}
    if top_n_table is not None:
        covered = dict(
            zip(top_n_table["financial_year"], top_n_table["covered_share"], strict=True)
        )
    summary = {
        "council": study.config.slug,
        "council_name": study.config.name,
        "ons_code": study.config.ons_code,
        "is_demo": study.is_demo,
        "period": list(study.period),
        "local_definition": local_definition,
        "top_n": int(top_n),
        "min_coverage": MIN_COVERAGE if min_coverage is None else float(min_coverage),
        "headline": headline_rows(headline, {"top_n_share": covered}),
    }
    return write_json_atomic(path, summary)
