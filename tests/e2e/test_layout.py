"""Layout measured in the browser: the leaderboard fits a laptop, and no page scrolls sideways
or prints text under 11 px on a phone."""

import pytest
from playwright.sync_api import Page

PHONE_PAGES = [
    "/",
    "/?lane=verified&sort=cat-coding",
    "/?page=2",
    "/models/gpt-4-1-mini/",
    "/compare/gpt-4-1-mini-vs-gpt-4-1-nano/",
    "/compare/claude-3-5-sonnet-vs-qwen3-235b-a22b-thinking-2507/",
    "/benchmarks/",
    "/benchmarks/swe-bench-verified/",
    "/categories/coding/",
    "/methodology/",
    "/pricing/",
    "/pricing/?page=2&sort=name",
    "/digest/",
]

# Every visible HTML element that holds text of its own, with its computed font size. (Text in
# the SVG charts is scaled by the viewBox and is measured by the chart tests.)
SMALL_TEXT = """() => [...document.body.querySelectorAll('*')]
  .filter(e => !(e instanceof SVGElement) && e.checkVisibility()
    && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(e => [e.tagName + '.' + e.className, parseFloat(getComputedStyle(e).fontSize)])
  .filter(([, size]) => size < 11)"""


def test_leaderboard_shows_every_column_at_1366(browser, site):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(site + "/")
    wrap = page.locator("#leaderboard .table-wrap")
    sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert sizes[0] <= sizes[1], sizes
    right = wrap.evaluate("w => w.getBoundingClientRect().right")
    headers = page.locator("#leaderboard thead th")
    assert headers.count() >= 12
    for box in headers.evaluate_all("hs => hs.map(h => h.getBoundingClientRect().right)"):
        assert box <= right + 0.5
    # No cell is cut: each cell's content fits its box.
    cut = page.locator("#leaderboard td, #leaderboard th").evaluate_all(
        "cs => cs.filter(c => c.scrollWidth > c.clientWidth + 1).length"
    )
    assert cut == 0
    # The interval and rank range still sit under their figures.
    assert page.locator("#leaderboard .interval").first.is_visible()
    assert page.locator("#leaderboard .rank-range").first.is_visible()
    assert page.locator("#leaderboard thead abbr[title=Reasoning]").count() == 1
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_or_shrinks_text_on_a_phone(browser, site, scheme):
    page: Page = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    problems = []
    for url in PHONE_PAGES:
        page.goto(site + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{url}: page is {width} px wide")
        small = page.evaluate(SMALL_TEXT)
        if small:
            problems.append(f"{url}: text under 11 px: {small[:5]}")
    page.close()
    assert problems == []


def test_leaderboard_rows_are_cards_on_a_phone(browser, site):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site + "/")
    wrap = page.locator("#leaderboard .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    first = page.locator("#leaderboard tbody tr[data-model]").first
    box = first.bounding_box()
    assert box["width"] <= 390
    # Every figure of the row is on screen, labelled.
    for label in ("Coverage", "Price in / out", "Context", "Speed"):
        cell = first.locator(f"td[data-label='{label}']")
        cell_box = cell.bounding_box()
        assert cell_box["x"] >= 0 and cell_box["x"] + cell_box["width"] <= 390, label
    page.close()


def test_the_pricing_chart_is_near_the_top_on_a_phone(browser, site):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site + "/pricing/")
    chart = page.locator(".price-chart svg")
    top = chart.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    assert top < 2 * 844, f"the chart starts {top} px down"
    # And a link in the first screen goes straight to it.
    jump = page.get_by_role("navigation", name="On this page").get_by_role("link", name="chart")
    assert jump.bounding_box()["y"] + jump.bounding_box()["height"] <= 844
    jump.click()
    heading = page.locator("#chart-heading").bounding_box()
    assert -1 < heading["y"] < 100  # scrolled to it (to within a subpixel)
    page.close()
