"""Display strings for the figures BenchLM shows: prices, costs, scores, context windows.

Pure functions, shared by templates and verdict text so a number reads the same everywhere.
Every rounding here is half-up on the decimal the reader sees (64.25 shows as 64.3, 46.5 as 47),
not Python's banker's rounding on a binary float, and the same rule decides ties in scoring:
two figures are equal exactly when they print the same.

Each kind of figure has a ``figure_*`` function that rounds it once, to the Decimal the reader
sees, and a ``format_*`` function that prints that Decimal. The JSON API and the CSV exports
publish the ``figure_*`` values (through ``as_number``), so a number in the API is always the
number on the page.

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


def as_number(d: Decimal | None) -> int | float | None:
    """A displayed figure for JSON and CSV: an int when it has no decimals, else a float whose
    shortest repr is exactly the printed digits (Decimal("64.3") -> 64.3)."""
    if d is None:
        return None
    if d == d.to_integral_value() and d.as_tuple().exponent >= 0:
        return int(d)
    return float(d)


def figure_score(x: float | None) -> Decimal | None:
    """A benchmark or category score as shown: one decimal."""
    return None if x is None else half_up(x, 1)


def figure_overall(x: float | None) -> Decimal | None:
    """An overall score (or an end of its interval) as shown: a whole number."""
    return None if x is None else half_up(x)


def figure_price(p: float | None) -> Decimal | None:
    """A price per 1M tokens as shown (no real price has more than six decimals)."""
    return None if p is None else half_up(p, _PRICE_PLACES).normalize()


def figure_cost(c: float | None) -> Decimal | None:
    """A cost in dollars as shown: cents from $1 up, three significant figures below."""
    if c is None:
        return None
    if c == 0:
        return Decimal("0.00")
    if abs(c) >= 1:
        return half_up(c, 2)
    adjusted = Decimal(str(c)).adjusted()  # position of the first significant digit
    figure = half_up(c, max(2, _COST_SIGNIFICANT - 1 - adjusted))
    return half_up(c, 2) if abs(figure) >= 1 else figure  # $0.9996 rounds up to $1.00


def figure_ratio(r: float | None) -> Decimal | None:
    return None if r is None else half_up(r, 1)


def figure_speed(tps: float | None) -> Decimal | None:
    return None if tps is None else half_up(tps)


def figure_latency(s: float | None) -> Decimal | None:
    return None if s is None else half_up(s, 2)


def figure_percent(p: float | None, digits: int = 0) -> Decimal | None:
    return None if p is None else half_up(p, digits)


def figure_context(tokens: int | None) -> Decimal | None:
    """A context window as ``format_context`` shows it, in thousands of tokens: 1,047,576 and
    1,048,576 are both "1M" (1000), 262,144 is "262K" (262). Two windows are equal exactly
    when they print the same."""
    if tokens is None:
        return None
    if tokens < 1_000:
        return Decimal(tokens) / 1_000
    thousands = half_up(tokens / 1_000)
    if thousands < 1_000:
        return thousands
    return (half_up(tokens / 1_000_000, 1) * 1_000).quantize(Decimal(1))


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


def format_tokens(tokens: int | None) -> str:
    """A token count as people say it, by the context window's rule: "87.3M", "450K", "900"."""
    return format_context(tokens)


def format_price(p: float | None) -> str:
    """A price per 1M tokens in the short form of the operational table: "$0.4", "$2", "$0.075"."""
    if p is None:
        return NOT_AVAILABLE
    return f"${_plain(figure_price(p))}"


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
    figure = figure_cost(c)
    if figure is None:
        return NOT_AVAILABLE
    if abs(figure) >= 1:
        return f"${figure:,f}"
    return f"${_plain(figure, min_places=2)}"


TIMES = "\N{MULTIPLICATION SIGN}"  # "5.0\u00d7", never "5.0x": one sign on every page and email


def format_ratio(r: float | None) -> str:
    """A multiple with one decimal and the multiplication sign: "roughly 5.0\u00d7 on output
    cost alone"."""
    if r is None:
        return NOT_AVAILABLE
    return f"{figure_ratio(r)}{TIMES}"


def format_score(x: float | None) -> str:
    """A benchmark or category score (percent, 0-100) with one decimal: "64.2"."""
    if x is None:
        return NO_SCORE
    return str(figure_score(x))


def format_overall(x: float | None) -> str:
    """The overall score, shown as a whole number: 46.5 is "47"."""
    if x is None:
        return NO_SCORE
    return str(figure_overall(x))


def format_speed(tps: float | None) -> str:
    """Output speed in tokens per second, whole: "80 t/s"."""
    if tps is None:
        return NOT_AVAILABLE
    return f"{figure_speed(tps)} t/s"


def format_latency(s: float | None) -> str:
    """Time to first token in seconds with two decimals: "0.76s", "1.00s"."""
    if s is None:
        return NOT_AVAILABLE
    return f"{figure_latency(s)}s"


def format_percent(p: float | None, digits: int = 0) -> str:
    """A percentage already expressed in percent (166.67 -> "167%")."""
    if p is None:
        return NOT_AVAILABLE
    return f"{figure_percent(p, digits)}%"


def format_weight(w: float | Decimal | None) -> str:
    """A benchmark's or category's weight: two decimals, a whole number without them
    ("1.5" -> "1.50", "2.0" -> "2")."""
    if w is None:
        return NOT_AVAILABLE
    shown = half_up(w, 2)
    return str(shown.quantize(Decimal(1))) if shown == shown.to_integral_value() else str(shown)
