"""The price-feed sync against the demo catalogue and the snapshot bundled with genai-prices."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchlm import settings as project_settings
from comparisons import genai_feed, price_sync
from comparisons.importer import import_directory
from comparisons.models import ChangeEvent, LanguageModel, PriceSync
from comparisons.pricefeed import SYNCED_FIELDS
from comparisons.tasks import sync_prices
from tests.comparisons.test_importer import DEMO
from tests.servers import free_port

pytestmark = pytest.mark.django_db

MAPPED = 52  # demo models with genai-prices ids in models.csv


@pytest.fixture
def demo():
    report = import_directory(DEMO)
    assert report.ok, report.errors
    ChangeEvent.objects.all().delete()


def prices(slug: str) -> dict:
    model = LanguageModel.objects.get(slug=slug)
    return {field: getattr(model, field) for field in SYNCED_FIELDS}


def test_the_bundled_snapshot_carries_tiers_cache_writes_and_batch():
    feed = genai_feed.load_feed(refresh=False, today=date(2026, 11, 30))
    assert feed.snapshot.source == "bundled"
    assert feed.snapshot.as_of <= date(2026, 11, 30)
    sonnet = feed.lookup("anthropic", "claude-sonnet-4-5").terms
    assert sonnet["input_price"] == Decimal(3) and sonnet["output_price"] == Decimal(15)
    assert sonnet["cache_write_price"] == Decimal("3.75")
    assert sonnet["batch_input_price"] == Decimal("1.5")
    assert sonnet["long_context_threshold"] == 200_000
    assert sonnet["long_context_input_price"] == Decimal(6)
    assert sonnet["long_context_output_price"] == Decimal("22.5")
    gemini = feed.lookup("google", "gemini-2.5-pro").terms
    assert (gemini["long_context_input_price"], gemini["long_context_output_price"]) == (
        Decimal("2.5"),
        Decimal(15),
    )
    assert feed.lookup("anthropic", "no-such-model") is None


def test_a_start_date_in_the_future_is_a_scheduled_price():
    # GLM-5.3-Flash ran a launch promotion; its list price starts on 2026-09-10.
    before = genai_feed.load_feed(refresh=False, today=date(2026, 9, 1))
    terms = before.lookup("zhipuai", "GLM-5.3-Flash").terms
    assert terms["input_price"] == Decimal("0.055")
    assert terms["scheduled_price_date"] == date(2026, 9, 10)
    assert terms["scheduled_input_price"] == Decimal("0.11")
    after = genai_feed.load_feed(refresh=False, today=date(2026, 9, 10))
    terms = after.lookup("zhipuai", "GLM-5.3-Flash").terms
    assert terms["input_price"] == Decimal("0.11") and "scheduled_price_date" not in terms


def test_dry_run_lists_every_difference_and_writes_nothing(demo):
    result = price_sync.sync(dry_run=True)
    assert len(result.plan.matched) == MAPPED
    unmapped = LanguageModel.objects.count() - MAPPED
    assert result.plan.missing == [] and len(result.plan.unmapped) == unmapped
    changes = {(c.slug, c.field): c.theirs for c in result.plan.changes}
    assert changes[("claude-sonnet-4-5", "long_context_input_price")] == Decimal(6)
    assert changes[("gemini-2-5-pro", "long_context_threshold")] == 200_000
    assert changes[("gpt-4-1", "batch_output_price")] == Decimal(4)
    assert ("gpt-4-1", "input_price") not in changes  # the demo's $2 is the feed's $2
    assert ChangeEvent.objects.count() == 0 and PriceSync.objects.count() == 0
    assert LanguageModel.objects.filter(price_confirmed_at__isnull=False).count() == 0


def test_apply_writes_one_price_event_per_change_and_a_rerun_changes_nothing(demo):
    untouched = prices("llama-4-maverick")
    planned = price_sync.plan()
    result = price_sync.apply(planned)
    events = ChangeEvent.objects.all()
    assert result.events == len(planned.plan.changes) == events.count() > 0
    assert set(events.values_list("kind", flat=True)) == {ChangeEvent.Kind.PRICE_CHANGED}
    assert {(e.model_slug, e.field) for e in events} == {
        (c.slug, c.field) for c in planned.plan.changes
    }
    sonnet = LanguageModel.objects.get(slug="claude-sonnet-4-5")
    assert sonnet.long_context_threshold == 200_000
    assert sonnet.long_context_output_price == Decimal("22.5")
    assert sonnet.price_confirmed_at is not None
    # Every model the feed matched is confirmed; an unmapped one is not touched.
    assert LanguageModel.objects.filter(price_confirmed_at__isnull=False).count() == MAPPED
    assert prices("llama-4-maverick") == untouched
    sync_row = PriceSync.objects.get()
    assert (sync_row.matched, sync_row.changed_fields) == (MAPPED, result.events)

    again = price_sync.sync()
    assert again.plan.changes == [] and again.events == 0
    assert ChangeEvent.objects.count() == result.events


def test_a_pinned_price_survives_and_is_reported(demo):
    model = LanguageModel.objects.get(slug="claude-sonnet-4-5")
    model.input_price, model.prices_pinned = Decimal(99), True
    model.save()
    ChangeEvent.objects.all().delete()
    result = price_sync.sync()
    model.refresh_from_db()
    assert model.input_price == Decimal(99) and model.long_context_threshold is None
    assert ("claude-sonnet-4-5", "input_price") in {(c.slug, c.field) for c in result.plan.pinned}
    assert not ChangeEvent.objects.filter(model_slug="claude-sonnet-4-5").exists()
    assert "claude-sonnet-4-5" in PriceSync.objects.get().pinned


def test_a_model_missing_from_the_feed_is_reported_not_cleared(demo):
    LanguageModel.objects.filter(slug="gpt-4o").update(genai_model_id="gpt-4o-retired")
    before = prices("gpt-4o")
    result = price_sync.sync()
    assert [m.slug for m in result.plan.missing] == ["gpt-4o"]
    assert prices("gpt-4o") == before
    assert PriceSync.objects.get().missing == "gpt-4o"


def test_a_plan_made_before_an_edit_does_not_overwrite_it(demo):
    stale = price_sync.plan()
    model = LanguageModel.objects.get(slug="gpt-4-1")
    model.batch_output_price = Decimal(4)  # an editor got there first
    model.save()
    before = ChangeEvent.objects.count()
    price_sync.apply(stale)
    assert (
        not ChangeEvent.objects.filter(model_slug="gpt-4-1", field="batch_output_price", id__gt=0)
        .exclude(old_value="")
        .exists()
    )
    assert ChangeEvent.objects.count() == before + len(stale.plan.changes) - 1


def test_refresh_without_network_logs_one_line_uses_the_snapshot_and_clears_nothing(
    demo, settings, caplog, client
):
    settings.PRICE_FEED_REFRESH = True
    settings.PRICE_FEED_URL = f"http://127.0.0.1:{free_port()}/data.json"  # nothing listens
    before = {m.slug: prices(m.slug) for m in LanguageModel.objects.all()}
    with caplog.at_level(logging.INFO):
        result = sync_prices.delay().get()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "price feed refresh failed" in warnings[0].getMessage()
    assert "bundled snapshot" in warnings[0].getMessage()
    assert "bundled snapshot" in result["snapshot"] and result["matched"] == MAPPED
    after = {m.slug: prices(m.slug) for m in LanguageModel.objects.all()}
    for slug, old in before.items():  # nothing cleared: every known figure is still known
        assert all(after[slug][f] is not None for f, v in old.items() if v is not None), slug
    for url in ("/", "/pricing/", "/models/claude-sonnet-4-5/", "/methodology/"):
        assert client.get(url).status_code == 200, url


def test_refresh_is_off_by_default():
    assert project_settings.PRICE_FEED_REFRESH is False
    schedule = project_settings.CELERY_BEAT_SCHEDULE["price-sync"]
    assert schedule["task"] == "comparisons.tasks.sync_prices"


def test_the_command_prints_the_difference_and_the_snapshot(demo, capsys):
    call_command("sync_prices", "--dry-run")
    out = capsys.readouterr().out
    assert "model\tfield\tours\ttheirs" in out
    assert "claude-sonnet-4-5\tlong_context_input_price\t-\t6.0000" in out
    assert f"{MAPPED} models matched" in out and "bundled snapshot" in out
    assert "Dry run: nothing written." in out
    assert ChangeEvent.objects.count() == 0


def test_match_price_feed_proposes_and_applies_exact_matches_only(demo, capsys):
    LanguageModel.objects.update(genai_provider_id="", genai_model_id="")
    call_command("match_price_feed")
    out = capsys.readouterr().out
    assert "gpt-4-1\topenai\tgpt-4.1\t" in out and "exact" in out
    assert not LanguageModel.objects.exclude(genai_model_id="").exists()
    call_command("match_price_feed", "--apply")
    assert LanguageModel.objects.get(slug="claude-opus-4-5").genai_model_id == "claude-opus-4-5"
    # claude-3-7-sonnet only comes close to another model's name: proposed, never saved.
    assert LanguageModel.objects.get(slug="claude-3-7-sonnet").genai_model_id == ""


def test_the_admin_page_shows_the_difference_and_applies_it(demo, admin_client):
    url = reverse("admin:comparisons_languagemodel_price_sync")
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "long_context_input_price" in html and "bundled snapshot" in html
    fingerprint = page.context["result"].fingerprint
    stale = admin_client.post(url, {"fingerprint": "0" * 16})
    assert stale.status_code == 302 and ChangeEvent.objects.count() == 0
    applied = admin_client.post(url, {"fingerprint": fingerprint})
    assert applied.status_code == 302
    assert ChangeEvent.objects.filter(kind=ChangeEvent.Kind.PRICE_CHANGED).count() > 0
    assert "nothing to apply" in admin_client.get(url).content.decode()


def test_the_admin_page_needs_change_permission(demo, client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:comparisons_languagemodel_price_sync"))
    assert response.status_code == 403
