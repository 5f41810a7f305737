"""axe-core on every page type, at a phone and a desktop width, light and dark."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.comparisons.test_html import give_runs

PAGES = [
    "/",
    "/?lane=verified&sort=cat-coding",
    "/?page=2&sort=name",
    "/models/gpt-4-1-mini/",
    "/models/muse-spark/",
    "/compare/",
    "/compare/gpt-4-1-mini-vs-gpt-4-1-nano/",
    "/compare/claude-opus-4-1-vs-gpt-5/",
    "/compare/gpt-4-1,claude-opus-4-1,gemini-2-5-pro,gpt-5,o3,llama-4-maverick/",
    "/compare/gpt-4-1-mini,gpt-4-1-nano,muse-spark/?lane=verified",
    "/benchmarks/",
    "/benchmarks/swe-bench-verified/",
    "/benchmarks/gpqa-diamond/",  # with the cost to run (``give_runs``)
    "/models/gpt-4-1/",
    "/compare/gpt-4-1-vs-gpt-4-1-mini/",
    "/categories/coding/",
    "/methodology/",
    "/pricing/",
    "/pricing/?sort=-value&provider=openai&has_batch=on",
    "/pricing/?page=2",
    "/digest/",
    "/digest/archive/",
    # A past day (filled in by ``history``): the banner, the date picker, the charts over time.
    "/?as_of={day}",
    "/models/gpt-4-1-mini/?as_of={day}",
    "/changes/",
]
SERIOUS = {"serious", "critical"}
# Two runs check every rule in every state a page can be seen in. The pages are the same bytes
# at every width and in both schemes, and the dark scheme changes colours only (checked below):
# every rule but colour contrast gives the same answer in both schemes at one width, so the
# light run at desktop width and the dark run at phone width cover both layouts. Colour
# contrast then meets each palette once; the phone layout only moves a cell onto another of
# the palette's own backgrounds.
RUNS = [("light", 1280), ("dark", 375)]
CSS = Path(__file__).resolve().parents[2] / "static" / "css"
DARK = "@media (prefers-color-scheme: dark)"
COLOUR = re.compile(r"#[0-9a-f]{3,8}|rgba?\([\d.,\s%]+\)", re.IGNORECASE)
COLOUR_PROPERTIES = {"color", "background-color", "border-color", "fill", "stroke"}
OPACITY = {"fill-opacity", "stroke-opacity"}


def follow_pages() -> list[str]:
    """The follow links' pages: confirm, manage (with one follow of each kind) and stop."""
    from django.urls import reverse

    from newsletter import tokens
    from newsletter.models import Follow, Subscriber

    reader = Subscriber.objects.create(email="follower@example.com", status="active")
    rows = [
        Follow(subscriber=reader, kind="model", slug="gpt-4-1-mini", name="GPT-4.1 mini"),
        Follow(subscriber=reader, kind="provider", slug="openai", name="OpenAI"),
        Follow(subscriber=reader, kind="benchmark", slug="mmlu", name="MMLU"),
    ]
    Follow.objects.bulk_create(rows)
    Follow.objects.exclude(kind="model").update(confirmed_at="2026-01-01T00:00Z")
    token = tokens.manage_token(reader)
    return [
        reverse("follow_confirm", args=[tokens.follow_confirm_token(rows[0])]),
        reverse("follow_manage", args=[token]),
        reverse("follow_stop", args=[token]),
    ]


SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR")


@pytest.fixture
def history(site) -> str:
    """The demo catalogue dated three days back and one price changed two days back: the day
    before today has a past board, a change list and charts with three points."""
    from datetime import timedelta

    from django.utils import timezone

    from comparisons.models import ChangeEvent, LanguageModel

    now = timezone.now()
    ChangeEvent.objects.update(created_at=now - timedelta(days=3))
    model = LanguageModel.objects.get(slug="gpt-4-1-mini")
    model.output_price += 1
    model.save()
    ChangeEvent.objects.filter(created_at__gt=now - timedelta(days=1)).update(
        created_at=now - timedelta(days=2)
    )
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def dark_declarations(css: str) -> list[tuple[str, str]]:
    """(property, value) of every declaration inside the stylesheet's dark-scheme blocks."""
    found = []
    at = css.find(DARK)
    while at != -1:
        start = css.index("{", at) + 1
        depth, end = 1, start
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        for body in re.findall(r"\{([^{}]*)\}", css[start : end - 1]):
            for declaration in filter(str.strip, body.split(";")):
                name, _, value = declaration.partition(":")
                found.append((name.strip(), value.strip()))
        at = css.find(DARK, end)
    return found


def test_the_dark_scheme_changes_colours_only():
    """What makes two axe runs enough (``RUNS``): should the dark scheme hide, move or resize
    anything, the other two scheme and width pairs need a run of their own again."""
    declarations = [d for sheet in CSS.glob("*.css") for d in dark_declarations(sheet.read_text())]
    assert len(declarations) > 20  # the palette's variables and the charts' colours
    for name, value in declarations:
        if name.startswith("--") or name in COLOUR_PROPERTIES:
            assert COLOUR.fullmatch(value), (name, value)
        else:
            assert name in OPACITY and 0 <= float(value) <= 1, (name, value)


@pytest.mark.slow(40)
@pytest.mark.parametrize(("scheme", "width"), RUNS)
def test_pages_have_no_serious_accessibility_violations(browser, site, history, width, scheme):
    give_runs()
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(site) else outside.append(r.url))
    axe = Axe()
    problems = []
    urls = [*(url.format(day=history) for url in PAGES), *follow_pages(), "follow-box"]
    for url in urls:
        if url == "follow-box":  # the box's answer, swapped in by htmx on a model page
            url = "/models/gpt-4-1-mini/#follow"
            page.goto(site + url)
            page.fill("#follow-email", "reader@example.com")
            page.click("#follow-box button[type=submit]")
            page.wait_for_selector(".follow-done")
        else:
            response = page.goto(site + url)
            assert response.status == 200, url
        results = axe.run(page)
        problems += [
            f"{url} [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{v['nodes'][0]['target']})"
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        if SCREENSHOTS:
            name = url.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
            path = Path(SCREENSHOTS) / f"{name}-{width}-{scheme}.png"
            page.screenshot(path=str(path), full_page=True)
    context.close()
    assert problems == []
    assert outside == []
