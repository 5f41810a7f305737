"""Paged lists: a page costs the same whatever the catalogue's size, and shows the right rows."""

import csv
import html
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import paging, scoreboard
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?page=2",
    "/?sort=name&reasoning=yes",
    "/pricing/",
    "/pricing/?page=2&sort=-context",
    "/benchmarks/",
    "/benchmarks/bench-0/",
    "/categories/coding/",
    "/categories/coding/?page=2",
    "/compare/",
    "/compare/model-1-vs-model-2/",
    "/compare/model-3-vs-model-8/?lane=verified",
    "/models/model-1/",
]
MAX_HTML = 200_000


# --- pure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [(None, 1), ("", 1), ("abc", 1), ("0", 1), ("-2", 1), ("2.5", 1), ("3", 3), (" 4 ", 4)],
)
def test_parse_page(text, number):
    assert paging.parse_page(text) == number


def test_a_huge_page_number_is_past_the_end():
    assert paging.parse_page("9" * 40) == 10**9
    assert paging.paginate(list(range(120)), paging.parse_page("9" * 40)).number == 3


def test_paginate_slices_and_clamps():
    rows = list(range(120))
    page = paging.paginate(rows, 2)
    assert list(page.items) == rows[50:100] and (page.first, page.last, page.pages) == (51, 100, 3)
    last = paging.paginate(rows, 99)
    assert last.number == 3 and list(last.items) == rows[100:] and not last.has_next
    empty = paging.paginate([], 4)
    assert (empty.number, empty.first, empty.last, empty.paged) == (1, 0, 0, False)


def test_pager_numbers_keep_first_last_and_a_window():
    rows = list(range(50 * 74))
    assert paging.paginate(rows, 1).numbers() == [1, 2, 3, None, 74]
    assert paging.paginate(rows, 10).numbers() == [1, None, 8, 9, 10, 11, 12, None, 74]
    assert paging.paginate(rows, 74).numbers() == [1, None, 72, 73, 74]
    links = paging.pager(paging.paginate(rows, 2), lambda n: f"?page={n}")
    current = [link.current for link in links.links if link.number]
    assert current == [False, True, False, False, False]
    assert (links.previous_url, links.next_url) == ("?page=1", "?page=3")


# --- cost at two catalogue sizes -----------------------------------------------------------------


def _cost(client, url: str) -> tuple[int, int, int]:
    """(queries on a cold cache, queries warm, HTML bytes) of one page."""
    cache.clear()
    scoreboard._memo.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url)
    assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as warm:
        again = client.get(url)
    assert again.content == response.content, url
    return len(cold), len(warm), len(response.content)


def test_every_list_page_costs_the_same_at_two_catalogue_sizes(client):
    build_catalogue(130, 15)  # every list has a full second page
    small = {url: _cost(client, url) for url in PAGES}
    build_catalogue_more(130)  # twice as many models
    large = {url: _cost(client, url) for url in PAGES}
    for url in PAGES:
        assert small[url][:2] == large[url][:2], (url, small[url], large[url])
        # One page of rows either way: the HTML grows only by longer names and a few more
        # providers in the filter, never by rows.
        assert large[url][2] < small[url][2] * 1.1, (url, small[url][2], large[url][2])
        assert large[url][2] < MAX_HTML, url


def build_catalogue_more(extra: int) -> None:
    """More models on the same benchmarks (slugs after the first catalogue's)."""
    from comparisons.models import Benchmark, LanguageModel, Score

    first = LanguageModel.objects.first()
    benches = list(Benchmark.objects.all())
    start = LanguageModel.objects.count()
    made = LanguageModel.objects.bulk_create(
        LanguageModel(
            slug=f"model-{i}",
            name=f"Model {i}",
            provider=first.provider,
            family=first.family,
            release_date=first.release_date,
            reasoning=i % 2 == 0,
            open_weights=i % 3 == 0,
            context_window=128_000,
            input_price=first.input_price,
            output_price=first.output_price,
        )
        for i in range(start, start + extra)
    )
    Score.objects.bulk_create(
        Score(model=m, benchmark=b, value=40 + (i * 7 + j * 13) % 55, verified=(i + j) % 2 == 0)
        for i, m in enumerate(made)
        for j, b in enumerate(benches)
        if (i + j) % 5
    )


# --- the leaderboard's pages ----------------------------------------------------------------------


def slugs(body: str) -> list[str]:
    return re.findall(r'<tr data-model="([^"]+)"', body)


def csv_slugs(client, query: str) -> list[str]:
    body = client.get(f"/?{query}&format=csv").content.decode()
    return [row["model"] for row in csv.DictReader(io.StringIO(body))]


