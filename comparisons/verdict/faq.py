"""The comparison page's FAQ: overall, each shared category, price, value, caching, context.

Pure, like the rest of ``verdict``: a ``Comparison`` in, text out, every figure printed through
``formatting`` exactly as the page's cost table prints it. Unknown figures are said to be
unknown; a cached-input price of $0 is a known price (free), never an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from comparisons import pricing
from comparisons.formatting import (
    format_context,
    format_cost,
    format_overall,
    format_percent,
    format_ratio,
    format_score,
)
from comparisons.verdict.figures import (
    CLOSE,
    CLOSE_MARGIN,
    LARGE_GAP,
    LARGER_CONTEXT,
    MATERIAL_PERCENT,
    MUCH_LARGER_CONTEXT,
    SIDES,
    TOPICS,
    Who,
    _averages,
    _bench,
    _cat,
    _context_ratio,
    _faster,
    _gap,
    _join,
    _no_overall,
    _pair,
    _pct,
    _pricier,
    _rate,
    _score_line,
    _unpriced,
    noise,
)

if TYPE_CHECKING:  # comparison.py imports the scoreboard (Django); only its types are used here
    from comparisons.comparison import Comparison, Side
    from comparisons.scoring import CategoryResult

SHAPE = pricing.TYPICAL
TYPICAL_REQUEST = (
    f"a typical request of {SHAPE.input_tokens:,} input and {SHAPE.output_tokens:,} output tokens"
)


@dataclass(frozen=True, slots=True)
class FAQ:
    """One question and answer; the page also emits them as schema.org FAQPage JSON-LD."""

    question: str
    answer: str


# --- value: dollars per overall point -------------------------------------------------------


def _value(s: Side) -> float | None:
    return pricing.value_per_point(s.typical_cost, s.overall)


def _no_value(s: Side) -> str:
    """Why ``s`` has no value figure: a missing price or a missing overall score."""
    if s.typical_cost is None:
        partial = s.prices.input is not None or s.prices.output is not None
        return f"BenchLM has no {'complete ' if partial else ''}published price for {s.name} yet"
    if s.overall is None:
        return f"{s.name} has too few counted benchmarks for an overall score yet"
    return f"{s.name} has an overall score of {format_overall(s.overall)}"


def faq_value(c: Comparison) -> FAQ | None:
    """Which model buys an overall-score point for less on the typical request.

    Value is the typical request's cost divided by the overall score (dollars per point, lower
    is better). The gap is told from the dearer side ("B costs 2.4\u00d7 as much per overall point
    (138% more)"). When the better value is the weaker model, the answer says so: value prices
    a point, it does not say which model is stronger. None when neither model has the figure.
    """
    question = f"Which is better value, {c.a.name} or {c.b.name}?"
    a_value, b_value = _value(c.a), _value(c.b)
    if a_value is None and b_value is None:
        return None
    if a_value is None or b_value is None:
        (known, value), missing = (
            ((c.a, a_value), c.b) if b_value is None else ((c.b, b_value), c.a)
        )
        return FAQ(
            question,
            f"{_no_value(missing)}, so there is no like-for-like value comparison. "
            f"For {TYPICAL_REQUEST}, {known.name} costs {format_cost(value)} per overall point.",
        )
    if format_cost(a_value) == format_cost(b_value):
        return FAQ(
            question,
            f"They are level on value: for {TYPICAL_REQUEST}, both cost "
            f"{format_cost(a_value)} per overall point.",
        )
    (x, x_value), (y, y_value) = sorted(((c.a, a_value), (c.b, b_value)), key=lambda p: p[1])
    answer = (
        f"{x.name} is the better value: for {TYPICAL_REQUEST} it costs {format_cost(x_value)} "
        f"per overall point, against {format_cost(y_value)} for {y.name}."
    )
    if (ratio := pricing.price_ratio(a_value, b_value)) is not None:
        answer += f" {pricing.describe_ratio(c.a.name, c.b.name, ratio, per='overall point')}."
    else:  # x costs nothing at list prices: a multiple of nothing means nothing
        answer += f" {x.name} costs nothing per request at list prices."
    if x.overall is not None and y.overall is not None and y.overall > x.overall:
        answer += (
            f" {y.name} still scores higher overall, {format_overall(y.overall)} to "
            f"{format_overall(x.overall)}: value says what a point costs, not which model is "
            "stronger."
        )
    return FAQ(question, answer)


# --- prompt caching --------------------------------------------------------------------------


def _cache_figure(s: Side) -> tuple[str, float | None]:
    """(words, saving in percent) for ``s`` on the typical request with every input token cached.

    The words are a clause ("GPT-4.1 mini drops from $0.0036 to $0.0021 (42% less)") when there
    is a saving to state, else a whole sentence saying why there is none; the saving is None then.
    """
    prices = s.prices
    if prices.cached_input is None:
        return f"BenchLM has no published cached-input price for {s.name}.", None
    standard = pricing.request_cost(prices, SHAPE.input_tokens, SHAPE.output_tokens)
    cached = pricing.cached_request_cost(prices, SHAPE.input_tokens, SHAPE.output_tokens)
    if standard is None or cached is None:
        return f"BenchLM has no complete published price for {s.name}.", None
    saving = pricing.cache_saving_percent(prices, SHAPE)  # None when the request costs nothing
    if saving is None:
        return (
            f"{s.name} costs nothing per request at list prices, so there is nothing to save.",
            None,
        )
    if saving <= 0:
        return f"{s.name} bills cached input at no less than its input price: no saving.", None
    free = ", whose cached input tokens are free," if prices.cached_input == 0 else ""
    figures = f"from {format_cost(standard)} to {format_cost(cached)}"
    return f"{s.name}{free} drops {figures} ({format_percent(saving)} less)", saving


def faq_caching(c: Comparison) -> FAQ | None:
    """What prompt caching takes off the typical request on each model, in dollars and percent.

    Every input token is taken as a cache hit (the best case) and output tokens are billed in
    full, so the saving is always smaller than the input discount. A model with no cached-input
    price gets no figure, never a 0% one. None when neither model lists a cached-input price.
    """
    if c.a.prices.cached_input is None and c.b.prices.cached_input is None:
        return None
    question = f"How much does prompt caching save on {c.a.name} and {c.b.name}?"
    figures = [_cache_figure(s) for s in (c.a, c.b)]
    clauses = [words for words, saving in figures if saving is not None]
    parts = (
        [
            f"With every input token of {TYPICAL_REQUEST} served from the prompt cache, "
            f"{_join(clauses)}."
        ]
        if clauses
        else []
    )
    parts += [words for words, saving in figures if saving is None]
    (_, a_saving), (_, b_saving) = figures
    if a_saving is not None and b_saving is not None:
        if format_percent(a_saving) == format_percent(b_saving):
            parts.append("Caching takes the same share off both bills.")
        else:
            larger = c.a if a_saving > b_saving else c.b
            parts.append(f"Caching takes a larger share off {larger.name}'s bill.")
    if clauses:
        parts.append(
            "Output tokens are still billed in full, so the saving is smaller than the discount "
            "on cached input."
        )
    return FAQ(question, " ".join(parts))


# --- FAQ -------------------------------------------------------------------------------------


def faq_overall(c: Comparison, leader: Who | None) -> FAQ:
    board, gap = f"BenchLM's {c.lane.value} leaderboard", _gap(c)
    if gap is None:
        answer = _no_overall(c, board)
    elif leader is None and c.within_noise and gap != 0:
        answer = f"Neither pulls clearly ahead. {noise(c)}"
    elif leader is None:
        stand = (
            f"both score {format_overall(c.a.overall)}"
            if gap == 0
            else f"they stand {_score_line(c, 'a')}"
        )
        answer = (
            f"Neither pulls clearly ahead: {stand} on {board}, so category shape, price and "
            "context window decide it."
        )
    else:
        answer = f"{_pair(c, leader)[0].name} is ahead on {board}, {_score_line(c, leader)}."
        if abs(gap) < LARGE_GAP:
            answer += " That is a modest lead, so check the categories that match your workload."
    if c.siblings:
        levers = ["the better benchmark line"]
        levers += ["cheaper tokens"] if _pricier(c, MATERIAL_PERCENT) else []
        levers += (
            ["the larger context window"]
            if any(_context_ratio(c, w) >= LARGER_CONTEXT for w in SIDES)
            else []
        )
        levers += ["faster output"] if any(_faster(c, w, MATERIAL_PERCENT) for w in SIDES) else []
        pick = (
            f"depends on whether you value {_join(levers, 'or')}"
            if len(levers) > 1
            else "comes down to the better benchmark line"
        )
        family = f"{c.a.name} and {c.b.name} are sibling variants in the {c.family} family"
        answer = f"{family}, so the right pick {pick}. {answer}"
    elif (s := c.swing) is not None and s.difference > 0:
        answer += (
            f" The biggest single separator in this matchup is {_bench(c, s.benchmark)}, where "
            f"the scores are {_pct(s.a)} and {_pct(s.b)}."
        )
    return FAQ(f"Which is better, {c.a.name} or {c.b.name}?", answer)


def faq_category(c: Comparison, r: CategoryResult) -> FAQ:
    """Who wins the category, the benchmark behind the gap, and whether the lead is safe."""
    topic, swing = TOPICS.get(r.slug, f"{_cat(c, r.slug)} tasks"), c.category_swings.get(r.slug)
    question = f"Which is better for {topic}, {c.a.name} or {c.b.name}?"
    apart = swing is not None and swing.difference > 0
    mine = format_score(r.a)
    if r.winner is None:
        answer = f"Neither has the edge for {topic} in this comparison: both average {mine}."
        if swing is not None and apart:
            answer += (
                f" The individual benchmarks still differ, most on {_bench(c, swing.benchmark)} "
                f"({_pct(swing.a)} to {_pct(swing.b)}), so check the ones closest to your workload."
            )
        return FAQ(question, answer)
    (winner, loser), (mine, theirs) = _pair(c, r.winner), _averages(r, r.winner)
    answer = f"{winner.name} has the edge for {topic} in this comparison, averaging {mine}"
    answer += f" versus {theirs}."
    if swing is None:  # each average rests on benchmarks the other model lacks
        answer += " The two averages rest on different benchmarks, so read the gap with care."
    elif apart:
        against = (swing.a > swing.b) != (r.winner == "a")
        its = f", though that one goes {loser.name}'s way" if against else ""
        answer += (
            f" Inside this category, {_bench(c, swing.benchmark)} is the benchmark that creates "
            f"the most daylight between them{its}."
        )
    return FAQ(
        question, f"{answer} {loser.name} {CLOSE}." if r.difference < CLOSE_MARGIN else answer
    )


def faq_price(c: Comparison) -> FAQ | None:
    """The typical request's cost both ways, from the pricier side ("2.7\u00d7 as much (167%
    more)")."""
    question = f"Which is cheaper, {c.a.name} or {c.b.name}?"
    if unpriced := _unpriced(c):
        either = unpriced.startswith("BenchLM has no published price for either")
        return None if either else FAQ(question, unpriced)
    t, pricier = pricing.TYPICAL, _pricier(c)
    shape = f"a typical request of {t.input_tokens:,} input and {t.output_tokens:,} output tokens"
    if pricier is None:
        return FAQ(question, f"Neither: both cost {format_cost(c.a.typical_cost)} for {shape}.")
    p, q = _pair(c, pricier)
    ratio = c.price_ratio
    costs = pricing.describe_ratio(c.a.name, c.b.name, ratio) if ratio else f"{p.name} costs more"
    return FAQ(
        question,
        f"{q.name} is the cheaper of the two. For {shape}, {costs}: {format_cost(p.typical_cost)} "
        f"against {format_cost(q.typical_cost)}. List prices are {_rate(p.prices)} for {p.name} "
        f"and {_rate(q.prices)} for {q.name}.",
    )


