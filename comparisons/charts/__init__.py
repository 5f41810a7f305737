"""Server-rendered SVG charts: the comparison radar and the intelligence-vs-price scatter.

Pure geometry: plain numbers in, frozen dataclasses of coordinates and display strings out, which
``templates/includes/radar_chart.html`` and ``price_chart.html`` turn into inline SVG. Colours are
classes in ``static/css/charts.css`` (the CSP forbids inline styles; CSS variables give dark mode).
Coordinates are rounded to 0.1: finer is invisible and bloats the page. Text is measured with a
generous width estimate (characters x average glyph width) so that it never leaves the picture.
"""

from comparisons.charts.geometry import CHAR_WIDTH
from comparisons.charts.many_radar import ManyRadar, many_radar
from comparisons.charts.price import (
    MAX_LABELS,
    PriceChart,
    PricePoint,
    nearest_by_cost,
    pareto_frontier,
    price_chart,
    provider_classes,
)
from comparisons.charts.radar import RadarChart, radar_chart

__all__ = [
    "CHAR_WIDTH",
    "MAX_LABELS",
    "ManyRadar",
    "PriceChart",
    "PricePoint",
    "RadarChart",
    "many_radar",
    "nearest_by_cost",
    "pareto_frontier",
    "price_chart",
    "provider_classes",
    "radar_chart",
]
