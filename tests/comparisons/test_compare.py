import re
from itertools import permutations
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import charts
from comparisons.comparison import DEEP_DIVE_ROWS, build_comparison, deep_dive, related_pairs
from comparisons.importer import import_directory
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane
from comparisons.verdict import write_verdict
from comparisons.views.compare import faq_json_ld, parse_pair
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed"
DEMO = Path(__file__).resolve().parent.parent.parent / "comparisons" / "demo_data"


@pytest.fixture
def seed():
    report = import_directory(SEED)
    assert report.ok, report.errors


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def test_mini_vs_nano_matches_the_reference_page(client, seed):
    page = text_of(client.get("/compare/gpt-4-1-mini-vs-gpt-4-1-nano/"))
    assert "Head-to-head comparison across 2 benchmark categories" in page
    assert "provisional ranking lane" in page
    assert "Sibling matchup inside the GPT-4.1 family." in page
    assert "Knowledge GPT-4.1 mini 64.2 vs 50.3 +13.9 difference" in page
    assert "Inst. Following" not in page or "+5.3 difference" in page
    assert "88.5 vs 83.2 +5.3 difference" in page
    assert "2 categories won" in page and "0 categories won" in page
    assert "GPQA, 64.2% to 50.3%" in page
    assert "roughly 4.0\N{MULTIPLICATION SIGN} on output cost alone" in page
    assert "$0.4 / $1.6" in page and "$0.1 / $0.4" in page
    assert "80 t/s" in page and "181 t/s" in page and "0.76s" in page


def test_gpt41_vs_mini_counts_gpqa_but_shows_mmlu(client, seed):
    page = text_of(client.get("/compare/gpt-4-1-vs-gpt-4-1-mini/"))
    assert "across 3 benchmark categories" in page
    assert "54.6 vs 23.6 +31.0 difference" in page
    assert "66.3 vs 64.2 +2.1 difference" in page
    assert "87.4 vs 88.5 +1.1 difference" in page
    assert "SWE-bench Verified, 54.6% to 23.6%" in page
    assert "roughly 5.0\N{MULTIPLICATION SIGN} on output cost alone" in page
    assert "MMLU is the benchmark that creates the most daylight" in page
    assert "MMLU (shown, not counted)" in page


def test_mini_vs_muse_spark_unknown_prices_and_reasoning(client, seed):
    page = text_of(client.get("/compare/gpt-4-1-mini-vs-muse-spark/"))
    assert "across 2 benchmark categories" in page
    assert "23.6 vs 61.7 +38.1 difference" in page
    assert "64.2 vs 50.4 +13.8 difference" in page
    assert "SWE-bench Verified, 23.6% to 77.4%" in page
    assert "Muse Spark is the reasoning model in the pair" in page
    assert "1M, compared with 262K" in page
    assert "N/A" in page
    assert "Sibling matchup" not in page


@pytest.mark.parametrize(
    ("pair", "ratio", "swing"),
    [
        ("gpt-4-1-mini-vs-gpt-4-1-nano", 4.0, ("gpqa-diamond", 64.2, 50.3, 13.9)),
        ("gpt-4-1-vs-gpt-4-1-mini", 5.0, ("swe-bench-verified", 54.6, 23.6, 31.0)),
        ("gpt-4-1-mini-vs-muse-spark", None, ("swe-bench-verified", 23.6, 77.4, 53.8)),
    ],
)
def test_comparison_api_carries_the_seed_figures(client, seed, pair, ratio, swing):
    data = client.get(f"/api/v1/compare/{pair}/").json()
    assert data["output_cost_ratio"] == ratio
    assert (
        data["biggest_swing"]["benchmark"],
        data["biggest_swing"]["a"],
        data["biggest_swing"]["b"],
        data["biggest_swing"]["difference"],
    ) == swing
    for side in ("a", "b"):
        assert set(data[side]) >= {
            "slug", "name", "overall", "lane", "category_scores", "input_price", "output_price",
            "cached_input_price", "context_window", "context_pages", "output_speed", "ttft",
        }  # fmt: skip
    assert {c["slug"]: (c["a"], c["b"], c["difference"]) for c in data["categories"]}[
        "knowledge"
    ][2] == {"gpt-4-1-mini-vs-gpt-4-1-nano": 13.9, "gpt-4-1-vs-gpt-4-1-mini": 2.1,
             "gpt-4-1-mini-vs-muse-spark": 13.8}[pair]  # fmt: skip


