"""The theme button (templates/assets/theme.js) and the light, dark and print styles of the example site.

The button cycles automatic → light → dark, keeps the choice in localStorage under headroom-theme
and pins it on <html data-theme>; automatic follows prefers-color-scheme. Chromium gives every
file:// page the one origin "file://", so the choice carries from page to page of a site opened
from disk as well as from a server; both are tested. Needs what test_site.py needs. Run from the
repository root:

    .venv/bin/python -m pytest -q Tests/Python/browser/test_theme.py
"""

import re

import pytest
from selenium.webdriver.common.by import By

from test_site import log_problems, wait_for_page

KEY = "headroom-theme"
LABELS = {"auto": "Theme: automatic", "light": "Theme: light", "dark": "Theme: dark"}
CYCLE = ["auto", "light", "dark", "auto"]
# Pages at three depths of the site: the review week, a service page, an archived week's notes.
OTHER_PAGES = ["weeks/2026-W47/services/checkout.html", "weeks/2026-W45/notes.html"]
# What print hides in the header, each shown on screen once the scripts have run.
HEADER_CONTROLS = ["nav.site-sections", "nav.site-week", "#site-search", "#theme-toggle"]


# --------------------------------------------------------------------------- helpers

def emulate(driver, media: str = "", scheme: str | None = None):
    """CDP media emulation; emulate(driver) clears every override (back to screen, system scheme)."""
    features = [{"name": "prefers-color-scheme", "value": scheme}] if scheme else []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media, "features": features})


