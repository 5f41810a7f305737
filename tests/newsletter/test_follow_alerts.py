"""Alerts with real parts: 1,000 followers, an import of 200 scores, a Celery worker, SMTP.

One alert per affected follower, counted at the SMTP server, however the import is split
into change events; then again with the worker SIGKILLed in the middle of the send. One test,
two rounds, so the worker and servers start once (the suite's time budget is small).
"""

import csv
import io
import os
import signal
import time

import pytest

from comparisons.importer import import_catalogue
from comparisons.models import Benchmark, Score
from newsletter import following, tasks
from newsletter.models import AlertBatch, AlertDelivery, Follow, Subscriber
from tests.factories import build_catalogue
from tests.newsletter.conftest import make_subscribers
from tests.newsletter.test_worker import restore_default_categories
from tests.newsletter.workers import Worker, point_app_at, require_services, wait_for, worker_env
from tests.servers import RedisServer
from tests.smtp import Mailbox, smtp_server

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FOLLOWERS, MODELS, CHANGED_MODELS, SCORES_EACH = 1000, 80, 40, 5
KILL_AFTER = 150  # messages of the second round before the worker is killed


class KillMidSend(Mailbox):
    """Accepts everything; once armed, SIGKILLs the whole worker at the N-th message's "."."""

    worker_pgid: int = 0
    kill_at: int = 0
    killed: bool = False

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if self.kill_at and not self.killed and self.count() >= self.kill_at:
            os.killpg(self.worker_pgid, signal.SIGKILL)
            self.killed = True
        return reply


def import_changes(round_: int) -> set[str]:
    """Change 5 scores of each of the first 40 models through the importer; the model slugs."""
    out, changed = io.StringIO(), set()
    writer = csv.writer(out)
    writer.writerow(["model", "benchmark", "score", "as_of", "source_url", "note", "verified"])
    scores = Score.objects.select_related("model", "benchmark").order_by("model__slug", "pk")
    per_model: dict[str, list[Score]] = {}
    for score in scores:
        per_model.setdefault(score.model.slug, []).append(score)
    eligible = [slug for slug in sorted(per_model) if len(per_model[slug]) >= SCORES_EACH]
    for slug in eligible[:CHANGED_MODELS]:
        for score in per_model[slug][:SCORES_EACH]:
            value = float(score.value) + (round_ if score.value < 90 else -round_)
            writer.writerow(
                [
                    slug,
                    score.benchmark.slug,
                    f"{value:.1f}",
                    score.as_of.isoformat() if score.as_of else "",
                    score.source_url,
                    score.note,
                    "yes" if score.verified else "no",
                ]
            )
            changed.add(slug)
    report = import_catalogue({"scores.csv": out.getvalue()})
    assert not report.errors and report.change_events == CHANGED_MODELS * SCORES_EACH
    return changed


def expected(changed: set[str]) -> set[str]:
    """Followers concerned: their model changed (benchmark follows add to the same email)."""
    return set(
        Follow.objects.filter(slug__in=changed, kind="model").values_list(
            "subscriber__email", flat=True
        )
    ) | set(Follow.objects.filter(kind="benchmark").values_list("subscriber__email", flat=True))


def run_round(round_: int) -> set[str]:
    batches = AlertBatch.objects.count()
    changed = import_changes(round_)
    # What beat does every minute, on the worker; a round that finds the scoreboard of the
    # import not yet built leaves it to the next, as beat's next minute would.
    for _ in range(10):
        tasks.collect_alerts.delay()
        deadline = time.monotonic() + 3
        while AlertBatch.objects.count() == batches and time.monotonic() < deadline:
            time.sleep(0.1)
        if AlertBatch.objects.count() > batches:
            return changed
    raise AssertionError("no alert batch was collected")


@pytest.mark.slow(40)
def test_one_alert_per_follower_even_through_a_worker_kill(tmp_path, capsys):
    require_services()
    restore_default_categories()
    models = build_catalogue(MODELS, benchmarks=10)
    subscribers = make_subscribers(FOLLOWERS)
    Follow.objects.bulk_create(
        Follow(
            subscriber=s,
            kind="model",
            slug=models[i % MODELS].slug,
            name=models[i % MODELS].name,
            confirmed_at="2026-01-01T00:00Z",
        )
        for i, s in enumerate(subscribers)
    )
    # A tenth also follow a benchmark: their changes there join the same one email.
    benchmark = Benchmark.objects.order_by("pk").first()
    Follow.objects.bulk_create(
        Follow(
            subscriber=s,
            kind="benchmark",
            slug=benchmark.slug,
            name=benchmark.name,
            confirmed_at="2026-01-01T00:00Z",
        )
        for s in subscribers[::10]
    )
    following.collect()  # where alerts start

    redis = RedisServer(tmp_path)
    redis.start()
    point_app_at(redis.url)
    mailbox = KillMidSend()
    timings = {}
    try:
        with smtp_server(mailbox) as (_, port):
            worker = Worker(worker_env(redis.url, port), tmp_path / "worker")
            worker.start()
            try:
                # Round 1: an import of 200 scores across 40 models, one email per follower.
                started = time.monotonic()
                first = expected(run_round(1))
                wait_for(lambda: mailbox.count() >= len(first), 60, "the first round")
                time.sleep(0.5)  # a duplicate would arrive now
                timings["first"] = time.monotonic() - started
                counts = mailbox.per_recipient()
                assert set(counts) == first and set(counts.values()) == {1}
                assert AlertBatch.objects.count() == 2  # the start and the import: one batch
                assert (
                    0.4 * FOLLOWERS < len(first) < 0.7 * FOLLOWERS
                )  # the others follow unchanged models

                # Round 2: the same, with the whole worker SIGKILLed at a message's final ".".
                started = time.monotonic()
                mailbox.received.clear()
                mailbox.worker_pgid = worker.process.pid
                mailbox.kill_at = KILL_AFTER
                second = expected(run_round(2))
                wait_for(lambda: mailbox.killed, 60, "the kill")
                worker.process.wait(10)
                worker.process = None
                worker.start()
                batch = AlertBatch.objects.order_by("-pk").first()
                sent = AlertDelivery.objects.filter(batch=batch, status="sent")
                deadline = time.monotonic() + 60
                while sent.count() < len(second) and time.monotonic() < deadline:
                    tasks.sweep_unsent.delay()  # what beat does every minute
                    time.sleep(1)
                time.sleep(1)  # a late copy would show up as a duplicate now
                timings["second"] = time.monotonic() - started
            finally:
                worker.stop()
    finally:
        point_app_at(None)
        redis.stop()

    counts = mailbox.per_recipient()
    missing = second - set(counts)
    duplicates = sum(n - 1 for n in counts.values())
    with capsys.disabled():
        print(
            f"\nalerts: round 1 {len(first)} followers in {timings['first']:.1f} s; round 2 "
            f"killed after {KILL_AFTER}, {len(second)} followers, {duplicates} duplicates, "
            f"{len(missing)} missing ({timings['second']:.1f} s)"
        )
    assert mailbox.killed
    assert not missing and set(counts) == second
    assert duplicates == 0
    assert sent.count() == len(second)
    assert Subscriber.objects.count() == FOLLOWERS
