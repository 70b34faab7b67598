"""A generated project of 1,000 functions: bounded pages, and every function reachable by links.

The project is small on disk: one week of hourly Invocations and Errors per function, as
`aws cloudwatch get-metric-data` prints it, in files of 500 queries (the API's limit), each with
its `.query.json`. A third of the functions belong to a configured service, the rest to none.
"""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import headroom_binary
from test_site import wait_for_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from example_project import copy_example  # noqa: E402  (the end-to-end campaigns' helpers)

FUNCTIONS = 1000
START = dt.datetime(2026, 11, 16, tzinfo=dt.timezone.utc)  # Monday of 2026-W47
HOURS = 7 * 24


def write_project(root: Path) -> None:
    folder = root / "snapshots" / "2026-W47"
    folder.mkdir(parents=True)
    (root / "headroom.yml").write_text(
        "title: Scale\ntimeZone: UTC\nsources: [snapshots]\n"
        "services:\n  - name: payments\n    match: [\"pay-*\"]\n")
    names = [("pay-" if n % 3 == 0 else "fn-") + f"{n:04d}" for n in range(FUNCTIONS)]
    stamps = [(START + dt.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%S+00:00") for h in reversed(range(HOURS))]
    queries = [(f"m{i}", name, metric) for i, (name, metric) in
               enumerate((name, metric) for name in names for metric in ("Invocations", "Errors"))]
    for part in range(0, len(queries), 500):
        chunk = queries[part:part + 500]
        stem = folder / f"lambda-{part // 500:03d}"
        (folder / f"{stem.name}.query.json").write_text(json.dumps([
            {"Id": qid, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": metric,
             "Dimensions": [{"Name": "FunctionName", "Value": name}]}, "Period": 3600, "Stat": "Sum"},
             "ReturnData": True} for qid, name, metric in chunk], indent=4))
        results = []
        for qid, name, metric in chunk:
            n = int(name[-4:])
            base = 100 + n if metric == "Invocations" else n % 7
            results.append({"Id": qid, "Label": f"{name} {metric}", "Timestamps": stamps,
                            "Values": [float(base + h % 5) for h in range(HOURS)], "StatusCode": "Complete"})
        (folder / f"{stem.name}.json").write_text(json.dumps({"MetricDataResults": results, "Messages": []}, indent=4))


@pytest.fixture(scope="module")
def scale_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scale")
    write_project(root)
    proc = subprocess.run([str(headroom_binary()), "build", "--quiet", "--config", str(root / "headroom.yml"),
                           "--output", str(root / "public")], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "public"


def test_pages_stay_within_their_budgets(scale_site):
    overview = (scale_site / "index.html").stat().st_size
    assert overview <= 150_000, f"the overview weighs {overview} bytes"
    heavy = {str(p.relative_to(scale_site)): p.stat().st_size for p in scale_site.rglob("*.html")
             if p.stat().st_size > 300_000}
    assert not heavy, heavy


def test_the_overview_links_to_every_function_through_the_service_pages(driver, scale_site):
    url = (scale_site / "index.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    # Each service shows its ten least healthy functions and says where the rest are (every
    # generated function has errors above the floor: none is OK).
    cuts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "p.list-cut")]
    assert cuts == ["The 10 least healthy of 334 functions that are not OK, worst first. Every one on the payments page",
                    "The 10 least healthy of 666 functions that are not OK, worst first. Every one on the Unassigned page"], cuts
    first = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.functions tbody th a")][:10]
    # The highest error rate first: Errors n % 7 + h % 5 against Invocations 100 + n + h % 5.
    rates = {name: (int(name[-4:]) % 7 + 2) / (100 + int(name[-4:]) + 2) for name in first}
    assert list(rates.values()) == sorted(rates.values(), reverse=True)
    services = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "p.list-cut a")]
    seen = set()
    for service in services:
        pages = [service]
        visited = set()
        while pages:
            page = pages.pop()
            if page in visited:
                continue
            visited.add(page)
            driver.get(page)
            # The root's service pages send the browser to the review week's copy.
            WebDriverWait(driver, 10).until(
                lambda d: "/weeks/" in d.current_url and d.execute_script("return document.readyState") == "complete")
            page = driver.current_url
            visited.add(page)
            links = driver.find_elements(By.CSS_SELECTOR, "table.functions tbody th a")
            assert 0 < len(links) <= 100
            seen.update(a.get_attribute("href") for a in links)
            pages += [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "nav.pages a")]
        assert len({p for p in visited if "/weeks/" in p}) == {services[0]: 4, services[1]: 7}[service]
    names = sorted(Path(href.split("file://")[1]).stem for href in seen)
    assert len(names) == FUNCTIONS
    assert all("/weeks/" in href for href in seen)
    assert all(Path(href.split("file://")[1]).is_file() for href in seen)


