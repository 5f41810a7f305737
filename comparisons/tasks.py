"""Celery tasks of the catalogue: thin wrappers around its services."""

from celery import shared_task

from comparisons import price_sync, scoreboard


@shared_task(ignore_result=True)
def build_scoreboard(version: int) -> None:
    """Build and share the board of ``version``, or of the newest version if it moved on."""
    current = scoreboard.current_version()
    scoreboard.build_and_store(max(current, version))


@shared_task
def sync_prices() -> dict[str, int | str]:
    """Beat's daily job: apply the price feed's differences; the summary is logged too."""
    result = price_sync.sync()
    return {
        "snapshot": result.snapshot.describe(),
        "matched": len(result.plan.matched),
        "changed_models": len(result.plan.changed_models),
        "events": result.events,
        "missing": len(result.plan.missing),
    }
