"""Small line charts of one figure over time (a model's overall score, rank and price).

Pure geometry: dated values with their display text in, coordinates out; the template
``includes/sparkline.html`` draws them. A rank is drawn upside down (1 at the top).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from comparisons.charts.geometry import _chart_id, _pts, _r

WIDTH, HEIGHT = 240.0, 72.0
PAD_X, PAD_TOP, PAD_BOTTOM = 6.0, 8.0, 18.0


@dataclass(frozen=True, slots=True)
class SparkPoint:
    x: float
    y: float
    text: str  # "Nov 3, 2026: 71", the dot's tooltip


@dataclass(frozen=True, slots=True)
class Sparkline:
    id_prefix: str
    title: str
    desc: str
    view_box: str
    points: str
    dots: tuple[SparkPoint, ...]
    first: str  # the first day's label, under the left end
    last: str
    baseline: float
    width: float


def _day(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def sparkline(
    title: str, series: Sequence[tuple[date, float, str]], *, invert: bool = False
) -> Sparkline | None:
    """``series`` is (day, value, value as printed), oldest first; None with fewer than two."""
    if len(series) < 2:
        return None
    days = [d.toordinal() for d, _, _ in series]
    values = [v for _, v, _ in series]
    span_x = max(days[-1] - days[0], 1)
    low, high = min(values), max(values)
    span_y = high - low or 1.0
    inner_w, inner_h = WIDTH - 2 * PAD_X, HEIGHT - PAD_TOP - PAD_BOTTOM

    def y_of(value: float) -> float:
        share = (value - low) / span_y if high != low else 0.5
        return PAD_TOP + (share if invert else 1 - share) * inner_h

    coords = [
        (PAD_X + (day - days[0]) / span_x * inner_w, y_of(value))
        for day, value in zip(days, values, strict=True)
    ]
    dots = tuple(
        SparkPoint(_r(x), _r(y), f"{_day(d)}: {text}")
        for (x, y), (d, _, text) in zip(coords, series, strict=True)
    )
    (first_day, _, first_text), (last_day, _, last_text) = series[0], series[-1]
    return Sparkline(
        id_prefix=_chart_id("spark", title, tuple(series)),
        title=title,
        desc=f"{title}: {first_text} on {_day(first_day)}, {last_text} on {_day(last_day)}, "
        f"{len(series)} points.",
        view_box=f"0 0 {WIDTH:g} {HEIGHT:g}",
        points=_pts(coords),
        dots=dots,
        first=_day(first_day),
        last=_day(last_day),
        baseline=HEIGHT - 4,
        width=WIDTH - PAD_X,
    )
