"""Which comparisons to offer a reader who starts from /compare/: pure, no ORM.

Three kinds, each from the figures only:
- at the top: neighbours in the ranking among the best-ranked models (the closest contests a
  reader is likely to be deciding between);
- newest: each of the most recently released models against its nearest rival by overall score;
- rivalries: for each pair of the leading providers, their best-ranked models head to head.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import combinations, pairwise


@dataclass(frozen=True, slots=True)
class Contender:
    slug: str
    name: str
    provider: str
    release_date: date | None
    overall: float | None  # the reader's lane
    rank: int | None  # None: not ranked in that lane


@dataclass(frozen=True, slots=True)
class Suggestion:
    a: Contender
    b: Contender
    note: str  # why this pair, in a few words ("ranks 1 and 2")


def _key(a: Contender, b: Contender) -> frozenset[str]:
    return frozenset((a.slug, b.slug))


def top_pairs(models: list[Contender], limit: int = 6) -> list[Suggestion]:
    """Neighbours in the ranking, from the top: 1 v 2, 2 v 3, ..."""
    ranked = sorted((m for m in models if m.rank is not None), key=lambda m: m.rank)
    return [Suggestion(a, b, f"ranks {a.rank} and {b.rank}") for a, b in pairwise(ranked)][:limit]


def nearest_rival(model: Contender, models: list[Contender]) -> Contender | None:
    """The other model closest in overall score (ties: the better ranked, then by name)."""
    if model.overall is None:
        return None
    others = [m for m in models if m.slug != model.slug and m.overall is not None]
    if not others:
        return None
    return min(
        others,
        key=lambda m: (abs(m.overall - model.overall), m.rank is None, m.rank or 0, m.name),
    )


def newest_pairs(models: list[Contender], limit: int = 6) -> list[Suggestion]:
    """The newest releases, each against its nearest rival by overall score; no pair twice."""
    dated = sorted(
        (m for m in models if m.release_date is not None),
        key=lambda m: (m.release_date, m.name),
        reverse=True,
    )
    seen: set[frozenset[str]] = set()
    found = []
    for model in dated:
        rival = nearest_rival(model, models)
        if rival is None or _key(model, rival) in seen:
            continue
        seen.add(_key(model, rival))
        found.append(Suggestion(model, rival, f"released {model.release_date:%B %Y}"))
        if len(found) == limit:
            break
    return found


def provider_rivalries(models: list[Contender], providers: int = 5) -> list[Suggestion]:
    """The best-ranked model of each leading provider against the others' best."""
    best: dict[str, Contender] = {}
    for m in sorted((m for m in models if m.rank is not None), key=lambda m: m.rank):
        best.setdefault(m.provider, m)
    leaders = list(best.values())[:providers]
    return [Suggestion(a, b, f"{a.provider} vs {b.provider}") for a, b in combinations(leaders, 2)]
