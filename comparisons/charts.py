"""Server-rendered SVG charts: the comparison radar and the intelligence-vs-price scatter.

Pure geometry: plain numbers in, frozen dataclasses of coordinates and display strings out, which
``templates/includes/radar_chart.html`` and ``price_chart.html`` turn into inline SVG. Colours are
classes in ``static/css/charts.css`` (the CSP forbids inline styles; CSS variables give dark mode).
Coordinates are rounded to 0.1: finer is invisible and bloats the page. Text is measured with a
generous width estimate (characters x average glyph width) so that it never leaves the picture.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from comparisons.formatting import format_cost, format_overall, format_score
from comparisons.pricing import TYPICAL

CHAR_WIDTH = 6.5  # average glyph width of the 11 px chart font (system-ui), slightly generous
BOLD_CHAR_WIDTH = 7.2  # the same for bold labels (highlighted models)
RADAR_CHAR_WIDTH = 7.8  # radar axis labels are 12 px semibold
RADAR_LINE = 14.0  # line height of wrapped radar axis labels
LABEL_ASCENT, LABEL_DESCENT = 9.0, 3.0  # 11 px text box around its baseline
PALETTE_SIZE = 10  # .prov-0 … .prov-9 in charts.css
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Anchor = Literal["start", "middle", "end"]  # SVG text-anchor


def _r(v: float) -> float:
    return round(v, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def _pts(coords: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_r(x):g},{_r(y):g}" for x, y in coords)


def _chart_id(kind: str, *parts: object) -> str:
    """A deterministic id prefix, unique per chart content, for aria-labelledby targets."""
    return f"{kind}-{hashlib.blake2s(repr(parts).encode(), digest_size=4).hexdigest()}"


def _rbox(b: Box) -> Box:
    return _r(b[0]), _r(b[1]), _r(b[2]), _r(b[3])


def _square(x: float, y: float, r: float) -> Box:
    return x - r, y - r, x + r, y + r


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


# --- Radar ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """A position with text: a text baseline, or a marker's centre and its tooltip."""

    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class AxisLabel:
    slug: str
    anchor: Anchor
    lines: tuple[Mark, ...]  # long labels wrap onto two lines
    box: Box  # estimated extent, inside the viewBox


@dataclass(frozen=True, slots=True)
class Ring:
    value: int  # 20, 40 … 100
    points: str
    label: Mark


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    width: float
    value: Mark  # the score, just after the end of the bar


@dataclass(frozen=True, slots=True)
class BarGroup:
    label: Mark
    a: Bar
    b: Bar


@dataclass(frozen=True, slots=True)
class ValueRow:
    label: str
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class RadarChart:
    """A radar of shared categories, or paired bars when fewer than three make no polygon."""

    kind: Literal["radar", "bars"]
    id_prefix: str
    a_name: str
    b_name: str
    view_box: str
    rows: tuple[ValueRow, ...]  # the text alternative: <desc> and the hidden table
    cx: float = 0.0
    cy: float = 0.0
    rings: tuple[Ring, ...] = ()
    spokes: tuple[tuple[float, float], ...] = ()  # outer ends; spokes start at (cx, cy)
    labels: tuple[AxisLabel, ...] = ()
    a_points: str = ""
    b_points: str = ""
    a_markers: tuple[Mark, ...] = ()
    b_markers: tuple[Mark, ...] = ()
    bars: tuple[BarGroup, ...] = ()
    bar_track: float = 0.0  # width of a bar at 100

    @property
    def title(self) -> str:
        return f"{self.a_name} vs {self.b_name} by category"

    @property
    def summary(self) -> list[str]:
        return [f"{r.label}: {r.a} vs {r.b}" for r in self.rows]

    @property
    def desc(self) -> str:
        head = f"Category scores out of 100, {self.a_name} vs {self.b_name}: "
        return head + "; ".join(self.summary) + "." if self.rows else "No categories in common."


def _wrap(label: str, limit: int = 12) -> tuple[str, ...]:
    """Split a long axis label at the space nearest its middle, so the radar stays narrow."""
    if len(label) <= limit or " " not in label:
        return (label,)
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - len(label) / 2))
    return label[:cut], label[cut + 1 :]


