"""A set of three to six models as a URL writes it: slugs joined by commas, in the reader's order.

The URL order is the display order, so reordering the columns is a new URL and a reload shows
the same page. The canonical link and the sitemap name a set in alphabetical order, as the pair
pages do with their two slugs. Pure functions on strings: no board, no ORM.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

MIN_MODELS, MAX_MODELS = 3, 6
SEPARATOR = ","
# Room for six 80-character slugs written twice over: a longer path is never a set worth cleaning.
MAX_SET_LENGTH = 2 * MAX_MODELS * 81


def split_set(raw: str) -> list[str]:
    """The slugs a set URL names, lower-cased, in order, each once; empty parts dropped."""
    seen: dict[str, None] = {}
    for part in raw.lower().split(SEPARATOR):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def join_set(slugs: Sequence[str]) -> str:
    return SEPARATOR.join(slugs)


def canonical_set(slugs: Sequence[str]) -> list[str]:
    """The one order of a set used by canonical links and the sitemap: alphabetical by slug."""
    return sorted(slugs)


def moved(slugs: Sequence[str], slug: str, step: int) -> list[str]:
    """``slugs`` with ``slug`` moved ``step`` places (-1 left, +1 right), clamped at the ends."""
    order = list(slugs)
    i = order.index(slug)
    j = min(max(i + step, 0), len(order) - 1)
    order.insert(j, order.pop(i))
    return order


def without(slugs: Sequence[str], slug: str) -> list[str]:
    return [s for s in slugs if s != slug]


def curated(raw_sets: Sequence[str], known: Container[str]) -> list[list[str]]:
    """The editors' sets (``settings.CURATED_MODEL_SETS``) that can be shown: three to six
    published models each, in canonical order, each set once."""
    found: dict[tuple[str, ...], None] = {}
    for raw in raw_sets:
        slugs = split_set(raw)
        if MIN_MODELS <= len(slugs) <= MAX_MODELS and all(slug in known for slug in slugs):
            found.setdefault(tuple(canonical_set(slugs)), None)
    return [list(key) for key in found]
