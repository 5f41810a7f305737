from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.http import urlencode

from comparisons import asof
from comparisons.presenter import lane_query, reader_lane


def lane(request: HttpRequest) -> dict:
    """The reader's lane, and the query string that keeps it in every link a page prints."""
    try:
        asked = request.GET.get("lane")
    except SuspiciousOperation:  # e.g. too many fields: the error page must still render
        asked = None
    chosen = reader_lane(asked)
    return {"lane": chosen, "lane_query": lane_query(chosen), **as_of(request)}


def as_of(request: HttpRequest) -> dict:
    """The past day a page shows (``?as_of=``), and the same page today: the banner's link."""
    day = asof.current_day.get()
    if day is None:
        return {"as_of": None}
    kept = [(k, v) for k, v in request.GET.items() if k not in (asof.PARAM, "page")]
    return {
        "as_of": day,
        "as_of_query": asof.query(day),
        "today_url": f"{request.path}?{urlencode(kept)}" if kept else request.path,
    }