def radar_chart(
    axes: Sequence[tuple[str, str]],
    a: Mapping[str, float],
    b: Mapping[str, float],
    a_name: str,
    b_name: str,
    *,
    size: int = 320,
) -> RadarChart:
    """Geometry of a radar of category scores (0-100) for models a and b.

    ``axes`` are (category slug, label) in display order; only categories both models have are
    drawn, because a missing score is unknown, not 0. ``size`` is the diameter of the 100 ring
    plus room for markers; the viewBox grows around it to fit the axis labels. With fewer than
    three categories the polygon would be a line or a dot, so the chart becomes paired horizontal
    bars (``kind == "bars"``).
    """
    axes = [(slug, label) for slug, label in axes if slug in a and slug in b]
    va = [min(max(a[slug], 0.0), 100.0) for slug, _ in axes]
    vb = [min(max(b[slug], 0.0), 100.0) for slug, _ in axes]
    rows = tuple(ValueRow(lbl, format_score(a[s]), format_score(b[s])) for s, lbl in axes)
    chart_id = _chart_id("radar", a_name, b_name, axes, va, vb, size)
    if len(axes) < 3:
        # As wide as a radar with its labels, so the text comes out the same size on the page.
        width = size * 3 // 2
        track, groups = width - 44.0, []  # 44: room for "100.0" after a full bar
        for i, ((_, label), x, z) in enumerate(zip(axes, va, vb, strict=True)):
            y = 58.0 * i
            groups.append(BarGroup(
                Mark(0, y + 12, label),
                Bar(y + 18, _r(track * x / 100), Mark(_r(track * x / 100 + 5), y + 28, rows[i].a)),
                Bar(y + 34, _r(track * z / 100), Mark(_r(track * z / 100 + 5), y + 44, rows[i].b)),
            ))  # fmt: skip
        height = max(58 * len(axes) - 6, 20)
        return RadarChart("bars", chart_id, a_name, b_name, f"0 0 {width} {height}", rows,
                          bars=tuple(groups), bar_track=track)  # fmt: skip

    c, radius = size / 2, size / 2 - 6
    angles = [-math.pi / 2 + 2 * math.pi * i / len(axes) for i in range(len(axes))]

    def at(value: float, angle: float) -> tuple[float, float]:
        k = radius * value / 100
        return _r(c + k * math.cos(angle)), _r(c + k * math.sin(angle))

    labels, boxes = [], [_square(*at(100, t), 4) for t in angles]  # the outer ring and its dots
    for (slug, text), t in zip(axes, angles, strict=True):
        cos, sin = math.cos(t), math.sin(t)
        # Right of the centre a label starts at its spoke, left of it it ends there, near the
        # vertical it is centred: no label can run back over the chart.
        anchor = "middle" if abs(cos) < 0.26 else ("start" if cos > 0 else "end")
        lx, ly = c + (radius + 10) * cos, c + (radius + 10) * sin
        lines = _wrap(text)
        top = ly - RADAR_LINE * len(lines) * (1 - sin) / 2  # above at the top, below at the bottom
        w = max(map(len, lines)) * RADAR_CHAR_WIDTH
        x0 = {"start": lx, "middle": lx - w / 2, "end": lx - w}[anchor]
        box = _rbox((x0, top, x0 + w, top + RADAR_LINE * len(lines)))
        marks = tuple(Mark(_r(lx), _r(top + 11 + RADAR_LINE * i), s) for i, s in enumerate(lines))
        labels.append(AxisLabel(slug, anchor, marks, box))
        boxes.append(box)
    x0, y0 = min(b[0] for b in boxes) - 4, min(b[1] for b in boxes) - 4
    x1, y1 = max(b[2] for b in boxes) + 4, max(b[3] for b in boxes) + 4

    def markers(values: list[float], name: str) -> tuple[Mark, ...]:
        return tuple(
            Mark(*at(v, t), f"{lbl}: {name} {format_score(v)}")
            for v, t, (_, lbl) in zip(values, angles, axes, strict=True)
        )

    rings = tuple(
        Ring(
            v,
            _pts([at(v, t) for t in angles]),
            Mark(_r(c + 3), _r(c - radius * v / 100 - 3), str(v)),
        )
        for v in (20, 40, 60, 80, 100)
    )
    view_box = f"{_r(x0):g} {_r(y0):g} {_r(x1 - x0):g} {_r(y1 - y0):g}"
    return RadarChart(
        "radar",
        chart_id,
        a_name,
        b_name,
        view_box,
        rows,
        cx=_r(c),
        cy=_r(c),
        rings=rings,
        spokes=tuple(at(100, t) for t in angles),
        labels=tuple(labels),
        a_points=_pts([at(v, t) for v, t in zip(va, angles, strict=True)]),
        b_points=_pts([at(v, t) for v, t in zip(vb, angles, strict=True)]),
        a_markers=markers(va, a_name),
        b_markers=markers(vb, b_name),
    )