def faq_context(c: Comparison) -> FAQ | None:
    """Both windows in tokens and printed pages; an unknown window is said to be unknown."""

    def size(s: Side) -> str:
        pages = pricing.context_pages(s.context_window)
        return f"{format_context(s.context_window)} tokens (about {pages:,} pages)"

    question = f"Which has the larger context window, {c.a.name} or {c.b.name}?"
    known = [s for s in (c.a, c.b) if s.context_window]
    if not known:
        return None
    if len(known) == 1:
        other = c.b if known[0] is c.a else c.a
        return FAQ(
            question,
            f"{known[0].name} takes {size(known[0])}; BenchLM has no published context window "
            f"for {other.name} yet.",
        )
    if format_context(c.a.context_window) == format_context(c.b.context_window):
        return FAQ(question, f"Neither: both take {size(c.a)}.")
    big: Who = "a" if _context_ratio(c, "a") > 1 else "b"
    (x, y), ratio = _pair(c, big), _context_ratio(c, big)
    answer = f"{x.name} has the larger context window: {size(x)} against {size(y)} for {y.name}."
    if ratio >= MUCH_LARGER_CONTEXT:
        answer += f" That is {format_ratio(ratio)} the room for long documents, codebases and chat."
    elif ratio < LARGER_CONTEXT:
        answer += " The difference is small enough that it rarely decides the choice."
    return FAQ(question, answer)
