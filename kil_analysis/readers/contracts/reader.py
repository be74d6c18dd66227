"""Contracts published as OCDS (Open Contracting Data Standard), e.g. by Contracts Finder.

`read_contracts` accepts single releases, release packages (``{"releases": [...]}``), record
packages (``{"records": [...]}``, using each record's ``compiledRelease``, else its embedded full
releases) and JSON arrays of releases; files or folders (``*.json``, recursively).

**One row per (release, award or contract, supplier).** ``level`` says which: ``award`` rows come
from ``awards[].suppliers``; ``contract`` rows from ``contracts[]`` (suppliers taken from the
award named by ``awardID``); a release with neither (a planning or tender notice) gives one
``tender`` row with no supplier. ``supplier_index`` numbers the suppliers of one award/contract
from 0. Caveat: an award's value is repeated on each of its suppliers' rows (frameworks name
dozens of suppliers for one value) — sum values over ``supplier_index == 0`` rows only, as the
report does; and when a release has both awards and contracts the same deal appears at both levels.

Columns: ``source_file``, ``source_row`` (1-based release number in the file), ``where`` (JSON
path of the award/contract), ``level``, ``ocid``, ``release_id``, ``date`` (release date),
``tag`` (tags joined with ``;``), ``buyer_name``, ``buyer_id``, ``title``, ``status``,
``award_id``, ``award_date``, ``value_amount`` (float, in ``currency``; for display only),
``value_pence`` (Int64, exact minor units of ``currency``), ``currency``, ``start_date``,
``end_date``, ``supplier_index``, ``supplier_name``, ``supplier_key``, ``supplier_id`` (the
party id, e.g. ``GB-COH-01323955``; Contracts Finder's own ``GB-CFS-…`` when unregistered),
``supplier_company_number`` (8 characters, from a ``GB-COH`` id), ``supplier_scale``
(``sme``/``large`` from ``parties[].details.scale``), ``supplier_vcse`` (nullable bool from
``details.vcse``), ``supplier_postcode`` (normalised ``AA9A 9AA``; from ``address.postalCode``,
else found in ``streetAddress``/``locality`` text — Contracts Finder puts it there, sometimes
after ``rn``/``n`` junk left where line breaks were lost), and from the release's tender:
``suitable_sme`` / ``suitable_vcse`` (nullable bool, ``tender.suitability``: the buyer marked
the opportunity suitable for SMEs / VCSEs) and ``procurement_method`` (open, selective,
limited, direct, …). Dates are calendar dates as published (a time-zone suffix is dropped, not
converted).

Rejected (rows in ``rejects`` with reason, never silently dropped): unreadable JSON or a document
that is not OCDS (``unreadable_file``/``not_ocds``, one row per file; JSON nested too deep to
read and unreadable files too), a release that is not an object, has no ``ocid`` or holds
values of the wrong types (``malformed_release``), and an award/contract whose value amount is
present but not a number (``unparseable_amount``). Nothing a file holds makes the reader raise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from kil_analysis.readers.accounting import ReadResult, account_files, sum_report
from kil_analysis.readers.parse.amounts import parse_amounts
from kil_analysis.readers.parse.dates import parse_dates
from kil_analysis.readers.parse.postcodes import extract_postcodes
from kil_analysis.readers.parse.supplier_key import supplier_keys
from kil_analysis.readers.sources import input_files
from kil_analysis.schema import REJECT_BAD_AMOUNT

REJECT_UNREADABLE_FILE = "unreadable_file"
REJECT_NOT_OCDS = "not_ocds"
REJECT_MALFORMED_RELEASE = "malformed_release"

RESULT_REJECT_COLUMNS = ["source_file", "source_row", "where", "reason", "detail", "raw"]

CONTRACT_COLUMNS = [
    "source_file",
    "source_row",
    "where",
    "level",
    "ocid",
    "release_id",
    "date",
    "tag",
    "buyer_name",
    "buyer_id",
    "title",
    "status",
    "award_id",
    "award_date",
    "value_amount",
    "value_pence",
    "currency",
    "start_date",
    "end_date",
    "supplier_index",
    "supplier_name",
    "supplier_key",
    "supplier_id",
    "supplier_company_number",
    "supplier_scale",
    "supplier_vcse",
    "supplier_postcode",
    "suitable_sme",
    "suitable_vcse",
    "procurement_method",
]

# Columns of the candidate rows built from the JSON, before typing (see _finish_table).
_CANDIDATE_COLUMNS = [
    "source_file", "source_row", "where", "level", "ocid", "release_id", "date_text", "tag",
    "buyer_name", "buyer_id", "title", "status", "award_id", "award_date_text", "amount_text",
    "amount_present", "currency", "start_text", "end_text", "supplier_index", "supplier_name",
    "supplier_id", "supplier_company_number", "supplier_scale", "supplier_vcse",
    "postal_code_text", "address_text", "suitable_sme", "suitable_vcse", "procurement_method",
]  # fmt: skip


def _dates(values: pd.Series) -> pd.Series:
    """Calendar dates from OCDS ISO 8601 text (a time-zone suffix dropped, not converted)."""
    return parse_dates(values, excel_serials=False).dates


def _json_path(base: str, *parts: str | int) -> str:
    out = base
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _releases(doc: Any) -> tuple[str, list[tuple[str, Any]]] | None:
    """(format, [(json path, release)]) of an OCDS document, or None if it is not OCDS."""
    if isinstance(doc, list):
        return "release_list", [(f"$[{i}]", r) for i, r in enumerate(doc)]
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("releases"), list):
        return "release_package", [(f"$.releases[{i}]", r) for i, r in enumerate(doc["releases"])]
    if isinstance(doc.get("records"), list):
        out: list[tuple[str, Any]] = []
        for i, record in enumerate(doc["records"]):
            base = f"$.records[{i}]"
            if isinstance(record, dict) and isinstance(record.get("compiledRelease"), dict):
                out.append((f"{base}.compiledRelease", record["compiledRelease"]))
                continue
            embedded = record.get("releases") if isinstance(record, dict) else None
            full = [
                (f"{base}.releases[{j}]", r)
                for j, r in enumerate(embedded or [])
                if isinstance(r, dict) and "ocid" in r and set(r) - {"url", "date", "tag", "ocid"}
            ]
            out.extend(full or [(base, _LinkedOnly(record))])  # reported as malformed
        return "record_package", out
    if "ocid" in doc:
        return "release", [("$", doc)]
    return None


@dataclass(frozen=True)
class _LinkedOnly:
    """A record with neither a compiled release nor full embedded releases (only links)."""

    record: Any


def _listed(value: Any) -> list[Any]:
    """The value if it is a JSON array, else an empty list (malformed input never crashes)."""
    return value if isinstance(value, list) else []


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _amount_text(value: Any) -> tuple[str | None, bool]:
    """(text for the shared amount parser, present?) for an OCDS value.amount."""
    if value is None or value == "":
        return None, False
    if isinstance(value, bool) or isinstance(value, dict | list):
        return "not a number", True
    return str(value), True


def _company_number(party: dict[str, Any] | None, party_id: str | None) -> str | None:
    """An 8-character Companies House number from a GB-COH id or identifier, else None."""
    candidates = [party_id]
    if party:
        ident = [party.get("identifier")] + list(party.get("additionalIdentifiers") or [])
        for item in ident:
            if isinstance(item, dict) and str(item.get("scheme", "")).upper() == "GB-COH":
                candidates.append(f"GB-COH-{item.get('id', '')}")
    for c in candidates:
        m = re.fullmatch(r"GB-COH-([A-Z]{0,2}\d{1,8})", str(c or "").strip().upper())
        if m:
            number = m.group(1)
            prefix = re.match(r"[A-Z]*", number).group(0)  # type: ignore[union-attr]
            return prefix + number[len(prefix) :].zfill(8 - len(prefix))
    return None


def _release_rows(release: dict[str, Any], where: str) -> Iterator[dict[str, Any]]:
    """Candidate rows of one release (see the module docstring for the levels)."""
    listed = release.get("parties") if isinstance(release.get("parties"), list) else []
    parties = {_text(p.get("id")): p for p in listed if isinstance(p, dict) and _text(p.get("id"))}
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else None
    if buyer is None:
        roles = {k: p.get("roles") for k, p in parties.items()}
        buyer = next((p for k, p in parties.items() if "buyer" in _listed(roles[k])), {})
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    tags = release.get("tag")
    common = {
        "ocid": _text(release.get("ocid")),
        "release_id": _text(release.get("id")),
        "date_text": _text(release.get("date")),
        "tag": ";".join(map(str, tags)) if isinstance(tags, list) else _text(tags),
        "buyer_name": _text(buyer.get("name"))
        or _text(_get(parties.get(_text(buyer.get("id"))), "name")),
        "buyer_id": _text(buyer.get("id")),
        "suitable_sme": _get(tender, "suitability", "sme"),
        "suitable_vcse": _get(tender, "suitability", "vcse"),
        "procurement_method": _text(tender.get("procurementMethod")),
    }
    release_title = _text(release.get("title")) or _text(tender.get("title"))
    awards = [a for a in _listed(release.get("awards")) if isinstance(a, dict)]
    contracts = [c for c in _listed(release.get("contracts")) if isinstance(c, dict)]
    by_award_id = {_text(a.get("id")): a for a in awards}

    def rows(level: str, item: dict[str, Any], path: str, suppliers: list[Any], period: Any):
        amount, present = _amount_text(_get(item, "value", "amount"))
        base = {
            **common,
            "where": path,
            "level": level,
            "title": _text(item.get("title")) or release_title,
            "status": _text(item.get("status")),
            "award_id": _text(item.get("id") if level == "award" else item.get("awardID")),
            "award_date_text": _text(item.get("date") or item.get("dateSigned")),
            "amount_text": amount,
            "amount_present": present,
            "currency": _text(_get(item, "value", "currency")),
            "start_text": _text(_get(period, "startDate")),
            "end_text": _text(_get(period, "endDate")),
        }
        refs = [s for s in _listed(suppliers) if isinstance(s, dict)] or [None]
        for index, ref in enumerate(refs):
            party = parties.get(_text(ref.get("id"))) if ref else None
            address = _get(party, "address")
            address = address if isinstance(address, dict) else {}
            yield {
                **base,
                "supplier_index": index if ref else pd.NA,
                "supplier_name": _text((ref or {}).get("name")) or _text(_get(party, "name")),
                "supplier_id": _text((ref or {}).get("id")),
                "supplier_company_number": _company_number(party, (ref or {}).get("id")),
                "supplier_scale": _text(_get(party, "details", "scale")),
                "supplier_vcse": _get(party, "details", "vcse"),
                "postal_code_text": _text(address.get("postalCode")),
                "address_text": " ".join(
                    t
                    for t in (
                        _text(address.get("streetAddress")),
                        _text(address.get("locality")),
                        _text(address.get("region")),
                    )
                    if t
                )
                or None,
            }

    for i, award in enumerate(awards):
        period = award.get("contractPeriod") or tender.get("contractPeriod")
        yield from rows(
            "award", award, _json_path(where, "awards", i), award.get("suppliers") or [], period
        )
    for i, contract in enumerate(contracts):
        award = by_award_id.get(_text(contract.get("awardID"))) or {}
        period = contract.get("period") or award.get("contractPeriod")
        yield from rows(
            "contract",
            contract,
            _json_path(where, "contracts", i),
            award.get("suppliers") or [],
            period,
        )
    if not awards and not contracts:
        item = {**tender, "title": release_title}
        yield from rows(
            "tender", item, _json_path(where, "tender"), [], tender.get("contractPeriod")
        )


def _reject(source: str, row: Any, where: str, reason: str, detail: str, raw: Any) -> dict:
    try:
        text = raw if isinstance(raw, str) else json.dumps(raw, default=str)[:500]
    except (RecursionError, ValueError, TypeError):
        text = repr(raw)[:500]
    return {
        "source_file": source,
        "source_row": row,
        "where": where,
        "reason": reason,
        "detail": detail,
        "raw": text,
    }


def _read_file(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    source = str(path)
    info: dict[str, Any] = {"path": source, "format": None, "releases": 0}
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = f"not valid UTF-8 JSON: {str(exc).splitlines()[0]}"
        return [], [_reject(source, pd.NA, "$", REJECT_UNREADABLE_FILE, detail, "")], info
    except RecursionError:
        detail = "JSON nested too deeply to read"
        return [], [_reject(source, pd.NA, "$", REJECT_UNREADABLE_FILE, detail, "")], info
    except OSError as exc:
        detail = f"cannot read the file ({(exc.strerror or str(exc)).lower()})"
        return [], [_reject(source, pd.NA, "$", REJECT_UNREADABLE_FILE, detail, "")], info
    found = _releases(doc)
    if found is None:
        detail = "expected an OCDS release, release package or record package"
        keys = list(doc)[:10] if isinstance(doc, dict) else type(doc).__name__
        return [], [_reject(source, pd.NA, "$", REJECT_NOT_OCDS, detail, keys)], info
    info["format"], releases = found
    info["releases"] = len(releases)
    rows: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    for number, (where, release) in enumerate(releases, start=1):
        if not isinstance(release, dict) or not _text(release.get("ocid")):
            detail = "a release must be an object with an ocid"
            if isinstance(release, _LinkedOnly):
                detail = "record has no compiledRelease and only linked releases"
                release = release.record
            rejects.append(
                _reject(source, number, where, REJECT_MALFORMED_RELEASE, detail, release)
            )
            continue
        try:
            found = list(_release_rows(release, where))
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
            detail = f"a release that cannot be read ({type(exc).__name__}: {exc})"[:300]
            rejects.append(
                _reject(source, number, where, REJECT_MALFORMED_RELEASE, detail, release)
            )
            continue
        rows.extend({"source_file": source, "source_row": number, **row} for row in found)
    return rows, rejects, info


def _flags(values: pd.Series) -> pd.Series:
    """JSON booleans as a nullable boolean column (anything else, or absent, is NA)."""
    return values.map(lambda v: v if isinstance(v, bool) else pd.NA).astype("boolean")


def _finish_table(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Typed contract columns from the candidate rows; also the mask of unparseable amounts."""
    amounts = parse_amounts(raw["amount_text"])
    bad_amount = raw["amount_present"].astype(bool) & ~amounts["ok"]
    postcode = extract_postcodes(raw["postal_code_text"])
    postcode = postcode.fillna(extract_postcodes(raw["address_text"]))
    vcse = raw["supplier_vcse"].map(lambda v: v if isinstance(v, bool) else pd.NA)
    scale = raw["supplier_scale"].astype("string").str.lower()
    table = pd.DataFrame(
        {
            "source_file": raw["source_file"].astype("string"),
            "source_row": raw["source_row"].astype("Int64"),
            "where": raw["where"].astype("string"),
            "level": raw["level"].astype("string"),
            "ocid": raw["ocid"].astype("string"),
            "release_id": raw["release_id"].astype("string"),
            "date": _dates(raw["date_text"]),
            "tag": raw["tag"].astype("string"),
            "buyer_name": raw["buyer_name"].astype("string"),
            "buyer_id": raw["buyer_id"].astype("string"),
            "title": raw["title"].astype("string"),
            "status": raw["status"].astype("string"),
            "award_id": raw["award_id"].astype("string"),
            "award_date": _dates(raw["award_date_text"]),
            "value_amount": amounts["pence"].astype("Float64") / 100,
            "value_pence": amounts["pence"],
            "currency": raw["currency"].astype("string"),
            "start_date": _dates(raw["start_text"]),
            "end_date": _dates(raw["end_text"]),
            "supplier_index": raw["supplier_index"].astype("Int64"),
            "supplier_name": raw["supplier_name"].astype("string"),
            "supplier_key": supplier_keys(raw["supplier_name"]),
            "supplier_id": raw["supplier_id"].astype("string"),
            "supplier_company_number": raw["supplier_company_number"].astype("string"),
            "supplier_scale": scale.where(scale.isin(["sme", "large"])),
            "supplier_vcse": vcse.astype("boolean"),
            "supplier_postcode": postcode,
            "suitable_sme": _flags(raw["suitable_sme"]),
            "suitable_vcse": _flags(raw["suitable_vcse"]),
            "procurement_method": raw["procurement_method"].astype("string").str.lower(),
        },
        index=raw.index,
    )
    return table, bad_amount