def state(driver) -> dict:
    return driver.execute_script(
        """const b = document.getElementById('theme-toggle');
           let stored;
           try { stored = localStorage.getItem(arguments[0]); } catch (e) { stored = 'localStorage: ' + e; }
           return {theme: document.documentElement.dataset.theme || 'auto', stored: stored,
                   label: b ? b.textContent.trim() : null,
                   background: getComputedStyle(document.body).backgroundColor};""",
        KEY,
    )


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an rgb()/rgba() computed colour."""
    m = re.fullmatch(r"rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)(?:,\s*([\d.]+))?\)", css_colour)
    assert m, f"not an rgb() colour: {css_colour!r}"
    assert m.group(4) is None or float(m.group(4)) == 1, f"the page background is not opaque: {css_colour}"

    def channel(c: str) -> float:
        c = float(c) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(m.group(i)) for i in (1, 2, 3))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def assert_background(driver, expected: str, context: str):
    colour = state(driver)["background"]
    value = luminance(colour)
    if expected == "light":
        assert value > 0.8, f"{context}: body background {colour} (luminance {value:.3f}) is not light"
    else:
        assert value < 0.05, f"{context}: body background {colour} (luminance {value:.3f}) is not dark"


def click_until(driver, theme: str, limit: int = 3):
    button = driver.find_element(By.ID, "theme-toggle")
    for _ in range(limit):
        if state(driver)["theme"] == theme:
            return
        button.click()
    assert state(driver)["theme"] == theme, f"{limit} clicks of #theme-toggle did not reach {theme}: {state(driver)}"


def open_page(driver, url: str):
    driver.get(url)
    wait_for_page(driver, url)


@pytest.fixture(params=["file", "sub-path"])
def site_url(request, driver, site_dir):
    """The site's folder URL (ending in a slash), from disk and from the local server; each test starts
    with no stored theme and no media emulation, and leaves none behind for the other tests."""
    if request.param == "file":
        base = site_dir.as_uri() + "/"
    else:
        base = request.getfixturevalue("served_site")

    def reset():
        emulate(driver)
        open_page(driver, base + "index.html")
        driver.execute_script("localStorage.removeItem(arguments[0]);", KEY)

    reset()
    driver.get_log("browser")  # flush
    try:
        yield base
    finally:
        reset()


# --------------------------------------------------------------------------- tests

def test_the_button_is_hidden_without_script_and_shown_with_it(driver, site_dir):
    for page in ["index.html", *OTHER_PAGES, "weeks/index.html"]:
        source = (site_dir / page).read_text(encoding="utf-8")
        assert re.search(r'<button type="button" class="theme-toggle" id="theme-toggle" hidden>', source), (
            f"{page}: #theme-toggle is not marked hidden for readers without script")
    url = (site_dir / "index.html").as_uri()
    open_page(driver, url)
    button = driver.find_element(By.ID, "theme-toggle")
    assert button.is_displayed(), "theme.js did not show #theme-toggle"
    assert button.get_attribute("hidden") is None
    assert button.get_attribute("type") == "button"


def test_the_button_cycles_automatic_light_dark_with_its_label(driver, site_url):
    open_page(driver, site_url + "index.html")
    button = driver.find_element(By.ID, "theme-toggle")
    seen = [state(driver)]
    for _ in CYCLE[1:]:
        button.click()
        seen.append(state(driver))
    assert [s["label"] for s in seen] == [LABELS[t] for t in CYCLE], seen
    assert [s["theme"] for s in seen] == CYCLE, "data-theme on <html>"
    # Nothing stored before the first click; afterwards the choice, "auto" included.
    assert [s["stored"] for s in seen] == [None, "light", "dark", "auto"], "localStorage " + KEY
    assert driver.execute_script("return document.documentElement.hasAttribute('data-theme')") is False, (
        "automatic leaves no data-theme on <html>")
    assert log_problems(driver.get_log("browser"), ignore_favicon=True) == []


def test_pinned_themes_win_over_the_system_and_automatic_follows_it(driver, site_url):
    open_page(driver, site_url + "index.html")
    for system in ("light", "dark"):
        emulate(driver, scheme=system)
        assert state(driver)["theme"] == "auto"
        assert_background(driver, system, f"automatic with prefers-color-scheme: {system}")
    for pinned, system in [("light", "dark"), ("dark", "light"), ("light", "light"), ("dark", "dark")]:
        emulate(driver, scheme=system)
        click_until(driver, pinned)
        assert_background(driver, pinned, f"{pinned} pinned, prefers-color-scheme: {system}")
        assert state(driver)["label"] == LABELS[pinned]


@pytest.mark.parametrize("pinned", ["light", "dark"])
def test_the_choice_carries_to_other_pages(driver, site_url, pinned):
    open_page(driver, site_url + "index.html")
    # The system says the opposite, so only the stored choice can give the expected background.
    emulate(driver, scheme="dark" if pinned == "light" else "light")
    click_until(driver, pinned)
    for page in OTHER_PAGES:
        open_page(driver, site_url + page)
        now = state(driver)
        assert (now["theme"], now["stored"], now["label"]) == (pinned, pinned, LABELS[pinned]), f"{page}: {now}"
        assert_background(driver, pinned, f"{page} after pinning {pinned} on index.html")
    # Back to automatic on the last page: the next page follows the system again.
    click_until(driver, "auto")
    open_page(driver, site_url + "index.html")
    assert state(driver)["theme"] == "auto"
    assert_background(driver, "dark" if pinned == "light" else "light", "index.html after going back to automatic")


@pytest.mark.parametrize("page", ["index.html", *OTHER_PAGES])
def test_print_is_white_and_drops_the_header_controls_even_in_dark(driver, site_url, page):
    open_page(driver, site_url + page)
    emulate(driver, scheme="dark")
    click_until(driver, "dark")
    present = [sel for sel in HEADER_CONTROLS if driver.find_elements(By.CSS_SELECTOR, sel)]
    assert {"nav.site-sections", "#theme-toggle"} <= set(present), f"{page}: header has only {present}"
    shown = {sel: driver.find_element(By.CSS_SELECTOR, sel).is_displayed() for sel in present}
    assert all(shown.values()), f"{page}: on screen, with script: {shown}"
    assert_background(driver, "dark", f"{page} on screen, dark pinned")

    emulate(driver, media="print", scheme="dark")
    assert state(driver)["theme"] == "dark", "print emulation changed the pinned theme"
    background = state(driver)["background"]
    assert background == "rgb(255, 255, 255)", f"{page}: printed background with dark pinned is {background}"
    ink = driver.execute_script("return getComputedStyle(document.body).color")
    assert luminance(ink) < 0.05, f"{page}: printed text colour {ink} is not dark ink"
    displays = driver.execute_script(
        "return Object.fromEntries(arguments[0].map(s => [s, getComputedStyle(document.querySelector(s)).display]));",
        present)
    assert all(d == "none" for d in displays.values()), f"{page}: in print: {displays}"


def folded_heights(driver, url, selector):
    """The drawn height of each element matching `selector` on screen and in print (Selenium's
    is_displayed reads a closed <details> alone, whatever the style says)."""
    heights = f"return [...document.querySelectorAll('{selector}')]" \
        ".map(e => e.checkVisibility() ? e.getBoundingClientRect().height : 0);"
    open_page(driver, url)
    emulate(driver)
    on_screen = driver.execute_script(heights)
    emulate(driver, media="print")
    on_paper = driver.execute_script(heights)
    emulate(driver)
    return on_screen, on_paper


def test_print_shows_the_rest_of_what_changed_that_the_screen_folds(driver, site_url):
    """Paper cannot open a <details>: the changes after the first twelve print, folded on screen."""
    on_screen, on_paper = folded_heights(driver, site_url + "index.html", "details.change-more-list li.change")
    assert on_screen, "the example has no folded changes to print"
    assert all(h == 0 for h in on_screen), f"on screen the rest of what changed is open: {on_screen}"
    assert all(h > 0 for h in on_paper), f"in print some folded changes have no height: {on_paper}"


def test_print_shows_the_resources_of_rules_the_checks_page_folds(driver, site_url):
    """Findings that are not new fold to a line per rule on screen; on paper every row prints."""
    on_screen, on_paper = folded_heights(driver, site_url + "checks.html", "details.rule-resources tbody tr")
    assert len(on_screen) > 40, "the example's still-open findings are not folded"
    assert all(h == 0 for h in on_screen), f"on screen some folded findings are open: {on_screen}"
    assert all(h > 0 for h in on_paper), f"in print some folded findings have no height: {on_paper}"