def test_a_split_list_is_sorted_and_filtered_whole(driver, scale_site):
    """The payments service's 334 functions are on 4 pages; its first page sorts and filters all of them."""
    first = next((scale_site / "weeks").glob("2026-W47/services/payments.html"))
    rows_file = first.parent / "payments.rows.js"
    assert rows_file.is_file()
    url = first.as_uri()
    driver.get(url)
    wait_for_page(driver, url)

    def names():
        # In one script, so that rows replaced meanwhile (the whole list arriving) are never stale.
        return driver.execute_script(
            "return Array.prototype.filter.call(document.querySelectorAll('table.functions tbody tr'),"
            " function (r) { return !r.hidden; }).map(function (r) { return r.cells[0].textContent; });")

    shown = names()
    assert len(shown) == 100
    assert not {"pay-0000", "pay-0999"} <= set(shown), "both ends are on the first page: the test proves nothing"
    nav = driver.find_element(By.CSS_SELECTOR, "nav.pages")
    assert nav.is_displayed()
    box = driver.find_element(By.CSS_SELECTOR, "p.table-filter input")
    box.send_keys("0999")
    WebDriverWait(driver, 10).until(lambda d: names() == ["pay-0999"])
    status = driver.find_element(By.CSS_SELECTOR, ".filter-status").text
    assert status == "1 of 334 functions match \u201c0999\u201d.", status
    assert not nav.is_displayed()
    link = driver.find_element(By.CSS_SELECTOR, "table.functions tbody tr:not([hidden]) th a").get_attribute("href")
    assert Path(link.split("file://")[1]).is_file()
    # The rows file holds each row as its own page renders it, sparkline included.
    text = rows_file.read_text()
    rows = json.loads(text[text.index("= [") + 2:text.rindex("]") + 1])
    assert len(rows) == 334
    row = next(r for r in rows if ">pay-0999</a>" in r)
    assert "<svg" in row
    page = next(p for p in first.parent.glob("payments*.html") if ">pay-0999</a>" in p.read_text())
    assert row in page.read_text()
    box.clear()
    box.send_keys(" ")
    WebDriverWait(driver, 10).until(lambda d: len(names()) == 334)
    # Sorting by invocations orders all 334 (invocations grow with the function's number).
    heading = driver.find_elements(By.CSS_SELECTOR, "table.functions thead th button.sort")[2]
    heading.click()
    assert names()[0] == "pay-0000"
    heading.click()
    assert names()[0] == "pay-0999"
    assert len(set(names())) == 334


def test_a_list_on_one_page_filters_without_loading_anything(driver, tmp_path):
    """The example's services fit on one page: no rows file, and the filter works on the page."""
    project = copy_example(tmp_path / "acme")
    site = tmp_path / "public"
    proc = subprocess.run([str(headroom_binary()), "build", "--quiet", "--config", str(project / "headroom.yml"),
                           "--output", str(site)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not list(site.rglob("*.rows.js"))
    page = next(site.glob("weeks/2026-W47/services/checkout.html"))
    driver.get(page.as_uri())
    wait_for_page(driver, page.as_uri())
    box = driver.find_element(By.CSS_SELECTOR, "p.table-filter input")
    box.send_keys("PAY")
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "table.functions tbody tr") if r.is_displayed()]
    assert [r.find_element(By.CSS_SELECTOR, "th a").text for r in rows] == ["payment-authorize", "payment-capture", "payment-webhook"]
    assert driver.find_element(By.CSS_SELECTOR, ".filter-status").text == "3 of 5 functions match \u201cPAY\u201d."
    # The overview's short lists have no filter.
    driver.get((site / "index.html").as_uri())
    wait_for_page(driver, (site / "index.html").as_uri())
    assert not driver.find_elements(By.CSS_SELECTOR, "p.table-filter")
