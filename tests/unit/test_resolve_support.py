"""A local look-up server on 127.0.0.1 for the `kil resolve` tests (no tests in this file).

It answers in the documented shapes: the Reconciliation Service API as OpenRefine and Find that
Charity use it (manifest on GET; ``queries=`` JSON batches on POST or GET →
``{"q0": {"result": [{"id", "name", "score", "match", "type"}]}}``; ``extend=`` data extension →
``{"meta", "rows": {id: {prop: [{"str"}]}}}``), and Companies House's company search
(``GET /search/companies?q=`` with HTTP basic auth → ``{"items": [...]}`` and the
``X-Ratelimit-*`` headers). Names come back the way Find that Charity writes them:
"Name (GB-CHC-123)", with " [INACTIVE]" for removed organisations.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Org:
    """One organisation the reconciliation service knows."""

    org_id: str
    name: str
    type_id: str
    type_name: str
    postcode: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Company:
    """One company the Companies House search knows."""

    number: str
    title: str
    company_type: str
    status: str = "active"
    postcode: str | None = None


def _words(text: str) -> set[str]:
    stop = {"THE", "LTD", "LIMITED", "OF", "AND", "CIC", "PLC"}
    return {w for w in re.sub(r"[^A-Z0-9 ]", " ", text.upper()).split() if w not in stop}


def _score(query: str, name: str) -> float:
    q, n = _words(query), _words(name)
    return round(100.0 * len(q & n) / len(q | n), 1) if q and n else 0.0


@dataclass
class LookupServer:
    """Both services on one ephemeral port; ``log`` records (service, method, n_queries).

    ``fail_next``: statuses answered (with ``retry_after``) before any real answer, e.g. [429].
    ``batch_size``: advertised in the manifest when set. ``api_key``: what Companies House
    accepts.
    """

    orgs: list[Org] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    batch_size: int | None = None
    extend: bool = True
    api_key: str = "test-key"
    fail_next: list[int] = field(default_factory=list)
    retry_after: str | None = "0"
    log: list[tuple[str, str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body, headers: dict | None = None) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _maybe_fail(self) -> bool:
                if not server.fail_next:
                    return False
                status = server.fail_next.pop(0)
                headers = {"Retry-After": server.retry_after} if server.retry_after else {}
                server.log.append(("fail", self.command, status))
                self._send(status, {"error": "try later"}, headers)
                return True

            def _form(self) -> dict[str, list[str]]:
                length = int(self.headers.get("Content-Length") or 0)
                return parse_qs(self.rfile.read(length).decode("utf-8"))

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                params = parse_qs(parts.query)
                if self._maybe_fail():
                    return
                if parts.path == "/search/companies":
                    self._companies(params)
                elif parts.path == "/reconcile":
                    self._reconcile(params)
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                if self._maybe_fail():
                    return
                if urlsplit(self.path).path != "/reconcile":
                    self._send(404, {"error": "not found"})
                    return
                self._reconcile(self._form())

            def _reconcile(self, params: dict[str, list[str]]) -> None:
                if "queries" in params:
                    queries = json.loads(params["queries"][0])
                    server.log.append(("reconcile", self.command, len(queries)))
                    self._send(200, {k: server.answer(q) for k, q in queries.items()})
                elif "extend" in params:
                    ask = json.loads(params["extend"][0])
                    server.log.append(("extend", self.command, len(ask["ids"])))
                    self._send(200, server.extension(ask))
                else:
                    server.log.append(("manifest", self.command, 0))
                    self._send(200, server.manifest())

            def _companies(self, params: dict[str, list[str]]) -> None:
                expected = "Basic " + base64.b64encode(f"{server.api_key}:".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    server.log.append(("companies", "refused", 0))
                    self._send(401, {"error": "Invalid Authorization", "type": "ch:service"})
                    return
                query = params.get("q", [""])[0]
                per_page = int(params.get("items_per_page", ["20"])[0])
                server.log.append(("companies", self.command, 1))
                items = server.search(query)[:per_page]
                headers = {
                    "X-Ratelimit-Limit": "600",
                    "X-Ratelimit-Remain": "599",
                    "X-Ratelimit-Reset": str(int(time.time()) + 300),
                    "X-Ratelimit-Window": "5m",
                }
                body = {
                    "items": items,
                    "items_per_page": per_page,
                    "kind": "search#companies",
                    "page_number": 1,
                    "start_index": 0,
                    "total_results": len(items),
                }
                self._send(200, body, headers)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- answers in the documented shapes -------------------------------------------------
    def manifest(self) -> dict:
        spec = {
            "versions": ["0.1", "0.2"],
            "name": "Local test reconciliation service",
            "identifierSpace": "http://org-id.guide",
            "schemaSpace": "https://schema.org",
            "view": {"url": f"{self.reconcile_url}/orgid/{{{{id}}}}"},
            "defaultTypes": [{"id": "registered-charity", "name": "Registered Charity"}],
        }
        if self.extend:
            spec["extend"] = {
                "propose_properties": {"service_url": self.reconcile_url, "service_path": "/p"},
                "property_settings": [],
            }
        if self.batch_size:
            spec["batchSize"] = self.batch_size
        return spec

    def answer(self, query: dict) -> dict:
        text = query.get("query", "")
        scored = sorted(
            ((_score(text, o.name), o) for o in self.orgs),
            key=lambda t: (-t[0], t[1].org_id),
        )
        scored = [(s, o) for s, o in scored if s > 0][: int(query.get("limit", 10))]
        return {
            "result": [
                {
                    "id": o.org_id,
                    "name": f"{o.name} ({o.org_id})" + ("" if o.active else " [INACTIVE]"),
                    "type": [{"id": o.type_id, "name": o.type_name}],
                    "score": s,
                    "match": k == 0 and _words(o.name) == _words(text),
                }
                for k, (s, o) in enumerate(scored)
            ]
        }

    def extension(self, ask: dict) -> dict:
        by_id = {o.org_id: o for o in self.orgs}
        props = [p["id"] for p in ask["properties"]]
        rows = {}
        for i in ask["ids"]:
            org = by_id.get(i)
            pc = org.postcode if org else None
            rows[i] = {p: ([{"str": pc}] if p == "postalCode" and pc else [{}]) for p in props}
        return {"meta": [{"id": p, "name": p} for p in props], "rows": rows}

    def search(self, query: str) -> list[dict]:
        scored = sorted(((_score(query, c.title), c) for c in self.companies), key=lambda t: -t[0])
        return [
            {
                "kind": "searchresults#company",
                "company_number": c.number,
                "title": c.title,
                "company_status": c.status,
                "company_type": c.company_type,
                "address": {"address_line_1": "1 High Street", "postal_code": c.postcode},
                "address_snippet": f"1 High Street, {c.postcode}",
                "date_of_creation": "2010-01-01",
                "links": {"self": f"/company/{c.number}"},
            }
            for s, c in scored
            if s > 0
        ]

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def reconcile_url(self) -> str:
        return self.base + "/reconcile"

    def count(self, service: str) -> int:
        """Requests answered for one service ('reconcile', 'extend', 'companies', 'manifest')."""
        return sum(1 for s, _, _ in self.log if s == service)

    def __enter__(self) -> LookupServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def closed_port_url() -> str:
    """A 127.0.0.1 URL where nothing listens (connection refused: the offline case)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/reconcile"
