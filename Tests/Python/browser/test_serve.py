"""`headroom serve` on a free port, against a copy of the example project: pages over HTTP with
their types, ETags and the site's 404 page; paths out of the site refused; the files on disk the
same as `headroom build` writes; a changed note reaching the page and an open page reloading
itself in Chromium; a broken headroom.yml shown over the last good site and a fix bringing the
page back; a burst of changes giving one build.
"""

import http.client
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO_ROOT, headroom_binary

sys.path.insert(0, str(REPO_ROOT / "Tests" / "Python" / "e2e"))
from example_project import copy_example, tree  # noqa: E402  (the end-to-end campaigns' helpers)


class Server:
    """A running `headroom serve` and every line it printed."""

    def __init__(self, project: Path, *extra: str):
        self.project = project
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(headroom_binary()), "serve", "--port", "0", "--config", str(project / "headroom.yml"), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.time() + 300
        while time.time() < deadline:
            found = [re.search(r"at http://([\d.]+):(\d+)/", line) for line in self.lines]
            found = [m for m in found if m]
            if found:
                self.host, self.port = found[0].group(1), int(found[0].group(2))
                return
            assert self.process.poll() is None, "serve stopped:\n" + "\n".join(self.lines)
            time.sleep(0.1)
        raise AssertionError("serve did not start:\n" + "\n".join(self.lines))

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def get(self, path: str, headers=None, method="GET"):
        """(status, headers, body) for a raw request path, sent as it is (no normalising)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection.putrequest(method, path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            connection.putheader(key, value)
        connection.endheaders()
        answer = connection.getresponse()
        body = answer.read().decode("utf-8", "replace")
        connection.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body

    def wait_for(self, path: str, predicate, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, _, body = self.get(path)
            if predicate(status, body):
                return body
            time.sleep(0.3)
        raise AssertionError(f"{path} never matched; serve said:\n" + "\n".join(self.lines[-20:]))

    def builds(self) -> int:
        return sum(1 for line in self.lines if line.startswith("Built ") or line.startswith("error:"))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_example(tmp_path_factory.mktemp("serve"))
    server = Server(project)
    try:
        yield server
    finally:
        server.stop()


def test_pages_come_with_their_types_etags_and_the_sites_404(served):
    status, headers, body = served.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert '<script src="/__headroom/reload.js" data-build="1"></script>' in body
    assert "connect-src 'self'" in body and "<h1" in body
    status, headers, css = served.get("/assets/style.css")
    assert status == 200 and headers["content-type"].startswith("text/css") and "etag" in headers
    assert served.get("/assets/style.css", {"If-None-Match": headers["etag"]})[0] == 304
    status, head, empty = served.get("/assets/style.css", method="HEAD")
    assert status == 200 and empty == "" and head["etag"] == headers["etag"]
    assert int(head["content-length"]) == len(css.encode())
    status, _, body = served.get("/no-such-page.html")
    assert status == 404 and "reload.js" in body and "<h1" in body  # the site's own 404 page
    assert served.get("/weeks")[0] == 301 and served.get("/weeks")[1]["location"] == "/weeks/"
    assert served.get("/assets/")[0] == 404  # a folder without an index is never listed
    assert not any(line.startswith("warning: listening") for line in served.lines)  # loopback by default
    status, headers, script = served.get("/__headroom/reload.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and "fetch(" in script


def test_nothing_outside_the_site_is_served(served):
    secret = (served.project / "headroom.yml").read_text()
    (served.project / "public" / "leak.html").symlink_to(served.project / "headroom.yml")
    for path in ("/../headroom.yml", "/%2e%2e/headroom.yml", "/%2E%2E/headroom.yml", "/..%2fheadroom.yml",
                 "/assets/..%2f..%2fheadroom.yml", "/..%5cheadroom.yml", "/leak.html", "/index.html%00"):
        status, _, body = served.get(path)
        assert status in (403, 404), f"{path}: {status}"
        assert secret[:200] not in body, path


def test_the_files_written_are_those_of_build(served, tmp_path):
    other = copy_example(tmp_path)
    built = subprocess.run([str(headroom_binary()), "build", "--quiet", "--config", str(other / "headroom.yml")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (served.project / "public" / "leak.html").unlink(missing_ok=True)
    assert tree(served.project / "public") == tree(other / "public")
    assert "reload.js" not in (served.project / "public" / "index.html").read_text()


def test_a_changed_note_reaches_the_open_page(served, driver):
    driver.get(f"http://{served.host}:{served.port}/notes.html")
    driver.execute_script("window.headroomBeforeReload = true;")
    before = served.builds()
    note = served.project / "notes" / "2026-W47.md"
    note.write_text(note.read_text() + "\nThe serve test was here: violet-kestrel.\n")
    deadline = time.time() + 120
    while time.time() < deadline and "violet-kestrel" not in driver.page_source:
        time.sleep(0.3)
    assert "violet-kestrel" in driver.page_source, "\n".join(served.lines[-20:])
    # The page reloaded itself: the script's marker is gone.
    assert driver.execute_script("return window.headroomBeforeReload === undefined;")
    assert served.builds() == before + 1


def test_a_burst_of_changes_gives_one_build(served):
    before = served.builds()
    note = served.project / "notes" / "2026-W45.md"
    text = note.read_text()
    for n in range(5):
        note.write_text(text + f"\nburst {n}\n")
        time.sleep(0.02)
    served.wait_for("/weeks/2026-W45/notes.html", lambda status, body: "burst 4" in body)
    time.sleep(2)  # any second build would have started by now
    assert served.builds() == before + 1, "\n".join(served.lines[-10:])


def test_changes_during_a_build_give_exactly_one_more(served):
    """A save that lands once a build has started is not lost and not merged into it: one more
    build follows, and then none."""
    before = served.builds()
    starts = sum(1 for line in served.lines if line == "Building…")
    note = served.project / "notes" / "2026-W45.md"
    text = note.read_text()
    note.write_text(text + "\nduring one\n")
    deadline = time.time() + 120
    while time.time() < deadline and sum(1 for line in served.lines if line == "Building…") == starts:
        time.sleep(0.01)
    note.write_text(text + "\nduring two\n")  # the first build has started: this needs one more
    served.wait_for("/weeks/2026-W45/notes.html", lambda status, body: "during two" in body)
    time.sleep(2)
    assert served.builds() == before + 2, "\n".join(served.lines[-10:])


def test_a_broken_config_shows_the_error_over_the_last_good_site(served):
    config = served.project / "headroom.yml"
    good = config.read_text()
    config.write_text(good + "\nslos: [unclosed\n")
    body = served.wait_for("/", lambda status, body: "The build failed" in body)
    assert "headroom.yml" in body and 'role="alert"' in body
    assert "<h1" in body.split('class="headroom-serve-error"')[0]  # the last good page is still under it
    config.write_text(good)
    served.wait_for("/", lambda status, body: status == 200 and "The build failed" not in body)


def test_listening_beyond_loopback_warns(tmp_path):
    server = Server(copy_example(tmp_path), "--host", "0.0.0.0")
    try:
        assert server.get("/")[0] == 200
        assert any(line.startswith("warning: listening on 0.0.0.0") for line in server.lines), server.lines
    finally:
        server.stop()
