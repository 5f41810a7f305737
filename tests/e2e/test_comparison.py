import re

from playwright.sync_api import Page, expect

from tests.factories import build_catalogue


def mark_document(page: Page) -> None:
    """Set a flag that only survives if the page is never fully reloaded."""
    page.evaluate("window.__noReload = true")


def still_same_document(page: Page) -> bool:
    return page.evaluate("window.__noReload === true")


def test_picker_swaps_content_and_url_without_a_page_load(page: Page, site, outside_requests):
    page.goto(f"{site}/compare/gpt-4-1-mini-vs-gpt-4-1-nano/")
    expect(page.locator("h1")).to_contain_text("GPT-4.1 mini vs GPT-4.1 nano")
    mark_document(page)

    box = page.locator("#picker-b-input")
    box.fill("gpt-4.1")
    expect(page.locator("#picker-b-list [role=option]").first).to_have_text(re.compile("^GPT-4.1 "))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini-vs-gpt-4-1/$"))
    expect(page.locator("h1")).to_contain_text("GPT-4.1 mini vs GPT-4.1")
    expect(page).to_have_title(re.compile(r"^GPT-4.1 mini vs GPT-4.1:"))
    assert still_same_document(page)

    page.click("a.swap")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-vs-gpt-4-1-mini/$"))
    expect(page.locator("h1")).to_contain_text("GPT-4.1 vs GPT-4.1 mini")
    assert still_same_document(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini-vs-gpt-4-1/$"))
    expect(page.locator("h1")).to_contain_text("GPT-4.1 mini vs GPT-4.1")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini-vs-gpt-4-1-nano/$"))
    expect(page.locator("h1")).to_contain_text("GPT-4.1 mini vs GPT-4.1 nano")

    page.reload()
    expect(page.locator("h1")).to_contain_text("GPT-4.1 mini vs GPT-4.1 nano")
    assert outside_requests == []


def test_without_javascript_the_form_reaches_the_pair_url(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/compare/gpt-4-1-mini-vs-gpt-4-1-nano/")
    page.fill("#picker-b-input", "o3")
    page.press("#picker-b-input", "Enter")
    expect(page).to_have_url(re.compile(r"/compare/gpt-4-1-mini-vs-o3/$"))
    expect(page.locator("h1")).to_contain_text("GPT-4.1 mini vs o3")
    context.close()


def test_leaderboard_sort_and_lane_update_in_place(page: Page, site, outside_requests):
    page.goto(f"{site}/")
    mark_document(page)
    page.click("thead >> text=Model")
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("th[aria-sort]")).to_contain_text("Model")
    # By name within each group: the ranked models first, then the unranked ones.
    ranked = page.locator("tbody tr[data-model]:not(.unranked) th a").all_inner_texts()
    assert len(ranked) > 5 and ranked == sorted(ranked, key=str.casefold)
    page.click("text=Verified lane")
    expect(page).to_have_url(re.compile(r"lane=verified"))
    expect(page.locator(".lane-note")).to_contain_text("Verified lane")
    assert still_same_document(page)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"lane=verified"))
    assert outside_requests == []


def test_leaderboard_filters_update_in_place(page: Page, site):
    page.goto(f"{site}/")
    mark_document(page)
    page.fill("input[name=q]", "claude")
    expect(page).to_have_url(re.compile(r"q=claude"))
    expect(page.locator("tbody tr[data-model]")).to_have_count(14)
    page.select_option("select[name=reasoning]", "no")
    expect(page).to_have_url(re.compile(r"reasoning=no"))
    expect(page.locator("tbody tr[data-model]")).to_have_count(1)
    expect(page.locator("tbody tr[data-model] th a")).to_have_text(
        re.compile(r"^Claude 3\.5 Sonnet")
    )
    page.click("thead >> text=Overall")
    expect(page).to_have_url(re.compile(r"sort=overall.*|.*q=claude.*sort=overall"))
    expect(page).to_have_url(re.compile(r"q=claude"))
    assert still_same_document(page)