def test_unknown_prices_are_null_in_the_api(client, seed):
    data = client.get("/api/v1/compare/gpt-4-1-mini-vs-muse-spark/").json()
    assert data["b"]["input_price"] is None and data["b"]["output_price"] is None
    assert data["typical_requests"][1]["b_cost"] is None
    assert data["typical_requests"][1]["a_cost"] == pytest.approx(0.0036)
    assert data["cache_savings"]["b"] is None and data["value_per_point"]["b"] is None
    assert data["a"]["context_pages"] == 1396 and data["b"]["context_pages"] == 349


@pytest.mark.slow(12)
def test_every_demo_pair_composes_and_a_sample_renders_in_both_orders(client):
    """Every ordered pair of the demo catalogue goes through the layer the page is made of
    (figures, verdict, FAQ, deep dive, related pairs, radar chart); rendering all 1,332 through
    the templates would add two minutes and no coverage, so the pages rendered are a sample that
    puts every model on each side at least once."""
    assert import_directory(DEMO).ok
    board = get_board()
    slugs = sorted(board.models)
    assert len(slugs) == 74
    for a, b in permutations(slugs, 2):
        assert parse_pair(f"{a}-vs-{b}", board) == (a, b)
        c = build_comparison(board, a, b, Lane.PROVISIONAL)
        assert (c.a.slug, c.b.slug) == (a, b), (a, b)
        verdict = write_verdict(c)
        assert verdict.faq and faq_json_ld(verdict.faq).startswith("{"), (a, b)
        groups = deep_dive(board, a, b)
        listed = sum(group.total for group in groups)
        assert listed == len(set(board.cells.get(a, {})) | set(board.cells.get(b, {}))), (a, b)
        assert all(len(g.rows) == min(g.total, DEEP_DIVE_ROWS) for g in groups), (a, b)
        related = related_pairs(board, a, b, Lane.PROVISIONAL)
        assert all({r.a, r.b} != {a, b} for r in related), (a, b)
        chart = charts.radar_chart(
            [(r.slug, c.category_names[r.slug]) for r in c.categories],
            c.a.category_scores,
            c.b.category_scores,
            c.a.name,
            c.b.name,
        )
        assert len(chart.rows) == len(c.categories) and c.a.name in chart.title, (a, b)
    sample = [(a, slugs[(i + 1) % len(slugs)]) for i, a in enumerate(slugs)]
    for a, b in sample + [(b, a) for a, b in sample]:
        response = client.get(f"/compare/{a}-vs-{b}/")
        assert response.status_code == 200, (a, b)
        canonical = f"/compare/{min(a, b)}-vs-{max(a, b)}/"
        assert (
            f'rel="canonical" href="http://127.0.0.1:8000{canonical}"' in response.content.decode()
        )


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/compare/gpt-4-1-vs-no-such-model/", 404),
        ("/compare/no-such-model-vs-gpt-4-1/", 404),
        ("/compare/gpt-4-1-vs-gpt-4-1/", 302),
        ("/compare/GPT-4-1-vs-GPT-4-1-Mini/", 301),
        ("/compare/gpt-4-1-vs-gpt-4-1-mini/junk/", 404),
        ("/compare/gpt-4-1-vs-gpt-4-1-mini-junk/", 404),
        ("/compare/gpt-4-1-vs-gpt-4-1-mini-vs-muse-spark/", 404),
        ("/compare/-vs-gpt-4-1/", 404),
        ("/compare/gpt-4-1/", 404),
        ("/compare/" + "a" * 5000 + "-vs-gpt-4-1/", 404),
        ("/compare/gpt-4-1-vs-gpt-4-1-mini%00/", 404),
        ("/compare/?a=gpt-4-1&b=nope", 404),
        ("/compare/?a=gpt-4-1&b=gpt-4-1-mini", 302),
        ("/api/v1/compare/gpt-4-1-vs-nope/", 404),
        ("/api/v1/models/nope/", 404),
    ],
)
def test_bad_pairs_are_404_or_redirect(client, seed, url, status):
    assert client.get(url).status_code == status


def test_same_model_redirects_to_model_page(client, seed):
    response = client.get("/compare/gpt-4-1-vs-gpt-4-1/")
    assert response["Location"] == "/models/gpt-4-1/"
    response = client.get("/compare/?a=gpt-4-1&b=gpt-4-1-mini")
    assert response["Location"] == "/compare/gpt-4-1-vs-gpt-4-1-mini/"


