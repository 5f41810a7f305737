import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from comparisons import pricing
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane

logger = logging.getLogger(__name__)


def methodology(request: HttpRequest) -> HttpResponse:
    board = get_board()
    categories = [
        {
            "category": category,
            "benchmarks": [b for b in board.benchmarks.values() if b.category == category.slug],
        }
        for category in board.categories.values()
    ]
    return render(
        request,
        "comparisons/methodology.html",
        {
            "board": board,
            "categories": categories,
            "total_weight": sum(c.weight for c in board.categories.values()),
            "thresholds": board.thresholds,
            "share_percent": round(board.thresholds.category_share * 100),
            "typical_requests": pricing.TYPICAL_REQUESTS,
            "ranked": {lane: board.ranked_count(lane) for lane in Lane},
        },
    )


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unavailable")
        return False


def _check_cache() -> bool:
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.exception("health check: cache unavailable")
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "cache": _check_cache()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable"}
        | {name: "ok" if ok else "failing" for name, ok in checks.items()},
        status=200 if healthy else 503,
    )
