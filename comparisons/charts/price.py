"""The intelligence-vs-price scatter: log-scale cost against overall score, with the
cost/quality frontier and labels placed where they clutter least."""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from comparisons.charts.geometry import (
    BOLD_CHAR_WIDTH,
    CHAR_WIDTH,
    LABEL_ASCENT,
    LABEL_DESCENT,
    PALETTE_SIZE,
    Anchor,
    Box,
    _chart_id,
    _r,
    _rbox,
    _square,
)
from comparisons.formatting import format_cost, format_overall
from comparisons.pricing import TYPICAL

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
    picks: for any budget, the best model you can afford is on it. Exact twins both stay. One
    sweep from the cheapest up (a model is on it when it beats every cheaper model's score and
    is the best at its own price), so 3,700 models cost a sort, not 13 million comparisons.
    """
    ordered = sorted(points, key=lambda p: (p.cost, -p.score, p.name))
    front: list[PricePoint] = []
    best_cheaper = -math.inf  # the best score among strictly cheaper models
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j].cost == ordered[i].cost:
            j += 1
        top = ordered[i].score  # the best at this price (sorted by score within a price)
        if top > best_cheaper:
            front += [p for p in ordered[i:j] if p.score == top]
        best_cheaper = max(best_cheaper, top)
        i = j
    return front


def nearest_by_cost(ordered: Sequence[PricePoint], index: int, k: int) -> list[PricePoint]:
    """Up to ``k`` models on each side of ``ordered[index]`` (points sorted by cost): the
    neighbours a comparison chart shows around a compared model."""
    return [*ordered[max(0, index - k) : index], *ordered[index + 1 : index + 1 + k]]


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
# is the natural place, then left, the corners, above and below; the
# penalty keeps a label at the nearest free spot, so it reads as belonging to its own dot.
_CANDIDATES: tuple[tuple[Anchor, float, float, float], ...] = (
    ("start", 1, 3, 0), ("end", -1, 3, 2), ("start", 0.7, -10, 5), ("start", 0.7, 16, 5),
    ("end", -0.7, -10, 6), ("end", -0.7, 16, 6), ("middle", 0, -1, 7), ("middle", 0, 1, 7),
    ("start", 1, -19, 14), ("start", 1, 25, 14), ("end", -1, -19, 15), ("end", -1, 25, 15),
    ("middle", 0, -2, 16), ("middle", 0, 2, 16),
)  # fmt: skip
# Spots a line further out, tried only for the compared models' labels, which are always shown:
# any other label that far from its dot would no longer read as its own, so it is left out.
_FAR_CANDIDATES: tuple[tuple[Anchor, float, float, float], ...] = (
    ("start", 1, -31, 24), ("start", 1, 37, 24), ("end", -1, -31, 25), ("end", -1, 37, 25),
    ("middle", 0, -3, 26), ("middle", 0, 3, 26),
)  # fmt: skip
# Rendered 11 px text is about 13 units tall, a unit more than LABEL_ASCENT + LABEL_DESCENT:
# clutter is measured on the box grown by this margin, so neighbours never touch.
LABEL_MARGIN = 1.0


# More labels than this turn a big catalogue's chart into a grey smear; the most important
# (highlighted, on the frontier, best scores) get one, every dot keeps its tooltip.
MAX_LABELS = 40


def _areas(probes: NDArray[np.float64], boxes: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per probe (rows of x0, y0, x1, y1), its summed overlap area with ``boxes``."""
    if not len(boxes):
        return np.zeros(len(probes))
    w = np.minimum(probes[:, None, 2], boxes[None, :, 2]) - np.maximum(
        probes[:, None, 0], boxes[None, :, 0]
    )
    h = np.minimum(probes[:, None, 3], boxes[None, :, 3]) - np.maximum(
        probes[:, None, 1], boxes[None, :, 1]
    )
    return np.where((w > 0) & (h > 0), w * h, 0.0).sum(axis=1)


def _place_label(
    x: float,
    y: float,
    r: float,
    width: float,
    plot: Box,
    taken: NDArray[np.float64],
    dots: NDArray[np.float64],
    line: NDArray[np.float64],
    far: bool = False,
) -> tuple[float, float, float, Anchor, Box]:
    """The least cluttered candidate spot for a label of ``width`` next to the dot at x, y, and
    its clutter (0: it touches no other label, no dot and not the frontier line).

    Clutter is overlap area with labels already placed (weighs most), with dots, and with the
    frontier line (weighs least: the label's halo hides it), plus the candidate's penalty. Each
    candidate is first shifted back inside the plot, which is how a label at the right edge
    ends up left of its dot, so whichever spot wins, the text stays in the picture. ``taken``,
    ``dots`` and ``line`` are arrays of boxes: every candidate is measured against all of them
    at once (a comparison's chart at 3,700 models tried some 7,000 box pairs one by one).
    """
    gap = r + 3
    spots: list[tuple[float, float, Anchor, Box]] = []
    costs, probes = [], []
    for anchor, dx, dy, penalty in _CANDIDATES + (_FAR_CANDIDATES if far else ()):
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
        m = LABEL_MARGIN
        probes.append((box[0] - m, box[1] - m, box[2] + m, box[3] + m))
        costs.append(penalty + 0.3 * (abs(shift_x) + abs(shift_y)))
        spots.append((lx, ly, anchor, box))
    at = np.array(probes)
    # A compared model's label may move further out, so it is kept off the frontier too.
    clutter = (
        2 * _areas(at, taken) + 0.6 * _areas(at, dots) + (8 if far else 0.25) * _areas(at, line)
    )
    best = int(np.argmin(np.array(costs) + clutter))  # the first of equals, as listed
    return (float(clutter[best]), *spots[best])


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
    dot_boxes, line_boxes = np.array(dots).reshape(-1, 4), np.array(line).reshape(-1, 4)
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
            obstacles = dot_boxes.copy()
            obstacles[i] = _square(x, y, r)
            plot = (left, top, right, bottom)
            clutter, lx, ly, anchor, box = _place_label(
                x,
                y,
                r,
                text_w,
                plot,
                np.array(taken).reshape(-1, 4),
                obstacles,
                line_boxes,
                far=bold,
            )
            # A label that would touch another label, a dot or the frontier is left out: the
            # dot keeps its tooltip and its row in the data table. Compared models keep theirs.
            labelled = bold or clutter == 0
        if labelled:
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