def test_fragment_and_push_url_for_htmx(client, seed):
    response = client.get("/compare/?a=gpt-4-1&b=gpt-4-1-nano", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/compare/gpt-4-1-vs-gpt-4-1-nano/"
    body = response.content.decode()
    assert body.lstrip().startswith("<title>GPT-4.1 vs GPT-4.1 nano:")
    assert '<div id="comparison"' in body and "<html" not in body
    full = client.get("/compare/gpt-4-1-vs-gpt-4-1-nano/")
    assert "<html" in full.content.decode() and "HX-Request" in full["Vary"]


def test_faq_json_ld(client, seed):
    html = client.get("/compare/gpt-4-1-mini-vs-gpt-4-1-nano/").content.decode()
    assert '"@type": "FAQPage"' in html
    assert "Which is better, GPT-4.1 mini or GPT-4.1 nano?" in html


@pytest.mark.parametrize("size", [37, 185])
@pytest.mark.parametrize("htmx", [False, True])
def test_comparison_query_count_is_fixed(client, size, htmx):
    from django.core.cache import cache

    from comparisons import scoreboard

    models = build_catalogue(size)
    url = f"/compare/{models[1].slug}-vs-{models[2].slug}/"
    headers = {"HX-Request": "true"} if htmx else {}
    cache.clear()
    scoreboard._memo.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url, headers=headers).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url, headers=headers).status_code == 200
    # An empty cache: the data version read once from the database, then five queries build
    # the scoreboard and one reads both models' dates and sources; a warm page needs none.
    assert (len(cold), len(warm)) == (7, 0)


def test_model_page_links_to_its_closest_rivals(client, seed):
    html = client.get("/models/gpt-4-1-mini/").content.decode()
    assert 'href="/compare/gpt-4-1-mini-vs-gpt-4-1/"' in html  # same family
    assert 'href="/compare/gpt-4-1-mini-vs-gpt-4-1-nano/"' in html
    assert 'rel="canonical" href="http://127.0.0.1:8000/models/gpt-4-1-mini/"' in html


def test_comparison_calculator_reproduces_from_a_link_and_updates_as_a_fragment(client, seed):
    query = "?input_tokens=1000&output_tokens=500&requests=100000&cached=50"
    page = text_of(client.get("/compare/gpt-4-1-vs-gpt-4-1-mini/" + query))
    # GPT-4.1: 500 x 2 + 500 x 0.5 + 500 x 8 = 5,250 per 1M -> $0.00525 x 100,000 = $525.
    assert "GPT-4.1: $525.00 · GPT-4.1 mini: $105.00 per month" in page
    assert "$420.00 a month apart" in page
    fragment = client.get(
        "/compare/gpt-4-1-vs-gpt-4-1-mini/?input_tokens=x&output_tokens=1&requests=1&cached=0",
        headers={"HX-Request": "true", "HX-Target": "pair-calculator"},
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="pair-calculator"')
    assert "Enter a whole number." in fragment
    unknown = text_of(client.get("/compare/gpt-4-1-mini-vs-muse-spark/" + query))
    assert "Muse Spark: N/A" in unknown and "a price is not published" in unknown


def test_cost_section_gives_the_speed_gap_and_context_in_pages(client, seed):
    page = text_of(client.get("/compare/gpt-4-1-mini-vs-gpt-4-1-nano/"))
    cost = page.split("Cost Request", 1)[1].split("Your monthly cost", 1)[0]
    # 181 / 80 t/s - 1 = 126%; 1,047,576 tokens / 750 = 1,396 pages, rounded down.
    assert "GPT-4.1 nano generates output 126% faster than GPT-4.1 mini." in cost
    assert "Context window pages of 750 tokens 1,396 pages 1,396 pages" in cost
    assert "Output speed tokens per second 80 t/s 181 t/s" in cost
    unknown = text_of(client.get("/compare/gpt-4-1-mini-vs-muse-spark/"))
    cost = unknown.split("Cost Request", 1)[1].split("Your monthly cost", 1)[0]
    assert "1,396 pages 349 pages" in cost  # 262,144 / 750
    assert "faster than" not in cost and "Output speed tokens per second 80 t/s N/A" in cost
