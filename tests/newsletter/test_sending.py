"""Exactly-once sending against a real SMTP server on loopback, one process."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import Score
from newsletter import sending, services
from newsletter.models import Delivery, Digest, Subscriber
from tests.factories import build_catalogue
from tests.newsletter.conftest import make_subscribers

pytestmark = pytest.mark.django_db


def edit_a_score(models) -> Score:
    """A change through ``save()``, as the admin makes it (the factory's bulk inserts are not)."""
    score = Score.objects.filter(model=models[0]).order_by("pk").first()
    score.value += 1
    score.save()
    return score


@pytest.fixture
def digest(db):
    edit_a_score(build_catalogue(6))
    return services.prepare_digest()


def deliveries_for(digest: Digest, subscribers) -> list[int]:
    Delivery.objects.bulk_create(Delivery(digest=digest, subscriber=s) for s in subscribers)
    return list(Delivery.objects.filter(digest=digest).values_list("pk", flat=True))


def test_a_batch_goes_over_one_connection_with_the_list_headers(digest, mailbox):
    subscribers = make_subscribers(5)
    ids = deliveries_for(digest, subscribers)
    result = sending.send_deliveries(digest.pk, ids)
    assert (result.sent, mailbox.count(), mailbox.connections) == (5, 5, 1)
    assert set(mailbox.per_recipient().values()) == {1}
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5

    message = mailbox.to("reader3@example.com")[0]
    assert message["Subject"] == digest.subject
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http\S+/digest/unsubscribe/\S+/)>", message["List-Unsubscribe"])[1]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert url in text and url in html  # the body's link is the header's
    assert "%%UNSUBSCRIBE_URL%%" not in text + html
    # Email-safe HTML: no SVG, no style sheet, no remote image; every link absolute.
    assert "<svg" not in html and "<link" not in html and "<img" not in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith("http://127.0.0.1:8000/") for h in hrefs)
    assert all(u.startswith("http") for u in re.findall(r"(?m)^\s*(\S*://\S+)$", text))


def test_running_a_batch_twice_sends_nobody_anything_twice(digest, mailbox):
    ids = deliveries_for(digest, make_subscribers(4))
    sending.send_deliveries(digest.pk, ids)
    again = sending.send_deliveries(digest.pk, ids)
    assert again.sent == 0 and mailbox.count() == 4


def test_fan_out_is_idempotent(digest, mailbox, django_capture_on_commit_callbacks, settings):
    settings.NEWSLETTER_BATCH_SIZE = 3
    make_subscribers(7)
    make_subscribers(1, Subscriber.Status.PENDING, prefix="pending")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.fan_out(digest) == 7
    assert len(callbacks) == 3  # batches of 3, 3 and 1, each on its own connection
    assert mailbox.connections == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.fan_out(digest) == 0
        assert services.send_weekly() == 0  # this week's digest exists: nothing new
    assert Delivery.objects.count() == 7 and mailbox.count() == 7


def test_someone_who_left_after_the_fan_out_is_skipped(digest, mailbox):
    subscribers = make_subscribers(2)
    ids = deliveries_for(digest, subscribers)
    Subscriber.objects.filter(pk=subscribers[0].pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    result = sending.send_deliveries(digest.pk, ids)
    assert (result.sent, result.skipped) == (1, 1)
    assert list(mailbox.per_recipient()) == [subscribers[1].email]


def test_a_refused_address_fails_at_once_and_the_rest_go_out(digest, mailbox):
    subscribers = make_subscribers(3)
    mailbox.refuse.add(subscribers[1].email)
    result = sending.send_deliveries(digest.pk, deliveries_for(digest, subscribers))
    assert (result.sent, result.failed, result.retry_in) == (2, 1, None)
    failed = Delivery.objects.get(subscriber=subscribers[1])
    assert failed.status == Delivery.Status.FAILED and failed.last_error.startswith("Permanent")


def test_a_deferred_address_retries_with_backoff_then_fails_after_the_limit(
    digest, mailbox, settings
):
    settings.NEWSLETTER_RETRY_BASE = 30
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    [subscriber] = make_subscribers(1)
    mailbox.defer[subscriber.email] = 10
    ids = deliveries_for(digest, [subscriber])
    waits = []
    for _ in range(3):
        before = timezone.now()
        result = sending.send_deliveries(digest.pk, ids)
        delivery = Delivery.objects.get()
        waits.append(round((delivery.next_attempt_at - before).total_seconds() / 30))
        if delivery.status == Delivery.Status.PENDING:
            assert result.retry_in is not None
            # Not due yet: a run now claims nothing.
            assert sending.send_deliveries(digest.pk, ids).sent == 0
            Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert waits[:2] == [1, 2]  # 30 s, then 60 s
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    assert mailbox.count() == 0

    mailbox.defer.clear()
    Delivery.objects.update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    assert sending.send_deliveries(digest.pk, ids).sent == 1


def test_a_send_abandoned_mid_data_never_arrives(digest, mailbox):
    """What a worker killed before its commit leaves behind: the server discards the message."""
    [subscriber] = make_subscribers(1)
    [pk] = deliveries_for(digest, [subscriber])
    claimed_at = sending.claim(Delivery, pk)
    email = sending.emails.message(subscriber, "s", "t", "", message_key="k", list_mail=True)

    def crash():
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError), sending.Postman() as postman:
        postman.send(email, crash)
    assert mailbox.count() == 0
    assert Delivery.objects.get().status == Delivery.Status.SENDING
    # Someone else's stale claim is not ours to complete.
    with pytest.raises(sending.Abandon):
        sending.mark_sent(Delivery, pk, claimed_at - timedelta(seconds=1))


