"""The comparison FAQ's entry type, and its answers on value and on prompt caching.

Pure, like ``verdict``: a ``Comparison`` in, text out, every figure printed through
``formatting`` exactly as the page's cost table prints it. Unknown figures are said to be
unknown; a cached-input price of $0 is a known price (free), never an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from comparisons import pricing
from comparisons.formatting import format_cost, format_overall, format_percent

if TYPE_CHECKING:  # comparison.py imports the scoreboard (Django); only its types are used here
    from comparisons.comparison import Comparison, Side

SHAPE = pricing.TYPICAL
TYPICAL_REQUEST = (
    f"a typical request of {SHAPE.input_tokens:,} input and {SHAPE.output_tokens:,} output tokens"
)


@dataclass(frozen=True, slots=True)
class FAQ:
    """One question and answer; the page also emits them as schema.org FAQPage JSON-LD."""

    question: str
    answer: str


def _join(items: list[str], word: str = "and") -> str:
    return f" {word} ".join(items)


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
    is better). The gap is told from the dearer side ("B costs 2.4x as much per overall point
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
