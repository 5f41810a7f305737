"""What a model costs to run, and how two models compare on cost, speed and context.

Pure functions. Prices are USD per 1M tokens as vendors publish them; ``None`` means unknown and
propagates: a figure that depends on an unknown price is unknown too, never 0, so a model with no
published price can never look free or cheapest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from comparisons.formatting import (
    TIMES,
    format_context,
    format_cost,
    format_percent,
    format_price_long,
    half_up,
)

TOKENS_PER_PRICE_UNIT = 1_000_000  # prices are quoted per 1M tokens
TOKENS_PER_PAGE = 750  # a printed page of English prose is about 750 tokens


@dataclass(frozen=True, slots=True)
class LongContextTier:
    """The prices of a request whose input passes ``threshold`` tokens (USD per 1M; None =
    unknown).

    Vendors price long prompts as a cliff, not a slope: once a request's input tokens (cached
    ones included) exceed the threshold, every token of that request is billed at these prices,
    not only the tokens above it. Gemini and Claude do so past 200K.
    """

    threshold: int
    input: float | None
    output: float | None
    cached_input: float | None = None


@dataclass(frozen=True, slots=True)
class ScheduledPrices:
    """A published price change that has not started yet."""

    starts_on: date
    input: float | None
    output: float | None


@dataclass(frozen=True, slots=True)
class Prices:
    """USD per 1M tokens; None = not published."""

    input: float | None
    output: float | None
    cached_input: float | None = None  # input tokens served from the provider's prompt cache
    batch_input: float | None = None  # asynchronous batch API, where offered
    batch_output: float | None = None
    cache_write: float | None = None  # input tokens written to the prompt cache
    long_context: LongContextTier | None = None
    scheduled: ScheduledPrices | None = None


def in_long_context(prices: Prices, input_tokens: int) -> bool:
    """Whether a request of ``input_tokens`` falls in the model's long-context tier."""
    tier = prices.long_context
    return tier is not None and input_tokens > tier.threshold


def prices_at(prices: Prices, input_tokens: int) -> Prices:
    """The prices a request of ``input_tokens`` input tokens is billed at.

    Below the threshold (or without a tier) the list prices; past it the tier's input, output
    and cached prices replace them, and the batch prices no longer apply (vendors publish no
    long-context batch rate we record), so a long request is never costed at a short one's rate.
    """
    tier = prices.long_context
    if tier is None or input_tokens <= tier.threshold:
        return prices
    return replace(
        prices,
        input=tier.input,
        output=tier.output,
        cached_input=tier.cached_input,
        batch_input=None,
        batch_output=None,
        long_context=None,
    )


@dataclass(frozen=True, slots=True)
class RequestShape:
    """A representative request: how many tokens go in and come out."""

    name: str
    input_tokens: int
    output_tokens: int


SMALL = RequestShape("small", 500, 200)  # a short chat turn
MEDIUM = RequestShape("medium", 5_000, 1_000)  # a question over a few pages of context
LARGE = RequestShape("large", 50_000, 4_000)  # a long document or a sizeable code review
TYPICAL_REQUESTS = (SMALL, MEDIUM, LARGE)
TYPICAL = MEDIUM  # the "typical request" behind value per point and the price chart


@dataclass(frozen=True, slots=True)
class PriceRatio:
    """How much more the pricier of two models costs for the same work."""

    ratio: float  # higher cost / lower cost, always >= 1
    percent_more: float  # (ratio - 1) * 100: how much more the pricier one costs, in percent
    pricier: Literal["a", "b"] | None  # None when both cost the same


def _check_tokens(input_tokens: int, output_tokens: int) -> None:
    if input_tokens < 0 or output_tokens < 0:
        raise ValueError("token counts cannot be negative")


def request_cost(prices: Prices, input_tokens: int, output_tokens: int) -> float | None:
    """Dollars for one request at list prices, past the long-context threshold at the tier's;
    None when the input or output price it needs is unknown."""
    _check_tokens(input_tokens, output_tokens)
    prices = prices_at(prices, input_tokens)
    if prices.input is None or prices.output is None:
        return None
    return (input_tokens * prices.input + output_tokens * prices.output) / TOKENS_PER_PRICE_UNIT


def cached_request_cost(prices: Prices, input_tokens: int, output_tokens: int) -> float | None:
    """Dollars for the same request with every input token a cache hit (the best case).

    The tier is chosen by all input tokens, cached ones included, as vendors count them. None
    when the cached-input or output price is unknown.
    """
    _check_tokens(input_tokens, output_tokens)
    prices = prices_at(prices, input_tokens)
    if prices.cached_input is None or prices.output is None:
        return None
    return (
        input_tokens * prices.cached_input + output_tokens * prices.output
    ) / TOKENS_PER_PRICE_UNIT


