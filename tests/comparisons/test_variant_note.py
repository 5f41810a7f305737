"""A model's name is its name; the note on which variant the figures describe sits apart."""

import re
from pathlib import Path

import pytest

from comparisons.importer import import_directory

DEMO = Path(__file__).resolve().parents[2] / "comparisons" / "demo_data"
NOTE = "scores from the 06-05 preview"


@pytest.fixture
def catalogue(db):
    assert import_directory(DEMO).ok


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_the_model_page_shows_the_note_and_the_title_does_not(client, catalogue):
    html = client.get("/models/gemini-2-5-pro/").content.decode()
    assert title(html).startswith("Gemini 2.5 Pro") and "preview" not in title(html)
    assert f"This entry: {NOTE}." in html


def test_comparison_shows_the_note_beside_the_sources_only(client, catalogue):
    html = client.get("/compare/gemini-2-5-pro-vs-o3/").content.decode()
    assert "preview" not in title(html)
    assert "<h1>Gemini 2.5 Pro <span" in html
    deep_dive = html.split('id="deep-heading"', 1)[1].split('id="cost-heading"', 1)[0]
    assert f'<span class="note">({NOTE})</span>' in deep_dive
    assert html.count(NOTE) == deep_dive.count(NOTE)


def test_leaderboard_and_picker_show_the_plain_name(client, catalogue):
    assert NOTE not in client.get("/").content.decode()
    options = client.get("/compare/models/", {"side": "a", "a_q": "sonnet 3.5"}).content.decode()
    assert 'data-name="Claude 3.5 Sonnet"' in options and "20241022" not in options