# --- Intelligence vs price -----------------------------------------------------------------

X_TITLE = (
    f"Typical request cost ({TYPICAL.input_tokens:,} in / {TYPICAL.output_tokens:,} out tokens),"
    " log scale"
)


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One model: ``cost`` = typical request cost in USD (> 0), ``score`` = overall, 0-100."""

    slug: str
    name: str
    provider: str
    cost: float
    score: float


def pareto_frontier(points: Sequence[PricePoint]) -> list[PricePoint]:
    """The models no other model beats on both cost and score, cheapest first.

    A model is dominated when another is at most as expensive and at least as good, and strictly
    better on one of the two; everything else is on the frontier. Those are the only sensible
    picks: for any budget, the best model you can afford is on it. Exact twins both stay. The
    check is quadratic, which is plenty for a catalogue of a few hundred models.
    """

    def dominates(p: PricePoint, q: PricePoint) -> bool:
        return p.cost <= q.cost and p.score >= q.score and (p.cost < q.cost or p.score > q.score)

    front = [q for q in points if not any(dominates(p, q) for p in points)]
    return sorted(front, key=lambda p: (p.cost, -p.score, p.name))


def provider_classes(providers: Collection[str]) -> dict[str, str]:
    """Provider → palette class (``prov-0`` … ``prov-9``), by sorted name, so the same set of
    providers always gets the same colours. Past ten providers colours repeat; labels and the
    data table still tell them apart."""
    names = sorted(set(providers), key=lambda p: (p.casefold(), p))
    return {p: f"prov-{i % PALETTE_SIZE}" for i, p in enumerate(names)}


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float  # x or y in the viewBox
    text: str  # "" for an unlabelled minor tick


@dataclass(frozen=True, slots=True)
class PlottedPoint:
    slug: str
    name: str
    provider: str
    css: str  # palette class
    cost: float
    score: float
    cost_text: str
    score_text: str
    x: float
    y: float
    r: float
    highlight: bool
    on_frontier: bool
    label_x: float
    label_y: float  # baseline
    label_anchor: Anchor
    label_box: Box  # estimated text box, always inside the plot area
    labelled: bool = True  # past MAX_LABELS a dot keeps only its tooltip and table row

    @property
    def title(self) -> str:
        return (
            f"{self.name} ({self.provider}): {self.cost_text} per typical request,"
            f" overall score {self.score_text}"
        )


@dataclass(frozen=True, slots=True)
class LegendItem:
    provider: str
    css: str


@dataclass(frozen=True, slots=True)
class PriceChart:
    """The intelligence-vs-price scatter; ``points`` are in drawing order (highlighted last)."""

    id_prefix: str
    width: int
    height: int
    left: float  # the plot area inside the viewBox
    top: float
    right: float
    bottom: float
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    points: tuple[PlottedPoint, ...] = ()
    frontier_path: str = ""  # SVG path "d": a line through the frontier models, cheapest first
    legend: tuple[LegendItem, ...] = ()
    desc: str = "No priced, scored models yet."
    title: str = "Intelligence vs price"
    x_title: str = X_TITLE
    y_title: str = "Overall score"

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def rows(self) -> list[PlottedPoint]:
        """The text alternative, cheapest first."""
        return sorted(self.points, key=lambda p: (p.cost, -p.score, p.name))


def _log_domain(costs: Sequence[float]) -> tuple[float, float]:
    """log10 bounds of the x axis: the data plus 8 % each side, and at least one decade wide so
    a single model or a tight cluster still gets two labelled ticks (and no division by zero)."""
    lo, hi = math.log10(min(costs)), math.log10(max(costs))
    pad = max((hi - lo) * 0.08, (1 - (hi - lo)) / 2)
    return lo - pad, hi + pad


def _score_domain(scores: Sequence[float]) -> tuple[float, float]:
    """Whole tens around the data with some headroom, within 0-100, never empty."""
    lo = max(0.0, math.floor((min(scores) - 4) / 10) * 10)
    hi = min(100.0, math.ceil((max(scores) + 4) / 10) * 10)
    return (lo, hi) if hi > lo else (lo, lo + 10)


def _dollars(m: int, e: int) -> str:
    return f"${m * 10**e:,}" if e >= 0 else f"${m * 10.0**e:.{-e}f}"


def _cost_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Decades ($0.001, $0.01 …) labelled, 2-9 as minor ticks; 2 and 5 labelled too when the
    axis spans under ~2 decades, so a narrow range still reads."""
    few = hi - lo < 2.2
    return [
        (m * 10.0**e, _dollars(m, e) if m == 1 or (few and m in (2, 5)) else "")
        for e in range(math.floor(lo), math.ceil(hi) + 1)
        for m in range(1, 10)
        if lo <= math.log10(m) + e <= hi
    ]