def cache_write_cost(prices: Prices, input_tokens: int, output_tokens: int) -> float | None:
    """Dollars for the request that first writes every input token to the prompt cache.

    Writing costs more than plain input (1.25\u00d7 at Anthropic for five minutes), so the first
    request of a cached conversation costs more than an uncached one; later ones pay the cached
    price. Past the long-context threshold the output is billed at the tier price. None when the
    cache-write or output price is unknown.
    """
    _check_tokens(input_tokens, output_tokens)
    output = prices_at(prices, input_tokens).output
    if prices.cache_write is None or output is None:
        return None
    return (input_tokens * prices.cache_write + output_tokens * output) / TOKENS_PER_PRICE_UNIT


def cache_saving_percent(prices: Prices, shape: RequestShape = MEDIUM) -> float | None:
    """How much of a request's cost prompt caching removes, in percent (0-100).

    Only input tokens get cheaper, so the saving is always below the input discount: output
    tokens are billed in full. None when either cost is unknown or the request costs nothing.
    """
    standard = request_cost(prices, shape.input_tokens, shape.output_tokens)
    cached = cached_request_cost(prices, shape.input_tokens, shape.output_tokens)
    if standard is None or cached is None or standard == 0:
        return None
    return (1 - cached / standard) * 100


def price_ratio(a_cost: float | None, b_cost: float | None) -> PriceRatio | None:
    """How many times as much the pricier model costs, and which one it is.

    None when either cost is unknown or not positive (a multiple of nothing means nothing).
    """
    if a_cost is None or b_cost is None or a_cost <= 0 or b_cost <= 0:
        return None
    ratio = max(a_cost, b_cost) / min(a_cost, b_cost)
    pricier: Literal["a", "b"] | None = None
    if a_cost != b_cost:
        pricier = "a" if a_cost > b_cost else "b"
    return PriceRatio(ratio=ratio, percent_more=(ratio - 1) * 100, pricier=pricier)


def output_cost_ratio(a: Prices, b: Prices) -> float | None:
    """A's output price over B's ("roughly 5.0x on output cost alone"); below 1 when A is cheaper.

    Output tokens dominate the bill for generation-heavy work, hence this headline figure.
    None when either output price is unknown or B's is 0.
    """
    if a.output is None or b.output is None or b.output == 0:
        return None
    return a.output / b.output


def value_per_point(typical_cost: float | None, overall: float | None) -> float | None:
    """Dollars per overall-score point for the typical request; lower is better value.

    None when either figure is unknown or the overall score is not positive.
    """
    if typical_cost is None or overall is None or overall <= 0:
        return None
    return typical_cost / overall


def context_pages(tokens: int | None) -> int | None:
    """The context window in printed pages (750 tokens each), rounded down."""
    if tokens is None:
        return None
    return tokens // TOKENS_PER_PAGE


def speed_difference_percent(a_speed: float | None, b_speed: float | None) -> float | None:
    """How much faster the faster model is (faster / slower - 1, in percent), signed from A's view.

    Positive when A is faster, negative when A is slower: 80 vs 181 t/s is -126.25 (B is 126%
    faster), not -56 (A's share of B's speed). None when either speed is unknown or 0.
    """
    if a_speed is None or b_speed is None or a_speed <= 0 or b_speed <= 0:
        return None
    if a_speed >= b_speed:
        return (a_speed / b_speed - 1) * 100
    return -(b_speed / a_speed - 1) * 100


def describe_speed(a_name: str, b_name: str, a_speed: float | None, b_speed: float | None) -> str:
    """The output-speed gap in words, from the faster model's side, using
    ``speed_difference_percent``: 80 vs 181 t/s is "B generates output 126% faster than A".

    "" when either speed is unknown; "about the same speed" when the gap rounds to 0%.
    """
    difference = speed_difference_percent(a_speed, b_speed)
    if difference is None:
        return ""
    percent = format_percent(abs(difference))
    if percent == format_percent(0):
        return f"{a_name} and {b_name} generate output at about the same speed"
    faster, slower = (a_name, b_name) if difference > 0 else (b_name, a_name)
    return f"{faster} generates output {percent} faster than {slower}"


def describe_ratio(a_name: str, b_name: str, ratio: PriceRatio, per: str = "request") -> str:
    """The price gap in words, always from the pricier model's side.

    "B costs 2.7 times (the multiplication sign) as much per request (167% more)": a percentage
    "cheaper" above 100 is meaningless, so the sentence never takes the cheaper model's side.
    ``per`` names what is priced ("request", "score point").
    """
    if ratio.pricier is None:
        return f"{a_name} and {b_name} cost the same per {per}"
    pricier = a_name if ratio.pricier == "a" else b_name
    multiple = half_up(ratio.ratio, 1)
    if multiple == 1:  # "1.0 times as much (4% more)" would read as a contradiction
        multiple = half_up(ratio.ratio, 2)
    percent = format_percent(ratio.percent_more)
    return f"{pricier} costs {multiple}{TIMES} as much per {per} ({percent} more)"


# --- the monthly cost calculator --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Preset:
    slug: str
    name: str
    input_tokens: int
    output_tokens: int


# Input:output ratios from PRODUCT.md; token counts a typical request of that kind might carry.
PRESETS = {
    p.slug: p
    for p in (
        Preset("chat", "Chat (2:1)", 1_000, 500),
        Preset("code-review", "Code review (3:1)", 6_000, 2_000),
        Preset("documents-10", "Document analysis (10:1)", 20_000, 2_000),
        Preset("documents-50", "Summarisation (50:1)", 50_000, 1_000),
        Preset("pure-input", "Pure input (embedding-style)", 2_000, 0),
    )
}


