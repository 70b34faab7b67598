"""The charts in a real browser: the gallery (`headroom gallery`) in light, dark and print, and the
charts on the example site's pages. Needs what test_site.py needs."""

import subprocess

import pytest
from selenium.webdriver.common.by import By

from conftest import REPO_ROOT, headroom_binary
from test_site import log_problems, wait_for_page

KINDS = ["line", "area", "stacked-area", "stacked-bars", "bars", "diverging", "sparkline", "burn-down", "burn-rate",
         "bullets", "quota-trend", "bands", "heatmap", "histogram"]


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    out = tmp_path_factory.mktemp("gallery") / "gallery"
    proc = subprocess.run([str(headroom_binary()), "gallery", "--output", str(out)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out / "index.html"


def emulate(driver, media="", scheme="light"):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]})


def colours(driver):
    """Computed colours of the first series line, the page and the axis text."""
    return driver.execute_script("""
        const line = document.querySelector('svg.chart-line .series path.s0');
        const text = document.querySelector('svg.chart-line .axis text');
        return [getComputedStyle(line).stroke, getComputedStyle(document.body).backgroundColor,
                getComputedStyle(text).fill];""")


def test_every_kind_renders_without_console_errors(driver, gallery):
    url = gallery.as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    sizes = driver.execute_script("""
        return [...document.querySelectorAll('svg.chart')].map(s => {
          const r = s.getBoundingClientRect();
          return [s.getAttribute('class'), Math.round(r.width), Math.round(r.height),
                  s.querySelector('title').textContent.length, s.querySelector('desc').textContent.length];
        });""")
    assert [s[0].split()[1].removeprefix("chart-") for s in sizes] == KINDS
    for kind, width, height, title, desc in sizes:
        assert width >= 100 and height >= 20, (kind, width, height)
        assert title > 0 and desc > 0, kind
    assert log_problems(driver.get_log("browser")) == []


def test_dark_mode_and_print_restyle_the_same_svg(driver, gallery):
    url = gallery.as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    try:
        emulate(driver, scheme="light")
        light = colours(driver)
        emulate(driver, scheme="dark")
        dark = colours(driver)
        # Okabe-Ito blue in light, its sky-blue partner on the dark background.
        assert light[0] == "rgb(0, 114, 178)" and dark[0] == "rgb(86, 180, 233)", (light, dark)
        assert light[1] == "rgb(255, 255, 255)" and dark[1] == "rgb(13, 17, 23)"
        assert light[2] != dark[2]
        emulate(driver, media="print")
        hidden = driver.execute_script("""
            return [getComputedStyle(document.querySelector('svg.chart .hover')).display,
                    getComputedStyle(document.querySelector('details.chart-data')).display];""")
        assert hidden == ["none", "none"]
    finally:
        emulate(driver)


def test_tooltips_are_svg_titles_over_each_column(driver, gallery):
    url = gallery.as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    tips = driver.execute_script(
        "return [...document.querySelectorAll('#gallery-line-figure .hover rect title')].map(t => t.textContent);")
    # A week of hourly data has a column per four hours (42): the lowest and highest of each series
    # in it. The collector's three-hour gap (01:00 to 03:59 on Wednesday) adds no zero to its column.
    assert len(tips) == 42
    assert tips[0].startswith("Mon 16 Nov 00:00–03:59\nW47: ")
    gap = next(t for t in tips if t.startswith("Wed 18 Nov 00:00–03:59\n"))
    assert gap.split("\n")[1] == "W47: 2,006 to 2,889"
    assert next(t for t in tips if t.startswith("Wed 18 Nov 04:00–07:59\n")).split("\n")[1] == "W47: 1,517 to 5,816"


def test_the_example_pages_carry_their_charts(driver, site_dir):
    url = (site_dir / "index.html").as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    # A sparkline on every function row: on the overview those not OK.
    rows = driver.find_elements(By.CSS_SELECTOR, "table.functions tbody tr")
    assert len(rows) == 7
    assert len(driver.find_elements(By.CSS_SELECTOR, "td.spark svg.chart-sparkline")) == len(rows)
    # The navigation bar leads to the cost and limit pages and their charts.
    for section, figures in [("Costs", ["cost-trend-figure", "cost-movers-figure"]),
                             ("Limits", ["quota-bullets-figure", "quota-trend-0-figure"])]:
        driver.get(url)
        wait_for_page(driver, url)
        driver.find_element(By.CSS_SELECTOR, "header nav.site-sections").find_element(By.LINK_TEXT, section).click()
        target = (site_dir / f"{section.lower()}.html").as_uri()
        wait_for_page(driver, target)
        assert driver.find_element(By.CSS_SELECTOR, "header nav a[aria-current='page']").text == section
        for figure in figures:
            assert driver.find_elements(By.ID, figure), figure
    driver.get(url)
    wait_for_page(driver, url)
    # Each SLO's row leads to its page: burn-down, burn rate and the weeks.
    driver.find_element(By.LINK_TEXT, "The checkout API answers without server errors").click()
    # The root's page sends the browser to the review week's copy.
    wait_for_page(driver, (site_dir / "weeks" / "2026-W47" / "slos" / "checkout-api-availability.html").as_uri())
    kinds = driver.execute_script(
        "return [...document.querySelectorAll('svg.chart')].map(s => s.getAttribute('class'));")
    assert kinds == ["chart chart-burn-down", "chart chart-burn-rate", "chart chart-line"]
    assert "not before the window ends" in driver.find_element(By.CSS_SELECTOR, "dl.headline").text
    page = (site_dir / "weeks" / "2026-W47" / "functions" / "payment-capture.html").as_uri()
    driver.get(page)
    wait_for_page(driver, page)
    kinds = driver.execute_script(
        "return [...document.querySelectorAll('svg.chart')].map(s => s.getAttribute('class'));")
    assert "chart chart-bands" in kinds and "chart chart-heatmap" in kinds
    # The timeout is drawn on the latency chart and the W47 note's incident on every time chart.
    assert driver.find_elements(By.CSS_SELECTOR, "#latency-figure .threshold.critical")
    assert "Carrier API slows down" in driver.find_element(By.CSS_SELECTOR, "#invocations-figure .marker").text
    assert log_problems(driver.get_log("browser")) == []


def test_no_two_labels_of_any_kind_of_chart_overlap(driver, gallery):
    """Thresholds, bands, incidents and markers are placed clear of each other and of the ticks."""
    from test_layout import COLLISIONS
    driver.get(gallery.as_uri())
    assert driver.execute_script(COLLISIONS) == []
