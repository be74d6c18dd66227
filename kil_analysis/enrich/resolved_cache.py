"""Cache of look-up answers: one JSON file per service and query, never asked twice.

Layout: ``<root>/<service label>/<sha256 of the normalised query, 32 hex>.json``, where ``root``
defaults to ``data/registers/resolved/``. A supplier name is normalised with the project's
supplier-key rule (so "Acme Ltd" and "ACME LIMITED " share one answer); other queries (e.g. a
postcode look-up for an org-id) pass their own key. Each file holds ``service``, ``url``,
``query`` (as asked), ``key`` (normalised), ``fetched_at`` (UTC, ISO 8601) and ``response``
(the service's answer for that query, as received). Files are written atomically. A file that
cannot be read, or whose key differs, counts as missing and is replaced on the next answer.
Answers do not expire: delete a service's folder to ask again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kil_analysis.enrich.keys import name_keys
from kil_analysis.readers.atomic import write_json_atomic


def name_query_key(name: str) -> str:
    """The normalised form of a supplier name used as a cache key (the supplier-key rule)."""
    return str(name_keys([name]).iloc[0])


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class ResolvedCache:
    """Answers by service label and normalised query key, stored under ``root``."""

    root: Path
    hits: int = 0
    writes: int = 0

    def path(self, service: str, key: str) -> Path:
        """The file holding ``service``'s answer for the normalised query ``key``."""
        return Path(self.root) / service / f"{_digest(key)}.json"

    def get(self, service: str, key: str) -> Any | None:
        """The cached response for (service, key), or None when there is none."""
        path = self.path(service, key)
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key or "response" not in stored:
            return None
        self.hits += 1
        return stored["response"]

    def has(self, service: str, key: str) -> bool:
        """True when an answer for (service, key) is cached (does not count as a hit)."""
        hits = self.hits
        found = self.get(service, key) is not None
        self.hits = hits
        return found

    def put(self, service: str, key: str, query: str, url: str, response: Any) -> Path:
        """Store one answer atomically; returns its path."""
        record = {
            "service": service,
            "url": url,
            "query": query,
            "key": key,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "response": response,
        }
        self.writes += 1
        return write_json_atomic(self.path(service, key), record)
