"""Celery tasks: thin wrappers that make ``newsletter.services`` and ``sending`` run on a worker.

Every task is safe to run twice: the rows it works on say what is still to do.
"""

from celery import shared_task

from newsletter import following, sending, services


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_outbox_email(self, outbox_id: int) -> int:
    result = sending.send_outbox(outbox_id)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return result.sent


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_digest_batch(self, digest_id: int, delivery_ids: list[int]) -> int:
    result = sending.send_deliveries(digest_id, delivery_ids)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return result.sent


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_alert_batch(self, batch_id: int, delivery_ids: list[int]) -> int:
    result = sending.send_alerts(batch_id, delivery_ids)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return result.sent


@shared_task
def collect_alerts(frequency: str = "instant") -> int:
    """Beat's job (every minute for instant alerts, daily, weekly): batch new changes, fan out."""
    batch = following.collect(frequency)
    return batch.pk if batch else 0


@shared_task
def send_weekly_digest() -> int:
    """Beat's weekly job: build this week's digest (if anything changed) and fan it out."""
    return services.send_weekly()


@shared_task
def take_leaderboard_snapshot() -> str:
    return str(services.take_snapshot().week)


@shared_task
def sweep_unsent() -> dict[str, int]:
    return services.sweep() | {"alerts": following.sweep()}
