from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import scoreboard
from comparisons.models import LanguageModel, MethodologySettings, Score
from comparisons.paging import PAGE_SIZE
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db

# The scoreboard is built from five queries: methodology, categories, benchmarks, scores, models.
BOARD_QUERIES = 5
# With the data version missing from the cache too (a cold start), it is read from the database
# once and published there (comparisons/scoreboard.py).
VERSION_QUERY = 1
# The model page adds the model row (body, publication) and its change history.
MODEL_PAGE_QUERIES = 2
# A model's dates and sources are read with its first page per board (comparisons/cells.py).
CELL_DETAILS_QUERY = 1
# Once per data version, its charts over time read the days the catalogue changed (and the
# events, when those days' boards are not cached: a catalogue built in bulk has none).
TREND_QUERIES = 1


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("size", [37, 185])
def test_leaderboard_query_count_is_fixed(client, size):
    build_catalogue(size)
    cold, response = count_queries(client, "/")
    warm, _ = count_queries(client, "/")
    assert (cold, warm) == (VERSION_QUERY + BOARD_QUERIES, 0)
    assert response.content.decode().count('model-cell"') == min(size, PAGE_SIZE)
    # A new board under a version already cached: the five queries of the build alone.
    cache.delete(scoreboard.BOARD_KEY.format(version=scoreboard.current_version()))
    scoreboard._memo.clear()
    assert count_queries(client, "/")[0] == BOARD_QUERIES


@pytest.mark.parametrize("size", [37, 185])
def test_model_page_query_count_is_fixed(client, size):
    models = build_catalogue(size)
    url = f"/models/{models[size // 2].slug}/"
    cold, _ = count_queries(client, url)
    warm, _ = count_queries(client, url)
    cold_queries = (
        VERSION_QUERY + BOARD_QUERIES + MODEL_PAGE_QUERIES + TREND_QUERIES + CELL_DETAILS_QUERY
    )
    assert (cold, warm) == (cold_queries, MODEL_PAGE_QUERIES)


def test_an_edit_shows_on_the_next_request(client):
    models = build_catalogue(10)
    target = models[0]
    client.get("/")  # warm the cache
    target.name = "Renamed Model"
    target.save()
    assert "Renamed Model" in client.get("/").content.decode()
    assert "Renamed Model" in client.get(f"/models/{target.slug}/").content.decode()

    score = Score.objects.filter(model=target).first()
    score.value = Decimal("12.3")
    score.save()
    assert "12.3%" in client.get(f"/models/{target.slug}/").content.decode()


def test_methodology_shows_the_thresholds_in_force(client):
    settings = MethodologySettings.load()
    settings.ranking_coverage = 70
    settings.category_share = 60
    settings.save()
    html = client.get("/methodology/").content.decode()
    assert "<strong>70%</strong> of the live category weight" in html
    assert "<strong>60%</strong>" in html
    assert "Agentic" in html and ">22<" in html


def test_unknown_and_unpublished_models_are_404(client):
    models = build_catalogue(3)
    assert client.get("/models/no-such-model/").status_code == 404
    LanguageModel.objects.filter(pk=models[0].pk).update(published=False)
    models[0].published = False
    models[0].save()
    assert client.get(f"/models/{models[0].slug}/").status_code == 404


def test_leaderboard_sorts_and_switches_lane(client):
    build_catalogue(12)
    html = client.get("/?sort=name&dir=asc&lane=verified").content.decode()
    assert 'aria-sort="ascending"' in html
    assert "Verified lane: only scores" in html
    names = [line for line in html.splitlines() if 'class="sticky model-cell"' in line]
    assert "Model 0<" in names[0]
    # A bad sort key or lane falls back to the defaults rather than failing.
    assert client.get("/?sort=%27;drop&lane=nope&dir=sideways").status_code == 200


def test_leaderboard_fragment_for_htmx(client):
    build_catalogue(5)
    response = client.get("/?sort=overall", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="leaderboard"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_leaderboard_filters(client):
    build_catalogue(24)
    html = client.get("/?q=model 1&reasoning=no").content.decode()
    names = [line for line in html.splitlines() if "model-cell" in line and "<th" in line]
    # "Model 1", "Model 11" ... "Model 19" but only the odd (non-reasoning) ones.
    assert names and all('">Model 1' in n for n in names)
    assert all(int(n.split('">Model ')[1].split("<")[0]) % 2 == 1 for n in names)
    assert f"Showing 1\u2013{len(names)} of {len(names)} matching models (24 in all)" in html


def test_leaderboard_max_price_excludes_unknown_prices(client):
    build_catalogue(10)
    html = client.get("/?max_price=1000").content.decode()
    # Every fifth model has no price: it cannot be under any maximum.
    assert ">Model 4<" not in html and ">Model 9<" not in html
    assert ">Model 0<" in html


def test_leaderboard_bad_filter_input_is_reported_not_fatal(client):
    build_catalogue(5)
    response = client.get("/?max_price=abc&provider=nope&open_weights=maybe&q=" + "x" * 500)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="form-errors"' in html and "Enter a number." in html
    fragment = client.get("/?max_price=-3", headers={"HX-Request": "true"}).content.decode()
    assert "greater than or equal to 0" in fragment
    assert 'id="leaderboard-state" data-hx-swap-oob="true"' in fragment


def test_model_page_shows_price_history(client):
    model = build_catalogue(3)[0]
    model.refresh_from_db()
    old = model.output_price
    model.output_price = old + 1
    model.save()
    html = client.get(f"/models/{model.slug}/").content.decode()
    assert f"Output price: ${old.normalize():f} → ${(old + 1).normalize():f} per 1M tokens" in html
