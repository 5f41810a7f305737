"""Whole responses of the catalogue pages, kept in process memory per data version.

Every catalogue page is a function of the data version, the URL, a few request headers and the
reader's consent regime (the signup box's text), and is otherwise the same for every visitor:
no session, no CSRF token, no per-user text. So the rendered
(and gzipped) bytes are kept in an LRU in each web process under that key, and a warm hit costs
a version read from Redis and a dict lookup, not a template render. Any edit bumps the version
(``comparisons.changes``), which makes every entry unreachable at once; the LRU then forgets
the old entries as new ones arrive. While Redis is down the version is read from the database
(``scoreboard.current_version``), so cached pages stay valid until an edit.

The middleware sits below the CSP middleware, so each hit still gets its own policy header,
and above GZip, so a hit is not compressed again. It stays out of the way of anything personal:
requests with a session cookie, responses that set a cookie or vary on one, non-200 answers.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from comparisons.scoreboard import current_version
from newsletter.consent import consent_for_request

CACHEABLE = frozenset(
    {
        "leaderboard",
        "model_detail",
        "compare",
        "compare_select",
        "benchmark_list",
        "benchmark_detail",
        "category_detail",
        "pricing",
        "methodology",
        "api_models",
        "api_model",
        "api_compare",
        "api_scores_csv",
    }
)
# The request headers the views read; anything else in the request cannot change the answer.
KEY_HEADERS = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
    "HTTP_HX_BOOSTED",
)
KEYED_VARY = {"hx-request", "hx-target", "accept-encoding"}
NOT_STORED = {"content-security-policy", "content-security-policy-report-only", "x-page-cache"}
MAX_ENTRIES = 1000
MAX_BYTES = 96 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class LRU:
    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 8:
            return
        with self.lock:
            if key in self.entries:
                self.size -= len(self.entries.pop(key).body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while len(self.entries) > self.max_entries or self.size > self.max_bytes:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old.body)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


pages = LRU()


@lru_cache(maxsize=4096)
def _cacheable_path(path: str) -> bool:
    try:
        return resolve(path).url_name in CACHEABLE
    except Resolver404:
        return False


def _cacheable_request(request: HttpRequest) -> bool:
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # an editor: the admin's messages and links are theirs alone
    return _cacheable_path(request.path_info)


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= KEYED_VARY


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        version = current_version()  # from Redis; from PostgreSQL while Redis is down
        key = (
            version,
            request.get_host(),
            request.get_full_path(),
            "gzip" in request.headers.get("Accept-Encoding", ""),
            # The footer's signup box shows the consent text of the reader's regime.
            consent_for_request(request)[1].regime,
            *(request.META.get(h, "") for h in KEY_HEADERS),
        )
        entry = pages.get(key)
        if entry is not None:
            response = HttpResponse(entry.body, status=entry.status)
            for name, value in entry.headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _storable(response):
            headers = tuple(
                (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
            )
            pages.put(key, Entry(response.status_code, headers, response.content))
            response["X-Page-Cache"] = "miss"
        return response
