"""Fixtures for the browser tests: the example site built once, a headless Chromium, a local server.

Selenium runs offline: the Debian chromium / chromium-driver packages are used and
Selenium Manager is never asked to download anything.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ["SE_OFFLINE"] = "true"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:  # pragma: no cover - environment problem, reported clearly below
    webdriver = None

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BIN = REPO_ROOT / ".build" / "debug" / "headroom"
CONFIG = REPO_ROOT / "examples" / "acme" / "headroom.yml"
SUB_PATH = "deep/sub/path"


def headroom_binary() -> Path:
    override = os.environ.get("HEADROOM_BIN")
    path = Path(override).expanduser().resolve() if override else DEFAULT_BIN
    if not (path.is_file() and os.access(path, os.X_OK)):
        where = f"HEADROOM_BIN={override}" if override else ".build/debug/headroom"
        pytest.fail(f"headroom binary not found or not executable ({where}): run swift build first", pytrace=False)
    return path


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    """The Acme example built once per module into a temporary folder."""
    binary = headroom_binary()
    out = tmp_path_factory.mktemp("headroom") / "site"
    proc = subprocess.run(
        [str(binary), "build", "--config", str(CONFIG.relative_to(REPO_ROOT)), "--output", str(out), "--quiet"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, f"headroom build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    assert (out / "index.html").is_file(), f"headroom build wrote no index.html; output:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture(scope="session")
def driver():
    if webdriver is None:
        pytest.fail("selenium is not installed: make browser-deps (or pip install -r Tests/Python/requirements.txt)", pytrace=False)
    chromedriver = shutil.which("chromedriver")
    if not chromedriver:
        pytest.fail("chromedriver not found: apt-get install -y chromium chromium-driver", pytrace=False)
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(arg)
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    drv.set_page_load_timeout(20)
    try:
        yield drv
    finally:
        drv.quit()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served_site(site_dir, tmp_path_factory):
    """The site copied to <root>/deep/sub/path/ and served by python3 -m http.server on 127.0.0.1 only.

    Yields the URL of the sub-path folder, ending in a slash.
    """
    root = tmp_path_factory.mktemp("www")
    shutil.copytree(site_dir, root / SUB_PATH)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                pytest.fail(f"http.server exited early with code {proc.returncode} (port {port})")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"http.server did not start listening on 127.0.0.1:{port}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/{SUB_PATH}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
