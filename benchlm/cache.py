"""A Redis cache that the site survives losing.

Redis is an accelerator here, never the source of truth: when it is down, every read is a miss
and every write is dropped, so pages are computed from the database and nothing fails. After an
error the client stops trying for ``RETRY_AFTER`` seconds (no connect timeout per call while
Redis is away), then tries again and recovers by itself.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds between attempts while Redis is unreachable: short, so a returning Redis (and the data
# version republished from the database) is in use within a second; a call made while it is
# away costs nothing.
RETRY_AFTER = 0.5


_MISSING = object()


class ResilientClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis (and its table of ~170 response callbacks) on every
        # call; the object is thread-safe over its pool, so one per pool does.
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _guard(self, operation, fallback: Any, *args) -> Any:
        if not self.available:
            return fallback
        try:
            result = operation(*args)
        except RedisError as error:
            if self._down_until == 0.0:
                logger.warning("Redis cache unavailable (%s); serving without it", error)
            self._down_until = time.monotonic() + RETRY_AFTER
            return fallback
        if self._down_until:
            logger.warning("Redis cache is back")
            self._down_until = 0.0
        return result

    def get(self, key, default):
        return self._guard(super().get, default, key, default)

    def get_many(self, keys):
        return self._guard(super().get_many, {}, keys)

    def add(self, key, value, timeout):
        return self._guard(super().add, False, key, value, timeout)

    def set(self, key, value, timeout):
        return self._guard(super().set, None, key, value, timeout)

    def set_many(self, data, timeout):
        return self._guard(super().set_many, None, data, timeout)

    def touch(self, key, timeout):
        return self._guard(super().touch, False, key, timeout)

    def delete(self, key):
        return self._guard(super().delete, False, key)

    def delete_many(self, keys):
        return self._guard(super().delete_many, None, keys)

    def has_key(self, key):
        return self._guard(super().has_key, False, key)

    def incr(self, key, delta):
        result = self._guard(super().incr, _MISSING, key, delta)
        if result is _MISSING:
            raise ValueError("Key not available: the cache is unreachable")
        return result

    def clear(self):
        return self._guard(super().clear, False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ResilientClient

    def clear(self) -> bool:
        """Delete this cache's keys only, not the whole Redis database.

        Django's ``clear()`` is FLUSHDB, which would also drop Celery's queued tasks when the
        broker shares the database, and another cache's keys under a different ``KEY_PREFIX``
        (each parallel test worker has its own prefix). With a prefix set, only the keys under it
        go.
        """
        if not self.key_prefix:
            return super().clear()
        pattern = glob_escape(self.key_prefix) + ":*"

        def delete_prefixed() -> bool:
            client = self._cache.get_client(write=True)
            batch: list[bytes] = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.unlink(*batch)
                    batch.clear()
            if batch:
                client.unlink(*batch)
            return True

        return self._cache._guard(delete_prefixed, False)

    @property
    def available(self) -> bool:
        return self._cache.available


def glob_escape(text: str) -> str:
    """``text`` as a literal in a Redis MATCH pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


# Raise a counter stored by Django's serializer (an int is kept as its decimal digits) to at
# least ARGV[1] and give ARGV[2] seconds to live; answer the value it holds. The numbers pass
# 2**53, beyond Lua's doubles, so they are compared as digit strings: longer is larger.
RAISE_SCRIPT = """
local cur = redis.call('GET', KEYS[1])
local new = ARGV[1]
if not cur or #cur < #new or (#cur == #new and cur < new) then
  redis.call('SET', KEYS[1], new, 'EX', ARGV[2])
  return new
end
return cur
"""


def raise_to(backend: Any, key: str, value: int, timeout: int) -> int | None:
    """Set the integer at ``key`` to ``value`` unless it already holds a larger one, atomically
    in Redis; the number it holds afterwards, or None when the cache cannot be reached.

    Versions published by processes whose transactions commit in one order and whose callbacks
    run in another thus never move back.
    """
    if isinstance(backend, ResilientRedisCache):
        client = backend._cache
        raw_key = backend.make_and_validate_key(key)

        def run() -> int:
            return int(
                client.get_client(raw_key, write=True).eval(
                    RAISE_SCRIPT, 1, raw_key, value, timeout
                )
            )

        return client._guard(run, None)
    try:  # an in-process cache: one process, so a read then a write is enough
        current = backend.get(key)
        if current is None or current < value:
            backend.set(key, value, timeout)
            return value
        return current
    except Exception:
        logger.warning("cache unavailable while publishing %s", key, exc_info=True)
        return None


def add_counts(backend: Any, key: str, counts: dict[str, int], *, keep: int) -> None:
    """Add ``counts`` to the sorted set at ``key`` (one round trip) and keep its ``keep``
    highest members; an in-process cache keeps a plain dict instead. Dropped while down."""
    if isinstance(backend, ResilientRedisCache):
        client = backend._cache
        raw_key = backend.make_and_validate_key(key)

        def run() -> None:
            pipe = client.get_client(raw_key, write=True).pipeline(transaction=False)
            for member, count in counts.items():
                pipe.zincrby(raw_key, count, member)
            pipe.zremrangebyrank(raw_key, 0, -keep - 1)
            pipe.execute()

        client._guard(run, None)
        return
    stored = backend.get(key) or {}
    for member, count in counts.items():
        stored[member] = stored.get(member, 0) + count
    if len(stored) > keep:
        stored = dict(sorted(stored.items(), key=lambda item: -item[1])[:keep])
    backend.set(key, stored, None)


def top_counts(backend: Any, key: str, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` highest members of the counts at ``key``, highest first."""
    if isinstance(backend, ResilientRedisCache):
        client = backend._cache
        raw_key = backend.make_and_validate_key(key)

        def run() -> list[tuple[str, int]]:
            rows = client.get_client(raw_key).zrevrange(raw_key, 0, limit - 1, withscores=True)
            return [(member.decode(), int(score)) for member, score in rows]

        return client._guard(run, [])
    stored = backend.get(key) or {}
    return sorted(stored.items(), key=lambda item: (-item[1], item[0]))[:limit]
