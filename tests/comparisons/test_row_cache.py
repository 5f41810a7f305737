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
