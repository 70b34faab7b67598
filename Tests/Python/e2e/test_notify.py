"""`headroom build --notify-webhook URL` against a real HTTP server on loopback: the body is the
slack.json the build wrote, failures are retried with a timeout, and refusals fail at once."""
import http.server
import json
import os
import pathlib
import subprocess
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "acme"
BINARY = pathlib.Path(os.environ.get("HEADROOM_BIN", ROOT / ".build" / "debug" / "headroom"))
SECRET = "/services/T000/B000/not-for-logs"


class Webhook:
    """A loopback server that answers POSTs with the given (status, headers, delay) in turn."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.requests.append((self.path, dict(self.headers), body, time.monotonic()))
                status, headers, delay = hook.answers.pop(0) if hook.answers else (200, {}, 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(b"ok" if status == 200 else b"invalid_payload")
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SECRET}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    servers = []

    def start(*answers):
        servers.append(Webhook(answers))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def build(out, *args):
    if not BINARY.exists():
        pytest.fail(f"no binary at {BINARY}: run swift build first")
    return subprocess.run([str(BINARY), "build", "--config", str(EXAMPLE / "headroom.yml"), "--output", str(out),
                           *args], capture_output=True, text=True, timeout=120)


def test_posts_slack_json_retrying_busy_and_failing_answers(webhook, tmp_path):
    hook = webhook((429, {"Retry-After": "1"}, 0), (503, {}, 0), (200, {}, 0))
    run = build(tmp_path / "public", "--notify-webhook", hook.url)
    assert run.returncode == 0, run.stderr
    assert len(hook.requests) == 3
    written = (tmp_path / "public" / "slack.json").read_bytes()
    for path, headers, body, _ in hook.requests:
        assert path == SECRET and body == written
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert headers["User-Agent"].startswith("Headroom/")
    assert json.loads(written)["blocks"][0]["type"] == "header"
    # Retry-After is honoured, then 2 s before the third attempt.
    times = [t for *_, t in hook.requests]
    assert times[1] - times[0] >= 0.9 and times[2] - times[1] >= 1.9
    assert "attempt 2 of 3 in 1.0 s" in run.stderr and "HTTP 429" in run.stderr
    assert "Posted slack.json to 127.0.0.1 (attempt 3)" in run.stdout
    assert SECRET not in run.stdout + run.stderr


def test_a_refusal_fails_at_once_without_showing_the_secret(webhook, tmp_path):
    hook = webhook((400, {}, 0))
    run = build(tmp_path / "public", "--quiet", "--notify-webhook", hook.url)
    assert run.returncode == 1
    assert len(hook.requests) == 1
    assert "error (while" not in run.stderr and "127.0.0.1 refused the notification: HTTP 400: invalid_payload" \
        in run.stderr
    assert SECRET not in run.stdout + run.stderr
    assert (tmp_path / "public" / "index.html").exists()  # the site itself was built


def test_a_silent_server_times_out_on_every_attempt(webhook, tmp_path):
    hook = webhook((200, {}, 4), (200, {}, 4), (200, {}, 4))
    started = time.monotonic()
    run = build(tmp_path / "public", "--quiet", "--notify-webhook", hook.url, "--notify-timeout", "1")
    assert run.returncode == 1
    assert len(hook.requests) == 3
    assert "could not notify 127.0.0.1 after 3 attempts" in run.stderr
    assert "timed out" in run.stderr.lower()
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("args, message", [
    (["--notify-webhook", "ftp://example.com/hook"], "needs an http(s) URL"),
    (["--notify-webhook", "not a url"], "needs an http(s) URL"),
    (["--notify-timeout", "5"], "--notify-timeout needs --notify-webhook"),
    (["--notify-webhook", "https://hooks.example.com/x", "--notify-timeout", "0"], "more than 0"),
])
def test_bad_webhook_options_are_usage_errors(tmp_path, args, message):
    run = build(tmp_path / "public", *args)
    assert run.returncode == 2
    assert message in run.stderr
    assert not (tmp_path / "public").exists()  # nothing was built
