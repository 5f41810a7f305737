"""Table rows rendered once per board and lane: the same bytes in every view that shows them."""

import re

from tests.factories import build_catalogue


def row(html: str, slug: str) -> str:
    return re.search(rf'<tr data-model="{slug}".*?</tr>', html, re.S).group(0)


def test_a_leaderboard_row_is_the_same_in_every_view_and_keeps_its_lane(client, db):
    build_catalogue(12)
    plain = client.get("/").content.decode()
    sorted_ = client.get("/?sort=name&dir=desc").content.decode()
    filtered = client.get("/?q=model-3").content.decode()
    assert row(plain, "model-3") == row(sorted_, "model-3") == row(filtered, "model-3")
    verified = client.get("/?lane=verified").content.decode()
    assert 'href="/models/model-3/?lane=verified"' in row(verified, "model-3")
    assert "?lane=verified" not in row(plain, "model-3")


def test_a_cached_price_row_gets_its_badge_when_the_clock_passes_the_window(
    client, db, monkeypatch, settings
):
    """The "unconfirmed" badge moves with the clock, not with the data: a row cached on one
    side of the window is not shown on the other."""
    from datetime import timedelta

    from django.utils import timezone

    from comparisons.models import LanguageModel

    build_catalogue(4)
    now = timezone.now()
    confirmed = now - timedelta(days=settings.PRICE_CONFIRMATION_DAYS - 1)
    model = LanguageModel.objects.get(slug="model-0")
    model.price_confirmed_at = confirmed
    model.save()  # a new data version, like an editor's edit
    line = re.compile(r'<tr>\s*<th scope="row"[^>]*><a href="/models/model-0/">.*?</tr>', re.S)
    assert "unconfirmed" not in line.search(client.get("/pricing/").content.decode()).group(0)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=2))
    assert "unconfirmed" in line.search(client.get("/pricing/").content.decode()).group(0)


def test_a_benchmark_table_row_keeps_its_rank_and_the_reader_s_lane(client, db):
    build_catalogue(60, benchmarks=2, density=1.0, run_tokens=1.0)
    second = client.get("/benchmarks/bench-0/?page=2").content.decode()
    ranks = re.findall(r'<tr data-model="[^"]+">\s*<td class="rank">(\d+)</td>', second)
    assert ranks == [str(n) for n in range(51, 61)]
    assert second.count('class="num run-cost"') == 10  # every run has tokens
    verified = client.get("/benchmarks/bench-0/?lane=verified").content.decode()
    plain = client.get("/benchmarks/bench-0/").content.decode()
    assert verified.count('/?lane=verified">Model ') == 50
    assert '?lane=verified">Model ' not in plain


def test_a_category_row_tied_with_the_one_above_reads_equal(client, db):
    from django.core.cache import cache

    from comparisons import scoreboard
    from comparisons.models import Score

    build_catalogue(6, density=1.0)
    Score.objects.filter(model__slug__in=["model-1", "model-2"]).update(value=99)
    cache.clear()  # a bulk update raises no version: build the board afresh
    scoreboard._memo.clear()
    html = client.get("/categories/coding/").content.decode()
    first = re.search(r'<tr data-model="model-(1|2)">\s*<td class="rank">([^<]+)</td>', html)
    second = re.findall(r'<tr data-model="model-(?:1|2)">\s*<td class="rank">([^<]+)</td>', html)
    assert first.group(2) == "1" and second == ["1", "="]
    # The category score as printed (one decimal), never the figure object's repr.
    assert "CategoryFigure(" not in html
    assert re.search(r'<tr data-model="model-1">.*?<strong>99\.0</strong>', html, re.S)
