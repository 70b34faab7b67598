"""Browser tests of the static site that `headroom build` writes for examples/acme.

Needs Debian's chromium + chromium-driver and selenium (see requirements.txt), and the
binary .build/debug/headroom (or HEADROOM_BIN). Run from the repository root:

    .venv/bin/python -m pytest -q Tests/Python/browser
"""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

SERVICES = {"storefront", "checkout", "fulfillment", "accounts", "reporting"}
FUNCTION_COUNT = 25
# APIs, tables, queues and the workflow of the example, each with a page under resources/.
RESOURCE_COUNT = 12
# The OpenSLO objectives of the example, each with a page under slos/.
SLO_COUNT = 5
SERVICE_COUNT = len(SERVICES)
# Overview, SLOs, costs, limits, errors, traces, checks, notes and sources: whole pages at the root too.
SECTIONS = 9
# Then one page per function, resource, SLO and service.
WEEK_PAGES = SECTIONS + FUNCTION_COUNT + RESOURCE_COUNT + SLO_COUNT + SERVICE_COUNT
# And one per error group of the week (the tagger's permission error; W46's timeouts and crashes),
# and in W47 one per slowest or failing trace read whole (7).
ERROR_GROUPS = {"2026-W42": 1, "2026-W43": 1, "2026-W46": 3, "2026-W47": 3 + 7}
# Every week with data has a frozen copy under weeks/; the browser visits one of them in full.
WEEKS = ["2026-W41", "2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
ARCHIVED = "weeks/2026-W45/"
# The review week's pages are written once, here; those in folders at the root send the browser here.
REVIEW = "weeks/2026-W47/"
FIRST_FUNCTION_LINK = "section.service table.figures.service-table.functions tbody tr th[scope='row'] a"
FUNCTION_LINKS = FIRST_FUNCTION_LINK
WAIT = 10


# --------------------------------------------------------------------------- helpers

def wait_for_page(driver, url: str):
    WebDriverWait(driver, WAIT).until(
        lambda d: d.current_url == url and d.execute_script("return document.readyState") == "complete",
        message=f"page {url} did not load (current URL: {driver.current_url})",
    )


def border_collapse(driver) -> str:
    return driver.execute_script(
        "const t = document.querySelector('table.figures');"
        "return t ? getComputedStyle(t).borderCollapse : 'no table.figures on the page';"
    )


def log_problems(entries, ignore_favicon=False):
    """Console entries that are errors or mention a Content-Security-Policy violation."""
    bad = []
    for e in entries:
        msg = e.get("message", "")
        if ignore_favicon and "favicon.ico" in msg:
            continue
        if e.get("level") == "SEVERE" or "Content Security Policy" in msg or "Content-Security-Policy" in msg:
            bad.append(f"{e.get('level')}: {msg}")
    return bad


def service_ids(driver):
    return [s.get_attribute("id") for s in driver.find_elements(By.CSS_SELECTOR, "section.service")]


def h1_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text.strip()


# JS: every URL-bearing attribute on the page, as written in the HTML (not resolved).
COLLECT_URLS = """
const out = [];
for (const a of document.querySelectorAll('a[href]'))
  out.push({kind: 'a', url: a.getAttribute('href'), inNote: !!a.closest('section.note, details.rule-details, p.console-link'), text: a.textContent.trim()});
for (const el of document.querySelectorAll('link[href]'))
  out.push({kind: 'link', url: el.getAttribute('href'), inNote: false, text: el.getAttribute('rel') || ''});
for (const el of document.querySelectorAll('[src]'))
  out.push({kind: el.tagName.toLowerCase(), url: el.getAttribute('src'), inNote: false, text: ''});
return out;
"""


@pytest.fixture(scope="module")
def crawl(driver, site_dir):
    """Every *.html page of the site opened from file://: its URLs, console log, <h1> and CSP meta.
    The root's pages that send the browser to the review week's copy are checked on their own."""
    driver.get_log("browser")  # drop whatever earlier tests left
    pages = {}
    def visited(page):
        rel = page.relative_to(site_dir).as_posix()
        if rel == "404.html" or rel.startswith("review-"):
            return False  # absolute links (the base URL's path; the site): each checked on its own below
        if "/" in rel and not rel.startswith("weeks/"):
            return False
        return not rel.startswith("weeks/") or rel.startswith((ARCHIVED, REVIEW)) or rel == "weeks/index.html"
    for page in sorted(filter(visited, site_dir.rglob("*.html"))):
        url = page.as_uri()
        driver.get(url)
        wait_for_page(driver, url)
        pages[page] = {
            "urls": driver.execute_script(COLLECT_URLS),
            "log": driver.get_log("browser"),
            "csp": driver.execute_script(
                "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\" i]');"
                "return m ? m.getAttribute('content') : null;"
            ),
            "header_display": driver.execute_script(
                "const h = document.querySelector('header.site-header');"
                "return h ? getComputedStyle(h).display : 'no header.site-header on the page';"
            ),
        }
    assert pages, f"no .html files in the built site"
    return pages


# --------------------------------------------------------------------------- file://

def test_overview_from_file_has_services_and_function_rows(driver, site_dir):
    url = (site_dir / "index.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)

    ids = service_ids(driver)
    assert len(ids) == len(SERVICES), f"expected {len(SERVICES)} section.service, found {ids}"
    assert set(ids) == {f"service-{s}" for s in SERVICES}

    for sid in ids:
        tables = driver.find_elements(By.CSS_SELECTOR, f"section#{sid} table.figures.service-table.functions")
        assert len(tables) == 1, f"section#{sid}: expected one table of functions, found {len(tables)}"

    # The overview lists the functions that are not OK; each service page lists every function,
    # and the line under the overview's table counts the rest.
    overview = {}
    for sid in ids:
        rows = driver.find_elements(By.CSS_SELECTOR, f"section#{sid} table.service-table.functions tbody tr")
        overview[sid] = [(r.find_element(By.CSS_SELECTOR, "th a").text, r.find_element(By.CSS_SELECTOR, ".status").text)
                         for r in rows]
        for row in rows:
            cells = row.find_elements(By.CSS_SELECTOR, "td.num")
            assert cells and cells[0].text.strip(), f"row without an invocations cell: {row.get_attribute('outerHTML')}"
        cuts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, f"section#{sid} p.list-cut")]
        overview[sid + " cut"] = next((c for c in cuts if "function" in c), "")
    everyone = []
    for sid in ids:
        page = site_dir / REVIEW / "services" / f"{sid.removeprefix('service-')}.html"
        driver.get(page.as_uri())
        wait_for_page(driver, page.as_uri())
        rows = [(r.find_element(By.CSS_SELECTOR, "th a").text, r.find_element(By.CSS_SELECTOR, ".status").text)
                for r in driver.find_elements(By.CSS_SELECTOR, "table.service-table.functions tbody tr")]
        everyone += [name for name, _ in rows]
        not_ok = sorted(name for name, status in rows if status != "OK")
        assert sorted(name for name, _ in overview[sid]) == not_ok, sid
        assert all(status != "OK" for _, status in overview[sid])
        healthy = len(rows) - len(not_ok)
        cut = overview[sid + " cut"]
        assert (f"All {len(rows)} functions OK." if not not_ok else "" if not healthy else
                "The other function is OK." if healthy == 1 else f"The other {healthy} functions are OK.") in cut, cut
    assert len(everyone) == FUNCTION_COUNT == len(set(everyone))
    on_disk = sorted(p.stem for p in (site_dir / REVIEW / "functions").glob("*.html"))
    assert sorted(everyone) == on_disk, "the service pages' rows and functions/*.html pages differ"