@dataclass(frozen=True, slots=True)
class Workload:
    input_tokens: int
    output_tokens: int
    requests_per_month: int
    cached_share: float = 0.0  # 0..1 of the input tokens served from the prompt cache
    batch: bool = False  # use the batch prices where the model has them


@dataclass(frozen=True, slots=True)
class MonthlyCost:
    total: float
    used_cache_price: bool  # False when cached tokens had to be billed at the full input price
    used_batch_price: bool
    used_long_context: bool = False  # the request is past the long-context threshold
    # Writing the cached share of one request's input to the cache once (USD); None when no
    # share is cached or the cache-write price is unknown.
    cache_write: float | None = None


def monthly_cost(prices: Prices, workload: Workload) -> MonthlyCost | None:
    """What a month of ``workload`` costs in USD, or None when a price it needs is unknown.

    Cached input tokens are billed at the cached price; a model without one bills them at the
    full input price (an upper bound, flagged). Batch prices replace the standard ones only
    where the model has them. With no output tokens the output price is not needed. A request
    past the long-context threshold is billed at the tier's prices (flagged), without batch.
    """
    _check_tokens(workload.input_tokens, workload.output_tokens)
    long_context = in_long_context(prices, workload.input_tokens)
    list_prices = prices
    prices = prices_at(prices, workload.input_tokens)
    use_batch_in = workload.batch and prices.batch_input is not None
    use_batch_out = workload.batch and prices.batch_output is not None
    input_price = prices.batch_input if use_batch_in else prices.input
    output_price = prices.batch_output if use_batch_out else prices.output
    if input_price is None and workload.input_tokens:
        return None
    if output_price is None and workload.output_tokens:
        return None
    cached_tokens = workload.input_tokens * workload.cached_share
    fresh_tokens = workload.input_tokens - cached_tokens
    use_cache = cached_tokens > 0 and prices.cached_input is not None
    cached_price = prices.cached_input if use_cache else input_price
    per_request = (
        fresh_tokens * (input_price or 0)
        + cached_tokens * (cached_price or 0)
        + workload.output_tokens * (output_price or 0)
    ) / TOKENS_PER_PRICE_UNIT
    cache_write = None
    if cached_tokens > 0 and list_prices.cache_write is not None:
        cache_write = cached_tokens * list_prices.cache_write / TOKENS_PER_PRICE_UNIT
    return MonthlyCost(
        total=per_request * workload.requests_per_month,
        used_cache_price=use_cache,
        used_batch_price=use_batch_in or use_batch_out,
        used_long_context=long_context,
        cache_write=cache_write,
    )


# --- what the tiers and schedules mean, in words -----------------------------------------------


def describe_long_context(prices: Prices) -> str:
    """The long-context tier in words: "Past 200K input tokens: $6.00 in / $22.50 out per 1M
    (cached $0.60), for the whole request". "" when the model has one price at every length."""
    tier = prices.long_context
    if tier is None:
        return ""
    cached = f" (cached {format_price_long(tier.cached_input)})" if tier.cached_input else ""
    return (
        f"Past {format_context(tier.threshold)} input tokens: {format_price_long(tier.input)} in"
        f" / {format_price_long(tier.output)} out per 1M{cached}, for the whole request"
    )


def describe_scheduled(prices: Prices, today: date) -> str:
    """An announced price change still to come: "From December 1, 2026: $0.11 in / $0.39 out
    per 1M". "" when there is none, or its date has come (then it is the list price)."""
    scheduled = prices.scheduled
    if scheduled is None or scheduled.starts_on <= today:
        return ""
    when = f"{scheduled.starts_on:%B} {scheduled.starts_on.day}, {scheduled.starts_on.year}"
    return (
        f"From {when}: {format_price_long(scheduled.input)} in"
        f" / {format_price_long(scheduled.output)} out per 1M"
    )


def monthly_cost_notes(prices: Prices, cost: MonthlyCost | None, workload: Workload) -> list[str]:
    """What a reader should know about one model's monthly figure: which prices it used."""
    if cost is None:
        return ["price not published"]
    notes = []
    if cost.used_long_context and prices.long_context is not None:
        notes.append(
            f"long-context price (over {format_context(prices.long_context.threshold)} input"
            " tokens)"
        )
    if cost.used_batch_price:
        notes.append("batch price")
    if workload.cached_share > 0 and not cost.used_cache_price:
        notes.append("no cached-input price listed: billed in full")
    if cost.cache_write is not None:
        notes.append(f"writing the cached share once: {format_cost(cost.cache_write)}")
    return notes


def price_unconfirmed(confirmed_at: datetime | None, now: datetime, days: int) -> bool:
    """Whether a price has gone ``days`` without the feed or an editor confirming it (or never
    was): readers are told, since a price that nobody has looked at in months may be stale."""
    return confirmed_at is None or now - confirmed_at > timedelta(days=days)
