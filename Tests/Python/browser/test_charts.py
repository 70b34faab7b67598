"""The charts in a real browser: the gallery (`headroom gallery`) in light, dark and print, and the
charts on the example site's pages. Needs what test_site.py needs."""

import subprocess

import pytest
from selenium.webdriver.common.action_chains import ActionChains
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


def hover_at(driver, layer, x):
    """Moves the mouse to `x` (in the chart's units) at the middle of the hover layer's height; returns
    the tooltip's text, or None when none shows."""
    point = driver.execute_script("""
        const layer = arguments[0], area = layer.querySelector('rect');
        const y = +area.getAttribute('y') + area.getAttribute('height') / 2;
        const p = new DOMPoint(arguments[1], y).matrixTransform(layer.ownerSVGElement.getScreenCTM());
        return [p.x, p.y];""", layer, x)
    actions = ActionChains(driver)
    actions.w3c_actions.pointer_action.move_to_location(int(round(point[0])), int(round(point[1])))
    actions.perform()
    return driver.execute_script("""
        const tip = document.querySelector('.chart-tip');
        return tip && !tip.hidden ? tip.textContent : null;""")


def test_tooltips_show_the_column_under_the_pointer(driver, gallery):
    url = gallery.as_uri()
    driver.get(url)
    wait_for_page(driver, url)
    layer = driver.find_element(By.CSS_SELECTOR, "#gallery-line-figure svg g.hover")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", layer)
    edges = [float(edge) for edge in layer.get_attribute("data-edges").split(" ")]
    columns = layer.get_attribute("data-tips").split(";")
    # A week of hourly data has a column per four hours (42): the lowest and highest of each series
    # in it. The collector's three-hour gap (01:00 to 03:59 on Wednesday) adds no zero to its column.
    assert len(columns) == 42 and len(edges) == 43
    tips = [hover_at(driver, layer, (edges[i] + edges[i + 1]) / 2) for i in range(len(columns))]
    assert tips[0].startswith("Mon 16 Nov 00:00–03:59\nW47: ")
    gap = next(t for t in tips if t.startswith("Wed 18 Nov 00:00–03:59\n"))
    assert gap.split("\n")[1] == "W47: 2,006 to 2,889"
    assert next(t for t in tips if t.startswith("Wed 18 Nov 04:00–07:59\n")).split("\n")[1] == "W47: 1,517 to 5,816"
    # Every column shows its own text, one line per series, and the column under the pointer is
    # shaded over its whole width.
    assert len(set(tips)) == 42
    series = layer.get_attribute("data-series").split("|")
    assert all(len(tip.split("\n")) == 1 + len(series) for tip in tips)
    shaded = driver.execute_script("""
        const c = arguments[0].querySelector('.hover-column');
        return [+c.getAttribute('x'), +c.getAttribute('width')];""", layer)
    assert shaded == pytest.approx([edges[41], edges[42] - edges[41]], abs=0.01)
    # Off the plot, the tooltip goes.
    assert hover_at(driver, layer, edges[0] - 20) is None
    assert log_problems(driver.get_log("browser")) == []


def test_a_tooltip_stays_inside_a_narrow_window(driver, gallery):
    url = gallery.as_uri()
    driver.set_window_size(390, 844)
    try:
        driver.get(url)
        wait_for_page(driver, url)
        layer = driver.find_element(By.CSS_SELECTOR, "#gallery-bands-figure svg g.hover")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", layer)
        edges = [float(edge) for edge in layer.get_attribute("data-edges").split(" ")]
        for x in (edges[0] + 1, edges[-1] - 1):
            assert hover_at(driver, layer, x)
            box = driver.execute_script("""
                const r = document.querySelector('.chart-tip').getBoundingClientRect();
                return [r.left, r.right, document.documentElement.clientWidth];""")
            assert box[0] >= 0 and box[1] <= box[2], box
    finally:
        driver.set_window_size(1280, 1600)


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
