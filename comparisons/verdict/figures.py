"""The figures a verdict is written from, and the phrases every part of it shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from comparisons.formatting import (
    format_latency,
    format_overall,
    format_price_long,
    format_score,
    format_speed,
    half_up,
)

if TYPE_CHECKING:  # comparison.py imports the scoreboard (Django); only its types are used here
    from comparisons.comparison import Comparison, Side
    from comparisons.pricing import Prices
    from comparisons.scoring import CategoryResult

Who = Literal["a", "b"]
SIDES: tuple[Who, Who] = ("a", "b")

LARGE_GAP = 8  # overall points as displayed: a lead nobody needs to squint at
LEVEL_GAP = 3  # below this, overall scores do not separate two models
CLOSE_MARGIN = 5.0  # a category won by less can flip with the reader's own workload
LARGER_CONTEXT = 1.5  # a context window this many times the other's is worth a sentence
MUCH_LARGER_CONTEXT = 4.0
MATERIAL_PERCENT = 10.0  # smaller price, speed or latency gaps are stated, never a reason to pick
TOPICS = {"coding": "coding", "instruction-following": "instruction following", "math": "math"}
NO_EDGE = "has no category win, price or context edge to set against it on current data"
CLOSE = "stays close enough that the answer can still flip depending on your workload"


def _other(who: Who) -> Who:
    return "b" if who == "a" else "a"


def _pair(c: Comparison, who: Who) -> tuple[Side, Side]:
    """``who``'s side first, then the other one."""
    return (c.a, c.b) if who == "a" else (c.b, c.a)


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 2:
        return f" {word} ".join(items)
    return f"{', '.join(items[:-1])}, {word} {items[-1]}"


def _cat(c: Comparison, slug: str) -> str:
    return c.category_names.get(slug, slug).lower()


def _bench(c: Comparison, slug: str) -> str:
    return c.benchmark_names.get(slug, slug)


def _pct(value: float) -> str:
    return f"{format_score(value)}%"


def _averages(r: CategoryResult, who: Who) -> tuple[str, str]:
    """``who``'s category average, then the other's, as the page prints them."""
    mine, theirs = (r.a, r.b) if who == "a" else (r.b, r.a)
    return format_score(mine), format_score(theirs)


def _gap(c: Comparison) -> int | None:
    """A's overall minus B's in the whole points the page shows; None when either is missing."""
    if c.a.overall is None or c.b.overall is None:
        return None
    return int(half_up(c.a.overall)) - int(half_up(c.b.overall))


def _score_line(c: Comparison, first: Who) -> str:
    x, y = _pair(c, first)
    return f"{format_overall(x.overall)} to {format_overall(y.overall)}"


def leader(c: Comparison) -> Who | None:
    """Ahead by LEVEL_GAP overall points or more, with intervals apart enough to tell; by
    categories won when an overall is missing. Within the noise nobody leads."""
    gap = _gap(c)
    if gap is not None:
        if c.within_noise or abs(gap) < LEVEL_GAP:
            return None
        return "a" if gap > 0 else "b"
    return None if c.wins[0] == c.wins[1] else ("a" if c.wins[0] > c.wins[1] else "b")


def front(c: Comparison, lead: Who | None) -> Who:
    """The side a trade-off sentence names first: the leader, else the one with more category
    wins, else the higher overall, else A. The trailing side is never put forward first."""
    if lead is not None:
        return lead
    if c.wins[0] != c.wins[1]:
        return "a" if c.wins[0] > c.wins[1] else "b"
    gap = _gap(c)
    return "b" if gap is not None and gap < 0 else "a"


def _interval(s: Side) -> str:
    """Overall and interval, "62 (90% interval 58-66)", from the same headline every page prints."""
    h = s.headline
    if not h.interval_text:
        return h.overall_text
    return f"{h.overall_text} (90% interval {h.interval_text})"


def noise(c: Comparison) -> str:
    """The sentence for two overalls whose intervals overlap too much to name a winner."""
    return (
        f"On the {c.lane.value} aggregate {c.a.name} scores {_interval(c.a)} and {c.b.name} "
        f"{_interval(c.b)}: the intervals overlap so much that the gap is within the noise, "
        "so the overall score does not pick a winner here."
    )


