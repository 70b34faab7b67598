"""Every page type of the example at a phone's, a tablet's and a laptop's width, in Chromium: the
page is no wider than the screen, no two cells of a table row draw text over each other, and no
two labels of a chart do.

Text boxes come from the browser's own layout (Range.getClientRects for text in cells, the
bounding boxes of SVG <text>), so a change in fonts or CSS that makes text collide fails here.
"""

import pytest

WIDTHS = [390, 768, 1280]
REVIEW = "weeks/2026-W47/"
# One page of each type, the ones with the widest tables and the most chart labels.
PAGES = [
    "index.html",
    "weeks/index.html",
    REVIEW + "slos.html",
    REVIEW + "slos/fulfillment-ship-availability.html",
    REVIEW + "costs.html",
    REVIEW + "limits.html",
    REVIEW + "checks.html",
    REVIEW + "notes.html",
    REVIEW + "sources.html",
    REVIEW + "services/fulfillment.html",
    REVIEW + "functions/payment-capture.html",
    REVIEW + "functions/reports-export.html",
    REVIEW + "resources/queue-shipping-dlq.html",
]
# Tables that must fit the content column at 1280 px without scrolling sideways.
FITS_AT_1280 = ["weeks/index.html", REVIEW + "sources.html", "index.html", REVIEW + "services/fulfillment.html"]

COLLISIONS = """
const tolerance = 1;
function overlap(a, b) {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > tolerance && h > tolerance;
}
const shown = e => e.checkVisibility({opacityProperty: true, visibilityProperty: true});
function textBoxes(cell) {
  const out = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement || !shown(n.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) out.push([r, n.textContent.trim().slice(0, 40)]);
  }
  return out;
}
const problems = [];
for (const row of document.querySelectorAll('table tr')) {
  if (!row.checkVisibility()) continue;
  const cells = [...row.children].map(textBoxes);
  for (let i = 0; i < cells.length; i++) for (let j = i + 1; j < cells.length; j++)
    for (const [a, ta] of cells[i]) for (const [b, tb] of cells[j])
      if (overlap(a, b)) problems.push(`table row: "${ta}" over "${tb}"`);
}
for (const svg of document.querySelectorAll('svg.chart')) {
  if (!svg.checkVisibility()) continue;
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && shown(t))
    .map(t => [t.getBoundingClientRect(), t.textContent.trim().slice(0, 40)]);
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++)
    if (overlap(texts[i][0], texts[j][0]))
      problems.push(`chart ${svg.getAttribute('aria-labelledby').split(' ')[0]}: "${texts[i][1]}" over "${texts[j][1]}"`);
}
const page = document.documentElement.scrollWidth;
if (page > window.innerWidth) problems.unshift(`the page is ${page} px wide on a ${window.innerWidth} px screen`);
return problems;
"""


@pytest.fixture
def viewport(driver):
    def set_width(width):
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    yield set_width
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("width", WIDTHS)
def test_no_text_collides_and_no_page_is_wider_than_the_screen(driver, site_dir, viewport, width):
    viewport(width)
    found = {}
    for page in PAGES:
        assert (site_dir / page).is_file(), f"the example has no {page}"
        driver.get((site_dir / page).as_uri())
        problems = driver.execute_script(COLLISIONS)
        if problems:
            found[page] = problems[:6] + ([f"… and {len(problems) - 6} more"] if len(problems) > 6 else [])
    assert not found, f"at {width} px:\n" + "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())


def test_wide_tables_fit_the_column_at_1280(driver, site_dir, viewport):
    viewport(1280)
    wide = {}
    for page in FITS_AT_1280:
        driver.get((site_dir / page).as_uri())
        boxes = driver.execute_script(
            "return [...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth + 1)"
            ".map(e => e.querySelector('table').className + ': ' + e.scrollWidth + ' px in ' + e.clientWidth);")
        if boxes:
            wide[page] = boxes
    assert not wide, f"tables scroll sideways at 1280 px: {wide}"


def test_a_wide_table_scrolls_in_its_own_box_with_its_first_column_pinned(driver, site_dir, viewport):
    viewport(768)
    driver.get((site_dir / "index.html").as_uri())
    state = driver.execute_script("""
        const box = document.querySelector('section.service .table-scroll:has(tbody th)');
        const first = box.querySelector('tbody th');
        const before = first.getBoundingClientRect().left;
        box.scrollLeft = 200;
        const after = first.getBoundingClientRect().left;
        return {wider: box.scrollWidth > box.clientWidth, scrolled: box.scrollLeft, before: before, after: after};""")
    assert state["wider"] and state["scrolled"] > 0, f"the service table does not scroll at 768 px: {state}"
    assert abs(state["before"] - state["after"]) < 1, f"the first column moved while scrolling: {state}"