def test_calculator_updates_as_the_user_types(page: Page, site):
    page.goto(f"{site}/pricing/")
    mark_document(page)
    page.fill("input[name=requests]", "200000")
    expect(page).to_have_url(re.compile(r"requests=200000"))
    nano = page.locator("#calculator-results tbody tr").first
    # 5,000 in x $0.10 + 1,000 out x $0.40 = $0.0009 per request, x 200,000.
    expect(nano).to_contain_text("GPT-4.1 nano")
    expect(nano).to_contain_text("$180.00")
    page.fill("input[name=cached]", "100")
    # Every input token cached at $0.025: 5,000 x 0.025 + 1,000 x 0.40 = $0.000525 x 200,000.
    expect(page).to_have_url(re.compile(r"cached=100"))
    expect(page.locator("#calculator-results tbody tr").first).to_contain_text("$105.00")
    assert still_same_document(page)


def url_with(*params: str) -> re.Pattern:
    """A URL holding every one of ``params`` ("provider=openai"), in any order."""
    return re.compile("".join(f"(?=.*[?&]{re.escape(p)}(&|$))" for p in params))


def test_price_table_sorts_and_filters_in_place_keeping_the_calculator(page: Page, site):
    page.goto(f"{site}/pricing/")
    mark_document(page)
    table = page.locator("#price-table")
    table.locator("thead >> text=Context").click()
    expect(page).to_have_url(url_with("sort=-context"))
    expect(table.locator("th[aria-sort=descending]")).to_contain_text("Context")
    page.select_option("select[name=provider]", "anthropic")
    expect(page).to_have_url(url_with("provider=anthropic", "sort=-context"))
    expect(table.locator("tbody tr")).to_have_count(14)
    expect(table).to_contain_text("Showing 1\u201314 of 14 matching models (74 in all)")
    # The calculator keeps the table's state, and the table the calculator's.
    page.fill("input[name=requests]", "200000")
    expect(page).to_have_url(url_with("requests=200000", "provider=anthropic", "sort=-context"))
    expect(table.locator("tbody tr")).to_have_count(14)
    table.locator("thead >> text=Model").click()
    expect(page).to_have_url(url_with("requests=200000", "provider=anthropic", "sort=name"))
    expect(table.locator("th[aria-sort=ascending]")).to_contain_text("Model")
    # Claude Haiku 5.5 costs $0.50 per million output tokens: below that no Claude is left.
    page.fill("input[name=max_output]", "0.4")
    expect(page).to_have_url(url_with("requests=200000", "max_output=0.4", "sort=name"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("No model matches these filters.")
    assert still_same_document(page)
    page.go_back()
    expect(page).to_have_url(url_with("provider=anthropic", "sort=name"))
    expect(page).not_to_have_url(re.compile("max_output"))
    expect(table.locator("tbody tr")).to_have_count(14)


def test_price_table_without_javascript_keeps_the_whole_page_state(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/pricing/?input_tokens=2000&output_tokens=100&requests=50&cached=0")
    page.select_option("select[name=provider]", "openai")
    page.locator("#price-filters button[type=submit]").click()
    expect(page).to_have_url(url_with("input_tokens=2000", "requests=50", "provider=openai"))
    page.locator("#price-table thead >> text=Output").click()
    expect(page).to_have_url(url_with("requests=50", "provider=openai", "sort=-output"))
    page.fill("input[name=requests]", "70")
    page.locator("form.calculator button[type=submit]").click()
    expect(page).to_have_url(url_with("requests=70", "provider=openai", "sort=-output"))
    expect(page.locator("select[name=provider]")).to_have_value("openai")
    expect(page.locator("#price-table th[aria-sort=descending]")).to_contain_text("Output")
    context.close()


def test_show_all_swaps_one_category_of_the_deep_dive_in_place(
    page: Page, live_server, transactional_db
):
    """At scale a category shows six benchmarks; its link brings in the rest without a reload,
    and the address stays the pair's."""
    build_catalogue(3, benchmarks=80, density=1.0)  # ten benchmarks in each category
    url = f"{live_server.url}/compare/model-0-vs-model-1/"
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    page.goto(url)
    mark_document(page)
    expect(page.locator("#deep-coding tbody tr")).to_have_count(6)
    page.locator("#deep-coding").get_by_role("link", name="Show all 10 Coding benchmarks").click()
    expect(page.locator("#deep-coding tbody tr")).to_have_count(10)
    expect(page.locator("#deep-coding .unfold")).to_have_count(0)
    expect(page.locator("#deep-math tbody tr")).to_have_count(6)
    assert still_same_document(page) and page.url == url
    assert outside == []
