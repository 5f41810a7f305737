"""Back and forward: every form control shows the state that produced the rows below it."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_comparison import url_with


def expect_controls(page: Page, **values: str) -> None:
    """The leaderboard's search box and selects hold ``values`` (waiting for a restore)."""
    form = page.locator("#leaderboard-filters")
    for name, value in values.items():
        expect(form.locator(f"[name={name}]")).to_have_value(value)


CLAUDES = 14  # Claude models in the starter data, all by Anthropic


def test_leaderboard_back_and_forward_restore_the_form(page: Page, site):
    page.goto(f"{site}/")
    rows = page.locator("tbody tr[data-model]")
    everyone = rows.count()
    page.fill("input[name=q]", "claude")
    expect(page).to_have_url(re.compile(r"\?q=claude$"))
    expect(rows).to_have_count(CLAUDES)
    page.select_option("select[name=open_weights]", "no")
    expect(page).to_have_url(url_with("q=claude", "open_weights=no"))
    page.select_option("select[name=provider]", "openai")
    expect(page).to_have_url(url_with("q=claude", "open_weights=no", "provider=openai"))
    expect(rows).to_have_count(0)

    page.go_back()
    expect(page).to_have_url(url_with("q=claude", "open_weights=no"))
    expect(rows).to_have_count(CLAUDES)
    expect_controls(page, q="claude", open_weights="no", provider="")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?q=claude$"))
    expect(rows).to_have_count(CLAUDES)
    expect_controls(page, q="claude", open_weights="", provider="")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(rows).to_have_count(everyone)
    expect_controls(page, q="", open_weights="", provider="")

    page.go_forward()
    page.go_forward()
    expect(page).to_have_url(url_with("q=claude", "open_weights=no"))
    expect(rows).to_have_count(CLAUDES)
    expect_controls(page, q="claude", open_weights="no", provider="")
    # The next keystroke keeps the filters the rows were made with.
    page.fill("input[name=q]", "claude 3")
    expect(page).to_have_url(url_with("q=claude+3", "open_weights=no"))
    expect(page.locator("select[name=open_weights]")).to_have_value("no")


def test_leaderboard_pager_keeps_the_state_and_back_restores_the_page(page: Page, site):
    page.goto(f"{site}/?sort=name")
    rows = page.locator("tbody tr[data-model]")
    expect(rows).to_have_count(50)
    first_page = rows.evaluate_all("rs => rs.map(r => r.dataset.model)")
    pager = page.get_by_role("navigation", name="Leaderboard pages")
    pager.get_by_role("link", name="Next").click()
    expect(page).to_have_url(url_with("sort=name", "page=2"))
    expect(rows).to_have_count(24)  # 74 models in the starter data: 50, then 24
    expect(pager.locator("[aria-current=page]")).to_have_text("2")
    expect(page.locator("#leaderboard")).to_contain_text("Showing 51\u201374 of 74")
    second_page = rows.evaluate_all("rs => rs.map(r => r.dataset.model)")
    assert not set(first_page) & set(second_page)
    # A new filter starts again from page 1, keeping the sort.
    page.fill("input[name=q]", "gpt")
    expect(page).to_have_url(url_with("q=gpt", "sort=name"))
    expect(page).not_to_have_url(re.compile(r"page="))
    expect(pager).to_have_count(0)  # every GPT fits on one page
    page.go_back()
    expect(page).to_have_url(url_with("sort=name", "page=2"))
    expect(rows).to_have_count(24)
    expect_controls(page, q="")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?sort=name$"))
    expect(rows).to_have_count(50)
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.model)") == first_page


def test_pager_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/pricing/?sort=name")
    pager = page.get_by_role("navigation", name="Price table pages")
    pager.get_by_role("link", name="Page 2").click()
    expect(page).to_have_url(url_with("sort=name", "page=2"))
    expect(page.locator("#price-table tbody tr")).to_have_count(24)
    expect(pager.locator("[aria-current=page]")).to_have_text("2")
    context.close()


def test_pricing_back_restores_the_calculator_and_the_filters(page: Page, site):
    page.goto(f"{site}/pricing/")
    page.fill("input[name=requests]", "200000")
    expect(page).to_have_url(url_with("requests=200000"))
    page.select_option("select[name=provider]", "anthropic")
    expect(page).to_have_url(url_with("requests=200000", "provider=anthropic"))
    expect(page.locator("#price-table tbody tr")).to_have_count(CLAUDES)

    page.go_back()
    expect(page).to_have_url(url_with("requests=200000"))
    expect(page).not_to_have_url(re.compile("provider="))
    expect(page.locator("select[name=provider]")).to_have_value("")
    expect(page.locator("#id_requests")).to_have_value("200000")
    expect(page.locator("#price-table tbody tr")).not_to_have_count(CLAUDES)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/pricing/$"))
    expect(page.locator("#id_requests")).to_have_value("100000")

    page.go_forward()
    page.go_forward()
    expect(page).to_have_url(url_with("requests=200000", "provider=anthropic"))
    expect(page.locator("select[name=provider]")).to_have_value("anthropic")
    expect(page.locator("#id_requests")).to_have_value("200000")
