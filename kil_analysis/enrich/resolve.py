"""Look up the suppliers that registers could not settle offline, and propose who they are.

:func:`unidentified_suppliers` picks the top-N suppliers by spend whose organisation type is
unknown or held with low confidence (not redacted lines, not overridden, not finance-system
accounts). :func:`resolve_suppliers` asks a reconciliation service (default: Find that Charity,
which covers charities, companies and public bodies and answers with org-ids) and, when the user
has a free API key, the Companies House search API, for each name not already answered in the
cache (:mod:`kil_analysis.enrich.resolved_cache`); candidates become proposals
(:mod:`kil_analysis.enrich.proposals`) that the worksheet shows and the researcher accepts or
rejects. Nothing is ever accepted automatically.

When a service cannot be reached the run goes on with what the cache holds and says so (one
line per service in :attr:`ResolveReport.problems`); the command exits non-zero with it.
Caveats: a service's ``score`` is on its own scale (Find that Charity's is a search-engine
score, not 0–100) — ``similarity`` is kil's comparable 0–100 name similarity; a registered
address is the head office, not necessarily where the organisation works.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kil_analysis.enrich.proposals import (
    PROPOSAL_COLUMNS,
    companies_house_candidates,
    finish_proposals,
    reconciliation_candidates,
)
from kil_analysis.enrich.reconcile_client import (
    CompaniesHouseClient,
    ReconciliationClient,
    ServiceError,
    ServiceUnavailable,
)
from kil_analysis.enrich.resolved_cache import ResolvedCache, name_query_key

DEFAULT_RECONCILE_URL = "https://findthatcharity.uk/reconcile"
DEFAULT_COMPANIES_HOUSE_URL = "https://api.company-information.service.gov.uk"
ENV_RECONCILE_URL = "KIL_RECONCILE_URL"
ENV_COMPANIES_HOUSE_URL = "KIL_COMPANIES_HOUSE_URL"
ENV_COMPANIES_HOUSE_KEY = "COMPANIES_HOUSE_API_KEY"
LOW_CONFIDENCE = 0.7  # below this, a type is a guess (soft name cues, the person rule): look it up
POSTCODE_PROPERTY = "postalCode"  # the data-extension property holding a postcode
SKIP_ORG_TYPES = ("not_a_supplier",)


def reconcile_url(flag: str | None = None) -> str:
    """The reconciliation service's URL.

    The ``--service-url`` flag, else $KIL_RECONCILE_URL, else Find that Charity's.
    """
    return flag or os.environ.get(ENV_RECONCILE_URL) or DEFAULT_RECONCILE_URL


def companies_house_url(flag: str | None = None) -> str:
    """The Companies House API base: the flag, else $KIL_COMPANIES_HOUSE_URL, else the live one."""
    return flag or os.environ.get(ENV_COMPANIES_HOUSE_URL) or DEFAULT_COMPANIES_HOUSE_URL


def companies_house_key() -> str | None:
    """The user's Companies House API key from $COMPANIES_HOUSE_API_KEY (None when unset)."""
    key = os.environ.get(ENV_COMPANIES_HOUSE_KEY, "").strip()
    return key or None


def unidentified_suppliers(
    suppliers: pd.DataFrame, top: int = 50, min_confidence: float = LOW_CONFIDENCE
) -> pd.DataFrame:
    """The ``top`` suppliers by spend (pence) that are not identified well enough.

    Not identified: ``org_type`` unknown, or ``org_type_confidence`` below ``min_confidence``.
    Left out: redacted lines (never sent to a service), overridden suppliers (the researcher has
    decided), finance-system accounts (``not_a_supplier``), blank names and suppliers with no
    positive spend. Returns supplier_key, supplier_name, total_pence, org_type,
    org_type_confidence, sorted by spend.
    """
    s = suppliers
    confidence = pd.to_numeric(s["org_type_confidence"], errors="coerce").fillna(0.0)
    unsure = s["org_type"].eq("unknown") | (confidence < min_confidence)
    overridden = s["overridden"].fillna(False).astype(bool) if "overridden" in s else False
    redacted = s["org_type_evidence"].fillna("").eq("redacted")
    if "is_redacted" in s:
        redacted |= s["is_redacted"].fillna(False).astype(bool)
    blank = s["supplier_name"].fillna("").astype(str).str.strip().eq("")
    spend = pd.to_numeric(s["total_pence"], errors="coerce").fillna(0)
    keep = unsure & ~overridden & ~redacted & ~blank & (spend > 0)
    keep &= ~s["org_type"].isin(SKIP_ORG_TYPES)
    out = s.loc[keep, ["supplier_key", "supplier_name", "total_pence", "org_type"]].copy()
    out["org_type_confidence"] = confidence[keep]
    out = out.sort_values(["total_pence", "supplier_key"], ascending=[False, True])
    return out.head(max(0, int(top))).reset_index(drop=True)


