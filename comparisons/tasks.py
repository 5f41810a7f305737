"""Celery tasks of the catalogue: thin wrappers around its services."""

from celery import shared_task

from comparisons import price_sync, scoreboard


@shared_task(ignore_result=True)
def build_scoreboard(version: int) -> None:
    """Build and share the board of ``version``, or of the newest version if it moved on."""
    current = scoreboard.current_version()
    scoreboard.build_and_store(max(current, version))


@shared_task(ignore_result=True)
def refit_scoreboard(version: int) -> None:
    """Replace the provisional board of ``version`` (an edit's update, a cold start's quick board)
    with a full fit of every parameter."""
    scoreboard.refit(version)


@shared_task(ignore_result=True)
def check_scoreboard(version: int) -> None:
    """The leave-one-out check of ``version``'s fit, for /methodology/, off the build's path."""
    board = scoreboard._cache_get(scoreboard.BOARD_KEY.format(version=version))
    if board is not None and board.fits:
        scoreboard.check_board(board)


@shared_task(ignore_result=True)
def build_past_boards(days: list[str]) -> None:
    """The boards of past days the model pages' charts over time are missing (kept for good)."""
    from datetime import date

    from comparisons import trends

    trends.past_boards([date.fromisoformat(day) for day in days], inline=True)


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
