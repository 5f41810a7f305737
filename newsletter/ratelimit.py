"""Fixed-window rate limits in the shared cache.

A broken cache must not stop signups, so errors let the request through. Keys hold a hash,
never the client address itself.
"""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(scope: str, subject: str, limit: int, window: int) -> bool:
    """True while ``subject`` has made fewer than ``limit`` calls in the current ``window`` s."""
    digest = hashlib.blake2b(subject.encode(), digest_size=16).hexdigest()
    key = f"ratelimit:{scope}:{digest}"
    try:
        if cache.add(key, 1, timeout=window):
            return True
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        return True
    except Exception:
        logger.warning("Rate-limit cache unavailable; letting the request through")
        return True
