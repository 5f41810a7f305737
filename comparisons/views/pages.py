import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from comparisons import capability, presenter, pricing
from comparisons.formatting import NOT_AVAILABLE, figure_percent, format_score
from comparisons.models import PriceSync
from comparisons.scoreboard import fit_reports, get_board
from comparisons.scoring import Lane

logger = logging.getLogger(__name__)


def methodology(request: HttpRequest) -> HttpResponse:
    board = get_board()
    lane = presenter.reader_lane(request.GET.get("lane"))
    live = {c.slug: c.weight for c in board.live_categories(lane)}
    live_weight = sum(live.values())
    categories = [
        {
            "category": category,
            "share": figure_percent(live[category.slug] / live_weight * 100)
            if category.slug in live
            else None,
            "benchmarks": [b for b in board.benchmarks.values() if b.category == category.slug],
        }
        for category in board.categories.values()
    ]
    validation = [
        {
            "lane": ln.value,
            "cells": report.loo_cells,
            "mae": NOT_AVAILABLE if report.loo_mae is None else format_score(report.loo_mae),
            "within5": NOT_AVAILABLE
            if report.loo_within5 is None
            else f"{figure_percent(report.loo_within5 * 100)}%",
            "estimated": report.estimated_categories,
            "measured": report.measured_categories,
        }
        for ln, report in fit_reports(board).items()
    ]
    return render(
        request,
        "comparisons/methodology.html",
        {
            "board": board,
            "categories": categories,
            "thresholds": presenter.thresholds(board),
            "validation": validation,
            "samples": capability.BOOTSTRAP_SAMPLES,
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
