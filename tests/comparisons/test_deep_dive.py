"""The comparison page at scale: six benchmarks a category of the deep dive and eight costs
per task, the rest one link away."""

import pytest
from django.conf import settings

from comparisons.comparison import DEEP_DIVE_ROWS, RUN_COST_ROWS, deep_dive, run_cost_rows
from comparisons.scoreboard import get_board
from tests.factories import build_catalogue

PAIR = "/compare/model-0-vs-model-1/"


@pytest.fixture
def board(db):
    # Ten benchmarks in each of 8 categories, every run's tokens published.
    build_catalogue(3, benchmarks=80, density=1.0, run_tokens=1.0)
    return get_board()


def test_a_long_category_shows_the_benchmarks_that_say_most_in_display_order(board):
    groups = deep_dive(board, "model-0", "model-1")
    assert len(groups) == 8
    order = list(board.benchmarks)
    for group in groups:
        assert (group.total, len(group.rows), group.folded) == (10, DEEP_DIVE_ROWS, 4)
        shown = [row.slug for row in group.rows]
        assert shown == sorted(shown, key=order.index)  # the catalogue's order, not the pick's
        left_out = [b for b in board.benchmarks.values() if b.category == group.category]
        left_out = [b for b in left_out if b.slug not in shown]
        # Benchmarks that count come before those shown for context only.
        if any(b.counted for b in left_out):
            assert all(row.counted for row in group.rows)


def test_the_unfolded_category_shows_every_benchmark(board):
    coding = next(g for g in deep_dive(board, "model-0", "model-1") if g.category == "coding")
    groups = deep_dive(board, "model-0", "model-1", unfold="coding")
    unfolded = next(g for g in groups if g.category == "coding")
    assert (len(unfolded.rows), unfolded.folded) == (10, 0)
    assert {r.slug for r in coding.rows} < {r.slug for r in unfolded.rows}
    assert all(g.folded == 4 for g in groups if g.category != "coding")


def test_the_page_links_each_folded_category_and_the_link_works_without_javascript(client, board):
    page = client.get(PAIR).content.decode()
    assert page.count('hx-target="#deep-') == 8
    assert 'href="?all=coding#deep-coding"' in page and "Show all 10 Coding benchmarks" in page
    verified = client.get(PAIR + "?lane=verified").content.decode()
    assert 'href="?lane=verified&amp;all=coding#deep-coding"' in verified
    unfolded = client.get(PAIR + "?all=coding").content.decode()
    assert unfolded.count('hx-target="#deep-') == 7 and "Show all 10 Coding" not in unfolded
    assert f'<link rel="canonical" href="{settings.SITE_URL}{PAIR}">' in unfolded


def test_htmx_gets_the_one_group_and_nonsense_gets_the_folded_page(client, board):
    part = client.get(
        PAIR + "?all=coding", headers={"HX-Request": "true", "HX-Target": "deep-coding"}
    )
    html = part.content.decode()
    assert part.status_code == 200 and "<html" not in html
    assert html.strip().startswith('<div class="deep-group" id="deep-coding">')
    assert html.count("<tr>") == 11  # the header and ten benchmarks
    for junk in ("nonsense", "<script>", ""):
        page = client.get(PAIR, {"all": junk})
        assert page.status_code == 200 and page.content.decode().count('hx-target="#deep-') == 8


def test_the_costs_per_task_show_the_heaviest_eight_and_the_rest_on_demand(client, board):
    total = len(run_cost_rows(board, "model-0", "model-1"))
    assert total > RUN_COST_ROWS
    page = client.get(PAIR).content.decode()
    table = page.split('<div id="run-costs">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 2 + RUN_COST_ROWS  # two header rows
    assert f"Show all {total} benchmarks with a cost" in page
    assert 'href="?all=run-costs#run-costs"' in page
    everything = client.get(PAIR + "?all=run-costs").content.decode()
    table = everything.split('<div id="run-costs">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 2 + total and "benchmarks with a cost</a>" not in everything
    part = client.get(
        PAIR + "?all=run-costs", headers={"HX-Request": "true", "HX-Target": "run-costs"}
    ).content.decode()
    assert part.strip().startswith('<div id="run-costs">') and "<html" not in part
    assert part.count("<tr>") == 2 + total