@dataclass
class ServiceRun:
    """What one service did in a run: names asked, answered from the cache, requests sent."""

    label: str
    asked: int = 0
    from_cache: int = 0
    not_asked: int = 0
    requests: int = 0
    waited_seconds: float = 0.0
    problem: str | None = None


@dataclass
class ResolveReport:
    """A run's account: per service, and the proposals made."""

    suppliers: int = 0
    services: list[ServiceRun] = field(default_factory=list)
    candidates: int = 0
    suppliers_with_candidates: int = 0
    answered: list[tuple[str, str]] = field(default_factory=list)  # (supplier_key, service)

    @property
    def problems(self) -> list[str]:
        """One line per service that could not be used fully (offline, refused, …)."""
        return [f"{s.label}: {s.problem}" for s in self.services if s.problem]

    def as_dict(self) -> dict:
        """The report as plain data (for ``--json``)."""
        return {
            "suppliers": self.suppliers,
            "candidates": self.candidates,
            "suppliers_with_candidates": self.suppliers_with_candidates,
            "services": [vars(s) for s in self.services],
            "problems": self.problems,
        }


def _ask_reconcile(
    client: ReconciliationClient, names: dict[str, str], cache: ResolvedCache, run: ServiceRun
) -> None:
    """Ask for every (key → name) not yet cached, batch by batch, caching each answer."""
    todo = [(k, n) for k, n in names.items() if not cache.has(client.label, k)]
    if not todo:
        return
    try:
        size = client.effective_batch_size()
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            answers = client.reconcile_batch([n for _, n in batch])
            for (key, name), answer in zip(batch, answers, strict=True):
                cache.put(client.label, key, name, client.base_url, answer)
                run.asked += 1
    except ServiceError as exc:
        run.problem = ("offline: " if isinstance(exc, ServiceUnavailable) else "") + str(exc)
        run.not_asked = len(todo) - run.asked


def _ask_postcodes(
    client: ReconciliationClient, ids: list[str], cache: ResolvedCache, run: ServiceRun
) -> None:
    """Fetch candidates' postcodes by data extension (when the service offers it), cached."""
    label = client.label + "-extend"
    todo = [i for i in dict.fromkeys(ids) if not cache.has(label, f"{POSTCODE_PROPERTY} {i}")]
    if not todo or run.problem:
        return
    try:
        if not client.supports_extend():
            return
        size = client.effective_batch_size()
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            rows = client.extend(batch, [POSTCODE_PROPERTY])
            for org_id in batch:
                values = rows.get(org_id, {}).get(POSTCODE_PROPERTY, [])
                key = f"{POSTCODE_PROPERTY} {org_id}"
                cache.put(label, key, org_id, client.base_url, values)
    except ServiceError as exc:
        run.problem = ("offline: " if isinstance(exc, ServiceUnavailable) else "") + str(exc)


def _ask_companies_house(
    client: CompaniesHouseClient, names: dict[str, str], cache: ResolvedCache, run: ServiceRun
) -> None:
    todo = [(k, n) for k, n in names.items() if not cache.has(client.label, k)]
    try:
        for key, name in todo:
            cache.put(client.label, key, name, client.base_url, client.search(name))
            run.asked += 1
    except ServiceError as exc:
        run.problem = ("offline: " if isinstance(exc, ServiceUnavailable) else "") + str(exc)
        run.not_asked = len(todo) - run.asked


