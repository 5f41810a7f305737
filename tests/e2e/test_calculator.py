"""The cost calculators: the token fields the reader sees are always the figures the costs use."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_comparison import mark_document, still_same_document


def nano_row(page: Page):
    return page.locator("#calculator-results tbody tr", has_text="GPT-4.1 nano")


def test_preset_sets_the_fields_and_typed_tokens_win(page: Page, site):
    page.goto(f"{site}/pricing/")
    mark_document(page)
    page.select_option("select[name=preset]", "documents-50")
    expect(page.locator("#id_input_tokens")).to_have_value("50000")
    expect(page.locator("#id_output_tokens")).to_have_value("1000")
    expect(page).to_have_url(re.compile(r"preset=documents-50"))
    # 50,000 x $0.10 + 1,000 x $0.40 per 1M = $0.0054 a request, x 100,000.
    expect(nano_row(page)).to_contain_text("$540.00")

    page.fill("#id_input_tokens", "200000")
    expect(page.locator("select[name=preset]")).to_have_value("")
    expect(page).to_have_url(re.compile(r"input_tokens=200000"))
    expect(page).not_to_have_url(re.compile(r"preset="))
    # 200,000 x $0.10 + 1,000 x $0.40 per 1M = $0.0204, x 100,000.
    expect(nano_row(page)).to_contain_text("$2,040.00")
    assert still_same_document(page)

    page.reload()
    expect(page.locator("#id_input_tokens")).to_have_value("200000")
    expect(page.locator("select[name=preset]")).to_have_value("")
    expect(nano_row(page)).to_contain_text("$2,040.00")


def test_preset_then_typed_tokens_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/pricing/")
    page.select_option("select[name=preset]", "documents-50")
    page.locator("form.calculator button[type=submit]").click()
    expect(page.locator("#id_input_tokens")).to_have_value("50000")
    expect(nano_row(page)).to_contain_text("$540.00")
    page.fill("#id_input_tokens", "200000")
    page.locator("form.calculator button[type=submit]").click()
    expect(page.locator("select[name=preset]")).to_have_value("")
    expect(page.locator("#id_input_tokens")).to_have_value("200000")
    expect(nano_row(page)).to_contain_text("$2,040.00")
    context.close()


def test_partial_links_take_defaults_for_missing_fields(page: Page, site):
    page.goto(f"{site}/pricing/?preset=chat")
    expect(page.locator(".form-errors")).to_have_count(0)
    expect(page.locator("#id_input_tokens")).to_have_value("1000")
    expect(page.locator("#id_output_tokens")).to_have_value("500")
    expect(page.locator("#id_requests")).to_have_value("100000")
    # 1,000 x $0.10 + 500 x $0.40 per 1M = $0.0003, x 100,000.
    expect(nano_row(page)).to_contain_text("$30.00")
    page.goto(f"{site}/pricing/?batch=on")
    expect(page.locator(".form-errors")).to_have_count(0)
    expect(page.locator("#id_input_tokens")).to_have_value("5000")
    expect(page.locator("#id_batch")).to_be_checked()
    expect(nano_row(page)).to_contain_text("$90.00")


def test_invalid_input_shows_its_message_with_javascript(page: Page, site):
    page.goto(f"{site}/pricing/")
    page.fill("#id_requests", "-5")
    expect(page.locator("#calculator-results .form-errors")).to_contain_text(
        "Requests per month: Ensure this value is greater than or equal to 1."
    )
    page.fill("#id_requests", "1000")
    expect(page.locator("#calculator-results .form-errors")).to_have_count(0)
    expect(nano_row(page)).to_contain_text("$0.90")


def test_the_preset_menu_is_wide_enough_for_its_labels(page: Page, site):
    page.goto(f"{site}/pricing/")
    select = page.locator("select[name=preset]")
    needed = select.evaluate(
        """s => {
          const probe = document.createElement('span');
          probe.style.font = getComputedStyle(s).font;
          probe.style.whiteSpace = 'nowrap';
          document.body.append(probe);
          const widths = [...s.options].map(o => {
            probe.textContent = o.text;
            return probe.offsetWidth;
          });
          probe.remove();
          return Math.max(...widths);
        }"""
    )
    assert select.evaluate("s => s.clientWidth") >= needed + 24  # the text plus the arrow


def test_pair_calculator_preset_fills_the_fields(page: Page, site):
    page.goto(f"{site}/compare/gpt-4-1-mini-vs-gpt-4-1-nano/")
    form = page.locator("form.calculator")
    form.locator("select[name=preset]").select_option("documents-50")
    expect(form.locator("input[name=input_tokens]")).to_have_value("50000")
    expect(page).to_have_url(re.compile(r"preset=documents-50"))
    expect(page.locator("#pair-calculator")).to_contain_text("GPT-4.1 nano: $540.00")
