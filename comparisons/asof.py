"""``?as_of=YYYY-MM-DD``: which past day a request asks for, and the day the page is built for.

Plain parsing and a context variable, no database: the middleware (``comparisons.past``) checks
the day against the recorded history and sets ``current_day`` for the view it calls, so
``scoreboard.get_board`` hands every page, fragment and API answer that day's board, and every
link that keeps the reader's lane keeps the day too.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

PARAM = "as_of"

current_day: ContextVar[date | None] = ContextVar("as_of_day", default=None)


class BadDay(ValueError):
    """The parameter is not a calendar date written YYYY-MM-DD."""


def parse(text: str | None, today: date) -> date | None:
    """The past day ``text`` names; None when there is none or it is today or later (the
    catalogue of a day not yet over is today's). Raises ``BadDay`` for anything else."""
    if text is None or text == "":
        return None
    if len(text) != 10:
        raise BadDay(text)
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise BadDay(text) from error
    return day if day < today else None


def end_of(day: date) -> datetime:
    """The first instant after ``day`` in the site's time zone: events before it are that
    day's catalogue."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_default_timezone())


def day_version(day: date) -> int:
    """A past board's version: the end of its day in nanoseconds, the form data versions take,
    so its pages get their ``Last-Modified`` and ETag the same way."""
    return int(end_of(day).timestamp()) * 1_000_000_000


def query(day: date | None) -> str:
    """``as_of=…`` for a link, or nothing on today's pages."""
    return f"{PARAM}={day.isoformat()}" if day is not None else ""