def read_contracts(paths: Iterable[str | Path] | str | Path) -> ReadResult:
    """Read OCDS files or folders into a contracts table (see the module docstring).

    The report counts, per file and in total, ``releases``, ``rows_read`` (candidate rows plus one
    per rejected release or file), ``rows_kept``, ``rows_rejected`` by reason, and GBP values
    counted once per award/contract (``amount_*``, exact decimal strings), ``date_min``/``date_max``
    of release dates and ``suppliers`` (distinct supplier ids).
    """
    rows: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    infos: list[dict[str, Any]] = []
    for path in input_files(paths, (".json",)):
        file_rows, file_rejects, info = _read_file(path)
        rows.extend(file_rows)
        rejects.extend(file_rejects)
        infos.append(info)
    raw = pd.DataFrame(rows, columns=_CANDIDATE_COLUMNS)
    table, bad = _finish_table(raw)
    for i in raw.index[bad]:
        rejects.append(
            _reject(
                raw.at[i, "source_file"],
                int(raw.at[i, "source_row"]),
                raw.at[i, "where"],
                REJECT_BAD_AMOUNT,
                f"value.amount {raw.at[i, 'amount_text']!r}",
                raw.at[i, "amount_text"] or "",
            )
        )
    kept = table[~bad].reset_index(drop=True)[CONTRACT_COLUMNS]
    rejected = pd.DataFrame(rejects, columns=RESULT_REJECT_COLUMNS)
    rejected["source_row"] = rejected["source_row"].astype("Int64")
    counted = kept["value_pence"].where(_counted_once(kept), 0).fillna(0)
    files = account_files(infos, kept, counted, rejected, kept["date"])
    totals = sum_report(files)
    totals["releases"] = sum(f["releases"] for f in files)
    suppliers = kept["supplier_id"].fillna(kept["supplier_key"]).dropna()
    totals["suppliers"] = int(suppliers.nunique())
    return ReadResult(kept, rejected, {"files": files, "totals": totals})


def _counted_once(table: pd.DataFrame) -> pd.Series:
    """Rows whose value counts in totals: first supplier (or none) of an award, GBP only."""
    once = table["supplier_index"].fillna(0) == 0
    gbp = table["currency"].fillna("GBP").str.upper() == "GBP"
    return (once & gbp).astype(bool)
