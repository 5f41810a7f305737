"""Following: the follow box, confirming, an alert through a real SMTP server, manage and stop."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comparisons.models import Benchmark, LanguageModel, ModelFamily, Provider, Score
from newsletter import following, sending
from newsletter.models import AlertBatch, AlertDelivery, Follow, OutboxEmail, Subscriber
from newsletter.tokens import follow_confirm_token, manage_token
from tests.factories import build_catalogue
from tests.forms import form_post
from tests.newsletter.conftest import make_subscribers

pytestmark = pytest.mark.django_db


def edit(model, value: float = 1) -> Score:
    score = Score.objects.filter(model=model).order_by("pk").first()
    score.value += value
    score.save()
    return score


def link(text: str, kind: str) -> str:
    return re.search(rf"http://[^/\s]+(/follow/{kind}/\S+/)", text).group(1)


def test_the_follow_box_is_on_model_and_benchmark_pages_the_same_for_everyone(client):
    models = build_catalogue(4)
    model = models[0]
    page = client.get(f"/models/{model.slug}/").content.decode()
    assert 'id="follow-box"' in page and f'value="model/{model.slug}"' in page
    assert f'value="provider/{model.provider.slug}"' in page  # no provider page: from here
    assert 'id="follow-consent"' in page and "?for=follow" in page
    assert Client().get(f"/models/{model.slug}/").content.decode() == page
    benchmark = Benchmark.objects.first()
    page = client.get(f"/benchmarks/{benchmark.slug}/").content.decode()
    assert f'name="target" value="benchmark/{benchmark.slug}"' in page
    consent = client.get("/digest/consent/?for=follow").content.decode()
    assert 'id="follow-consent"' in consent


def test_following_is_confirmed_by_email_then_an_alert_lists_the_change(client, mailbox):
    model = build_catalogue(4)[0]
    following.collect()  # where alerts start
    response = form_post(
        client,
        "/follow/",
        {"email": "Ada@Example.com", "target": f"model/{model.slug}", "rank_threshold": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"is on its way" in response.content
    follow = Follow.objects.get()
    assert (follow.kind, follow.slug, follow.rank_threshold) == ("model", model.slug, 3)
    assert follow.confirmed_at is None
    outbox = OutboxEmail.objects.get(kind="follow")
    path = link(outbox.text, "confirm")
    assert b"Confirm and follow" in client.get(path).content
    assert Follow.objects.get().confirmed_at is None  # a GET (a mail scanner) confirms nothing
    assert b"You follow" in client.post(path).content
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE
    assert Follow.objects.get().confirmed_at is not None

    edit(model)
    edit(model, 2)
    batch = following.collect()
    assert following.collect() is None  # nothing new since
    [delivery] = AlertDelivery.objects.filter(batch=batch)
    assert len(delivery.items) == 2
    assert sending.send_alerts(batch.pk, [delivery.pk]).sent == 1
    assert sending.send_alerts(batch.pk, [delivery.pk]).sent == 0  # claimed once
    [message] = mailbox.to("ada@example.com")
    assert message["Subject"] == "2 changes in what you follow on BenchLM"
    text = message.get_body(("plain",)).get_content()
    assert model.name in text and f"/models/{model.slug}/" in text
    stop = re.fullmatch(r"<http://[^/]+(/follow/stop/\S+/)>", message["List-Unsubscribe"])[1]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(text, "manage")
    edit(model, 3)
    later = following.collect()  # an alert queued, not yet sent
    assert Client().post(stop).status_code == 200  # one click, no session
    assert not Follow.objects.exists()
    assert AlertDelivery.objects.get(batch=later).status == AlertDelivery.Status.SKIPPED
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE  # the digest stays


def test_bad_follow_requests_are_answered_with_the_form_not_an_error(client):
    build_catalogue(2)
    for data in (
        {"email": "a@example.com", "target": "model/no-such-model"},
        {"email": "a@example.com", "target": "planet/earth"},
        {"email": "not an address", "target": "benchmark/x"},
        {"email": "a@example.com"},
    ):
        response = form_post(client, "/follow/", data)
        assert response.status_code == 400
        assert b'class="field-error"' in response.content
    assert not Follow.objects.exists()
    for path in ("/follow/confirm/nope/", "/follow/manage/nope/", "/follow/stop/nope/"):
        assert client.get(path).status_code == 400


def confirmed_follows(subscriber, count: int) -> None:
    Follow.objects.bulk_create(
        Follow(
            subscriber=subscriber,
            kind="model",
            slug=f"m{i}",
            name=f"M{i}",
            confirmed_at="2026-01-01T00:00Z",
        )
        for i in range(count)
    )


def test_the_manage_page_changes_frequency_thresholds_and_follows_in_fixed_queries(client):
    [few, many] = make_subscribers(2)
    confirmed_follows(few, 1)
    confirmed_follows(many, 12)
    counts = {}
    for catalogue in (2, 30):  # the catalogue's size changes nothing either
        build_catalogue(catalogue, seed=catalogue)
        for subscriber in (few, many):
            pending = Follow.objects.create(
                subscriber=subscriber, kind="benchmark", slug="b", name="B"
            )
            token = manage_token(subscriber)
            for page in (
                f"/follow/manage/{token}/",
                f"/follow/stop/{token}/",
                f"/follow/confirm/{follow_confirm_token(pending)}/",
            ):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(page).status_code == 200
                counts.setdefault(page.split("/")[2], set()).add(len(queries))
            pending.delete()
        for kind in (Score, LanguageModel, ModelFamily, Provider, Benchmark):
            kind.objects.all().delete()
    assert all(len(sizes) == 1 for sizes in counts.values()), counts

    path = f"/follow/manage/{manage_token(many)}/"
    first, second = Follow.objects.filter(subscriber=many).order_by("pk")[:2]
    response = form_post(
        client,
        path,
        {"frequency": "daily", f"threshold-{first.pk}": "5", f"remove-{second.pk}": "1"},
    )
    assert response.status_code == 200 and b"Saved." in response.content
    assert Subscriber.objects.get(pk=many.pk).alert_frequency == "daily"
    assert Follow.objects.get(pk=first.pk).rank_threshold == 5
    assert not Follow.objects.filter(pk=second.pk).exists()
    assert form_post(client, path, {"frequency": "hourly"}).status_code == 400


def test_daily_followers_wait_for_the_daily_batch(mailbox):
    model = build_catalogue(3)[0]
    [instant, daily] = make_subscribers(2)
    Subscriber.objects.filter(pk=daily.pk).update(alert_frequency="daily")
    for subscriber in (instant, daily):
        Follow.objects.create(
            subscriber=subscriber,
            kind="model",
            slug=model.slug,
            name=model.name,
            confirmed_at="2026-01-01T00:00Z",
        )
    following.collect()
    following.collect("daily")
    edit(model)
    instant_batch = following.collect()
    assert list(
        AlertDelivery.objects.filter(batch=instant_batch).values_list("subscriber", flat=True)
    ) == [instant.pk]
    daily_batch = following.collect("daily")
    assert list(
        AlertDelivery.objects.filter(batch=daily_batch).values_list("subscriber", flat=True)
    ) == [daily.pk]
    assert AlertBatch.objects.count() == 4


def test_the_weekly_digest_gains_a_section_for_what_each_reader_follows(mailbox):
    from newsletter import services
    from newsletter.models import Delivery

    models = build_catalogue(4)
    [follower, reader] = make_subscribers(2)
    Follow.objects.create(
        subscriber=follower,
        kind="model",
        slug=models[0].slug,
        name=models[0].name,
        confirmed_at="2026-01-01T00:00Z",
    )
    edit(models[0])
    digest = services.prepare_digest()
    Delivery.objects.bulk_create(Delivery(digest=digest, subscriber=s) for s in (follower, reader))
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert sending.send_deliveries(digest.pk, ids).sent == 2
    [mine] = mailbox.to(follower.email)
    [theirs] = mailbox.to(reader.email)
    text = mine.get_body(("plain",)).get_content()
    html = mine.get_body(("html",)).get_content()
    assert "WHAT YOU FOLLOW" in text and "What you follow" in html
    assert f"Score change: {models[0].name}" in text
    other = theirs.get_body(("plain",)).get_content() + theirs.get_body(("html",)).get_content()
    assert "What you follow" not in other and "WHAT YOU FOLLOW" not in other
    assert "%%" not in text + html + other


def test_a_rank_move_past_the_threshold_is_alerted():
    models = build_catalogue(6)
    start = following.collect()
    # The lowest ranked model's scores all go to 99: it climbs.
    slug = max(start.ranks, key=start.ranks.get)
    [reader] = make_subscribers(1)
    Follow.objects.create(
        subscriber=reader,
        kind="model",
        slug=slug,
        name=slug,
        rank_threshold=2,
        confirmed_at="2026-01-01T00:00Z",
    )
    model = next(m for m in models if m.slug == slug)
    for score in Score.objects.filter(model=model):
        score.value = 99
        score.save()
    batch = following.collect()
    old, new = start.ranks[slug], batch.ranks[slug]
    assert old - new >= 2
    [delivery] = AlertDelivery.objects.filter(batch=batch)
    assert delivery.items[-1]["text"] == (
        f"Rank move: {slug} up {old - new} places, from #{old} to #{new} overall"
    )


def test_the_admin_lists_follows_and_alert_batches(admin_client):
    model = build_catalogue(2)[0]
    [reader] = make_subscribers(1)
    Follow.objects.create(
        subscriber=reader,
        kind="model",
        slug=model.slug,
        name=model.name,
        confirmed_at="2026-01-01T00:00Z",
    )
    following.collect()
    edit(model)
    following.collect()
    assert model.name in admin_client.get("/admin/newsletter/follow/").content.decode()
    page = admin_client.get("/admin/newsletter/alertbatch/").content.decode()
    assert "1 pending" in page or "1 sent" in page


def test_an_address_already_on_the_list_still_confirms_each_follow(client, settings):
    settings.SIGNUP_RATE_PER_ADDRESS = 2
    build_catalogue(2)
    benchmark = Benchmark.objects.first()
    [active] = make_subscribers(1)
    [left] = make_subscribers(1, status=Subscriber.Status.UNSUBSCRIBED, prefix="left")
    for subscriber in (active, left):
        data = {"email": subscriber.email, "target": f"benchmark/{benchmark.slug}"}
        assert form_post(client, "/follow/", data).status_code == 200
    follows = Follow.objects.order_by("pk")
    assert [f.confirmed_at for f in follows] == [None, None]  # anyone can type any address
    assert Subscriber.objects.get(pk=left.pk).status == Subscriber.Status.UNSUBSCRIBED
    assert Subscriber.objects.get(pk=left.pk).consent_version  # the box's consent, recorded
    path = link(OutboxEmail.objects.get(subscriber=left).text, "confirm")
    client.post(path)
    assert Subscriber.objects.get(pk=left.pk).status == Subscriber.Status.ACTIVE
    # Past the per-address limit the answer is the same, and no email goes out.
    data = {"email": active.email, "target": f"benchmark/{benchmark.slug}"}
    for _ in range(3):
        assert form_post(client, "/follow/", data).status_code == 200
    assert OutboxEmail.objects.filter(subscriber=active).count() == 2
