"""The model pickers as comboboxes, driven by the keyboard alone."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_comparison import mark_document, still_same_document

PAIR = "/compare/gpt-4-1-mini-vs-gpt-4-1-nano/"


def test_combobox_by_keyboard_type_arrows_enter_keeps_focus(page: Page, site, outside_requests):
    page.goto(site + PAIR)
    mark_document(page)
    box = page.locator("#picker-b-input")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("sonnet")
    listbox = page.locator("#picker-b-list")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    names = listbox.locator("[role=option] .option-name")
    expect(names.first).to_contain_text("Sonnet")
    assert all("Sonnet" in name for name in names.all_inner_texts())
    # The first match is active and announced; the arrows move the active option.
    first = listbox.locator("[role=option]").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("ArrowDown")
    second = listbox.locator("[role=option]").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    chosen_slug = second.get_attribute("data-value")
    chosen_name = second.get_attribute("data-name")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/compare/gpt-4-1-mini-vs-{chosen_slug}/$"))
    expect(page.locator("h1")).to_contain_text(f"GPT-4.1 mini vs {chosen_name}")
    assert still_same_document(page)
    # Focus stays in the picker that was used, in the new comparison.
    expect(page.locator("#picker-b-input")).to_be_focused()
    expect(page.locator("#picker-b-input")).to_have_value(chosen_name)
    assert outside_requests == []


def test_escape_closes_then_restores_and_nothing_is_fetched(page: Page, site):
    page.goto(site + PAIR)
    mark_document(page)
    box = page.locator("#picker-a-input")
    box.fill("gemini")
    expect(page.locator("#picker-a-list")).to_be_visible()
    box.press("Escape")
    expect(page.locator("#picker-a-list")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("gemini")
    box.press("Escape")
    expect(box).to_have_value("GPT-4.1 mini")
    # ArrowDown on a closed box opens the list again.
    box.press("ArrowDown")
    expect(page.locator("#picker-a-list")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(PAIR) + "$"))
    assert still_same_document(page)


def test_no_match_says_so_and_enter_does_nothing(page: Page, site):
    page.goto(site + PAIR)
    box = page.locator("#picker-a-input")
    box.fill("zzzz")
    expect(page.locator("#picker-a-list")).to_contain_text("No model matches “zzzz”")
    box.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(PAIR) + "$"))


def test_same_model_on_both_sides_goes_to_the_model_page(page: Page, site):
    page.goto(site + PAIR + "?lane=verified")
    box = page.locator("#picker-b-input")
    box.fill("GPT-4.1 mini")
    expect(page.locator("#picker-b-list [role=option]").first).to_have_attribute(
        "data-value", "gpt-4-1-mini"
    )
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/models/gpt-4-1-mini/\?lane=verified$"))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("#comparison")).to_have_count(0)


def test_the_picker_keeps_the_lane(page: Page, site):
    page.goto(site + PAIR + "?lane=verified")
    box = page.locator("#picker-a-input")
    box.fill("o3")
    expect(page.locator("#picker-a-list [role=option]").first).to_have_attribute("data-value", "o3")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/compare/o3-vs-gpt-4-1-nano/\?lane=verified$"))
    expect(page.locator(".lede")).to_contain_text("verified ranking lane")


def test_pointer_pick_works_too(page: Page, site):
    page.goto(site + PAIR)
    page.locator("#picker-a-input").fill("opus 4.1")
    page.locator("#picker-a-list [role=option]").first.click()
    expect(page).to_have_url(re.compile(r"/compare/claude-opus-4-1-vs-gpt-4-1-nano/$"))


def test_compare_landing_starts_a_comparison_from_the_nav(page: Page, site, outside_requests):
    page.goto(site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare/$"))
    expect(page.locator("h1")).to_have_text("Compare two models")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Compare")
    for heading in ("At the top", "Newest models", "Provider rivalries"):
        expect(page.locator("h2", has_text=heading)).to_have_count(1)
    expect(page.locator(".pair-list li")).not_to_have_count(0)
    for side, text, slug in (
        ("a", "opus 4.1", "claude-opus-4-1"),
        ("b", "gpt-5 mini", "gpt-5-mini"),
    ):
        box = page.locator(f"#picker-{side}-input")
        box.fill(text)
        expect(page.locator(f"#picker-{side}-list [role=option]").first).to_have_attribute(
            "data-value", slug
        )
        box.press("Enter")
        expect(box).to_be_focused()
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare/claude-opus-4-1-vs-gpt-5-mini/$"))
    expect(page.locator("nav a[aria-current=true]")).to_have_text("Compare")
    assert outside_requests == []


def test_compare_landing_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/compare/")
    page.fill("#picker-a-input", "nano")
    page.fill("#picker-b-input", "zzzz")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".form-errors")).to_contain_text("No model matches “zzzz”")
    expect(page.locator("#picker-a-input")).to_have_value("GPT-4.1 nano")
    expect(page.locator("#picker-b-input")).to_have_value("zzzz")
    page.fill("#picker-b-input", "o3")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-nano-vs-o3/$"))
    context.close()


def test_head_follows_the_swapped_pair(page: Page, site):
    page.goto(site + PAIR)
    box = page.locator("#picker-a-input")
    box.fill("o3")
    expect(page.locator("#picker-a-list [role=option]").first).to_have_attribute("data-value", "o3")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/compare/o3-vs-gpt-4-1-nano/$"))
    expect(page).to_have_title(re.compile(r"^o3 vs GPT-4.1 nano:"))
    canonical = page.locator("link[rel=canonical]")
    expect(canonical).to_have_attribute("href", re.compile(r"/compare/gpt-4-1-nano-vs-o3/$"))
    expect(page.locator("meta[property='og:url']")).to_have_attribute(
        "content", re.compile(r"/compare/gpt-4-1-nano-vs-o3/$")
    )
    expect(page.locator("meta[property='og:title']")).to_have_attribute(
        "content", "o3 vs GPT-4.1 nano"
    )


def test_pair_costs_say_the_ratio_once_with_one_sign(page: Page, site):
    page.goto(site + PAIR)
    text = page.locator("section[aria-labelledby=cost-heading]").inner_text()
    assert text.count("as much per request") == 1
    assert "as much per month" in text
    assert re.search(r"\$0\.0000", text) is None  # value per point is readable


def test_pair_calculator_without_javascript_returns_to_its_heading(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + PAIR)
    page.fill("form.calculator input[name=requests]", "5000")
    page.locator("form.calculator button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"requests=5000.*#pair-calc-heading$"))
    assert page.evaluate("window.scrollY") > 1000
    context.close()
