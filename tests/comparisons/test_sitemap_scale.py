"""The sitemap stays inside the protocol's limits whatever the catalogue's size: a few pairs per
model (not all n² of them), files of at most ``Section.limit`` URLs, and a file costs the same
queries at any size. `make bench SCALE=100` measures the same at 3,700 models."""

import math
import re
from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import scoreboard, sitemaps
from tests.factories import build_catalogue, empty_catalogue

pytestmark = pytest.mark.django_db

CAP = sitemaps.SIBLINGS + sitemaps.SCORE_RIVALS + sitemaps.PRICE_RIVALS + sitemaps.OPENED
PROTOCOL_LIMIT = 50_000  # URLs per file (sitemaps.org)


def fresh_board():
    scoreboard.bump_data_version()
    sitemaps._pairs_memo.clear()
    return scoreboard.get_board()


def locations(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return [
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    ]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False  # each request renders: the view's own queries and output
    sitemaps._pairs_memo.clear()
    yield
    sitemaps._pairs_memo.clear()


def test_pairs_are_capped_per_model_even_when_readers_open_every_pair():
    build_catalogue(120, benchmarks=15, density=0.625)
    board = fresh_board()
    models = sorted(board.models)
    every_pair = [(f"{a}-vs-{b}", 1) for a, b in combinations(models, 2)]  # 7,140 pairs
    pairs = sitemaps.pairs_worth_indexing(board, every_pair)
    assert len(pairs) <= CAP * len(models) < len(every_pair)
    # Without openings each model brings at most its siblings and its rivals.
    quiet = sitemaps.pairs_worth_indexing(board, [])
    assert len(quiet) <= (CAP - sitemaps.OPENED) * len(models)
    # The openings add at most OPENED pairs per model, the most opened first.
    assert len(set(pairs) - set(quiet)) <= sitemaps.OPENED * len(models)
    hot = [(f"{models[0]}-vs-{other}", 100 - i) for i, other in enumerate(models[1:40])]
    from_hot = set(sitemaps.pairs_worth_indexing(board, hot)) - set(quiet)
    assert from_hot <= {tuple(sorted(p.split("-vs-"))) for p, _ in hot}
    assert all(a < b for a, b in pairs)  # canonical order, as the canonical links


def test_the_caps_keep_3700_models_inside_the_limits():
    """At 3,700 models every pair the models can bring fits one comparison file, and the whole
    sitemap stays well under 150,000 URLs (`make bench SCALE=100` measures it: bench/RESULTS.md)."""
    models, benchmarks, categories = 3_700, 150, 8
    assert sitemaps.Section.limit <= PROTOCOL_LIMIT
    most_pairs = CAP * models
    assert most_pairs <= sitemaps.Section.limit  # one comparison file
    assert models + benchmarks + categories + 4 + most_pairs < 150_000


def test_sections_split_into_files_of_at_most_the_limit(client, monkeypatch):
    build_catalogue(60, benchmarks=15, density=0.625)
    board = fresh_board()
    pairs = sitemaps._pairs(board)
    monkeypatch.setattr(sitemaps.Section, "limit", 25)
    index = locations(client, "/sitemap.xml")
    comparison_files = [path for path in index if path.startswith("/sitemap-comparisons.xml")]
    assert len(comparison_files) == math.ceil(len(pairs) / 25) > 1
    listed = [loc for path in comparison_files for loc in locations(client, path)]
    assert all(len(locations(client, path)) <= 25 for path in index)
    assert listed == [f"/compare/{a}-vs-{b}/" for a, b in pairs]  # all of them, once, in order
    model_files = [path for path in index if path.startswith("/sitemap-models.xml")]
    assert len(model_files) == math.ceil(len(board.models) / 25)
    # Past the last file: 404, not an empty file or an error.
    assert client.get(f"/sitemap-comparisons.xml?p={len(comparison_files) + 1}").status_code == 404


def queries_per_file(client) -> dict[str, int]:
    scoreboard.get_board()  # warm, as in production: built once per data version
    counts = {}
    for path in ["/sitemap.xml", *locations(client, "/sitemap.xml")]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts[re.sub(r"\?p=\d+", "", path)] = len(captured)
    return counts


def test_a_sitemap_file_costs_the_same_queries_at_any_size(client):
    build_catalogue(20, benchmarks=15, density=0.625)
    fresh_board()
    small = queries_per_file(client)
    empty_catalogue()
    build_catalogue(220, benchmarks=40, density=0.625)
    assert len(fresh_board().models) == 220
    large = queries_per_file(client)
    assert large == small
    assert max(large.values()) <= 2