# Label candidates around a dot: (anchor, dx in gaps, baseline dy, penalty). Right of the dot
# is the natural place, then left, the corners, above and below, then a line further out; the
# penalty keeps a label at the nearest free spot, so it reads as belonging to its own dot.
_CANDIDATES: tuple[tuple[Anchor, float, float, float], ...] = (
    ("start", 1, 3, 0), ("end", -1, 3, 2), ("start", 0.7, -10, 5), ("start", 0.7, 16, 5),
    ("end", -0.7, -10, 6), ("end", -0.7, 16, 6), ("middle", 0, -1, 7), ("middle", 0, 1, 7),
    ("start", 1, -19, 14), ("start", 1, 25, 14), ("end", -1, -19, 15), ("end", -1, 25, 15),
    ("middle", 0, -2, 16), ("middle", 0, 2, 16), ("start", 1, -31, 24), ("start", 1, 37, 24),
    ("end", -1, -31, 25), ("end", -1, 37, 25), ("middle", 0, -3, 26), ("middle", 0, 3, 26),
)  # fmt: skip


# More labels than this turn a big catalogue's chart into a grey smear; the most important
# (highlighted, on the frontier, best scores) get one, every dot keeps its tooltip.
MAX_LABELS = 40


def _near(boxes: list[Box], region: Box) -> list[Box]:
    return [b for b in boxes if _overlap(b, region) > 0]


def _place_label(
    x: float,
    y: float,
    r: float,
    width: float,
    plot: Box,
    taken: list[Box],
    dots: list[Box],
    line: list[Box],
) -> tuple[float, float, Anchor, Box]:
    """The least cluttered candidate spot for a label of ``width`` next to the dot at x, y.

    Clutter is overlap area with labels already placed (weighs most), with dots, and with the
    frontier line (weighs least: the label's halo hides it), plus the candidate's penalty. Each
    candidate is first shifted back inside the plot, which is how a label at the right edge
    ends up left of its dot, so whichever spot wins, the text stays in the picture.
    """
    gap = r + 3
    # Every candidate, shifted or not, lies within this region: only what is in it can clutter.
    reach = (x - width - 2 * gap - 2, y - 80, x + width + 2 * gap + 2, y + 80)
    taken, dots, line = _near(taken, reach), _near(dots, reach), _near(line, reach)
    best: tuple[float, tuple[float, float, Anchor, Box]] | None = None
    for anchor, dx, dy, penalty in _CANDIDATES:
        if anchor == "middle":  # dy counts lines above (-) or below (+) the dot
            ly = y - gap - 3 + 12 * (dy + 1) if dy < 0 else y + gap + LABEL_ASCENT + 12 * (dy - 1)
        else:
            ly = y + dy
        lx = x + dx * gap
        x0 = {"start": lx, "middle": lx - width / 2, "end": lx - width}[anchor]
        shift_x = max(plot[0] - x0, 0) + min(plot[2] - (x0 + width), 0)
        shift_y = max(plot[1] - (ly - LABEL_ASCENT), 0) + min(plot[3] - (ly + LABEL_DESCENT), 0)
        lx, ly, x0 = lx + shift_x, ly + shift_y, x0 + shift_x
        box = (x0, ly - LABEL_ASCENT, x0 + width, ly + LABEL_DESCENT)
        clutter = [2 * _overlap(box, t) for t in taken] + [0.6 * _overlap(box, d) for d in dots]
        clutter += [0.25 * _overlap(box, d) for d in line]
        cost = penalty + 0.3 * (abs(shift_x) + abs(shift_y)) + sum(clutter)
        if best is None or cost < best[0]:
            best = (cost, (lx, ly, anchor, box))
    assert best is not None
    return best[1]


