"""Pages of a past day (``?as_of=``): fixed queries, the banner, links that keep the day, bad
days answered plainly, immutable caching, and /changes/."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comparisons import past
from comparisons.models import (
    ChangeEvent,
    LanguageModel,
    Score,
)
from tests.factories import build_catalogue, record_history

pytestmark = pytest.mark.django_db


PAST_QUERIES = 2
MODEL_PAGE_QUERIES = 2
# The model page's charts over time: the days the catalogue changed, and one replay of the
# events for the days whose boards are not cached yet.
TREND_QUERIES = 2


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def count_queries(client, url: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response


def forget_past_boards() -> None:
    cache.clear()
    past._boards.clear()


@pytest.mark.parametrize("size", [37, 185])
def test_past_pages_hold_a_fixed_number_of_queries(client, size):
    models = build_catalogue(size)
    record_history()
    day = yesterday()
    a, b = models[1].slug, models[size // 2].slug
    pages = {
        "leaderboard": f"/?as_of={day}",
        "model": f"/models/{b}/?as_of={day}",
        "compare": f"/compare/{a}-vs-{b}/?as_of={day}",
        "category": f"/categories/coding/?as_of={day}",
        "pricing": f"/pricing/?as_of={day}",
        "api models": f"/api/v1/models/?as_of={day}",
        "api model": f"/api/v1/models/{b}/?as_of={day}",
        "api compare": f"/api/v1/compare/{a}-vs-{b}/?as_of={day}",
    }
    counts = {}
    for name, url in pages.items():
        forget_past_boards()
        cold, response = count_queries(client, url)
        warm, _ = count_queries(client, url)
        counts[name] = (cold, warm)
    # Cold: the first recorded day and the events up to the end of the day; warm: none (the
    # model page reads its own row and history, as today's does).
    expected = dict.fromkeys(pages, (PAST_QUERIES, 0))
    expected["model"] = (PAST_QUERIES + MODEL_PAGE_QUERIES + TREND_QUERIES, MODEL_PAGE_QUERIES)
    assert counts == expected
    fragment, response = count_queries(client, f"/?as_of={day}&sort=name", HX_Request="true")
    assert fragment == 0
    assert f"as_of={day}" in response["HX-Push-Url"]


def test_a_past_page_shows_that_day_with_a_banner_and_keeps_the_day_in_links(client):
    models = build_catalogue(12)
    record_history()
    score = Score.objects.filter(model=models[0]).order_by("benchmark__slug").first()
    old_value = score.value
    score.value = 3
    score.save()  # today
    day = yesterday()
    page = client.get(f"/models/{models[0].slug}/?as_of={day}").content.decode()
    assert "as it stood at the end of" in page
    assert f'href="/models/{models[0].slug}/">See it today</a>' in page
    assert f"as_of={day}" in page.split('id="main"')[1].split("See it today")[1]
    assert '<meta name="robots" content="noindex">' in page
    api = client.get(f"/api/v1/models/{models[0].slug}/?as_of={day}").json()
    now = client.get(f"/api/v1/models/{models[0].slug}/").json()
    assert api["as_of"] == day and "as_of" not in now
    past_value = {s["benchmark"]: s["score"] for s in api["scores"]}[score.benchmark.slug]
    today_value = {s["benchmark"]: s["score"] for s in now["scores"]}[score.benchmark.slug]
    assert (past_value, today_value) == (float(old_value), 3)
    # The score change of today is not in that day's history on the model page.
    assert "Score change" in client.get(f"/models/{models[0].slug}/").content.decode()
    assert "Score change" not in page
    board = client.get(f"/?as_of={day}").content.decode()
    assert f'href="/models/{models[1].slug}/?as_of={day}"' in board
    assert f'name="as_of" value="{day}"' in board  # the picker and the filters keep it


@pytest.mark.parametrize(
    ("value", "status"),
    [("yesterday", 400), ("2026-02-30", 400), ("2026-1-5", 400), ("1999-01-01", 404)],
)
def test_bad_or_unrecorded_days_are_answered_plainly(client, value, status):
    build_catalogue(5)
    record_history()
    page = client.get(f"/?as_of={value}")
    assert page.status_code == status
    assert ("Not a date" if status == 400 else "No record of that day") in page.content.decode()
    api = client.get(f"/api/v1/models/?as_of={value}")
    assert api.status_code == status and api.json()["error"]


def test_today_or_later_is_todays_page(client):
    build_catalogue(5)
    record_history()
    for day in (timezone.localdate(), timezone.localdate() + timedelta(days=400)):
        page = client.get(f"/?as_of={day}")
        assert page.status_code == 200
        assert "as it stood" not in page.content.decode()


def test_past_pages_are_cached_for_good(client, settings):
    settings.PAGE_CACHE = True
    build_catalogue(5)
    record_history()
    url = f"/pricing/?as_of={yesterday()}"
    first = client.get(url)
    assert "immutable" in first["Cache-Control"]
    assert "max-age=31536000" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and "immutable" in again["Cache-Control"]
    # An edit today changes neither the past page's tag nor its content.
    model = LanguageModel.objects.first()
    model.output_price = 99
    model.save()
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    today = client.get("/pricing/")
    assert "immutable" not in today["Cache-Control"]


@pytest.mark.parametrize("size", [37, 185])
def test_changes_page_lists_every_change_between_two_days_in_fixed_queries(client, size):
    models = build_catalogue(size)
    record_history(days_ago=20)
    for model in models[: size // 4]:
        model.output_price = 1234
        model.save()
    day = timezone.localdate()
    url = f"/changes/?since={day - timedelta(days=2)}&until={day}"
    queries, response = count_queries(client, url)
    assert queries == 2  # the count and the page
    page = response.content.decode()
    assert page.count("output price") == min(size // 4, 50)
    assert f"of {size // 4}" in page
    # Another page or query string of the same range reuses the count until the data changes.
    queries, again = count_queries(client, url + "&page=2")
    assert queries == 1 and f"of {size // 4}" in again.content.decode()
    models[0].output_price = 4321
    models[0].save()
    queries, changed = count_queries(client, url + "&v=1")
    assert queries == 2 and f"of {size // 4 + 1}" in changed.content.decode()
    older = client.get(
        f"/changes/?since={day - timedelta(days=30)}&until={day - timedelta(days=10)}"
    )
    assert "output price" not in older.content.decode()
    assert "saved" in older.content.decode()  # the benchmarks' and categories' states


def test_changes_page_reports_a_bad_range(client):
    response = client.get("/changes/?since=2026-05-02&until=2026-05-01")
    assert response.status_code == 400
    assert "on or after the start day" in response.content.decode()
    assert client.get("/changes/?since=nonsense").status_code == 400


def test_model_page_charts_its_overall_rank_and_price_over_time(client):
    models = build_catalogue(12)
    record_history(days_ago=6)
    model = LanguageModel.objects.get(pk=models[0].pk)
    old_price = model.output_price
    newest = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
    model.output_price = 77
    model.save()
    ChangeEvent.objects.filter(id__gt=newest).update(created_at=timezone.now() - timedelta(days=3))
    page = client.get(f"/models/{model.slug}/").content.decode()
    assert page.count('class="history-chart"') == 3
    assert "Rank over time" in page and "Overall score over time" in page
    assert f"Output price per 1M tokens over time: ${old_price.normalize():f} on" in page
    assert ", $77 on" in page
    # The page of a day before the change charts the days up to that day only.
    earlier = timezone.localdate() - timedelta(days=4)
    page = client.get(f"/models/{model.slug}/?as_of={earlier}").content.decode()
    assert f"{earlier:%b} {earlier.day}, {earlier.year}: ${old_price.normalize():f}" in page
    assert "$77" not in page


def test_with_a_worker_the_missing_past_boards_are_built_there(client, monkeypatch):
    from comparisons import scoreboard, tasks, trends

    models = build_catalogue(12)
    record_history(days_ago=6)
    model = LanguageModel.objects.get(pk=models[0].pk)
    newest = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
    model.output_price = 77
    model.save()
    ChangeEvent.objects.filter(id__gt=newest).update(created_at=timezone.now() - timedelta(days=3))
    monkeypatch.setattr(scoreboard, "builds_in_background", lambda: True)
    queued = []
    monkeypatch.setattr(tasks.build_past_boards, "delay", queued.append)
    url = f"/models/{model.slug}/"
    assert 'class="history-chart"' not in client.get(url).content.decode()
    today = timezone.localdate()
    assert queued == [[(today - timedelta(days=n)).isoformat() for n in (6, 3)]]
    client.get(url)
    assert len(queued) == 1  # queued once
    tasks.build_past_boards(queued[0])
    # The incomplete charts are kept 30 s, in the cache and on the board: let them lapse.
    cache.delete(trends.TRENDS_KEY.format(version=scoreboard.get_board().version))
    later = trends.monotonic() + trends.INCOMPLETE_SECONDS + 1
    monkeypatch.setattr(trends, "monotonic", lambda: later)
    assert client.get(url).content.decode().count('class="history-chart"') == 3


def test_one_process_builds_a_past_board_while_the_others_wait_for_it(monkeypatch):
    """Another process holds the day's build lock: this one builds nothing and takes the board
    that process stores; when none arrives in time, it builds the board itself."""
    import threading

    build_catalogue(5)
    record_history()
    forget_past_boards()
    day = timezone.localdate() - timedelta(days=1)
    board = past.build_past_board(day)
    builds = []
    monkeypatch.setattr(past, "build_past_board", lambda d: builds.append(d) or board)
    monkeypatch.setattr(past, "POLL_SECONDS", 0.01)
    assert cache.add(past.BUILD_KEY.format(day=day.isoformat()), 1, 60)  # the other process
    # which stores its board in the cache (it cannot reach this process's memory)
    stored = past.PAST_KEY.format(day=day.isoformat())
    other = threading.Timer(0.2, cache.set, (stored, board, None))
    other.start()
    found = past.past_board(day)
    other.join()
    assert builds == [] and found is not board  # read back from the cache, not built
    assert found.version == board.version and found.standings == board.standings

    forget_past_boards()  # the other process died holding the lock
    assert cache.add(past.BUILD_KEY.format(day=day.isoformat()), 1, 60)
    monkeypatch.setattr(past, "WAIT_SECONDS", 0.1)
    assert past.past_board(day) is board and builds == [day]
    assert past.cached_board(day) is not None  # and kept it for the rest
    forget_past_boards()  # a build of its own releases the lock as it ends
    assert past.past_board(day) is board and len(builds) == 2
    assert cache.get(past.BUILD_KEY.format(day=day.isoformat())) is None


def test_a_model_deleted_since_keeps_its_past_page(client):
    models = build_catalogue(6)
    record_history()
    gone = models[0]
    gone.input_modalities = "text+image"
    gone.save()
    ChangeEvent.objects.filter(created_at__gt=timezone.now() - timedelta(minutes=5)).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    gone.delete()  # today
    day = yesterday()
    past_page = client.get(f"/models/{gone.slug}/?as_of={day}")
    assert past_page.status_code == 200
    page = past_page.content.decode()
    assert gone.name in page and "as it stood at the end of" in page
    assert "text, image" in page  # the day's own row, from its recorded state
    assert client.get(f"/models/{gone.slug}/").status_code == 404
    assert client.get(f"/api/v1/models/{gone.slug}/?as_of={day}").json()["name"] == gone.name
    assert client.get(f"/api/v1/models/{gone.slug}/").status_code == 404


def test_a_past_day_s_scores_csv_is_that_day_s_scores(client):
    """The download of a past day: the scores as they stood then, in the export's format, not
    today's rows under the past day's name."""
    models = build_catalogue(6)
    record_history()
    then = client.get("/api/v1/scores.csv").content.decode()
    score = Score.objects.filter(model=models[0]).order_by("benchmark__slug").first()
    score.value = 3
    score.source_url = "https://example.com/rerun"
    score.save()  # today
    Score.objects.filter(model=models[1]).order_by("pk").first().delete()
    day = yesterday()
    past_csv = client.get(f"/api/v1/scores.csv?as_of={day}")
    now = client.get("/api/v1/scores.csv").content.decode()
    assert past_csv.status_code == 200
    assert past_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert past_csv.content.decode() == then != now
    assert now.count("\n") == then.count("\n") - 1
