"""Freshness: when the figures last changed, the feed's snapshot and unconfirmed prices."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from comparisons import price_sync
from comparisons.models import LanguageModel, Score
from comparisons.pricing import price_unconfirmed
from tests.factories import build_catalogue

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def test_a_price_is_unconfirmed_after_the_window_or_when_never_confirmed():
    assert price_unconfirmed(None, NOW, 90)
    assert not price_unconfirmed(NOW - timedelta(days=90), NOW, 90)
    assert price_unconfirmed(NOW - timedelta(days=90, seconds=1), NOW, 90)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/models/model-1/",
        "/compare/model-1-vs-model-2/",
        "/pricing/",
        "/benchmarks/",
        "/benchmarks/bench-1/",
        "/categories/coding/",
        "/methodology/",
    ],
)
def test_every_catalogue_page_says_when_its_figures_last_changed(client, url):
    build_catalogue(6)
    newest = max(
        *LanguageModel.objects.values_list("updated_at", flat=True),
        *Score.objects.values_list("updated_at", flat=True),
    )
    html = client.get(url).content.decode()
    day = timezone.localtime(newest).date()
    assert f'Figures last changed <time datetime="{day.isoformat()}">' in html


@pytest.mark.django_db
def test_the_methodology_page_names_the_snapshot_and_the_newest_score(client):
    build_catalogue(6)
    Score.objects.filter(pk=Score.objects.first().pk).update(as_of=date(2026, 11, 2))
    html = client.get("/methodology/").content.decode()
    assert "No sync has run yet" in html
    LanguageModel.objects.filter(slug="model-1").update(
        genai_provider_id="openai", genai_model_id="gpt-4.1"
    )
    result = price_sync.sync()
    html = client.get("/methodology/").content.decode()
    snapshot = result.snapshot
    assert f"snapshot bundled with genai-prices {snapshot.package_version}" in html
    assert f'<time datetime="{snapshot.as_of.isoformat()}">' in html
    assert 'Newest score: <time datetime="2026-11-02">November 2, 2026</time>' in html


@pytest.mark.django_db
def test_an_unconfirmed_price_is_marked_until_the_feed_or_an_editor_confirms_it(
    client, admin_client
):
    build_catalogue(3)
    assert "unconfirmed</span>" in client.get("/models/model-1/").content.decode()
    LanguageModel.objects.filter(slug="model-1").update(
        price_confirmed_at=timezone.now() - timedelta(days=10)
    )
    from comparisons.scoreboard import bump_data_version

    bump_data_version()
    assert "unconfirmed</span>" not in client.get("/models/model-1/").content.decode()
    stale = client.get("/api/v1/models/model-2/").json()
    assert stale["price_unconfirmed"] is True and stale["price_confirmed_at"] is None
    # An editor's save confirms the price.
    model = LanguageModel.objects.get(slug="model-2")
    response = admin_client.get(f"/admin/comparisons/languagemodel/{model.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "scores-TOTAL_FORMS": "0",
            "scores-INITIAL_FORMS": "0",
            "scores-MIN_NUM_FORMS": "0",
            "scores-MAX_NUM_FORMS": "1000",
            "release_date": model.release_date.isoformat(),
        }
    )
    saved = admin_client.post(f"/admin/comparisons/languagemodel/{model.pk}/change/", data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    model.refresh_from_db()
    assert model.price_confirmed_at is not None
    assert client.get("/api/v1/models/model-2/").json()["price_unconfirmed"] is False
