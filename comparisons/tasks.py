"""Background work of the catalogue: thin tasks over the scoreboard."""

from celery import shared_task

from comparisons import scoreboard


@shared_task(ignore_result=True)
def build_scoreboard(version: int) -> None:
    """Build and share the board of ``version``, or of the newest version if it moved on."""
    current = scoreboard.current_version()
    scoreboard.build_and_store(max(current, version))
