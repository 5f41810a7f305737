"""The footer signup box in a real browser: htmx swaps the answer in place; no JS, a redirect."""

import re

from playwright.sync_api import Page, expect

from newsletter.models import OutboxEmail, Subscriber


def test_the_signup_box_answers_in_place(page: Page, site, outside_requests):
    page.goto(site + "/methodology/")
    page.evaluate("window.__marker = 1")  # survives only if there is no page load
    box = page.locator("#signup-box")
    # The page is the same for everyone; the box fetches this reader's consent text (loopback:
    # no country, so the strictest) into its own paragraph, leaving the form in place.
    expect(box.locator("#signup-consent")).not_to_have_attribute("data-hx-get", re.compile("."))
    expect(box.locator("#signup-consent")).to_contain_text("GDPR")
    box.get_by_label("Email address").fill("not an address")
    box.get_by_role("button", name="Subscribe").click()
    expect(box.locator(".field-error")).to_contain_text("Enter a valid email address")
    expect(box.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")

    box.get_by_label("Email address").fill("reader@example.com")
    box.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#signup-box [role=status]")).to_contain_text("on its way")
    assert page.evaluate("window.__marker") == 1
    expect(page).to_have_url(re.compile(r"/methodology/$"))
    assert Subscriber.objects.get().email == "reader@example.com"
    assert OutboxEmail.objects.count() == 1
    assert outside_requests == []


def test_without_javascript_the_signup_posts_and_redirects(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    page.locator("#signup-box").get_by_label("Email address").fill("plain@example.com")
    page.locator("#signup-box").get_by_role("button", name="Subscribe").click()
    expect(page).to_have_url(re.compile(r"/digest/\?sent=1$"))
    expect(page.locator("[role=status]")).to_contain_text("on its way")
    assert Subscriber.objects.filter(email="plain@example.com").exists()
    context.close()


def test_signup_after_an_invalid_address_stays_in_place_with_debug_on(page: Page, site, settings):
    # `make run` serves with DEBUG on, where django-htmx adds its debug error handler.
    settings.DEBUG = True
    page.goto(site + "/")
    page.evaluate("window.__marker = 1")
    box = page.locator("#signup-box")
    box.get_by_label("Email address").fill("bad@")
    box.get_by_role("button", name="Subscribe").click()
    expect(box.locator(".field-error")).to_contain_text("Enter a valid email address")
    assert page.content().count("Enter a valid email address") == 1
    expect(page.locator("header.site-header")).to_have_count(1)  # the page is still whole
    box.get_by_label("Email address").fill("debug@example.com")
    box.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#signup-box [role=status]")).to_contain_text("on its way")
    expect(page).to_have_url(re.compile(r"/$"))
    assert page.evaluate("window.__marker") == 1
    assert Subscriber.objects.filter(email="debug@example.com").exists()
