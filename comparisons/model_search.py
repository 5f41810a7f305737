"""Finding a model by what a reader types into a picker: pure, no ORM.

A query matches a model when every word of it starts a word of the model's name, provider or
family ("opus 4.1" finds "Claude Opus 4.1", "anthropic son" finds the Sonnets). Name matches rank
above provider or family matches, and a name that starts with the whole query ranks first, so the
model the reader is spelling out comes to the top before they finish typing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RESULT_LIMIT = 20
MAX_QUERY_LENGTH = 80

# Letters, digits and the dot of a version number ("4.1") make a word; anything else splits.
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``: "GPT-4.1 mini" -> ["gpt", "4.1", "mini"]."""
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable model."""

    slug: str
    name: str
    provider: str
    family: str


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    tier: int  # 0: name starts with the query, 1: every word starts a name word, 2: any field


def _tier(entry: Entry, query: str, needles: list[str]) -> int | None:
    name_words = words(entry.name)
    if " ".join(name_words).startswith(" ".join(needles)) or entry.name.casefold().startswith(
        query
    ):
        return 0
    if all(any(w.startswith(n) for w in name_words) for n in needles):
        return 1
    every = name_words + words(entry.provider) + words(entry.family)
    if all(any(w.startswith(n) for w in every) for n in needles):
        return 2
    return None


def search(entries: list[Entry], query: str, limit: int = RESULT_LIMIT) -> list[Entry]:
    """The best ``limit`` entries for ``query``; an empty query lists the first ones by provider.

    Order: tier (see ``Match``), then name, so results are stable between keystrokes.
    """
    query = query.strip().casefold()[:MAX_QUERY_LENGTH]
    needles = words(query)
    if not needles:
        ordered = sorted(entries, key=lambda e: (e.provider.casefold(), e.name.casefold()))
        return ordered[:limit]
    matches = []
    for entry in entries:
        tier = _tier(entry, query, needles)
        if tier is not None:
            matches.append(Match(entry, tier))
    matches.sort(key=lambda m: (m.tier, m.entry.name.casefold()))
    return [m.entry for m in matches[:limit]]


def best(entries: list[Entry], query: str) -> Entry | None:
    """The single model a query names, for the form without JavaScript: an exact name (or slug)
    first, then the top search result."""
    folded = query.strip().casefold()
    for entry in entries:
        if folded in (entry.name.casefold(), entry.slug):
            return entry
    found = search(entries, query, limit=1)
    return found[0] if found else None