def test_stylesheet_applied_under_csp_from_file(driver, site_dir):
    url = (site_dir / "index.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    csp = driver.execute_script(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\" i]');"
        "return m ? m.getAttribute('content') : null;"
    )
    assert csp and "default-src 'none'" in csp, f"overview has no strict CSP meta tag (got {csp!r})"
    # browser default for tables is 'separate'; 'collapse' comes from assets/style.css
    assert border_collapse(driver) == "collapse", "assets/style.css is not applied to index.html from file://"


def test_overview_browser_log_clean_from_file(driver, site_dir):
    driver.get_log("browser")  # flush
    url = (site_dir / "index.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    problems = log_problems(driver.get_log("browser"))
    assert not problems, "index.html (file://) console:\n" + "\n".join(problems)


def test_first_function_link_opens_page_and_breadcrumb_returns(driver, site_dir):
    index_url = (site_dir / "index.html").as_uri()
    driver.get(index_url)
    wait_for_page(driver, index_url)
    link = driver.find_element(By.CSS_SELECTOR, FIRST_FUNCTION_LINK)
    name = link.text.strip()
    assert name, "first function link has no text"
    # The root's function page sends the browser to the review week's copy.
    target = (site_dir / REVIEW / "functions" / f"{name}.html").as_uri()

    link.click()
    wait_for_page(driver, target)
    assert h1_text(driver) == name
    assert border_collapse(driver) == "collapse", f"stylesheet not applied on functions/{name}.html (file://)"

    crumbs = driver.find_elements(By.CSS_SELECTOR, "nav.breadcrumbs a")
    assert crumbs, f"functions/{name}.html has no nav.breadcrumbs links"
    back = [a for a in crumbs if a.get_dom_attribute("href") == "../index.html"]
    assert back, f"no breadcrumb link to ../index.html; hrefs: {[a.get_dom_attribute('href') for a in crumbs]}"
    back[0].click()
    wait_for_page(driver, (site_dir / REVIEW / "index.html").as_uri())
    assert len(service_ids(driver)) == len(SERVICES)


def test_every_page_has_csp_styles_and_clean_console(crawl, site_dir):
    problems = []
    for page, info in crawl.items():
        rel = page.relative_to(site_dir).as_posix()
        if not info["csp"] or "default-src 'none'" not in info["csp"]:
            problems.append(f"{rel}: missing or weak CSP meta tag ({info['csp']!r})")
        if info["header_display"] != "flex":
            problems.append(f"{rel}: stylesheet not applied (header.site-header display = {info['header_display']!r})")
        problems.extend(f"{rel}: {p}" for p in log_problems(info["log"]))
    expected = (WEEK_PAGES + ERROR_GROUPS["2026-W47"]) + WEEK_PAGES + SECTIONS + 1
    assert len(crawl) == expected, (
        f"expected the review week's pages, those of {ARCHIVED}, the {SECTIONS} whole pages at the root"
        f" and the list of weeks, found {len(crawl)}")
    assert not problems, "\n".join(problems)


def link_problems(page, urls, root):
    """Problems with the URLs of one page: not relative, outside the site, or a missing target or fragment."""
    problems = []
    rel_page = page.relative_to(root).as_posix()
    for item in urls:
        url, kind = item["url"], item["kind"]
        where = f"{rel_page}: <{kind}> {url!r}" + (f" ({item['text']})" if item["text"] else "")
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("/"):
            if kind == "a" and item["inNote"] and parts.scheme in ("http", "https"):
                continue  # external links written by people in the notes, a rule's references, the X-Ray console
            problems.append(f"{where}: not a relative URL")
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
        if root != target and root not in target.parents:
            problems.append(f"{where}: points outside the site")
        elif not target.is_file():
            problems.append(f"{where}: target {unquote(parts.path)} does not exist")
        elif parts.fragment and target.suffix == ".html":
            html = target.read_text(encoding="utf-8")
            frag = unquote(parts.fragment)
            if f'id="{frag}"' not in html and f"id='{frag}'" not in html:
                problems.append(f"{where}: no element with id {frag!r} in {target.relative_to(root).as_posix()}")
    return problems


def test_all_links_relative_and_targets_exist(crawl, site_dir):
    root = site_dir.resolve()
    problems = []
    checked = 0
    for page, info in crawl.items():
        checked += len(info["urls"])
        problems += link_problems(page.resolve(), info["urls"], root)
    assert checked >= FUNCTION_COUNT * 2, f"only {checked} URLs found; the crawl looks wrong"
    assert not problems, "\n".join(problems)


class _URLs(HTMLParser):
    """The URL-bearing attributes of a page as written, like COLLECT_URLS, without a browser."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        in_note = any(
            (t == "section" and "note" in (c or "").split()) or (t == "details" and "rule-details" in (c or "").split())
            or (t == "p" and "console-link" in (c or "").split())
            for t, c in self.stack)
        if tag == "a" and attrs.get("href") is not None:
            self.urls.append({"kind": "a", "url": attrs["href"], "inNote": in_note, "text": ""})
        elif tag == "link" and attrs.get("href") is not None:
            self.urls.append({"kind": "link", "url": attrs["href"], "inNote": False, "text": attrs.get("rel", "")})
        if attrs.get("src") is not None:
            self.urls.append({"kind": tag, "url": attrs["src"], "inNote": False, "text": ""})
        if tag not in self.VOID:
            self.stack.append((tag, attrs.get("class")))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def test_every_page_of_every_week_links_only_to_pages_that_exist(site_dir):
    """The browser visits the review week and one archived week; this reads every page of the archive."""
    root = site_dir.resolve()
    # The 404 page and the single-file review link absolutely; each has its own test.
    pages = sorted(
        p for p in root.rglob("*.html") if p.parent != root or not (p.name == "404.html" or p.name.startswith("review-")))
    per_week = sum(WEEK_PAGES + ERROR_GROUPS.get(week, 0) for week in WEEKS)
    assert len(pages) == per_week + WEEK_PAGES + ERROR_GROUPS["2026-W47"] + 1, f"{len(pages)} pages"
    assert len([p for p in pages if p.parent != root and "weeks" not in p.relative_to(root).parts]) == (
        WEEK_PAGES - SECTIONS + ERROR_GROUPS["2026-W47"]), "the root's pages in folders, one per page of the review week's folders"
    for week in WEEKS:
        assert (root / "weeks" / week / "index.html").is_file(), f"no archived copy of {week}"
    problems = []
    for page in pages:
        parser = _URLs()
        parser.feed(page.read_text(encoding="utf-8"))
        problems += link_problems(page, parser.urls, root)
    assert not problems, "\n".join(problems[:50]) + (f"\n… {len(problems) - 50} more" if len(problems) > 50 else "")


def test_the_404_page_links_from_the_base_url_path(site_dir):
    """Hosts serve 404.html for a missing path at any depth: its links start at baseURL's path (/review/)."""
    parser = _URLs()
    parser.feed((site_dir / "404.html").read_text(encoding="utf-8"))
    assert len(parser.urls) >= 10
    problems = []
    for item in parser.urls:
        url = item["url"]
        if not url.startswith("/review/"):
            problems.append(f"{url}: not under /review/")
        elif not (site_dir / unquote(urlsplit(url).path)[len("/review/"):]).is_file():
            problems.append(f"{url}: no such file")
    assert not problems, "\n".join(problems)


def test_sitemap_and_feed_list_every_page_and_week(site_dir):
    import xml.etree.ElementTree as ET
    base = "https://ops.acme.example/review/"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "a": "http://www.w3.org/2005/Atom"}
    locs = [e.text for e in ET.parse(site_dir / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    # Not the pages that ask not to be indexed: the root's pages in folders, which send the browser
    # to the review week's copy, and the function pages of weeks beyond archive.functionPageWeeks.
    indexed = [p for p in pages if p != "404.html"
               and '<meta name="robots" content="noindex">' not in (site_dir / p).read_text(encoding="utf-8")]
    assert any(p.startswith("weeks/2026-W41/functions/") for p in pages)
    assert not any(p.startswith("weeks/2026-W41/functions/") for p in indexed)
    assert locs == [base + p for p in indexed]
    feed = ET.parse(site_dir / "feed.xml").getroot()
    ids = [e.text for e in feed.findall("a:entry/a:id", ns)]
    assert ids == [f"{base}weeks/{w}/index.html" for w in WEEKS[::-1]]
    summary = feed.find("a:entry/a:summary", ns).text
    assert summary.startswith("Invocations 96,581,365 (+8.1%); Errors 0.02%")


def test_the_single_file_review_loads_nothing_and_runs_no_script(driver, site_dir):
    """review-2026-W47.html: the stylesheet inline under a hashed CSP (checked here with hashlib), no
    request besides the document itself, no script, and every link into the file or to the site."""
    import base64
    import hashlib
    import re

    path = site_dir / "review-2026-W47.html"
    html = path.read_text(encoding="utf-8")
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}';" in html
    assert "<script" not in html and " src=" not in html and "<link" not in html
    hrefs = re.findall(r' href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") or h.startswith("https://") for h in hrefs), hrefs[:10]
    # A copy alone in an empty folder looks the same: it needs nothing beside it.
    driver.get_log("browser")
    driver.get(path.as_uri())
    wait_for_page(driver, path.as_uri())
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert driver.execute_script("return getComputedStyle(document.querySelector('header.site-header')).display") == "flex"
    # A sparkline per function row (those not OK), and the cost and budget charts.
    rows = driver.execute_script("return document.querySelectorAll('table.functions tbody tr').length")
    assert rows >= 5
    assert driver.execute_script("return document.querySelectorAll('svg.chart').length") >= rows + 3
    assert not log_problems(driver.get_log("browser"))


def test_the_roots_pages_in_folders_send_the_browser_to_the_review_weeks_copy(driver, site_dir):
    """Each is a small page whose refresh and link lead to the same path in the review week's folder,
    which exists; the browser follows it without a script, from file://."""
    import re
    root = site_dir.resolve()
    latest = sorted(p for p in root.rglob("*.html") if p.parent != root and "weeks" not in p.relative_to(root).parts)
    assert len(latest) == WEEK_PAGES - SECTIONS + ERROR_GROUPS["2026-W47"]
    for page in latest:
        rel = page.relative_to(root).as_posix()
        html = page.read_text(encoding="utf-8")
        up = "../" * rel.count("/")
        assert f'<meta http-equiv="refresh" content="0; url={up}{REVIEW}{rel}">' in html, rel
        assert re.search(rf'<a href="{re.escape(up + REVIEW + rel)}">[^<]+, week 2026-W47</a>', html), rel
        assert (root / REVIEW / rel).is_file() and len(html) < 1200, rel
    driver.get((root / "services" / "checkout.html").as_uri())
    wait_for_page(driver, (root / REVIEW / "services" / "checkout.html").as_uri())
    assert h1_text(driver) == "checkout"


def test_weeks_link_to_their_neighbours_and_the_review_week(site_dir):
    """An archived page leads to the same page in the week before, to the review week's copy and to
    the list of weeks, and to no later week: it is published once and never changes."""
    page = (site_dir / ARCHIVED / "costs.html").read_text(encoding="utf-8")
    assert 'href="../../weeks/2026-W44/costs.html" rel="prev"' in page
    assert 'rel="next"' not in page and 'href="../../weeks/index.html"' in page
    assert 'class="archived-banner"' in page and 'href="../../costs.html"' in page
    latest = (site_dir / "costs.html").read_text(encoding="utf-8")
    assert 'href="weeks/2026-W46/costs.html" rel="prev"' in latest and 'rel="next"' not in latest
    assert 'class="archived-banner"' not in latest
    # The review week's own archived copy is already the page it stays once later weeks come.
    copy = (site_dir / "weeks" / "2026-W47" / "costs.html").read_text(encoding="utf-8")
    assert 'class="archived-banner"' in copy and 'href="../../costs.html"' in copy and 'rel="next"' not in copy
    weeks = (site_dir / "weeks" / "index.html").read_text(encoding="utf-8")
    assert [w for w in WEEKS[::-1] if f'href="{w}/index.html"' in weeks] == WEEKS[::-1]


# --------------------------------------------------------------------------- http://127.0.0.1/deep/sub/path/

def test_served_from_sub_path(driver, served_site):
    index_url = served_site + "index.html"
    driver.get_log("browser")  # flush
    driver.get(index_url)
    wait_for_page(driver, index_url)
    assert len(service_ids(driver)) == len(SERVICES)
    sheet = driver.execute_script("const l = document.querySelector('link[rel=stylesheet]'); return l ? l.href : null;")
    assert sheet == served_site + "assets/style.css", f"stylesheet resolves to {sheet!r}"
    assert border_collapse(driver) == "collapse", "assets/style.css not applied under the sub-path"

    link = driver.find_element(By.CSS_SELECTOR, FIRST_FUNCTION_LINK)
    name = link.text.strip()
    link.click()
    target = served_site + REVIEW + f"functions/{name}.html"
    wait_for_page(driver, target)
    assert h1_text(driver) == name
    assert border_collapse(driver) == "collapse", f"stylesheet not applied on functions/{name}.html under the sub-path"

    # Chrome may ask the server root for /favicon.ico (404); anything else is a problem.
    problems = log_problems(driver.get_log("browser"), ignore_favicon=True)
    assert not problems, "console while browsing the sub-path:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- keyboard

def test_keyboard_reaches_first_function_link(driver, site_dir):
    index_url = (site_dir / "index.html").as_uri()
    driver.get(index_url)
    wait_for_page(driver, index_url)
    driver.execute_script("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur();")
    assert driver.execute_script("return document.activeElement === document.body"), "focus is not at the top"

    first = driver.find_element(By.CSS_SELECTOR, FIRST_FUNCTION_LINK)
    # Every link and button before the first function's, in document order, is what Tab should
    # visit first: header, search, navigation, the tiles, what changed, the critical paths, the
    # error budgets, quotas and cost, and the tables' sort buttons.
    expected = driver.execute_script(
        """const first = arguments[0];
           return [...document.querySelectorAll('a[href], button:not([hidden]), summary, input')]
             .filter(e => e.offsetParent !== null && e.tabIndex >= 0
                          && (e.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING))
             .length;""", first)
    trail = []
    for _ in range(expected + 20):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        trail.append(driver.execute_script(
            "const a = document.activeElement; return a ? a.tagName + ' ' + (a.getAttribute('href') || '') : '';"))
        if driver.execute_script("return document.activeElement === arguments[0]", first):
            break
    else:
        pytest.fail(f"the first function link got no focus after {expected + 20} Tab presses; focus went: "
                    + " → ".join(trail[-30:]))
    assert len(trail) <= expected + 1, (
        f"Tab took {len(trail)} presses to the first function link, {expected} focusable elements come before it")
    name = first.text.strip()
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for_page(driver, (site_dir / REVIEW / "functions" / f"{name}.html").as_uri())
    assert h1_text(driver) == name


# --------------------------------------------------------------------------- search

def search_and_follow(driver, start_url: str, query: str, expected_url: str):
    driver.get(start_url)
    wait_for_page(driver, start_url)
    box = driver.find_element(By.ID, "site-search-input")
    assert box.is_displayed(), "the search box is shown once the script has run"
    box.send_keys(query)
    options = driver.find_elements(By.CSS_SELECTOR, "#site-search-results li[role='option']")
    assert options, f"no results for {query!r}"
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    assert options[0].get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ENTER)
    wait_for_page(driver, expected_url)


@pytest.mark.parametrize("where", ["file", "sub-path"])
def test_search_finds_a_function_and_follows_it_with_the_keyboard(driver, site_dir, served_site, where):
    if where == "file":
        start = (site_dir / REVIEW / "resources" / "queue-shipping-queue.html").as_uri()
        expected = (site_dir / REVIEW / "functions" / "payment-capture.html").as_uri()
    else:
        start = served_site + REVIEW + "resources/queue-shipping-queue.html"
        expected = served_site + REVIEW + "functions/payment-capture.html"
    driver.get_log("browser")
    search_and_follow(driver, start, "payment capt", expected)
    assert driver.find_element(By.TAG_NAME, "h1").text == "payment-capture"
    assert log_problems(driver.get_log("browser"), ignore_favicon=True) == []


def test_search_lists_slos_and_quotas_and_says_when_nothing_matches(driver, site_dir):
    url = (site_dir / "index.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    box = driver.find_element(By.ID, "site-search-input")
    box.send_keys("checkout api")
    titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#site-search-results .search-title")]
    assert titles[0] == "checkout-api"
    assert "The checkout API answers without server errors" in titles
    box.send_keys(Keys.ESCAPE)
    assert not driver.find_element(By.ID, "site-search-results").is_displayed()
    box.send_keys("zzz-no-such-thing")
    assert driver.find_element(By.CSS_SELECTOR, "#site-search-results .search-none").text == "Nothing matches"


# --------------------------------------------------------------------------- sortable tables

def column_texts(driver, table_css: str, column: int):
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(r => r.cells[arguments[1]].textContent.trim());",
        table_css, column)


def test_tables_sort_by_a_column_with_units_and_signs(driver, site_dir):
    url = (site_dir / "limits.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    table = "section.quotas > .table-scroll > table.figures"
    heading = driver.find_element(By.XPATH, "//section[@class='quotas']//th[normalize-space()='Used']")
    heading.find_element(By.CSS_SELECTOR, "button.sort").click()
    assert heading.get_attribute("aria-sort") == "ascending"
    used = [float(t.rstrip("%")) for t in column_texts(driver, table, 5)]
    assert used == sorted(used) and len(used) == 7
    heading.find_element(By.CSS_SELECTOR, "button.sort").click()
    assert heading.get_attribute("aria-sort") == "descending"
    assert [float(t.rstrip("%")) for t in column_texts(driver, table, 5)] == sorted(used, reverse=True)
    # Durations in ms and s, some marked "≤", sort by value; the keyboard reaches the buttons.
    # (On the service page, which lists every function; the overview lists those not OK.)
    url = (site_dir / REVIEW / "services" / "checkout.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    table = "table.functions"
    button = driver.find_element(By.XPATH, "//table[contains(@class,'functions')]//th[normalize-space()='p99 duration']//button")
    button.send_keys(Keys.ENTER)
    def ms(text):
        number, unit = text.lstrip("≤ ").split()
        return float(number.replace(",", "")) * (1000 if unit == "s" else 1)
    p99 = [ms(t) for t in column_texts(driver, table, 5)]
    assert p99 == sorted(p99) and len(p99) == 5
    # The totals row stays at the foot.
    assert driver.find_element(By.CSS_SELECTOR, table + " tfoot th").text == "All functions"


def test_checks_show_each_life_cycle_state_of_the_example(driver, site_dir):
    """W47 of the example: the project's own rule fires for the first time, the muted x86 functions,
    the expired mute of log-shipper, and the reports-export runaway of W46 resolved."""
    url = (site_dir / "checks.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)

    def rules(state):
        return {a.get_attribute("id"): a.text for a in driver.find_elements(By.CSS_SELECTOR, f"section#{state} article.rule")}

    # New findings show their table; the others fold to one line per rule, naming the resources.
    assert not driver.find_elements(By.CSS_SELECTOR, "section#new details.rule-resources")
    folded = driver.find_elements(By.CSS_SELECTOR, "section#recurring details.rule-resources")
    assert folded and not any(d.get_attribute("open") for d in folded)
    assert "reports-daily-sales, reports-export" in rules("muted")["muted-lambda-x86"]
    driver.execute_script("document.querySelectorAll('details.rule-resources').forEach(d => d.open = true)")
    new = rules("new")
    assert "new-acme-shipping-backlog" in new and "shipping-queue" in new["new-acme-shipping-backlog"]
    assert "15,429 this week, above 10,000" in new["new-acme-shipping-backlog"]
    muted = rules("muted")
    assert "reports-export" in muted["muted-lambda-x86"] and "reports-daily-sales" in muted["muted-lambda-x86"]
    assert "Muted until Thu 31 Dec 2026 by Aylin Demir" in muted["muted-lambda-x86"]
    recurring = rules("recurring")
    assert "Mute expired on Sun 15 Nov 2026 by Marco Berger" in recurring["recurring-lambda-x86"]
    assert "15 functions: accounts-login" in recurring["recurring-lambda-tracing-off"]  # aggregated
    assert "Acknowledged by Jonas Richter" in recurring["recurring-lambda-p99-near-timeout"]
    row = driver.find_element(By.CSS_SELECTOR, "#recurring-lambda-p99-near-timeout tbody tr")
    assert row.find_elements(By.CSS_SELECTOR, "td")[-1].text == "Jonas Richter"
    assert "since 2026-W46, 2 weeks" in row.text
    resolved = rules("resolved")
    assert "reports-export" in resolved["resolved-lambda-timeouts"] and "seen in 2026-W46" in resolved["resolved-lambda-timeouts"]
    # The overview's tile and "what changed" lead here.
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert '<a href="checks.html"><span class="tile-label">Open findings <span class="tile-status">Critical</span></span>' in index
    assert 'href="checks.html#new-acme-shipping-backlog"' in index or 'href="checks.html#new-' in index