def _won(c: Comparison, who: Who) -> list[CategoryResult]:
    """The categories ``who`` wins, widest margin first (equal margins keep display order)."""
    return sorted((r for r in c.categories if r.winner == who), key=lambda r: -r.difference)


def _pricier(c: Comparison, pct: float = 0.0) -> Who | None:
    """Who costs more for the typical request by more than ``pct`` percent; None when the gap is
    within that, or either cost is unknown. A 2% gap is a fact, but no reason to pick a model."""
    x, y = c.a.typical_cost, c.b.typical_cost
    if x is None or y is None or x == y:
        return None
    if min(x, y) > 0 and (max(x, y) / min(x, y) - 1) * 100 <= pct:
        return None
    return "a" if x > y else "b"


def _context_ratio(c: Comparison, who: Who) -> float:
    """How many times the other's context window ``who``'s is; 0.0 when either is unknown."""
    me, them = _pair(c, who)
    if not me.context_window or not them.context_window:
        return 0.0
    return me.context_window / them.context_window


def _beats(
    mine: float | None, theirs: float | None, fmt: Callable[[float], str], pct: float
) -> bool:
    """``mine`` is higher by more than ``pct`` percent, and visibly so on the page."""
    if not mine or not theirs or fmt(mine) == fmt(theirs):
        return False
    return (mine / theirs - 1) * 100 > pct


def _faster(c: Comparison, who: Who, pct: float = 0.0) -> bool:
    me, them = _pair(c, who)
    return _beats(me.output_speed, them.output_speed, format_speed, pct)


def _sooner(c: Comparison, who: Who, pct: float = 0.0) -> bool:
    me, them = _pair(c, who)  # a shorter time to first token is better, hence the swap
    return _beats(them.ttft, me.ttft, format_latency, pct)


def _rate(p: Prices) -> str:
    """List prices in prose: "$0.40 input / $1.60 output per 1M tokens"; unknown halves left out."""
    known = [(k, v) for k, v in (("input", p.input), ("output", p.output)) if v is not None]
    text = " / ".join(f"{format_price_long(v)} {k}" for k, v in known)
    return f"{text} per 1M tokens" if known else "no published price"


def _unpriced(c: Comparison) -> str:
    """What is missing for a cost comparison, and what is known; "" when both costs are known."""
    missing = [s for s in (c.a, c.b) if s.typical_cost is None]
    listed = [s for s in (c.a, c.b) if s.prices.input is not None or s.prices.output is not None]
    if not missing:
        return ""
    if not listed:
        return "BenchLM has no published price for either model yet, so cost cannot separate them."
    gaps = [f"no {'complete ' if s in listed else ''}published price for {s.name}" for s in missing]
    known = [f"{s.name} lists {_rate(s.prices)}." for s in listed]
    lead = f"BenchLM has {_join(gaps)} yet, so there is no like-for-like cost comparison."
    return " ".join([lead, *known])


def _no_overall(c: Comparison, where: str) -> str:
    """Why there is no overall verdict, then the category tally that has to stand in for it."""
    missing = [s for s in (c.a, c.b) if s.overall is None]
    if len(missing) == 2:
        text = f"Neither model has enough counted benchmarks for an overall score on {where}"
    else:
        known = c.b if missing[0] is c.a else c.a
        text = (
            f"{missing[0].name} has too few counted benchmarks for an overall score on {where}, "
            f"while {known.name} scores {format_overall(known.overall)}"
        )
    n, (a_wins, b_wins) = len(c.categories), c.wins
    if n == 0:
        return f"{text}, and they share no scored category either, so there is no verdict yet."
    text += ", so the categories they share are the fairer guide."
    if a_wins == b_wins:
        return f"{text} On those they come out even."
    x, _ = _pair(c, "a" if a_wins > b_wins else "b")
    return f"{text} On those, {x.name} wins {max(a_wins, b_wins)} of {n}."
