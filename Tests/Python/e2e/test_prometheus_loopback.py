"""A real Prometheus on loopback, scraping itself: its query_range API output and its /metrics and
/federate text expositions, saved as a team would save them, are read by Headroom, and the Sources
page's series and point counts match a count made here from the same bytes."""
import datetime as dt
import html
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
BINARY = pathlib.Path(os.environ.get("HEADROOM_BIN", ROOT / ".build" / "debug" / "headroom"))
PROMETHEUS = shutil.which("prometheus")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    assert PROMETHEUS, "prometheus is not installed: make test installs it from Debian"
    folder = tmp_path_factory.mktemp("prometheus")
    port = free_port()
    (folder / "prometheus.yml").write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        f"scrape_configs: [{{job_name: self, static_configs: [{{targets: ['127.0.0.1:{port}']}}]}}]\n")
    process = subprocess.Popen(
        [PROMETHEUS, f"--config.file={folder / 'prometheus.yml'}", f"--storage.tsdb.path={folder / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                up = json.loads(get(base + "/api/v1/query?query=" + urllib.parse.quote("count_over_time(up[1m])")))
                if up["data"]["result"] and float(up["data"]["result"][0]["value"][1]) >= 6:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "Prometheus did not scrape itself within a minute"
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_real_prometheus_is_read_and_counted(prometheus, tmp_path):
    end = time.time()
    query = urllib.parse.urlencode({"query": "prometheus_http_requests_total", "start": f"{end - 30:.3f}",
                                    "end": f"{end:.3f}", "step": "1"})
    body = get(prometheus + "/api/v1/query_range?" + query)
    metrics = get(prometheus + "/metrics")
    federate = get(prometheus + "/federate?" + urllib.parse.urlencode({"match[]": "up"}))
    # The week folder is the ISO week of the data (UTC), never of the clock of the build.
    result = json.loads(body)["data"]["result"]
    first = min(float(v[0]) for series in result for v in series["values"])
    year, week, _ = dt.datetime.fromtimestamp(first, dt.timezone.utc).isocalendar()
    label = f"{year}-W{week:02d}"
    folder = tmp_path / "snapshots" / label
    folder.mkdir(parents=True)
    (folder / "http-requests.json").write_bytes(body)
    (folder / "metrics.prom").write_bytes(metrics)
    (folder / "federate.txt").write_bytes(federate)
    (tmp_path / "headroom.yml").write_text(f"title: Loopback\ntimeZone: UTC\nweek: {label}\n")
    subprocess.run([str(BINARY), "build", "--quiet", "--config", str(tmp_path / "headroom.yml"), "--output",
                    str(tmp_path / "public")], check=True)
    sources = html.unescape((tmp_path / "public" / "sources.html").read_text())

    def row(name):
        match = re.search(rf"<code>snapshots/{label}/{re.escape(name)}</code></th><td>([^<]*)</td>"
                          r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td>', sources)
        assert match, f"{name} is not on the Sources page"
        return match.group(1), int(match.group(2).replace(",", "")), int(match.group(3).replace(",", ""))

    # query_range: one series per label set, each timestamp once.
    labels = {json.dumps(series["metric"], sort_keys=True) for series in result}
    points = sum(len({v[0] for v in series["values"]}) for series in result)
    assert row("http-requests.json") == ("prometheus-query", len(labels), points)
    # /metrics carries no timestamps: every label set is a series without points, and the file says
    # that its samples could not be placed in time.
    samples = [line for line in metrics.decode().splitlines() if line and not line.startswith("#")]
    names = {re.match(r"[^{ ]+(\{[^}]*\})?", line).group(0) for line in samples}
    assert row("metrics.prom") == ("prometheus-text", len(names), 0)
    assert f"{len(samples)} samples without a timestamp: no time to place them at" in sources
    # /federate writes a timestamp on each sample: each is a point.
    federated = [line for line in federate.decode().splitlines() if line and not line.startswith("#")]
    assert len(federated) >= 1 and all(len(line.split(" ")) == 3 for line in federated)
    assert row("federate.txt") == ("prometheus-text", len(federated), len(federated))
