"""HTTP clients for looking names up: reconciliation services and Companies House search.

**Reconciliation Service API** (the W3C community group's protocol, versions 0.1/0.2, as
OpenRefine speaks it; Find that Charity serves it with org-ids as identifiers):

- ``GET <base>`` → the service manifest (``name``, ``versions``, ``identifierSpace``, optional
  ``batchSize`` and ``extend``).
- ``POST <base>`` with the form field ``queries`` = JSON ``{"q0": {"query": "...", "limit": 3}}``
  → ``{"q0": {"result": [{"id", "name", "score", "match", "type": [{"id", "name"}]}]}}``. The
  1.0 draft's shape (``{"results": [{"candidates": [...]}]}``) is read too.
- ``POST <base>`` with ``extend`` = ``{"ids": [...], "properties": [{"id": "postalCode"}]}`` →
  ``{"meta": [...], "rows": {"<id>": {"postalCode": [{"str": "YO30 2DQ"}]}}}`` (0.2) or
  ``"rows": [{"id", "properties": [{"id", "values"}]}]`` (1.0 draft).

**Companies House public data API**: ``GET <base>/search/companies?q=...&items_per_page=n`` with
HTTP basic auth (the API key as user name, empty password) → ``{"items": [{"company_number",
"title", "company_status", "company_type", "address": {"postal_code", ...}}]}``.

**Politeness** (:class:`Throttle`, :class:`PoliteHttp`): a minimum interval between two requests
to one service; an optional budget of requests per window kept on the client side (Companies
House allows 600 per 5 minutes) and corrected from the ``X-Ratelimit-Remain`` /
``X-Ratelimit-Reset`` headers; retries with exponential backoff on HTTP 429 and 5xx, honouring
``Retry-After`` (seconds or an HTTP date) up to ``max_wait`` seconds. A service that cannot be
reached raises :class:`ServiceUnavailable` (offline); an HTTP failure that retrying does not cure
raises :class:`ServiceError`. Both carry a one-line message naming the URL.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

USER_AGENT = "kil-analysis (Keep it Local research workbench; python-requests)"
TIMEOUT_SECONDS = (10, 60)  # (connect, read)


class ServiceError(RuntimeError):
    """A look-up service answered with an error that retrying did not cure (one-line message)."""


class ServiceUnavailable(ServiceError):
    """The service could not be reached at all: offline, DNS failure, refused, timed out."""


@dataclass
class Throttle:
    """Spacing and budgeting of requests to one service (times in seconds).

    ``min_interval``: least time between the starts of two requests. ``window_requests`` per
    ``window_seconds``: a rolling budget (None: no budget). ``clock``/``sleep`` are injectable so
    tests can check the waits without waiting.
    """

    min_interval: float = 1.0
    window_requests: int | None = None
    window_seconds: float = 300.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    waited: float = 0.0  # total seconds slept, for the run's report
    _sent: deque = field(default_factory=deque)
    _last: float | None = None
    _blocked_until: float = 0.0

    def wait(self) -> None:
        """Sleep until the next request may start, then record it as started."""
        now = self.clock()
        delay = self._blocked_until - now
        if self._last is not None:
            delay = max(delay, self._last + self.min_interval - now)
        if self.window_requests:
            while self._sent and self._sent[0] <= now - self.window_seconds:
                self._sent.popleft()
            if len(self._sent) >= self.window_requests:
                delay = max(delay, self._sent[0] + self.window_seconds - now)
        if delay > 0:
            self.sleep(delay)
            self.waited += delay
        stamp = self.clock()
        self._last = stamp
        self._sent.append(stamp)
        if self.window_requests:
            while len(self._sent) > self.window_requests:
                self._sent.popleft()

    def block_for(self, seconds: float) -> None:
        """Make the next request wait at least ``seconds`` from now (Retry-After, rate reset)."""
        self._blocked_until = max(self._blocked_until, self.clock() + max(0.0, seconds))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent.

    ``now`` is the wall-clock time (epoch seconds) used for an HTTP date.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


@dataclass
class PoliteHttp:
    """A ``requests`` session behind a :class:`Throttle`, with retries and one-line errors.

    ``retries``: further attempts after an HTTP 429/5xx (exponential backoff from
    ``backoff_seconds``, or the server's Retry-After); a connection failure is retried once.
    ``max_wait``: the longest single wait accepted — a server asking for longer is reported
    rather than waited for.
    """

    throttle: Throttle = field(default_factory=Throttle)
    retries: int = 4
    backoff_seconds: float = 2.0
    max_wait: float = 330.0
    timeout: tuple[float, float] = TIMEOUT_SECONDS
    wall_clock: Callable[[], float] = time.time
    session: requests.Session = field(default_factory=requests.Session)
    requests_sent: int = 0

    def __post_init__(self) -> None:  # noqa: D105
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    def note_rate_headers(self, resp: requests.Response) -> None:
        """Hold back the next request when X-Ratelimit-Remain says the budget is spent."""
        remain = resp.headers.get("X-Ratelimit-Remain") or resp.headers.get("X-Ratelimit-Remaining")
        reset = resp.headers.get("X-Ratelimit-Reset")
        if remain is not None and remain.strip().isdigit() and int(remain) <= 0:
            if reset and reset.strip().isdigit():
                self.throttle.block_for(float(reset) - self.wall_clock())
            else:
                self.throttle.block_for(self.throttle.window_seconds)

    def _backoff(self, attempt: int, resp: requests.Response | None) -> float:
        if resp is not None:
            after = retry_after_seconds(resp.headers.get("Retry-After"), self.wall_clock())
            if after is not None:
                return after
            reset = resp.headers.get("X-Ratelimit-Reset")
            if resp.status_code == 429 and reset and reset.strip().isdigit():
                return max(0.0, float(reset) - self.wall_clock())
        return min(self.backoff_seconds * (2**attempt), self.max_wait)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send one request politely; return the response (any status below 500 but 429).

        Raises ServiceUnavailable when the host cannot be reached, ServiceError when 429/5xx
        persist or the server asks to wait longer than ``max_wait``.
        """
        host = urlsplit(url).netloc or url
        connect_failures = 0
        attempt = 0
        while True:
            self.throttle.wait()
            self.requests_sent += 1
            try:
                resp = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                connect_failures += 1
                if connect_failures > 1:
                    kind = "timed out" if isinstance(exc, requests.Timeout) else "no connection"
                    raise ServiceUnavailable(f"cannot reach {host} ({kind})") from exc
                self.throttle.block_for(self.backoff_seconds)
                continue
            self.note_rate_headers(resp)
            if resp.status_code != 429 and resp.status_code < 500:
                return resp
            wait = self._backoff(attempt, resp)
            if attempt >= self.retries:
                raise ServiceError(
                    f"{host} answered HTTP {resp.status_code} {attempt + 1} times; try later"
                )
            if wait > self.max_wait:
                raise ServiceError(
                    f"{host} answered HTTP {resp.status_code} and asks to wait {wait:.0f} s "
                    "(Retry-After); try later"
                )
            self.throttle.block_for(wait)
            attempt += 1


def _json(resp: requests.Response, what: str) -> Any:
    try:
        return resp.json()
    except ValueError as exc:
        raise ServiceError(f"{resp.url}: {what} is not JSON (HTTP {resp.status_code})") from exc


def _check(resp: requests.Response, what: str) -> None:
    if resp.status_code >= 400:
        raise ServiceError(f"{resp.url}: {what} refused (HTTP {resp.status_code})")


def service_label(base_url: str) -> str:
    """A file-name-safe label from a URL's host and path: ``findthatcharity.uk-reconcile``."""
    parts = urlsplit(base_url)
    text = (parts.netloc + parts.path).strip("/").lower()
    safe = "".join(c if c.isalnum() or c in ".-" else "-" for c in text)
    return "-".join(p for p in safe.split("-") if p) or "service"


@dataclass
class ReconciliationClient:
    """One Reconciliation Service API endpoint (see the module docstring for the shapes).

    ``batch_size``: queries per request (lowered to the manifest's ``batchSize`` if smaller);
    ``limit``: candidates asked per query.
    """

    base_url: str
    http: PoliteHttp = field(default_factory=PoliteHttp)
    batch_size: int = 10
    limit: int = 3
    _manifest: dict | None = None

    @property
    def label(self) -> str:
        """The cache label of this service (host and path)."""
        return service_label(self.base_url)

    def manifest(self) -> dict:
        """The service manifest (fetched once per client); ServiceError if it is not one."""
        if self._manifest is None:
            resp = self.http.request("GET", self.base_url)
            _check(resp, "service manifest")
            data = _json(resp, "service manifest")
            if not isinstance(data, dict) or not ({"versions", "identifierSpace"} & set(data)):
                raise ServiceError(f"{self.base_url}: not a reconciliation service manifest")
            self._manifest = data
        return self._manifest

    def effective_batch_size(self) -> int:
        """Queries per request: ``batch_size``, capped by the manifest's ``batchSize``."""
        advertised = self.manifest().get("batchSize")
        size = max(1, int(self.batch_size))
        if isinstance(advertised, int) and advertised > 0:
            size = min(size, advertised)
        return size

    def supports_extend(self) -> bool:
        """True when the manifest advertises data extension (used to fetch postcodes)."""
        return bool(self.manifest().get("extend"))

    def reconcile_batch(self, names: list[str]) -> list[dict]:
        """One request for ``names``: one ``{"result": [candidates]}`` per name, in order."""
        queries = {f"q{i}": {"query": n, "limit": self.limit} for i, n in enumerate(names)}
        resp = self.http.request(
            "POST", self.base_url, data={"queries": json.dumps(queries, ensure_ascii=False)}
        )
        _check(resp, "reconciliation query")
        data = _json(resp, "reconciliation answer")
        if isinstance(data, dict) and isinstance(data.get("results"), list):  # 1.0 draft
            results = data["results"]
            return [
                {"result": list(r.get("candidates") or []) if isinstance(r, dict) else []}
                for r in (results + [{}] * len(names))[: len(names)]
            ]
        if not isinstance(data, dict):
            raise ServiceError(f"{self.base_url}: reconciliation answer is not an object")
        out = []
        for key in queries:
            answer = data.get(key)
            result = answer.get("result") if isinstance(answer, dict) else None
            out.append({"result": list(result) if isinstance(result, list) else []})
        return out

    def extend(self, ids: Iterable[str], properties: Iterable[str]) -> dict[str, dict]:
        """Data extension: ``{id: {property: [text values]}}`` for the ids and properties asked."""
        ids = list(ids)
        props = list(properties)
        payload = {"ids": ids, "properties": [{"id": p} for p in props]}
        resp = self.http.request(
            "POST", self.base_url, data={"extend": json.dumps(payload, ensure_ascii=False)}
        )
        _check(resp, "data extension")
        data = _json(resp, "data extension answer")
        rows = data.get("rows") if isinstance(data, dict) else None
        out: dict[str, dict] = {i: {p: [] for p in props} for i in ids}
        items: list[tuple[object, Iterable[tuple[object, object]]]]
        if isinstance(rows, dict):  # 0.2: {id: {prop: [values]}}
            items = [(i, (v or {}).items()) for i, v in rows.items() if isinstance(v, dict)]
        elif isinstance(rows, list):  # 1.0 draft: [{"id", "properties": [{"id", "values"}]}]
            items = [
                (r.get("id"), [(p.get("id"), p.get("values")) for p in r.get("properties") or []])
                for r in rows
                if isinstance(r, dict)
            ]
        else:
            items = []
        for row_id, pairs in items:
            if row_id not in out:
                continue
            for prop, values in pairs:
                if prop in out[row_id] and isinstance(values, list):
                    out[row_id][prop] = [
                        str(v.get("str") or v.get("name") or v.get("id"))
                        for v in values
                        if isinstance(v, dict) and (v.get("str") or v.get("name") or v.get("id"))
                    ]
        return out


@dataclass
class CompaniesHouseClient:
    """The Companies House public data API's company search (needs a free API key)."""

    base_url: str
    api_key: str
    http: PoliteHttp = field(default_factory=PoliteHttp)
    items_per_page: int = 3

    @property
    def label(self) -> str:
        """The cache label of this service (host and path)."""
        return "companies-house-" + service_label(self.base_url)

    def search(self, name: str) -> dict:
        """``GET /search/companies?q=name``: the answer as published (``{"items": [...]}``)."""
        url = self.base_url.rstrip("/") + "/search/companies"
        resp = self.http.request(
            "GET",
            url,
            params={"q": name, "items_per_page": self.items_per_page},
            auth=(self.api_key, ""),
        )
        if resp.status_code in (401, 403):
            raise ServiceError(
                f"{urlsplit(url).netloc} refused the API key (HTTP {resp.status_code}): "
                "check COMPANIES_HOUSE_API_KEY"
            )
        _check(resp, "company search")
        data = _json(resp, "company search answer")
        if not isinstance(data, dict):
            raise ServiceError(f"{url}: company search answer is not an object")
        items = data.get("items")
        return {"items": list(items) if isinstance(items, list) else []}
