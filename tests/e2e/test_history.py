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
