"""Whole responses of the catalogue pages: kept in process memory per data version, and made
cacheable by any shared cache in front (a CDN or nginx).

Every catalogue page is a function of the data version, the URL and a few request headers, and
is otherwise the same bytes for every visitor: no session, no CSRF token, no nonce, no
per-visitor text (the signup box fetches the consent text for the reader's country itself,
see ``newsletter.views.consent``). So:

- Each answer carries a strong ``ETag`` derived from the data version, the URL and those
  headers, a ``Last-Modified`` (the version is the time of the last edit) and
  ``Cache-Control: public, max-age=0, s-maxage=EDGE_MAX_AGE,
  stale-while-revalidate=EDGE_STALE_WHILE_REVALIDATE``. A conditional request whose validator
  still holds gets 304 before any view runs: one Redis read of the version, no SQL, no render.
- A page made from a provisional board (an edit's quick update or a cold start's first board,
  which the version's full fit replaces within seconds, or the previous version's board while
  the new one builds) is neither kept nor given validators: only ``s-maxage=
  EDGE_PROVISIONAL_MAX_AGE``. Otherwise a revalidation would confirm it for the version's life.
- The rendered (and gzipped) bytes are kept in an LRU in each web process under the same key,
  so a warm hit costs a version read and a dict lookup. Any edit bumps the version
  (``comparisons.changes``), which makes every entry and every ETag stale at once; the LRU then
  forgets the old entries as new ones arrive. While Redis is down the version comes from the
  database (``scoreboard.current_version``).

The middleware sits below the CSP middleware, so each hit still gets its own policy header,
and above GZip, so a hit is not compressed again (and the strong ETag is set after GZip, which
would weaken it). It stays out of the way of anything personal: requests with a session
cookie, responses that set a cookie or vary on one, non-200 answers.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from benchlm.unavailable import unavailable_response
from comparisons import opens
from comparisons.asof import day_version
from comparisons.past import requested_day
from comparisons.scoreboard import current_version, watching_boards
from comparisons.sitemaps import REFRESH_SECONDS as SITEMAP_REFRESH

logger = logging.getLogger(__name__)

CACHEABLE = frozenset(
    {
        "leaderboard",
        "model_detail",
        "compare",
        "compare_many",
        "compare_select",
        "benchmark_list",
        "benchmark_detail",
        "category_detail",
        "pricing",
        "methodology",
        "changes",
        "api_models",
        "api_model",
        "api_compare",
        "api_compare_many",
        "api_scores_csv",
        "sitemap_index",
        "sitemap_section",
    }
)
# Pages that follow something besides the data version too: the sitemap lists the pairs
# readers open (comparisons.sitemaps), read again every REFRESH_SECONDS.
# /changes/ without dates shows the days up to today: read again every hour, so a new day shows.
REFRESHED = {
    "sitemap_index": SITEMAP_REFRESH,
    "sitemap_section": SITEMAP_REFRESH,
    "changes": 3600,
}
# The request headers the views read; anything else in the request cannot change the answer.
KEY_HEADERS = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
    "HTTP_HX_BOOSTED",
)
KEYED_VARY = {"hx-request", "hx-target", "hx-history-restore-request", "accept-encoding"}
NOT_STORED = {"content-security-policy", "content-security-policy-report-only", "x-page-cache"}
PAST_MAX_AGE = 365 * 24 * 3600  # a past day's page (``?as_of=``): immutable
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
def _url_name(path: str) -> str | None:
    try:
        name = resolve(path).url_name
    except Resolver404:
        return None
    return name if name in CACHEABLE else None


@lru_cache(maxsize=4096)
def _pair(path: str) -> str:
    return resolve(path).kwargs["pair"]


def _count_open(name: str, request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A comparison answered (rendered, from the LRU or revalidated) counts as opened."""
    if name == "compare" and response.status_code in (200, 304):
        opens.record(_pair(request.path_info))
    return response


