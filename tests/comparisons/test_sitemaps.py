"""The sitemap lists the pages worth indexing: every model, benchmark and category, and the
pairs readers look for or open, a few per model, in files under the protocol's limit."""

import re
from itertools import combinations
from pathlib import Path

import pytest

from comparisons import opens, sitemaps
from comparisons.importer import import_directory
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent.parent / "comparisons" / "demo_data"


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def all_locations(client) -> list[str]:
    return [loc for f in locations(client, "/sitemap.xml") for loc in locations(client, f)]


def test_nearest_takes_the_closest_on_either_side():
    values = {"a": 1.0, "b": 2.0, "c": 2.5, "d": 10.0, "e": 11.0}
    near = sitemaps.nearest(values, 2)
    assert near["c"] == ["b", "a"] and near["d"] == ["e", "c"] and near["a"] == ["b", "c"]
    assert sitemaps.nearest({"only": 1.0}, 3) == {"only": []}


@pytest.fixture
def demo():
    assert import_directory(DEMO).ok
    sitemaps._pairs_memo.clear()
    yield get_board()
    sitemaps._pairs_memo.clear()


def test_every_model_benchmark_and_category_and_a_few_pairs_per_model(client, demo):
    urls = all_locations(client)
    assert len(urls) == len(set(urls))
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in urls]
    for slug in demo.models:
        assert f"/models/{slug}/" in paths
    for slug in demo.benchmarks:
        assert f"/benchmarks/{slug}/" in paths
    for slug in demo.categories:
        assert f"/categories/{slug}/" in paths
    compared = [p.removeprefix("/compare/").rstrip("/") for p in paths if p.startswith("/compare/")]
    # Sets of three or more ("a,b,c"): only the curated ones, each in alphabetical order.
    sets = [p.split(",") for p in compared if "," in p]
    assert sets and all(s == sorted(s) and len(s) >= 3 for s in sets)
    assert len(sets) == len(sitemaps.curated_sets(demo))
    pairs = [p for p in compared if "," not in p]
    assert 0 < len(pairs) < len(list(combinations(demo.models, 2)))  # not all 666
    for pair in pairs:
        a, b = pair.split("-vs-")
        assert a < b and a in demo.models and b in demo.models  # canonical, real
    per_model = {slug: sum(slug in pair.split("-vs-") for pair in pairs) for slug in demo.models}
    for slug, count in per_model.items():  # every model with a score or a price has rivals
        figures = demo.standings[Lane.PROVISIONAL][slug].overall, demo.models[slug].prices.input
        assert count >= 3 or figures == (None, None), slug
    # The cap: what one model brings is bounded, whatever the catalogue's size.
    cap = sitemaps.SIBLINGS + sitemaps.SCORE_RIVALS + sitemaps.PRICE_RIVALS + sitemaps.OPENED
    assert len(pairs) <= cap * len(demo.models)
    # Siblings are there: GPT-4.1 and its mini share a family.
    assert "gpt-4-1-vs-gpt-4-1-mini" in pairs
    for path in paths[:: max(1, len(paths) // 15)]:  # a sample of the listed pages answers
        assert client.get(path).status_code == 200, path


def test_pairs_readers_open_are_listed(client, demo):
    listed = set(sitemaps.pairs_worth_indexing(demo, []))
    a, b = next(p for p in combinations(sorted(demo.models), 2) if p not in listed)
    for _ in range(3):  # opened in either order, counted as one page
        assert client.get(f"/compare/{b}-vs-{a}/").status_code == 200
    client.get(f"/compare/{a}-vs-{b}/", HTTP_IF_NONE_MATCH='"stale"')
    opens.flush()
    assert (f"{a}-vs-{b}", 4) in opens.most_opened(10)
    sitemaps._pairs_memo.clear()  # what the next refresh period does
    assert f"/compare/{a}-vs-{b}/" in "".join(all_locations(client))


def test_files_stay_under_the_limit_and_are_served_from_cache(client, demo, settings, monkeypatch):
    settings.PAGE_CACHE = True
    monkeypatch.setattr(sitemaps.Section, "limit", 20)
    files = locations(client, "/sitemap.xml")
    comparison_files = [f for f in files if "sitemap-comparisons.xml" in f]
    assert len(comparison_files) > 1
    for url in files:
        assert len(locations(client, url)) <= 20
    path = re.sub(r"^https?://[^/]+", "", comparison_files[-1])
    assert client.get(path)["X-Page-Cache"] == "hit"
    etag = client.get(path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_query_string_of_the_visitors_own_does_not_write_the_file_again(
    client, demo, monkeypatch, settings
):
    """The page cache keys on the whole URL; the file itself is written once per data version."""
    settings.PAGE_CACHE = False
    writes = []
    original = sitemaps.sitemap_views.sitemap

    def counted(*args, **kwargs):
        writes.append(kwargs["section"])
        return original(*args, **kwargs)

    monkeypatch.setattr(sitemaps.sitemap_views, "sitemap", counted)
    first = client.get("/sitemap-comparisons.xml")
    again = [client.get(f"/sitemap-comparisons.xml?x={i}") for i in range(5)]
    assert writes == ["comparisons"]
    assert all(
        r.content == first.content and r["Content-Type"] == first["Content-Type"] for r in again
    )
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-comparisons.xml?p=9").status_code == 404
    assert client.get("/sitemap-comparisons.xml?p=x").status_code == 404

    # An edit is a new data version: the file is written again and shows it.
    written = writes.count("comparisons")
    from comparisons.models import LanguageModel

    listed = re.search(r"/compare/([a-z0-9.-]+?)-vs-", first.content.decode()).group(1)
    model = LanguageModel.objects.get(slug=listed)
    model.slug = "renamed-model"
    model.save()
    fresh = client.get("/sitemap-models.xml?x=1").content.decode()
    assert "/models/renamed-model/" in fresh
    pairs = client.get("/sitemap-comparisons.xml").content.decode()
    assert "/compare/renamed-model-vs-" in pairs or "-vs-renamed-model/" in pairs
    assert writes.count("comparisons") == written + 1
