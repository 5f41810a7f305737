"""Past boards: the catalogue as it stood at the end of a past day, built once and kept.

A past day's events never change, so its board is built once (one query for the events, the
replay in ``comparisons.history``, the fit in ``scoreboard.board_from_rows``) and cached with no
expiry, keyed by the day. ``AsOfMiddleware`` reads ``?as_of=``: a bad date is a 400 page, a day
before the recorded history a 404 page, today or later today's page, and any other day sets
``asof.current_day`` for the view, whose ``get_board()`` then returns that day's board.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from comparisons import asof, history
from comparisons.scoreboard import Board, board_from_rows

logger = logging.getLogger(__name__)

PAST_KEY = "catalogue:past:1:{day}"  # the number changes when a board's fields do
FIRST_KEY = "catalogue:history-starts"
FIRST_TIMEOUT = 3600
KEPT = 8  # past boards kept in each process
BUILD_KEY = "catalogue:past-build:{day}"  # held by the one process building a day's board
BUILD_LOCK_SECONDS = 120
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.1

_boards: OrderedDict[date, Board] = OrderedDict()
_lock = threading.Lock()


def first_day() -> date | None:
    """The first day of the recorded history (the first event that carries a row's state)."""
    found = _cache_get(FIRST_KEY)
    if found is not None:
        return found
    from comparisons.models import ChangeEvent

    first = ChangeEvent.objects.exclude(row_kind="").aggregate(first=Min("created_at"))["first"]
    day = timezone.localdate(first) if first is not None else None
    if day is not None:  # the first day never moves once there is one
        _cache_set(FIRST_KEY, day, FIRST_TIMEOUT)
    return day


def picker_bounds() -> dict[str, date | None]:
    """The days the leaderboard's date picker offers: up to yesterday, from the first recorded
    day when the cache knows it (today's leaderboard adds no query for it; a past page asks)."""
    start = _cache_get(FIRST_KEY) or None
    return {"first": start, "last": timezone.localdate() - timedelta(days=1)}


def events_until(day: date) -> list[history.Event]:
    """Every event that carries a state, up to the end of ``day``, oldest first: one query."""
    from comparisons.models import ChangeEvent

    rows = (
        ChangeEvent.objects.exclude(row_kind="")
        .filter(created_at__lt=asof.end_of(day))
        .order_by("created_at", "id")
        .values_list("created_at", "row_kind", "row_key", "state")
    )
    return [history.Event._make(row) for row in rows.iterator(chunk_size=5000)]


def build_past_board(day: date) -> Board:
    rows = history.replay(events_until(day), asof.end_of(day))
    return board_from_rows(asof.day_version(day), history.catalogue_rows(rows))


def past_board(day: date) -> Board:
    """The board of the end of ``day`` (a past day): from this process, the cache, or built.

    Built by one process at a time: at a hundred times the starter catalogue a build takes
    seconds and hundreds of megabytes, and a link to a past day shared widely would otherwise
    have every worker build the same board at once. The others wait for it in the cache, up to
    ``WAIT_SECONDS``, then build it themselves (the builder may have died).
    """
    board = cached_board(day)
    if board is not None:
        return board
    lock = BUILD_KEY.format(day=day.isoformat())
    took = _cache_add(lock, BUILD_LOCK_SECONDS)
    if not took:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            if (board := cached_board(day)) is not None:
                return board
    try:
        board = build_past_board(day)
        keep_board(day, board)
    finally:
        if took:
            _cache_delete(lock)
    return board


def cached_board(day: date) -> Board | None:
    """``day``'s board if this process or the cache holds it; never builds."""
    with _lock:
        board = _boards.get(day)
        if board is not None:
            _boards.move_to_end(day)
            return board
    board = _cache_get(PAST_KEY.format(day=day.isoformat()))
    if board is not None:
        _remember(day, board)
    return board


def keep_board(day: date, board: Board) -> None:
    _cache_set(PAST_KEY.format(day=day.isoformat()), board, None)  # a past day never changes
    _remember(day, board)


def _remember(day: date, board: Board) -> None:
    with _lock:
        _boards[day] = board
        while len(_boards) > KEPT:
            _boards.popitem(last=False)


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("cache unavailable while reading a past board", exc_info=True)
        return None


def _cache_add(key: str, timeout: int) -> bool:
    """Take a lock in the cache; True when this caller took it (or the cache is away)."""
    try:
        return bool(cache.add(key, 1, timeout))
    except Exception:
        logger.warning("cache unavailable while taking a lock", exc_info=True)
        return True


def _cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("cache unavailable while releasing a lock", exc_info=True)


def _cache_set(key: str, value, timeout) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("cache unavailable while storing a past board", exc_info=True)


def requested_day(request: HttpRequest) -> date | None:
    """The valid past day ``request`` asks for, else None (no date, today, later, or bad)."""
    try:
        return asof.parse(request.GET.get(asof.PARAM), timezone.localdate())
    except asof.BadDay:
        return None


def _message(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        error = "bad_request" if status == 400 else "not_found"
        return JsonResponse({"error": error, "detail": text}, status=status)
    return render(
        request,
        "comparisons/as_of_message.html",
        {"title": title, "text": text},
        status=status,
    )


class AsOfMiddleware:
    """Checks ``?as_of=`` and runs the view with that day's board."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get(asof.PARAM) if request.method in ("GET", "HEAD") else None
        if not text:
            return self.get_response(request)
        try:
            day = asof.parse(text, timezone.localdate())
        except asof.BadDay:
            return _message(
                request,
                400,
                "Not a date",
                "The as_of date must be a calendar date written YYYY-MM-DD, e.g. 2026-01-31.",
            )
        if day is None:  # today or later: today's catalogue
            return self.get_response(request)
        start = first_day()
        if start is None or day < start:
            begins = f" It begins on {start.isoformat()}." if start else ""
            return _message(
                request,
                404,
                "No record of that day",
                f"BenchLM's recorded history does not reach back to {day.isoformat()}.{begins}",
            )
        token = asof.current_day.set(day)
        try:
            return self.get_response(request)
        finally:
            asof.current_day.reset(token)