def _cacheable_request(request: HttpRequest) -> str | None:
    """The URL name of an anonymous GET or HEAD of a catalogue page, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # an editor: the admin's messages and links are theirs alone
    return _url_name(request.path_info)


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= KEYED_VARY


def etag_for(version: int, key: tuple) -> str:
    """Strong: the same tag means the same bytes (the key holds the URL, the encoding and the
    headers the views read; the version changes with any edit)."""
    digest = hashlib.blake2b(repr((version, *key)).encode(), digest_size=16).hexdigest()
    return f'"{digest}"'


def last_modified(version: int) -> int | None:
    """The data version is the time of the last edit in nanoseconds (``DataVersion``)."""
    return version // 1_000_000_000 if version > 10**18 else None


def _not_modified(request: HttpRequest, etag: str, modified: int | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:  # it wins over If-Modified-Since (RFC 9110, 13.2.2)
        tags = parse_etags(if_none_match)
        return "*" in tags or etag in tags or f"W/{etag}" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return modified is not None and since is not None and modified <= since


# The Cache-Control and Vary of each page type's 200, repeated on its 304s as RFC 9110 asks.
_replayed: dict[tuple[str, bool], dict[str, str]] = {}  # (page type, a past day's page)
REPLAYED = ("Cache-Control", "Vary")


def _edge_headers(
    response: HttpResponse, etag: str, modified: int | None, *, past: bool = False
) -> None:
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    if past:  # a past day's page (?as_of=) never changes
        del response["Cache-Control"]
        patch_cache_control(
            response, public=True, max_age=PAST_MAX_AGE, s_maxage=PAST_MAX_AGE, immutable=True
        )
        return
    patch_cache_control(
        response,
        public=True,
        s_maxage=settings.EDGE_MAX_AGE,
        stale_while_revalidate=settings.EDGE_STALE_WHILE_REVALIDATE,
    )
    if "max-age" not in response["Cache-Control"].replace("s-maxage", ""):
        patch_cache_control(response, max_age=0)  # browsers revalidate: a 304 is cheap


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _cacheable_request(request)
        if name is None:
            return self.get_response(request)
        try:
            response = self.respond(name, request)
        except (OperationalError, InterfaceError) as error:
            # The version's cached copy had expired and the database is away: an outage,
            # answered as the views answer one (benchlm.unavailable), not a 500.
            logger.error("Database unavailable on %s: %s", request.path, error)
            return unavailable_response(request)
        return _count_open(name, request, response)

    def respond(self, name: str, request: HttpRequest) -> HttpResponse:
        day = requested_day(request)
        # A past day's page is keyed by its day alone: no read of the version at all.
        version = current_version() if day is None else day_version(day)
        refresh = REFRESHED.get(name)
        period = int(time.time() // refresh) if refresh else 0
        key = (
            request.get_host(),
            request.get_full_path(),
            "gzip" in request.headers.get("Accept-Encoding", ""),
            period,
            *(request.META.get(h, "") for h in KEY_HEADERS),
        )
        etag, modified = etag_for(version, key), last_modified(version)
        if refresh and modified is not None:
            modified = max(modified, period * refresh)
        if _not_modified(request, etag, modified):
            response = HttpResponseNotModified()
            _edge_headers(response, etag, modified, past=day is not None)
            for header, value in _replayed.get((name, day is not None), {}).items():
                response[header] = value
            return response
        entry = pages.get((version, *key)) if settings.PAGE_CACHE else None
        if entry is not None:
            response = HttpResponse(entry.body, status=entry.status)
            for header, value in entry.headers:
                response[header] = value
            response["X-Page-Cache"] = "hit"
            return response
        with watching_boards() as served_provisional:
            response = self.get_response(request)
            provisional = served_provisional()
        if not _storable(response):
            return response
        if provisional:
            # Made from a board its version's full fit replaces within seconds (or from the
            # previous version's, while this one builds): not this version's page. Neither kept
            # nor given the version's validators (a revalidation would answer 304 to it for
            # as long as the version lasts); the edge may hold it a few seconds.
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.EDGE_PROVISIONAL_MAX_AGE
            )
            return response
        _edge_headers(response, etag, modified, past=day is not None)
        _replayed[name, day is not None] = {
            header: response[header] for header in REPLAYED if header in response
        }
        if settings.PAGE_CACHE:
            headers = tuple(
                (header, value)
                for header, value in response.items()
                if header.lower() not in NOT_STORED
            )
            pages.put((version, *key), Entry(response.status_code, headers, response.content))
            response["X-Page-Cache"] = "miss"
        return response
