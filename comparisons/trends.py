"""A model's overall score, rank and price over time: its figures on the board of each of the
latest days the catalogue changed, and today.

Built for every model at once, once per data version, and cached: the days come from one query,
each day's board from the past-board cache (``comparisons.past``) or, for the days missing
there, from one replay of the events up to the latest of them. So a model page costs at most
two queries more when a new version is first shown, and none after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from time import monotonic

from django.conf import settings
from django.db.models.functions import TruncDate
from django.utils import timezone

from comparisons import asof, history, past, presenter, scoreboard
from comparisons.charts.sparkline import Sparkline, sparkline
from comparisons.formatting import format_price
from comparisons.scoreboard import Board, board_from_rows
from comparisons.scoring import Lane

DAYS = 12  # the latest change days charted, besides today
TRENDS_KEY = "catalogue:trends:v2:{version}"  # v2: (series, complete)
TRENDS_MEMO = "trends"  # the board's own copy, in ``Board.presented``
BUILDING_KEY = "catalogue:past-building:{day}"
INCOMPLETE_SECONDS = 30


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    overall: dict[Lane, tuple[float, str] | None]  # the number and its printed text
    rank: dict[Lane, int | None]
    price: tuple[float, str] | None  # output price per 1M tokens


def change_days(before: date) -> list[date]:
    """The latest ``DAYS`` days with recorded changes before ``before``, oldest first."""
    from comparisons.models import ChangeEvent

    days = (
        ChangeEvent.objects.exclude(row_kind="")
        .filter(created_at__lt=asof.end_of(before - timedelta(days=1)))
        .annotate(day=TruncDate("created_at"))
        .order_by("-day")
        .values_list("day", flat=True)
        .distinct()[:DAYS]
    )
    return sorted(days)


def past_boards(days: list[date], *, inline: bool | None = None) -> dict[date, Board]:
    """Each day's board: from the cache, the rest from one replay of the events. With a worker
    (``inline`` None or False) the missing ones are built there and left out meanwhile: no
    reader's request fits a dozen boards."""
    found = {day: board for day in days if (board := past.cached_board(day)) is not None}
    missing = [day for day in days if day not in found]
    if inline is None:
        inline = not scoreboard.builds_in_background()
    if missing and not inline:
        key = BUILDING_KEY.format(day=missing[-1].isoformat())
        if past._cache_add(key, scoreboard.BUILD_LOCK_SECONDS):
            from comparisons.tasks import build_past_boards

            build_past_boards.delay([day.isoformat() for day in missing])
        return found
    if missing:
        events = past.events_until(missing[-1])
        for day, rows in history.replay_days(events, [asof.end_of(d) for d in missing], missing):
            board = board_from_rows(asof.day_version(day), history.catalogue_rows(rows))
            past.keep_board(day, board)
            found[day] = board
    return found


def _point(board: Board, day: date, slug: str) -> Point | None:
    card = board.models.get(slug)
    if card is None:
        return None
    overall: dict[Lane, tuple[float, str] | None] = {}
    rank: dict[Lane, int | None] = {}
    for lane in Lane:
        headline = presenter.present(board, lane, slug)
        overall[lane] = (
            None if headline.overall is None else (float(headline.overall), headline.overall_text)
        )
        rank[lane] = headline.rank
    output = card.prices.output
    return Point(day, overall, rank, None if output is None else (output, format_price(output)))


def all_trends(board: Board) -> dict[str, list[Point]]:
    """Every model of ``board`` over the latest change days before it and its own day (today,
    or the past day a page shows).

    Kept on the board, so a model page reads its own points and nothing else: the cached copy
    holds every model's series (a hundred thousand points at 3,700 models, 50 ms to unpickle)
    and is read once per process and version, by the first page that needs it.
    """
    memo = board.presented.get(TRENDS_MEMO)
    if memo is not None and (memo[1] is None or memo[1] > monotonic()):
        return memo[0]
    key = TRENDS_KEY.format(version=board.version)
    found = past._cache_get(key)
    if found is None:
        found = _build_trends(board)
    trends, complete = found
    board.presented[TRENDS_MEMO] = (
        trends,
        None if complete else monotonic() + INCOMPLETE_SECONDS,
    )
    return trends


def _build_trends(board: Board) -> tuple[dict[str, list[Point]], bool]:
    shown = asof.current_day.get()
    day = shown or timezone.localdate()
    days = change_days(day)
    boards = past_boards(days)
    complete = len(boards) == len(days)
    boards[day] = board
    trends: dict[str, list[Point]] = {}
    for slug in board.models:
        points = [_point(b, d, slug) for d, b in sorted(boards.items())]
        trends[slug] = [p for p in points if p is not None]
    kept = None if shown else settings.SCOREBOARD_TIMEOUT
    # Missing days are being built by the worker: look again soon.
    past._cache_set(
        TRENDS_KEY.format(version=board.version),
        (trends, complete),
        kept if complete else INCOMPLETE_SECONDS,
    )
    return trends, complete


def model_charts(board: Board, slug: str, lane: Lane) -> list[Sparkline]:
    """The model page's three small charts in the reader's lane (those with two points)."""
    points = all_trends(board).get(slug, [])
    overall = [(p.day, *p.overall[lane]) for p in points if p.overall[lane] is not None]
    rank = [(p.day, p.rank[lane], f"#{p.rank[lane]}") for p in points if p.rank[lane]]
    price = [(p.day, *p.price) for p in points if p.price is not None]
    charts = [
        sparkline("Overall score over time", overall),
        sparkline("Rank over time", rank, invert=True),
        sparkline("Output price per 1M tokens over time", price),
    ]
    return [chart for chart in charts if chart is not None]
