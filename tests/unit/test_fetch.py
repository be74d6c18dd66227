"""`kil fetch`: downloads are cached, checksummed, resumable and fail with one clear line.

Every test talks to a throwaway HTTP server on 127.0.0.1 (random port) in a thread; nothing
goes to the internet.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kil_analysis.cli import main
from kil_analysis.config import Source
from kil_analysis.readers.fetch import (
    MANIFEST_NAME,
    PARTIAL_DIR,
    FetchError,
    fetch_sources,
    read_manifest,
    register_sources,
)


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, plus single `Range: bytes=N-` requests (with If-Range on Last-Modified)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.server.requests.append((self.path, dict(self.headers)))  # type: ignore[attr-defined]
        rng = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if not rng or not path.is_file():
            return super().do_GET()
        data = path.read_bytes()
        start = int(rng.removeprefix("bytes=").rstrip("-"))
        last_modified = self.date_time_string(int(path.stat().st_mtime))
        if self.headers.get("If-Range") not in (None, last_modified):
            return super().do_GET()
        if start >= len(data):
            self.send_response(416)
            self.end_headers()
            return None
        self.send_response(206)
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Last-Modified", last_modified)
        self.end_headers()
        self.wfile.write(data[start:])
        return None


@pytest.fixture
def serve() -> Iterator:
    """serve(folder) -> (base_url, requests list); servers are shut down after the test."""
    servers = []

    def start(folder: Path):
        handler = functools.partial(RangeHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.requests = []  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", server.requests

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "January 2022.csv").write_bytes(b"Title row,,\r\n,,\r\nA,B,Total\r\n" * 50)
    (folder / "big.bin").write_bytes(os.urandom(300_000))
    return folder


def test_downloads_records_checksum_and_caches(tmp_path, site, serve):
    base, requests = serve(site)
    dest = tmp_path / "raw"
    sources = [Source(f"{base}/January%202022.csv", "2022-01.csv")]
    first = fetch_sources(sources, dest)
    assert [f.downloaded for f in first] == [True]
    assert (dest / "2022-01.csv").read_bytes() == (site / "January 2022.csv").read_bytes()
    entry = read_manifest(dest)["2022-01.csv"]
    assert entry["sha256"] == _sha(site / "January 2022.csv")
    assert entry["size"] == (site / "January 2022.csv").stat().st_size
    assert entry["url"] == sources[0].url and entry["fetched_at"]
    assert not (dest / PARTIAL_DIR).exists()

    second = fetch_sources(sources, dest)
    assert [f.downloaded for f in second] == [False]
    assert len(requests) == 1, "a cached file with a matching checksum must not be re-downloaded"


def test_configured_checksum_is_verified_and_used_for_cache(tmp_path, site, serve):
    base, requests = serve(site)
    good = Source(f"{base}/big.bin", "big.bin", sha256=_sha(site / "big.bin"))
    fetch_sources([good], tmp_path / "a")
    (tmp_path / "a" / MANIFEST_NAME).unlink()  # the configured checksum alone proves the cache
    assert fetch_sources([good], tmp_path / "a")[0].downloaded is False
    assert len(requests) == 1

    bad = Source(f"{base}/big.bin", "big.bin", sha256="0" * 64)
    with pytest.raises(FetchError) as err:
        fetch_sources([bad], tmp_path / "b")
    message = str(err.value)
    assert "\n" not in message and "big.bin" in message and "checksum" in message
    assert not (tmp_path / "b" / "big.bin").exists(), "a file failing its checksum is not kept"


def test_changed_local_file_is_downloaded_again(tmp_path, site, serve):
    base, requests = serve(site)
    sources = [Source(f"{base}/big.bin", "big.bin")]
    fetch_sources(sources, tmp_path)
    (tmp_path / "big.bin").write_bytes(b"tampered")
    assert fetch_sources(sources, tmp_path)[0].downloaded is True
    assert _sha(tmp_path / "big.bin") == _sha(site / "big.bin")
    assert len(requests) == 2


def test_interrupted_download_resumes_with_a_range_request(tmp_path, site, serve):
    base, requests = serve(site)
    data = (site / "big.bin").read_bytes()
    part = tmp_path / PARTIAL_DIR / "big.bin.part"
    part.parent.mkdir()
    part.write_bytes(data[:100_000])
    stamp = http.server.BaseHTTPRequestHandler.date_time_string(
        None,  # type: ignore[arg-type]
        int((site / "big.bin").stat().st_mtime),
    )
    (tmp_path / PARTIAL_DIR / "big.bin.part.meta").write_text(json.dumps({"validator": stamp}))
    got = fetch_sources(
        [Source(f"{base}/big.bin", "big.bin", sha256=_sha(site / "big.bin"))], tmp_path
    )
    assert got[0].downloaded and (tmp_path / "big.bin").read_bytes() == data
    assert requests[0][1].get("Range") == "bytes=100000-"
    assert not part.exists()


def test_stale_partial_is_not_spliced_onto_a_changed_file(tmp_path, site, serve):
    base, requests = serve(site)
    part = tmp_path / PARTIAL_DIR / "big.bin.part"
    part.parent.mkdir()
    part.write_bytes(b"x" * 1000)
    (tmp_path / PARTIAL_DIR / "big.bin.part.meta").write_text(
        json.dumps({"validator": "Thu, 01 Jan 1970 00:00:00 GMT"})
    )
    fetch_sources([Source(f"{base}/big.bin", "big.bin")], tmp_path)
    assert _sha(tmp_path / "big.bin") == _sha(site / "big.bin")


def test_404_is_one_line_naming_the_url_and_others_still_arrive(tmp_path, site, serve):
    base, _ = serve(site)
    missing = f"{base}/February%202022.csv"
    sources = [Source(missing, "2022-02.csv"), Source(f"{base}/January%202022.csv", "2022-01.csv")]
    with pytest.raises(FetchError) as err:
        fetch_sources(sources, tmp_path)
    message = str(err.value)
    assert "404" in message and missing in message and "\n" not in message
    assert (tmp_path / "2022-01.csv").exists()
    assert set(read_manifest(tmp_path)) == {"2022-01.csv"}


def test_server_down_is_one_line_naming_the_url(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/January%202022.csv"
    with pytest.raises(FetchError) as err:
        fetch_sources([Source(url, "2022-01.csv")], tmp_path)
    assert url in str(err.value) and "cannot reach" in str(err.value)
    assert "\n" not in str(err.value)
    assert not (tmp_path / PARTIAL_DIR).exists() and not (tmp_path / "2022-01.csv").exists()


def test_file_names_cannot_escape_the_destination(tmp_path):
    with pytest.raises(FetchError, match="plain file name"):
        fetch_sources([Source("http://127.0.0.1:9/x", "../x.csv")], tmp_path)


def test_registers_file_lists_official_addresses():
    entries = {e.name: e for e in register_sources("2026-01")}
    ch = entries["companies-house"].source
    assert ch is not None and ch.url == (
        "https://download.companieshouse.gov.uk/BasicCompanyDataAsOneFile-2026-01-01.zip"
    )
    cc = entries["charity-commission"].source
    assert cc is not None and cc.url.startswith(
        "https://ccewuksprdoneregsadata1.blob.core.windows.net/"
    )
    assert cc.file == "publicextract.charity.zip"
    assert entries["onspd"].source is None and entries["onspd"].notes
    with pytest.raises(FetchError, match="YYYY-MM"):
        register_sources("2026-13")


def test_cli_fetches_council_sources_into_raw_dir(tmp_path, monkeypatch, capsys, site, serve):
    base, _ = serve(site)
    councils = tmp_path / "councils"
    councils.mkdir()
    (councils / "testshire.yml").write_text(
        "slug: testshire\nname: Testshire Council\nons_code: E10000099\nregion: North East\n"
        "region_code: E12000001\npostcode_districts: [NE1]\n"
        f"sources:\n  - {{url: '{base}/big.bin', file: big.bin}}\n"
    )
    import kil_analysis.config as config

    real_load = config.load_council
    monkeypatch.setattr(config, "load_council", lambda slug: real_load(slug, councils))
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path / "data"))
    assert main(["fetch", "testshire", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["files"][0]["downloaded"] is True
    assert (tmp_path / "data" / "raw" / "testshire" / "big.bin").exists()
    assert main(["fetch", "testshire"]) == 0
    assert "0 downloaded, 1 cached" in capsys.readouterr().out


def test_cli_errors_are_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path))
    assert main(["fetch"]) == 1
    assert "SLUG or --registers" in capsys.readouterr().err
    assert main(["fetch", "no-such-council"]) == 1
    assert "unknown council" in capsys.readouterr().err


@pytest.mark.shared_data
def test_fetches_real_newcastle_files_from_a_local_server(tmp_path, shared_data, serve):
    raw = shared_data / "spend" / "newcastle" / "raw"
    base, requests = serve(raw)
    names = sorted(p.name for p in raw.glob("*.csv"))[:3]
    sources = [Source(f"{base}/{n}", n) for n in names]
    fetched = fetch_sources(sources, tmp_path)
    for f in fetched:
        assert f.sha256 == _sha(raw / f.file) and f.size == (raw / f.file).stat().st_size
    assert fetch_sources(sources, tmp_path) and len(requests) == len(names)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert [e["file"] for e in manifest["files"]] == names