def test_a_stale_claim_is_taken_over_and_sent_once(digest, mailbox, settings):
    settings.NEWSLETTER_STALE_AFTER = 60
    [subscriber] = make_subscribers(1)
    ids = deliveries_for(digest, [subscriber])
    assert sending.claim(Delivery, ids[0])
    assert sending.send_deliveries(digest.pk, ids).sent == 0  # claimed by a live sender
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(seconds=61))
    assert sending.send_deliveries(digest.pk, ids).sent == 1
    assert mailbox.count() == 1 and Delivery.objects.get().attempts == 2


def test_the_sweep_queues_what_was_left(
    digest, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_REQUEUE_AFTER = 60
    ids = deliveries_for(digest, make_subscribers(3))
    Delivery.objects.filter(pk=ids[0]).update(queued_at=timezone.now())  # queued just now
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep()["deliveries"] == 2
    assert mailbox.count() == 2
    Delivery.objects.filter(pk=ids[0]).update(queued_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep() == {"outbox": 0, "deliveries": 1}
    assert mailbox.count() == 3


def test_a_quiet_week_sends_nothing(db, mailbox, django_capture_on_commit_callbacks):
    models = build_catalogue(3)
    make_subscribers(2)
    assert services.prepare_digest() is None  # no change event at all
    edit_a_score(models)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_weekly() == 2
    assert mailbox.count() == 2
    # A week later nothing has changed since that digest: no digest, no email.
    next_week = timezone.now() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_weekly(next_week) == 0
    assert Digest.objects.count() == 1 and mailbox.count() == 2


def test_the_digest_names_the_weeks_changes(db):
    models = build_catalogue(4)
    services.take_snapshot(timezone.now() - timedelta(days=7))
    Digest.objects.create(
        week=services.week_of(timezone.now() - timedelta(days=7)),
        period_start=timezone.now() - timedelta(days=14),
        period_end=timezone.now(),
        subject="last week",
        content={},
        html="",
        text="",
    )
    old = Score.objects.filter(model=models[0]).order_by("pk").first().value
    score = edit_a_score(models)
    digest = services.prepare_digest()
    assert f"{models[0].name} on {score.benchmark.name}" in digest.text
    assert f"{old.normalize():f} -> {score.value.normalize():f}" in digest.text


def test_the_sweep_sends_a_confirmation_the_broker_never_got(
    db, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_REQUEUE_AFTER = 60
    from newsletter.consent import TEXTS
    from newsletter.models import OutboxEmail, Regime

    # The signup's own queuing is lost (as when the broker is down): no callbacks run.
    with django_capture_on_commit_callbacks(execute=False):
        services.subscribe("late@example.com", "", TEXTS[Regime.EU])
    outbox = OutboxEmail.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep()["outbox"] == 0  # too fresh: its own task may still be on the way
    OutboxEmail.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep()["outbox"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep()["outbox"] == 0  # sent: nothing left to sweep
    outbox.refresh_from_db()
    assert outbox.status == OutboxEmail.Status.SENT
    assert len(mailbox.to("late@example.com")) == 1


def test_a_retry_sends_the_same_message_id(digest, mailbox, settings):
    """Every try of one delivery carries one Message-ID, so a receiver can drop a repeat."""
    settings.NEWSLETTER_STALE_AFTER = 60
    subscribers = make_subscribers(2)
    subscribers[1].email = "reader@exämple.com"  # the slow path builds its own message
    subscribers[1].save()
    ids = deliveries_for(digest, subscribers)
    sending.send_deliveries(digest.pk, ids)
    # As if the first send's commit had been lost: the sweep takes both over and sends again.
    Delivery.objects.update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now() - timedelta(seconds=61)
    )
    sending.send_deliveries(digest.pk, ids)
    ids_by_recipient: dict[str, list[str]] = {}
    for item in mailbox.received:
        for recipient in item.recipients:
            ids_by_recipient.setdefault(recipient, []).append(item.message["Message-ID"])
    # The fast path (ASCII) and the slow one (an internationalised domain) alike.
    assert len(ids_by_recipient) == 2
    assert all(len(set(found)) == 1 and len(found) == 2 for found in ids_by_recipient.values())
    assert ids_by_recipient["reader0@example.com"][0] == (
        f"<benchlm.digest-{digest.pk}-{subscribers[0].pk}@127.0.0.1>"
    )
