"""One figure, one place: every model's headline is the same on every page, API and download.

Run over the starter data in both lanes. Comparisons are checked for every pair through the API
(which the page and the verdict share) and rendered for a sample of pairs, since rendering all
1,332 pages tests the template more than the figures.
"""

import csv
import html
import io
import random
import re
from itertools import combinations
from pathlib import Path

import pytest

from comparisons import presenter, scoreboard
from comparisons.comparison import build_comparison
from comparisons.formatting import (
    as_number,
    format_cost,
    format_percent,
    format_ratio,
    format_score,
)
from comparisons.importer import import_directory
from comparisons.paging import PAGE_SIZE
from comparisons.presenter import present
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane
from comparisons.verdict import write_verdict
from comparisons.views.prices import chart_points

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "comparisons" / "demo_data"
LANES = (Lane.PROVISIONAL, Lane.VERIFIED)
SAMPLE_PAIRS = 40


@pytest.fixture
def board():
    report = import_directory(DEMO)
    assert report.ok, report.errors
    return get_board()


def query(lane: Lane) -> str:
    return "?lane=verified" if lane == Lane.VERIFIED else ""


def plain(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def cell(row: str, cls: str) -> str:
    match = re.search(rf'<t[dh][^>]*class="[^"]*\b{cls}\b[^"]*"[^>]*>(.*?)</t[dh]>', row, re.S)
    assert match, (cls, row[:200])
    return plain(match.group(1))


def every_page(client, url: str) -> str:
    """A paged list whole: the page at ``url`` and each one its pager's "next" link leads to,
    in order. Every page must be full but the last, so no row is lost between two pages."""
    pages = []
    while url:
        page = client.get(url).content.decode()
        pages.append(page)
        rows = page.count("<tr data-model=")
        nxt = re.search(r'<a href="([^"]+)" rel="next"', page)
        assert rows == PAGE_SIZE or not nxt, (url, rows)
        url = html.unescape(nxt.group(1)) if nxt else ""
        assert len(pages) < 100, "the pager never ends"
    return "".join(pages)


def headline_text(h: presenter.Headline) -> tuple[str, str, str]:
    """(overall, interval, rank) as every page prints them."""
    return h.overall_text, h.interval_text, str(h.rank) if h.rank else ""


def test_every_model_shows_one_headline_everywhere(client, board):
    for lane in LANES:
        expected = {slug: present(board, lane, slug) for slug in board.models}

        # The leaderboard, row by row, page by page.
        page = every_page(client, "/" + query(lane))
        rows = re.findall(r'<tr data-model="([^"]+)"[^>]*>(.*?)</tr>', page, re.S)
        assert [slug for slug, _ in rows] == list(board.standings[lane]), lane  # once, in order
        for slug, row in rows:
            h = expected[slug]
            overall = cell(row, "overall")
            assert overall == f"{h.overall_text} {h.interval_text}".strip(), (lane, slug)
            rank = cell(row, "rank")
            assert rank.split(" ")[0] == (str(h.rank) if h.ranked else "—"), (lane, slug)

        # The API list, the model page and every category page.
        api = {m["slug"]: m for m in client.get("/api/v1/models/" + query(lane)).json()["models"]}
        for slug, h in expected.items():
            assert {k: api[slug][k] for k in h.as_data()} == h.as_data(), (lane, slug)
            text = plain(client.get(f"/models/{slug}/" + query(lane)).content.decode())
            assert f"{h.overall_text} " in text
            if h.interval_text:
                assert f"90% interval {h.interval_text}" in text
            if h.ranked:
                assert f"rank {h.rank} of {h.ranked_total}" in text
        for category in board.categories:
            page = every_page(client, f"/categories/{category}/" + query(lane))
            for slug, row in re.findall(r'<tr data-model="([^"]+)"[^>]*>(.*?)</tr>', page, re.S):
                assert cell(row, "overall").split(" ")[0] == expected[slug].overall_text

        # The pricing chart plots the same overall.
        for point in chart_points(board, lane):
            assert point.score == float(expected[point.slug].overall)

        # Every pair, in the comparison's data.
        for a, b in combinations(sorted(board.models), 2):
            c = build_comparison(board, a, b, lane)
            assert c.a.headline == expected[a] and c.b.headline == expected[b]


def test_every_api_comparison_figure_is_printed_on_its_page(client, board):
    pairs = list(combinations(sorted(board.models), 2))
    sample = random.Random(10).sample(pairs, SAMPLE_PAIRS)
    for (a, b), lane in zip(sample, LANES * SAMPLE_PAIRS, strict=False):
        url = f"/compare/{a}-vs-{b}/" + query(lane)
        data = client.get("/api/v1" + url).json()
        text = plain(client.get(url).content.decode())
        assert_printed(data, text, url)


def assert_printed(data: dict, text: str, url: str) -> None:
    for key in ("a", "b"):
        side = data[key]
        assert f"{side['name']} {side['overall'] if side['overall'] is not None else '—'}" in text
        if side["overall_interval"]:
            low, high = side["overall_interval"]
            assert f"90% interval {low}\N{EN DASH}{high}" in text, url
    for r in data["categories"]:
        figures = f"{format_score(r['a'])} vs {format_score(r['b'])}"
        assert figures in text, (url, figures)
        if r["winner"]:
            assert f"+{format_score(r['difference'])} difference" in text, url
    if swing := data["biggest_swing"]:
        assert f"{format_score(swing['a'])}%" in text and f"{format_score(swing['b'])}%" in text
    for request in data["typical_requests"]:
        for key in ("a_cost", "b_cost"):
            assert format_cost(request[key]) in text, (url, request)
    for key in ("a", "b"):
        if (saving := data["cache_savings"][key]) is not None:
            assert format_percent(saving) in text, (url, saving)
        if (value := data["value_per_point"][key]) is not None:
            assert format_cost(value) in text, (url, value)
    if (ratio := data["output_cost_ratio"]) is not None:
        assert format_ratio(ratio) in text, (url, ratio)
    if (speed := data["speed_difference_percent"]) is not None:
        assert format_percent(abs(speed)) in text, (url, speed)


def test_rounding_edges_are_the_same_in_the_api_and_on_the_page(client, tmp_path):
    """x.x5 and $x.xxx5 figures: half-up everywhere, never banker's rounding in one place."""
    (tmp_path / "benchmarks.csv").write_text(
        "slug,name,category,weight,description,url\n"
        "b1,B1,coding,1,,\nb2,B2,coding,1,,\nb3,B3,knowledge,1,,\n"
    )
    (tmp_path / "models.csv").write_text(
        "slug,name,provider,family,release_date,reasoning,open_weights,context_window,"
        "max_output_tokens,input_price,output_price,cached_input_price,output_speed,ttft,"
        "knowledge_cutoff,input_modalities\n"
        "m-one,M One,P,,2025-01-01,no,no,128000,,0.25,1.25,0.125,80.5,0.125,,text\n"
        "m-two,M Two,P,,2025-01-01,no,no,128000,,0.35,0.45,,40.5,0.5,,text\n"
    )
    (tmp_path / "scores.csv").write_text(
        "model,benchmark,score,as_of,source_url,note\n"
        "m-one,b1,64.25,2025-01-01,https://example.com/1,\n"
        "m-one,b2,64.35,2025-01-01,https://example.com/1,\n"
        "m-one,b3,50.05,2025-01-01,https://example.com/1,\n"
        "m-two,b1,50.35,2025-01-01,https://example.com/2,\n"
        "m-two,b2,50.15,2025-01-01,https://example.com/2,\n"
        "m-two,b3,40.45,2025-01-01,https://example.com/2,\n"
    )
    report = import_directory(tmp_path)
    assert report.ok, report.errors
    data = client.get("/api/v1/compare/m-one-vs-m-two/").json()
    # coding: (64.25 + 64.35) / 2 = 64.3; knowledge 50.05 -> 50.1 (banker's would say 50.0)
    assert data["a"]["category_scores"] == {"coding": 64.3, "knowledge": 50.1}
    assert data["b"]["category_scores"] == {"coding": 50.3, "knowledge": 40.5}
    text = plain(client.get("/compare/m-one-vs-m-two/").content.decode())
    assert_printed(data, text, "/compare/m-one-vs-m-two/")


def test_a_side_that_wins_every_category_by_a_margin_has_the_higher_overall(board):
    checked = 0
    for lane in LANES:
        for a, b in combinations(sorted(board.models), 2):
            c = build_comparison(board, a, b, lane)
            if len(c.categories) < 3:
                continue
            for who, sign in (("a", 1), ("b", -1)):
                if all(r.winner == who and r.difference >= 3 for r in c.categories):
                    checked += 1
                    assert (c.a.overall - c.b.overall) * sign > 0, (lane, a, b)
    assert checked > 50  # the rule is exercised, not vacuous


def test_verdicts_follow_the_figures(board):
    for lane in LANES:
        for a, b in combinations(sorted(board.models), 2):
            c = build_comparison(board, a, b, lane)
            v = write_verdict(c)
            sides = {"a": c.a, "b": c.b}
            for who, other in (("a", "b"), ("b", "a")):
                me, them = sides[who], sides[other]
                wins = dict(zip("ab", c.wins, strict=True))
                trailing = (
                    wins[who] < wins[other]
                    and me.headline.overall is not None
                    and them.headline.overall is not None
                    and me.headline.overall < them.headline.overall
                )
                if trailing:
                    assert not v.quick.startswith(f"Pick {me.name} "), (lane, a, b)
                    assert not v.quick.startswith(f"{me.name} makes more sense"), (lane, a, b)
                if c.categories and wins[who] == len(c.categories):
                    assert v.quick.startswith(f"{me.name} wins "), (lane, a, b, v.quick)
            if c.within_noise:
                assert not v.quick.startswith("Pick "), (lane, a, b)
                assert "clearly ahead" not in " ".join(v.paragraphs), (lane, a, b)


def test_ranked_models_are_measured_widely_and_come_first(board):
    for lane in LANES:
        order = list(board.standings[lane])
        ranked = [s for s in board.standings[lane].values() if s.rank is not None]
        assert order[: len(ranked)] == [s.model for s in ranked]
        for s in ranked[:10]:
            assert s.coverage >= 0.5, (lane, s.model)
    # Every default sort of the leaderboard keeps the unranked after the ranked.
    for sort in ("overall", "name", "cost", "cat-coding", "speed"):
        rows = list(csv.DictReader(io.StringIO(_csv(board, sort))))
        ranks = [r["rank"] for r in rows]
        assert ranks.index("") == sum(1 for r in ranks if r), sort


def _csv(board, sort: str) -> str:
    from django.test import Client

    return Client().get(f"/?sort={sort}&format=csv").content.decode()


def test_category_pages_list_every_model_with_a_score_there(client, board):
    for category in board.categories:
        page = every_page(client, f"/categories/{category}/")
        listed = re.findall(r'<tr data-model="([^"]+)"', page)
        assert len(listed) == len(set(listed)), category  # no model on two pages
        listed = set(listed)
        counted = {b for b, info in board.benchmarks.items() if info.counted}
        scored = {
            model
            for model, cells in board.cells.items()
            if model in board.models
            and any(board.benchmarks[b].category == category for b in cells if b in counted)
        }
        assert listed == scored, category


def test_no_page_says_zero_categories_for_a_model_with_scores(client, board):
    text = plain(client.get("/compare/gpt-5-vs-muse-spark/").content.decode())
    assert "across 0 benchmark categories" not in text
    model = plain(client.get("/models/muse-spark/").content.decode())
    assert "no category score" not in model or "estimated" in model


def test_methodology_reports_the_live_validation(client, board):
    assert board.reports[Lane.PROVISIONAL].loo_mae is None  # not on the board's path
    text = plain(client.get("/methodology/").content.decode())
    report = scoreboard.fit_reports(board)[Lane.PROVISIONAL]  # run once the page asks for it
    assert report.loo_mae is not None and report.loo_mae <= 8
    assert f"Provisional {report.loo_cells} {format_score(report.loo_mae)}" in text
    shares = re.findall(r"(\d+)%", text.split("Weights in force", 1)[1].split("Caveats", 1)[0])
    assert sum(int(s) for s in shares) in (99, 100, 101)  # rounded shares of the live weight
    assert as_number(None) is None
