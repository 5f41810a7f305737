"""The digest with real parts: PostgreSQL, Redis as broker, Celery worker processes, SMTP.

These are the acceptance tests of delivery: the whole subscriber journey, a worker killed mid-send,
and a broker outage. They skip on a machine without PostgreSQL or redis-server (CI has both).
"""

import re
import time
from importlib import import_module

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from comparisons.models import Benchmark, LanguageModel, Provider, Score
from newsletter import services, tasks
from newsletter.models import Delivery, Digest, OutboxEmail, Subscriber
from tests.comparisons.test_admin import model_form_data
from tests.factories import build_catalogue
from tests.forms import form_post
from tests.newsletter.conftest import make_subscribers
from tests.newsletter.workers import (
    Worker,
    point_app_at,
    require_services,
    wait_for,
    worker_env,
)
from tests.servers import RedisServer
from tests.smtp import smtp_server

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def parts(tmp_path):
    """(mailbox, redis, worker): a running SMTP server, Redis and one Celery worker."""
    require_services()
    restore_default_categories()
    redis = RedisServer(tmp_path)
    redis.start()
    point_app_at(redis.url)
    with smtp_server() as (mailbox, port):
        worker = Worker(worker_env(redis.url, port), tmp_path / "worker")
        worker.start()
        try:
            yield mailbox, redis, worker
        finally:
            worker.stop()
            point_app_at(None)
            redis.stop()


def restore_default_categories() -> None:
    """The migration's default categories: an earlier transactional test may have flushed them."""
    from django.apps import apps

    migration = import_module("comparisons.migrations.0002_default_categories")
    migration.create_defaults(apps, None)


def link(message, kind: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"http://[^/\s]+(/digest/{kind}/\S+/)", text).group(1)


def test_subscribe_confirm_digest_unsubscribe_end_to_end(parts):
    mailbox, _, worker = parts
    models = build_catalogue(4)
    visitor = Client()

    # Subscribe: the confirmation arrives through the worker.
    response = form_post(visitor, "/digest/subscribe/", {"email": "Ada@Example.com"})
    assert response.status_code == 302
    wait_for(lambda: mailbox.to("ada@example.com"), 30, "the confirmation email")
    [confirmation] = mailbox.to("ada@example.com")
    assert visitor.post(link(confirmation, "confirm")).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

    # An editor adds a model and changes a score in the admin.
    editor = Client()
    editor.force_login(User.objects.create_superuser("editor", "editor@example.com", "pw"))
    provider = Provider.objects.first()
    benchmark = Benchmark.objects.order_by("pk").first()
    added = editor.post(
        reverse("admin:comparisons_languagemodel_add"),
        model_form_data(provider, [(benchmark, "71.5")], name="Newcomer 1", slug="newcomer-1"),
    )
    assert added.status_code == 302, added.content[:2000]
    score = Score.objects.get(model=models[0], benchmark=benchmark)
    changed = editor.post(
        reverse("admin:comparisons_score_change", args=[score.pk]),
        {
            "model": score.model_id,
            "benchmark": benchmark.pk,
            "value": "88.8",
            "source_url": "https://example.com/eval",
            "note": "re-run",
        },
    )
    assert changed.status_code == 302, changed.content[:2000]

    # The weekly job runs on the worker: exactly one digest to the one active subscriber.
    tasks.send_weekly_digest.delay()
    wait_for(lambda: len(mailbox.to("ada@example.com")) == 2, 30, "the digest")
    time.sleep(1)
    digest_mail = mailbox.to("ada@example.com")[1]
    assert mailbox.per_recipient() == {"ada@example.com": 2}
    text = digest_mail.get_body(("plain",)).get_content()
    assert "Newcomer 1" in text
    assert f"{models[0].name} on {benchmark.name}: {score.value.normalize():f} -> 88.8" in text
    assert digest_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = re.fullmatch(r"<http://[^/]+(/\S+)>", digest_mail["List-Unsubscribe"])[1]
    assert Delivery.objects.get().status == Delivery.Status.SENT

    # One-click: a bare POST as a mail client makes it, without cookies or token.
    mail_client = Client(enforce_csrf_checks=True)
    one_click = mail_client.post(
        unsubscribe_url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    # The job again, and once more with another edit: nothing is sent.
    tasks.send_weekly_digest.delay()
    score.refresh_from_db()
    score.value = 90
    score.save()
    tasks.sweep_unsent.delay()
    time.sleep(3)
    assert mailbox.count() == 2 and Digest.objects.count() == 1
    assert "Traceback" not in worker.output()


def test_a_worker_killed_mid_send_leaves_no_one_missing_and_no_one_doubled(parts):
    mailbox, _, worker = parts
    total = 1000
    models = build_catalogue(3)
    make_subscribers(total)
    score = Score.objects.filter(model=models[0]).first()
    score.value += 1
    score.save()
    digest = services.prepare_digest()

    tasks.send_weekly_digest.delay()
    # Mid-batch (batches are 100), so the worker dies holding claimed, unfinished rows.
    wait_for(lambda: mailbox.count() >= 350, 120, "a third of the digest")
    worker.kill()
    at_kill = mailbox.count()
    in_flight = Delivery.objects.filter(digest=digest, status=Delivery.Status.SENDING).count()
    assert at_kill < total, "the worker finished before it could be killed"
    assert Delivery.objects.filter(digest=digest).count() == total

    worker.start()
    deadline = time.monotonic() + 180
    while mailbox.count() < total and time.monotonic() < deadline:
        tasks.sweep_unsent.delay()  # what beat does every minute
        time.sleep(2)
    time.sleep(2)  # anything late would show up as a double now

    counts = mailbox.per_recipient()
    missing = total - len(counts)
    doubled = sum(1 for n in counts.values() if n > 1)
    print(
        f"killed at {at_kill}/{total} ({in_flight} in flight); missing {missing}, doubled {doubled}"
    )
    assert (missing, doubled) == (0, 0)
    assert Delivery.objects.filter(digest=digest, status=Delivery.Status.SENT).count() == total


def test_a_signup_during_a_broker_outage_is_stored_and_confirmed_once_afterwards(parts):
    mailbox, redis, worker = parts
    redis.stop()
    started = time.monotonic()
    response = form_post(
        Client(), "/digest/subscribe/", {"email": "outage@example.com"}, HTTP_HX_REQUEST="true"
    )
    answered_in = time.monotonic() - started
    assert response.status_code == 200 and b"on its way" in response.content
    assert answered_in < 5
    outbox = OutboxEmail.objects.get(subscriber__email="outage@example.com")
    assert outbox.status == OutboxEmail.Status.PENDING

    redis.start()
    time.sleep(2.5)  # NEWSLETTER_REQUEUE_AFTER: the row is now overdue
    wait_for(lambda: worker.process.poll() is None, 5, "the worker to survive the outage")
    tasks.sweep_unsent.delay()
    tasks.sweep_unsent.delay()  # two sweeps racing must still send it once
    wait_for(lambda: mailbox.to("outage@example.com"), 60, "the confirmation after the outage")
    time.sleep(3)
    assert len(mailbox.to("outage@example.com")) == 1
    outbox.refresh_from_db()
    assert outbox.status == OutboxEmail.Status.SENT
    assert LanguageModel.objects.count() == 0  # nothing else happened on the way
