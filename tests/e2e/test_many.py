"""The "compare many" page in a browser: build a set with the picker, remove, reorder by keyboard,
and every step's URL gives the same page on a reload."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_comparison import mark_document, still_same_document

START = "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/"


def column_slugs(page: Page) -> list[str]:
    return page.locator(".many-column").evaluate_all("els => els.map(e => e.dataset.slug)")


def add_by_keyboard(page: Page, text: str, slug: str) -> None:
    """Type into the add box and pick the first match with Enter, as a keyboard user does."""
    box = page.locator("#picker-add-input")
    box.focus()
    page.keyboard.type(text)
    first = page.locator("#picker-add-list [role=option]").first
    expect(first).to_have_attribute("data-value", slug)
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")


def expect_reload_reproduces(page: Page, slugs: list[str]) -> None:
    """The URL is the whole state: a reload shows the same columns and the same matrix."""
    url = page.url
    matrix = page.locator(".many-matrix").inner_text()
    page.reload()
    assert page.url == url
    assert column_slugs(page) == slugs
    assert page.locator(".many-matrix").inner_text() == matrix
    mark_document(page)


def test_build_a_set_from_the_pickers_and_reload_at_each_step(page: Page, site, outside_requests):
    page.goto(site + START)
    expect(page.locator("h1")).to_contain_text("GPT-4.1 vs GPT-4.1 mini vs GPT-4.1 nano")
    mark_document(page)

    add_by_keyboard(page, "Claude Sonnet 4.5", "claude-sonnet-4-5")
    expect(page).to_have_url(
        re.compile(r"/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano,claude-sonnet-4-5/$")
    )
    assert still_same_document(page)
    # The picker is a new element after the swap; focus is back in it, ready for the next one.
    expect(page.locator("#picker-add-input")).to_be_focused()
    expect(page.locator("#picker-add-input")).to_have_value("")
    slugs = ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "claude-sonnet-4-5"]
    assert column_slugs(page) == slugs
    expect_reload_reproduces(page, slugs)

    # A second and a third pick, each from a picker that a swap has just replaced.
    add_by_keyboard(page, "Gemini 2.5 Pro", "gemini-2-5-pro")
    expect(page).to_have_url(re.compile(r",claude-sonnet-4-5,gemini-2-5-pro/$"))
    add_by_keyboard(page, "o3-mini", "o3-mini")
    slugs += ["gemini-2-5-pro", "o3-mini"]
    expect(page).to_have_url(re.compile(r",gemini-2-5-pro,o3-mini/$"))
    assert column_slugs(page) == slugs
    assert still_same_document(page)
    # Six is the most: the add box is gone.
    expect(page.locator("#picker-add-input")).to_have_count(0)
    expect_reload_reproduces(page, slugs)

    # Remove one by keyboard: Tab to its control, Enter.
    page.locator("a[aria-label='Remove GPT-4.1 mini']").focus()
    page.keyboard.press("Enter")
    slugs.remove("gpt-4-1-mini")
    # The focus is on the remove control of the model that took its place.
    expect(page.locator("a[aria-label='Remove GPT-4.1 nano']")).to_be_focused()
    expect(page).to_have_url(
        re.compile(r"/compare/gpt-4-1,gpt-4-1-nano,claude-sonnet-4-5,gemini-2-5-pro,o3-mini/$")
    )
    assert column_slugs(page) == slugs
    assert still_same_document(page)
    expect_reload_reproduces(page, slugs)

    # Back goes one step back, the matrix included.
    page.go_back()
    expect(page).to_have_url(re.compile(r",gemini-2-5-pro,o3-mini/$"))
    expect(page.locator(".many-column")).to_have_count(6)
    assert outside_requests == []


def test_reorder_by_keyboard_keeps_focus_and_the_url_order(page: Page, site, outside_requests):
    page.goto(site + START)
    mark_document(page)
    right = page.locator("a[aria-label='Move GPT-4.1 right']")
    right.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini,gpt-4-1,gpt-4-1-nano/$"))
    # The focus stays on the control just used, so a second Enter moves it again.
    expect(page.locator("a[aria-label='Move GPT-4.1 right']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini,gpt-4-1-nano,gpt-4-1/$"))
    # At the right end there is no "right" any more: the focus moves to "left".
    expect(page.locator("a[aria-label='Move GPT-4.1 right']")).to_have_count(0)
    expect(page.locator("a[aria-label='Move GPT-4.1 left']")).to_be_focused()
    header = page.locator(".many-matrix thead th").all_inner_texts()
    assert header[1:] == ["GPT-4.1 mini", "GPT-4.1 nano", "GPT-4.1"]
    assert still_same_document(page)
    expect_reload_reproduces(page, ["gpt-4-1-mini", "gpt-4-1-nano", "gpt-4-1"])
    # The controls are links in reading order: Tab from "left" reaches "remove", Enter on it
    # removes the model (down to two, the pair page).
    page.locator("a[aria-label='Move GPT-4.1 left']").focus()
    page.keyboard.press("Tab")
    expect(page.locator("a[aria-label='Remove GPT-4.1']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini-vs-gpt-4-1-nano/$"))
    assert outside_requests == []


def test_the_pair_page_adds_a_third_model(page: Page, site, outside_requests):
    page.goto(site + "/compare/gpt-4-1-mini-vs-gpt-4-1-nano/?lane=verified")
    box = page.locator("#picker-add-input")
    box.focus()
    page.keyboard.type("o3-mini")
    expect(page.locator("#picker-add-list [role=option]").first).to_have_attribute(
        "data-value", "o3-mini"
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        re.compile(r"/compare/gpt-4-1-mini,gpt-4-1-nano,o3-mini/\?lane=verified$")
    )
    expect(page.locator("h1")).to_contain_text("GPT-4.1 mini vs GPT-4.1 nano vs o3-mini")
    expect(page.locator(".lede")).to_contain_text("verified ranking lane")
    # Each pair one click away, in the same lane.
    page.locator(".many-pairs a").first.click()
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini-vs-gpt-4-1-nano/\?lane=verified$"))
    assert outside_requests == []


def test_without_javascript_the_add_box_and_the_controls_are_plain_links(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + START)
    page.fill("#picker-add-input", "o3-mini")
    page.press("#picker-add-input", "Enter")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano,o3-mini/$"))
    page.click("a[aria-label='Move o3-mini left']")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1,gpt-4-1-mini,o3-mini,gpt-4-1-nano/$"))
    page.click("a[aria-label='Remove GPT-4.1']")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini,o3-mini,gpt-4-1-nano/$"))
    context.close()
