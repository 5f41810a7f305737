from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

from comparisons.presenter import lane_query, reader_lane


def lane(request: HttpRequest) -> dict:
    """The reader's lane, and the query string that keeps it in every link a page prints."""
    try:
        asked = request.GET.get("lane")
    except SuspiciousOperation:  # e.g. too many fields: the error page must still render
        asked = None
    chosen = reader_lane(asked)
    return {"lane": chosen, "lane_query": lane_query(chosen)}
