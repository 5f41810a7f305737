"""How often readers open each comparison, counted cheaply, for the sitemap.

Each web process counts the pairs it serves (a comparison page answered with 200 or 304,
including page-cache hits) in memory and adds its counts to one Redis sorted set at most every
FLUSH_EVERY seconds, in one pipelined round trip, so a request pays a dict increment. Behind a
CDN only the requests that reach the site are counted: a sample, which is all a ranking needs.
The set keeps the KEEP most opened pairs; junk never gets in, since only answered pages count.
Losing the counts (Redis flushed) loses nothing but the ranking.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.core.cache import caches

from benchlm.cache import add_counts, top_counts

KEY = "pairs:opened"
FLUSH_EVERY = 30.0  # seconds
KEEP = 100_000  # pairs kept in the sorted set
MAX_PENDING = 10_000  # distinct pairs held in memory before an early flush

_lock = threading.Lock()
_pending: Counter[str] = Counter()
_last_flush = time.monotonic()


def canonical(pair: str) -> str:
    """ "b-vs-a" and "a-vs-b" are one page: the alphabetical order, as canonical links use."""
    a, _, b = pair.partition("-vs-")
    return f"{a}-vs-{b}" if a <= b else f"{b}-vs-{a}"


def record(pair: str) -> None:
    """Count one opening of the comparison ``pair`` ("a-vs-b", slugs already checked)."""
    global _last_flush
    with _lock:
        _pending[canonical(pair)] += 1
        due = time.monotonic() - _last_flush >= FLUSH_EVERY or len(_pending) >= MAX_PENDING
    if due:
        flush()


def flush() -> None:
    global _last_flush
    with _lock:
        counts = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if counts:
        add_counts(caches["default"], KEY, counts, keep=KEEP)


def most_opened(limit: int) -> list[tuple[str, int]]:
    """(canonical pair, openings), most opened first; [] when the cache is unreachable."""
    return top_counts(caches["default"], KEY, limit)
