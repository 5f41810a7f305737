"""Celery tasks of the catalogue: thin wrappers around its services."""

from celery import shared_task

from comparisons import price_sync


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