@pytest.mark.parametrize("query", ["", "sort=name", "sort=output_price&dir=desc", "lane=verified"])
def test_page_two_is_rows_51_to_100_of_the_whole_sort(client, query):
    build_catalogue(130)
    whole = csv_slugs(client, query)
    assert len(whole) == 130
    page = client.get(f"/?{query}&page=2").content.decode()
    assert slugs(page) == whole[50:100]
    assert "Showing 51\u2013100 of 130 models." in html.unescape(re.sub(r"<[^>]+>", "", page))
    last = client.get(f"/?{query}&page=3").content.decode()
    assert slugs(last) == whole[100:]
    # Ranked first, unranked after, across pages as on one.
    board = get_board()
    lane = Lane.VERIFIED if "verified" in query else Lane.PROVISIONAL
    ranked = [board.standing(slug, lane).rank is not None for slug in whole]
    assert ranked == sorted(ranked, reverse=True)


def test_filters_then_page(client):
    build_catalogue(130)
    whole = csv_slugs(client, "reasoning=yes&sort=name")
    assert len(whole) == 65
    page = client.get("/?reasoning=yes&sort=name&page=2").content.decode()
    assert slugs(page) == whole[50:]
    assert "Showing 51\u201365 of 65 matching models (130 in all)" in page
    # The pager keeps the filters and the sort; the sort headers, the lane switch and the
    # filter form start again from page 1.
    prev = re.search(r'<a href="([^"]+)" rel="prev"', page).group(1)
    assert html.unescape(prev) == "/?reasoning=yes&sort=name"
    headers = re.findall(r'<th scope="col"[^>]*><a href="([^"]+)"', page)
    assert headers and not any("page=" in h for h in headers)
    form = page.split('id="leaderboard-filters"', 1)[1].split("</form>", 1)[0]
    assert 'name="page"' not in form


@pytest.mark.parametrize(("asked", "shown"), [("999", 3), ("abc", 1), ("0", 1), ("-1", 1)])
def test_an_out_of_range_page_shows_the_nearest_one(client, asked, shown):
    build_catalogue(130)
    response = client.get(f"/?page={asked}")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'aria-current="page" aria-label="Page {shown}, current page"' in body
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', body).group(1)
    assert canonical.endswith("/?page=3" if shown == 3 else "/")


def test_the_htmx_fragment_is_the_table_page_alone(client):
    build_catalogue(130)
    response = client.get("/?sort=name&page=2", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="leaderboard"') and "<html" not in body
    assert len(slugs(body)) == 50
    assert response["HX-Push-Url"] == "/?sort=name&page=2"
    nav = body.split('<nav class="pager" aria-label="Leaderboard pages">', 1)[1].split("</nav>")[0]
    assert 'data-hx-get="/?sort=name&amp;page=3"' in nav and 'data-hx-push-url="true"' in nav
    assert 'href="/?sort=name&amp;page=3" rel="next"' in nav  # a plain link without JavaScript


@pytest.mark.parametrize(
    ("url", "headers", "start"),
    [
        ("/pricing/?page=2", {"HX-Target": "price-table"}, '<div id="price-table"'),
        ("/benchmarks/bench-0/?page=2", {}, '<section id="benchmark-table"'),
        ("/categories/coding/?page=2", {}, '<section id="category-table"'),
    ],
)
def test_other_paged_fragments(client, url, headers, start):
    build_catalogue(130, 8)
    response = client.get(url, headers={"HX-Request": "true", **headers})
    body = response.content.decode()
    assert body.lstrip().startswith(start) and "<html" not in body
    assert response["HX-Push-Url"] == url
    assert 'aria-current="page" aria-label="Page 2, current page"' in body
    whole = client.get(url).content.decode()
    assert "<html" in whole and 'rel="canonical"' in whole and "?page=2" in whole


def test_pricing_pages_follow_the_sort(client):
    build_catalogue(130)
    names = []
    for number in (1, 2, 3):
        body = client.get(f"/pricing/?sort=name&page={number}").content.decode()
        table = body.split('<div id="price-table"', 1)[1].split("</table>", 1)[0]
        names += re.findall(r'<th scope="row"[^>]*><a href="/models/([^/]+)/"', table)
    expected = sorted((f"model-{i}" for i in range(130)), key=lambda s: f"Model {s[6:]}".casefold())
    assert names == expected


def test_benchmark_page_two_continues_the_ranking(client):
    build_catalogue(130, 8)
    one = client.get("/benchmarks/bench-0/").content.decode()
    two = client.get("/benchmarks/bench-0/?page=2").content.decode()
    ranks = [int(r) for r in re.findall(r'<td class="rank">(\d+)</td>', one + two)]
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) > 50
    assert not set(slugs(one)) & set(slugs(two))


def test_charts_are_bounded(client):
    build_catalogue(200)
    pricing = client.get("/pricing/").content.decode()
    compare = client.get("/compare/model-1-vs-model-2/").content.decode()
    board = get_board()
    from comparisons.views.prices import CHART_NEIGHBOURS, CHART_TOP, chart_basis

    frontier = len(chart_basis(board, Lane.PROVISIONAL)["frontier"])
    assert CHART_TOP <= pricing.count('<circle class="pt ') <= CHART_TOP + frontier < 150
    dots = compare.count('<circle class="pt ')
    assert 2 < dots <= frontier + 2 + 2 * 2 * CHART_NEIGHBOURS
    assert compare.count(' pt-hl"') == 2  # the compared pair, both priced and scored