def resolve_suppliers(
    targets: pd.DataFrame,
    cache: ResolvedCache,
    reconcile: ReconciliationClient | None = None,
    companies: CompaniesHouseClient | None = None,
    offline: bool = False,
    locate: Callable[[pd.Series], pd.Series] | None = None,
) -> tuple[pd.DataFrame, ResolveReport]:
    """Proposals (:data:`~kil_analysis.enrich.proposals.PROPOSAL_COLUMNS`) for ``targets``.

    ``targets``: supplier_key, supplier_name, total_pence (from :func:`unidentified_suppliers`).
    Each distinct normalised name is asked at most once per service, ever: answers are read
    from ``cache`` first and every new answer is written to it. ``offline``: use the cache
    only. ``locate``: postcodes → locality (e.g. :func:`kil_analysis.enrich.locality.
    assign_locality` bound to a council), for ``proposed_locality``.
    """
    report = ResolveReport(suppliers=len(targets))
    key_of = targets["supplier_name"].map(name_query_key)
    names = {k: n for k, n in zip(key_of, targets["supplier_name"], strict=True) if k}
    rows: list[dict] = []
    for client in (reconcile, companies):
        if client is None:
            continue
        run = ServiceRun(label=client.label)
        report.services.append(run)
        cached = {k for k in names if cache.has(client.label, k)}
        run.from_cache = len(cached)
        sent_before = client.http.requests_sent
        waited_before = client.http.throttle.waited
        is_reconcile = isinstance(client, ReconciliationClient)
        if offline:
            run.not_asked = len(names) - len(cached)
            if run.not_asked:
                run.problem = f"offline (--offline): {run.not_asked} names not asked"
        elif isinstance(client, ReconciliationClient):
            _ask_reconcile(client, names, cache, run)
        else:
            _ask_companies_house(client, names, cache, run)
        parse = reconciliation_candidates if is_reconcile else companies_house_candidates
        found = []
        for i, key in key_of.items():
            answer = cache.get(client.label, key) if key else None
            if isinstance(answer, dict):
                report.answered.append((targets.at[i, "supplier_key"], client.label))
            for cand in parse(answer, client.label) if isinstance(answer, dict) else []:
                cand.update(
                    supplier_key=targets.at[i, "supplier_key"],
                    supplier_name=targets.at[i, "supplier_name"],
                    total_pence=int(targets.at[i, "total_pence"]),
                    from_cache=key in cached,
                )
                found.append(cand)
        if isinstance(client, ReconciliationClient):
            if not offline:
                _ask_postcodes(client, [c["candidate_id"] for c in found], cache, run)
            for cand in found:
                values = cache.get(
                    client.label + "-extend", f"{POSTCODE_PROPERTY} {cand['candidate_id']}"
                )
                cand["postcode"] = values[0] if isinstance(values, list) and values else None
        rows.extend(found)
        run.requests = client.http.requests_sent - sent_before
        run.waited_seconds = round(client.http.throttle.waited - waited_before, 2)
    proposals = finish_proposals(pd.DataFrame(rows, columns=None if rows else PROPOSAL_COLUMNS))
    if locate is not None and not proposals.empty:
        located = locate(proposals["postcode"].fillna(""))
        proposals["proposed_locality"] = located.where(proposals["postcode"].notna(), None)
    report.candidates = len(proposals)
    report.suppliers_with_candidates = int(proposals["supplier_key"].nunique())
    return proposals, report


def merge_proposals(
    previous: pd.DataFrame | None, fresh: pd.DataFrame, answered: list[tuple[str, str]]
) -> pd.DataFrame:
    """This run's proposals, plus earlier runs' for what this run did not answer.

    ``answered``: the (supplier_key, service) pairs this run has an answer for (from the cache
    or the service): their earlier proposals are replaced (a name that now has no candidate
    loses its old ones). Everything else is kept — other suppliers, other services, and names a
    service could not be asked this time (offline).
    """
    if previous is None or previous.empty:
        return fresh.reset_index(drop=True)
    done = set(answered)
    pairs = zip(previous["supplier_key"], previous["service"], strict=True)
    keep = previous[[pair not in done for pair in pairs]]
    parts = [p for p in (keep, fresh) if not p.empty]
    if not parts:
        return fresh.reset_index(drop=True)
    out = pd.concat(parts, ignore_index=True)
    for col in PROPOSAL_COLUMNS:
        if col not in out:
            out[col] = None
    return finish_proposals(out[PROPOSAL_COLUMNS])


def proposals_path(processed_dir: Path) -> Path:
    """Where a council's proposals are kept: data/processed/<slug>/proposals.parquet."""
    return Path(processed_dir) / "proposals.parquet"