def price_chart(
    points: Sequence[PricePoint],
    *,
    highlight: Collection[str] = (),
    width: int = 720,
    height: int = 440,
) -> PriceChart:
    """Geometry of the intelligence-vs-price scatter: x = typical request cost (log), y = score.

    Cost is on a log scale because prices span four orders of magnitude; on a linear axis every
    cheap model would sit in one corner. Zero, negative or non-finite costs have no place on a
    log axis (log 0 is minus infinity), so they are left out rather than drawn somewhere made up:
    callers pass only priced, scored models. ``highlight`` holds slugs drawn bigger, outlined
    and labelled in bold (the two models of a comparison page).
    """
    pts = [p for p in points if p.cost > 0 and math.isfinite(p.cost) and math.isfinite(p.score)]
    left, top, right, bottom = 46.0, 10.0, width - 10.0, height - 50.0
    chart_id = _chart_id("price", width, height, sorted(highlight), [(p.slug, p.cost) for p in pts])
    if not pts:
        return PriceChart(chart_id, width, height, left, top, right, bottom)
    lo_x, hi_x = _log_domain([p.cost for p in pts])
    lo_y, hi_y = _score_domain([p.score for p in pts])

    def sx(cost: float) -> float:
        return left + (math.log10(cost) - lo_x) / (hi_x - lo_x) * (right - left)

    def sy(score: float) -> float:
        return bottom - (score - lo_y) / (hi_y - lo_y) * (bottom - top)

    frontier = pareto_frontier(pts)
    on_front = set(frontier)
    classes = provider_classes([p.provider for p in pts])
    centres = [(sx(p.cost), sy(p.score), 7.0 if p.slug in highlight else 4.5) for p in pts]
    dots = [_square(x, y, r + 5) for x, y, r in centres]  # other models' dots keep their distance
    steps = [(sx(p.cost), sy(p.score)) for p in frontier]
    line = []  # and so does the frontier line, sampled every few units
    for (x0, y0), (x1, y1) in itertools.pairwise(steps):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / 4))
        line += [_square(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n, 1) for k in range(n + 1)]
    # Most important labels first, so they get the best spots: highlighted, frontier, by score.
    order = sorted(
        range(len(pts)),
        key=lambda i: (pts[i].slug not in highlight, pts[i] not in on_front, -pts[i].score),
    )
    taken: list[Box] = []
    plotted = []
    for rank, i in enumerate(order):
        p, (x, y, r) = pts[i], centres[i]
        bold = p.slug in highlight
        labelled = bold or rank < MAX_LABELS
        if labelled:
            text_w = len(p.name) * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)
            obstacles = [*dots[:i], _square(x, y, r), *dots[i + 1 :]]
            plot = (left, top, right, bottom)
            lx, ly, anchor, box = _place_label(x, y, r, text_w, plot, taken, obstacles, line)
            taken.append(box)
        else:
            lx, ly, anchor, box = x, y, "middle", (x, y, x, y)
        plotted.append(PlottedPoint(
            slug=p.slug, name=p.name, provider=p.provider, css=classes[p.provider], cost=p.cost,
            score=p.score, cost_text=format_cost(p.cost), score_text=format_overall(p.score),
            x=_r(x), y=_r(y), r=r, highlight=bold, on_frontier=p in on_front, label_x=_r(lx),
            label_y=_r(ly), label_anchor=anchor, label_box=_rbox(box), labelled=labelled,
        ))  # fmt: skip
    plotted.sort(key=lambda q: q.highlight)  # highlighted drawn last, on top
    path = "M" + " L".join(f"{_r(x):g},{_r(y):g}" for x, y in steps)
    costs, scores = sorted(p.cost for p in pts), sorted(p.score for p in pts)
    best = ", ".join(
        f"{p.name} ({format_cost(p.cost)}, {format_overall(p.score)})" for p in frontier
    )
    return PriceChart(
        chart_id, width, height, left, top, right, bottom,
        x_ticks=tuple(Tick(_r(sx(v)), text) for v, text in _cost_ticks(lo_x, hi_x)),
        y_ticks=tuple(Tick(_r(sy(v)), f"{v:g}") for v in range(int(lo_y), int(hi_y) + 1, 10)),
        points=tuple(plotted),
        frontier_path=path if len(steps) > 1 else "",
        legend=tuple(LegendItem(p, c) for p, c in classes.items()),
        desc=f"{len(pts)} models from {len(classes)} providers. Typical request cost (log scale)"
        f" from {format_cost(costs[0])} to {format_cost(costs[-1])}, overall score from"
        f" {format_overall(scores[0])} to {format_overall(scores[-1])}. Best score for the money,"
        f" cheapest first: {best}.",
    )  # fmt: skip
