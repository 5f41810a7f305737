import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from comparisons import pricing
from comparisons.models import PriceSync
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
            "price_sync": PriceSync.objects.first(),  # the latest applied sync, if any
            "confirmation_days": settings.PRICE_CONFIRMATION_DAYS,
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
    """503 only without the database: a process that lost Redis still serves every page."""
    database, cache_ok = _check_database(), _check_cache()
    status = "ok" if database and cache_ok else "degraded" if database else "unavailable"
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database else "failing",
            "cache": "ok" if cache_ok else "failing",
        },
        status=200 if database else 503,
    )
