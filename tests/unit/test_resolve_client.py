"""Being polite to look-up services: batches, delays, rate limits, Retry-After, backoff, shapes.

Waits are measured on a fake clock (the throttle's sleep advances it), so nothing here sleeps;
the requests themselves go to a server on 127.0.0.1.
"""

from __future__ import annotations

import pytest
import requests

from kil_analysis.enrich.proposals import (
    clean_candidate_name,
    companies_house_candidates,
    propose_type,
    reconciliation_candidates,
)
from kil_analysis.enrich.reconcile_client import (
    CompaniesHouseClient,
    PoliteHttp,
    ReconciliationClient,
    ServiceError,
    ServiceUnavailable,
    Throttle,
    retry_after_seconds,
)
from tests.unit.test_resolve_support import Company, LookupServer, Org, closed_port_url


class FakeClock:
    """A monotonic clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def polite(clock: FakeClock, **throttle) -> PoliteHttp:
    return PoliteHttp(throttle=Throttle(clock=clock, sleep=clock.sleep, **throttle))


ORGS = [
    Org(f"GB-CHC-10{i:05d}", f"RIVERSIDE GROUP {i}", "registered-charity", "Charity")
    for i in range(7)
]


def test_names_go_in_batches_no_larger_than_the_service_allows() -> None:
    clock = FakeClock()
    with LookupServer(orgs=ORGS, batch_size=3) as server:
        client = ReconciliationClient(server.reconcile_url, http=polite(clock), batch_size=10)
        assert client.effective_batch_size() == 3  # the manifest's batchSize wins
        answers = client.reconcile_batch(["RIVERSIDE GROUP 1", "NO SUCH NAME"])
    assert answers[0]["result"][0]["id"] == "GB-CHC-1000001"
    assert answers[0]["result"][0]["match"] is True
    assert answers[1] == {"result": []}


def test_a_delay_separates_requests_to_one_service() -> None:
    clock = FakeClock()
    with LookupServer(orgs=ORGS) as server:
        client = ReconciliationClient(server.reconcile_url, http=polite(clock, min_interval=1.5))
        client.manifest()
        client.reconcile_batch(["RIVERSIDE GROUP 1"])
        client.reconcile_batch(["RIVERSIDE GROUP 2"])
    assert clock.sleeps == [1.5, 1.5]


def test_429_waits_as_long_as_retry_after_says_then_succeeds() -> None:
    clock = FakeClock()
    with LookupServer(orgs=ORGS, fail_next=[429], retry_after="7") as server:
        client = ReconciliationClient(server.reconcile_url, http=polite(clock, min_interval=0))
        answers = client.reconcile_batch(["RIVERSIDE GROUP 3"])
        assert [s for s, _, _ in server.log] == ["fail", "reconcile"]
    assert answers[0]["result"][0]["id"] == "GB-CHC-1000003"
    assert clock.sleeps == [7.0]


def test_5xx_backs_off_exponentially_and_gives_up_in_one_line() -> None:
    clock = FakeClock()
    with LookupServer(orgs=ORGS, fail_next=[503, 502, 500], retry_after=None) as server:
        http = polite(clock, min_interval=0)
        http.retries = 2
        client = ReconciliationClient(server.reconcile_url, http=http)
        with pytest.raises(ServiceError, match=r"answered HTTP 500 3 times; try later"):
            client.reconcile_batch(["RIVERSIDE GROUP 3"])
    assert clock.sleeps == [2.0, 4.0]


def test_a_retry_after_longer_than_we_would_wait_is_reported_not_waited() -> None:
    clock = FakeClock()
    with LookupServer(orgs=ORGS, fail_next=[429], retry_after="3600") as server:
        client = ReconciliationClient(server.reconcile_url, http=polite(clock, min_interval=0))
        with pytest.raises(ServiceError, match=r"asks to wait 3600 s \(Retry-After\)"):
            client.reconcile_batch(["RIVERSIDE GROUP 3"])
    assert clock.sleeps == []


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None


def test_companies_house_budget_of_requests_per_window() -> None:
    clock = FakeClock()
    throttle = Throttle(
        min_interval=0, window_requests=3, window_seconds=300, clock=clock, sleep=clock.sleep
    )
    for _ in range(4):
        throttle.wait()
    assert clock.sleeps == [300.0]  # the fourth waits until the first leaves the window


def test_companies_house_rate_headers_hold_back_the_next_request() -> None:
    class Resp:
        status_code = 200
        headers = {"X-Ratelimit-Remain": "0", "X-Ratelimit-Reset": "5060"}

    clock = FakeClock()
    http = polite(clock, min_interval=0)
    http.wall_clock = lambda: 5000.0
    http.note_rate_headers(Resp())  # what a real answer's headers trigger
    http.throttle.wait()
    assert clock.sleeps == [60.0]


def test_companies_house_search_sends_the_key_as_basic_auth_user() -> None:
    clock = FakeClock()
    companies = [Company("SC123456", "TAY VALLEY LIGHTING LIMITED", "ltd", postcode="DD2 4UH")]
    with LookupServer(companies=companies, api_key="k-123") as server:
        good = CompaniesHouseClient(server.base, api_key="k-123", http=polite(clock))
        items = good.search("Tay Valley Lighting")["items"]
        bad = CompaniesHouseClient(server.base, api_key="nope", http=polite(clock))
        with pytest.raises(ServiceError, match="refused the API key"):
            bad.search("Tay Valley Lighting")
    assert items[0]["company_number"] == "SC123456"
    cands = companies_house_candidates({"items": items}, "ch")
    assert cands[0]["candidate_id"] == "GB-COH-SC123456" and cands[0]["postcode"] == "DD2 4UH"


def test_an_unreachable_service_is_offline_after_one_retry() -> None:
    clock = FakeClock()
    client = ReconciliationClient(closed_port_url(), http=polite(clock, min_interval=0))
    with pytest.raises(
        ServiceUnavailable, match=r"cannot reach 127\.0\.0\.1:\d+ \(no connection\)"
    ):
        client.manifest()
    assert len(clock.sleeps) == 1


def test_a_server_that_is_not_a_reconciliation_service_is_named() -> None:
    clock = FakeClock()
    with LookupServer() as server:
        client = ReconciliationClient(server.base + "/elsewhere", http=polite(clock))
        with pytest.raises(ServiceError, match=r"service manifest refused \(HTTP 404\)"):
            client.manifest()


def test_data_extension_reads_postcodes_in_both_published_shapes() -> None:
    clock = FakeClock()
    orgs = [Org("GB-CHC-1063937", "KNOWLE WEST MEDIA CENTRE", "registered-charity", "C", "BS4 1NL")]
    with LookupServer(orgs=orgs) as server:
        client = ReconciliationClient(server.reconcile_url, http=polite(clock))
        assert client.supports_extend()
        got = client.extend(["GB-CHC-1063937", "GB-CHC-999"], ["postalCode"])
    assert got == {"GB-CHC-1063937": {"postalCode": ["BS4 1NL"]}, "GB-CHC-999": {"postalCode": []}}


def test_the_1_0_draft_result_shape_is_read_too(monkeypatch) -> None:
    class Resp:
        status_code = 200
        url = "http://127.0.0.1/reconcile"

        @staticmethod
        def json():
            return {"results": [{"candidates": [{"id": "GB-LAE-BST", "name": "Bristol"}]}, {}]}

    http = PoliteHttp(throttle=Throttle(min_interval=0))
    monkeypatch.setattr(http, "request", lambda *a, **k: Resp())
    client = ReconciliationClient("http://127.0.0.1/reconcile", http=http)
    answers = client.reconcile_batch(["BRISTOL CITY COUNCIL", "NOBODY"])
    assert answers == [{"result": [{"id": "GB-LAE-BST", "name": "Bristol"}]}, {"result": []}]
    assert isinstance(http.session, requests.Session)
    named = {
        "result": [{"id": "GB-LAE-BST", "name": [{"str": "Bristol City Council", "lang": "en"}]}]
    }
    (cand,) = reconciliation_candidates(named, "svc")
    assert (
        cand["candidate_name"] == "Bristol City Council" and cand["proposed_org_type"] == "public"
    )


@pytest.mark.parametrize(
    ("org_id", "form", "name", "expected"),
    [
        ("GB-CHC-1057949", "registered-charity", "ACORNS", ("vcse", "charity")),
        ("GB-CHC-1170000", "charitable-incorporated-organisation", "X", ("vcse", "CIO")),
        ("GB-SC-SC012345", None, "X", ("vcse", "charity")),
        ("GB-MPR-1234R", None, "X", ("vcse", "co-operative or community benefit society")),
        (
            "GB-COH-01234567",
            "private-limited-guarant-nsc",
            "X",
            ("vcse", "company limited by guarantee"),
        ),
        ("GB-COH-01234567", "ltd", "RIVERSIDE ARTS CIC", ("vcse", "CIC")),
        ("GB-COH-01234567", "ltd", "CANOLFAN CWMNI BUDDIANT CYMUNEDOL", ("vcse", "CIC")),
        ("GB-COH-01234567", "ltd", "ACME LIMITED", ("private", None)),
        ("GB-COH-01234567", "plc", "ACME PLC", ("private", None)),
        ("GB-COH-01234567", None, "ACME", (None, None)),
        ("GB-LAE-GAT", "local-authority", "GATESHEAD", ("public", None)),
        ("GB-NHS-RTD", None, "NEWCASTLE HOSPITALS", ("public", None)),
        ("GB-EDU-100000", "education", "A SCHOOL", ("public", None)),
        ("GB-GOR-PB188", "government-organisation", "NLCF", ("public", None)),
        ("GB-UKPRN-10000001", None, "A TRAINING PROVIDER", (None, None)),
    ],
)
def test_an_org_id_says_the_register_and_the_form_refines_it(org_id, form, name, expected):
    assert propose_type(org_id, form, name) == expected


def test_find_that_charity_names_lose_their_id_and_say_inactive() -> None:
    assert clean_candidate_name("Acorns Trust (GB-CHC-1057949) [INACTIVE]") == (
        "Acorns Trust",
        True,
    )
    answer = {
        "result": [
            {
                "id": "GB-CHC-1057949",
                "name": "Acorns Trust (GB-CHC-1057949)",
                "score": 4839660.5,
                "match": True,
                "type": [{"id": "registered-charity", "name": "Registered Charity"}],
            }
        ]
    }
    (cand,) = reconciliation_candidates(answer, "ftc")
    assert cand["candidate_name"] == "Acorns Trust" and cand["score"] == 4839660.5
    assert (cand["proposed_org_type"], cand["proposed_vcse_form"]) == ("vcse", "charity")
