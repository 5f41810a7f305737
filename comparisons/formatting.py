"""Display strings for the figures BenchLM shows: prices, costs, scores, context windows.

Pure functions, shared by templates and verdict text so a number reads the same everywhere.
Every rounding here is half-up on the decimal the reader sees (64.25 shows as 64.3, 46.5 as 47),
not Python's banker's rounding on a binary float, and the same rule decides ties in scoring:
two figures are equal exactly when they print the same.

Unknown figures are ``None`` and print as "N/A" (operational figures) or "—" (scores); they are
never shown as 0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NOT_AVAILABLE = "N/A"
NO_SCORE = "—"

# Prices and costs are rounded here before trimming so that float noise such as
# 0.30000000000000004 never reaches the page; no real price has more decimals.
_PRICE_PLACES = 6
_COST_SIGNIFICANT = 3


def half_up(value: float | Decimal, places: int = 0) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, as the decimal a reader would write.

    Goes through the shortest repr of the float, so 64.25 (stored as 64.2499999...) rounds to
    64.3 and 2.675 to 2.68, which is what the figure on the page says. Accepts a Decimal as
    stored by the database, too.
    """
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(d: Decimal, min_places: int = 0) -> str:
    """Fixed-point text with trailing zeros dropped, but at least ``min_places`` decimals."""
    d = d.normalize()
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -min_places:
        d = d.quantize(Decimal(1).scaleb(-min_places))
    return f"{d:,f}"


def format_context(tokens: int | None) -> str:
    """A context window as people say it: "1M", "1.5M", "262K", "8K", "500".

    Millions keep one decimal (dropped when .0); thousands are whole. Vendors mix binary and
    decimal sizes (1,047,576 and 1,048,576 are both sold as "1M"), and the rounding absorbs that.
    """
    if tokens is None:
        return NOT_AVAILABLE
    if tokens < 1_000:
        return str(tokens)
    thousands = half_up(tokens / 1_000)
    if thousands < 1_000:
        return f"{thousands}K"
    return f"{_plain(half_up(tokens / 1_000_000, 1))}M"


def format_price(p: float | None) -> str:
    """A price per 1M tokens in the short form of the operational table: "$0.4", "$2", "$0.075"."""
    if p is None:
        return NOT_AVAILABLE
    return f"${_plain(half_up(p, _PRICE_PLACES))}"


def format_price_pair(prices_input: float | None, prices_output: float | None) -> str:
    """Input / output price per 1M tokens, "$0.4 / $1.6"; a single "N/A" when both are unknown."""
    if prices_input is None and prices_output is None:
        return NOT_AVAILABLE
    return f"{format_price(prices_input)} / {format_price(prices_output)}"


def format_price_long(p: float | None) -> str:
    """A price per 1M tokens as written in prose, always in cents: "$0.40", "$8.00", "$0.075"."""
    if p is None:
        return NOT_AVAILABLE
    return f"${_plain(half_up(p, _PRICE_PLACES), min_places=2)}"


def format_cost(c: float | None) -> str:
    """A request or monthly cost in dollars.

    From $1 up, dollars and cents with thousands separators ("$1,234.56"). Below $1 a single
    request often costs a fraction of a cent, so it keeps three significant figures (trailing
    zeros dropped, at least cents shown): "$0.0036", "$0.00045", "$0.132", "$0.50".
    """
    if c is None:
        return NOT_AVAILABLE
    if c == 0:
        return "$0.00"
    if abs(c) >= 1:
        return f"${half_up(c, 2):,f}"
    adjusted = Decimal(str(c)).adjusted()  # position of the first significant digit
    places = max(2, _COST_SIGNIFICANT - 1 - adjusted)
    return f"${_plain(half_up(c, places), min_places=2)}"


def format_ratio(r: float | None) -> str:
    """A multiple with one decimal, as in "roughly 5.0x on output cost alone"."""
    if r is None:
        return NOT_AVAILABLE
    return f"{half_up(r, 1)}x"


def format_score(x: float | None) -> str:
    """A benchmark or category score (percent, 0-100) with one decimal: "64.2"."""
    if x is None:
        return NO_SCORE
    return str(half_up(x, 1))


def format_overall(x: float | None) -> str:
    """The overall score, shown as a whole number: 46.5 is "47"."""
    if x is None:
        return NO_SCORE
    return str(half_up(x))


def format_speed(tps: float | None) -> str:
    """Output speed in tokens per second, whole: "80 t/s"."""
    if tps is None:
        return NOT_AVAILABLE
    return f"{half_up(tps)} t/s"


def format_latency(s: float | None) -> str:
    """Time to first token in seconds with two decimals: "0.76s", "1.00s"."""
    if s is None:
        return NOT_AVAILABLE
    return f"{half_up(s, 2)}s"


def format_percent(p: float | None, digits: int = 0) -> str:
    """A percentage already expressed in percent (166.67 -> "167%")."""
    if p is None:
        return NOT_AVAILABLE
    return f"{half_up(p, digits)}%"
