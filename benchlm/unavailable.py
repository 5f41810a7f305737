"""While PostgreSQL is unreachable, pages answer 503 with ``Retry-After``, not 500.

A lost database is an outage, not a bug in the page: crawlers and load balancers should come
back later, and readers get a page that says so. Only connection-level errors
(``OperationalError``, ``InterfaceError``) count; any other database error is still a 500, so
real bugs are not hidden. The page is a static template: rendering it touches no database.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds


def unavailable_response(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(render_to_string("503.html", {"retry_after": RETRY_AFTER}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("Database unavailable on %s: %s", request.path, exception)
            return unavailable_response(request)
        return None
