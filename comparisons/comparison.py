"""The head-to-head figures of two models, as plain data.

``build_comparison`` reads a scoreboard (no ORM) and returns a ``Comparison`` that the page, the
API, the verdict writer and the charts all share, so they can never disagree on a number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from comparisons import formatting, pricing, scoring
from comparisons.presenter import Headline, RunCostFigure, present, run_cost_figure
from comparisons.scoreboard import Board, ModelCard, ScoreCell
from comparisons.scoring import CategoryResult, Lane, Swing

# Two overall intervals that overlap by at least this share of the narrower one are "within the
# noise": the data cannot tell the two apart, and the verdict declares no winner on the overall.
NOISE_OVERLAP = 0.5

TYPICAL_IN, TYPICAL_OUT = pricing.TYPICAL.input_tokens, pricing.TYPICAL.output_tokens


@dataclass(frozen=True, slots=True)
class Side:
    """One model of the pair, with its figures in the comparison's lane."""

    slug: str
    name: str
    provider: str
    family: str
    reasoning: bool
    open_weights: bool
    overall: float | None
    rank: int | None
    headline: Headline  # the displayed figures: overall, interval, rank range, categories
    category_scores: dict[str, float]  # measured only; estimates live in the headline
    values: dict[str, float]  # benchmark slug -> score, every benchmark it has (counted or not)
    prices: pricing.Prices
    context_window: int | None
    output_speed: float | None
    ttft: float | None
    typical_cost: float | None  # the medium request, see pricing.TYPICAL
    last_updated: datetime


@dataclass(frozen=True, slots=True)
class Comparison:
    a: Side
    b: Side
    lane: Lane
    categories: list[CategoryResult]  # shared categories, in display order
    category_names: dict[str, str]  # category slug -> display name ("Instruction following")
    benchmark_names: dict[str, str]  # benchmark slug -> display name
    wins: tuple[int, int]  # categories won by a, by b
    swing: Swing | None  # the shared benchmark with the largest gap, counted or not
    category_swings: dict[str, Swing | None]  # the same inside each shared category
    siblings: bool  # same model family
    family: str  # the family's name when siblings, else ""
    output_cost_ratio: float | None  # a's output price over b's
    price_ratio: pricing.PriceRatio | None  # typical request cost, higher over lower
    within_noise: bool = False  # the overall intervals overlap past NOISE_OVERLAP
    estimated: tuple[str, ...] = ()  # live categories where either side's figure is estimated

    @property
    def last_updated(self) -> datetime:
        return max(self.a.last_updated, self.b.last_updated)


def overlap_share(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    """How much of the narrower interval the two share, 0..1; None when either is missing.

    A zero-width interval is shared whole when it lies inside the other, else not at all.
    """
    if a is None or b is None:
        return None
    narrow, wide = (a, b) if a[1] - a[0] <= b[1] - b[0] else (b, a)
    if narrow[1] - narrow[0] <= 0:
        return 1.0 if wide[0] <= narrow[0] <= wide[1] else 0.0
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(0.0, min(1.0, shared / (narrow[1] - narrow[0])))


def _side(board: Board, card: ModelCard, lane: Lane) -> Side:
    standing = board.standing(card.slug, lane)
    return Side(
        headline=present(board, lane, card.slug),
        slug=card.slug,
        name=card.name,
        provider=card.provider,
        family=card.family,
        reasoning=card.reasoning,
        open_weights=card.open_weights,
        overall=standing.overall,
        rank=standing.rank,
        category_scores=dict(standing.category_scores),
        values=board.values(card.slug),
        prices=card.prices,
        context_window=card.context_window,
        output_speed=card.output_speed,
        ttft=card.ttft,
        typical_cost=pricing.request_cost(
            card.prices, pricing.TYPICAL.input_tokens, pricing.TYPICAL.output_tokens
        ),
        last_updated=card.last_updated,
    )


def build_comparison(board: Board, a_slug: str, b_slug: str, lane: Lane) -> Comparison:
    """Both models must be on the board (published); the caller turns a miss into a 404.

    ``lane`` is the reader's: a comparison never picks a lane of its own, so each model shows
    the headline it has on every other page.
    """
    card_a, card_b = board.models[a_slug], board.models[b_slug]
    a, b = _side(board, card_a, lane), _side(board, card_b, lane)
    overlap = overlap_share(
        board.standing(a_slug, lane).interval, board.standing(b_slug, lane).interval
    )
    results = scoring.head_to_head(
        board.standing(a_slug, lane).category_scores,
        board.standing(b_slug, lane).category_scores,
        board.scoring_categories,
    )
    benchmarks = board.scoring_benchmarks
    siblings = bool(card_a.family_slug) and card_a.family_slug == card_b.family_slug
    return Comparison(
        a=a,
        b=b,
        lane=lane,
        categories=results,
        category_names={slug: c.name for slug, c in board.categories.items()},
        benchmark_names={slug: bench.name for slug, bench in board.benchmarks.items()},
        wins=scoring.categories_won(results),
        swing=scoring.biggest_swing(a.values, b.values, benchmarks),
        category_swings={
            r.slug: scoring.biggest_swing(a.values, b.values, benchmarks, category=r.slug)
            for r in results
        },
        siblings=siblings,
        family=card_a.family if siblings else "",
        output_cost_ratio=pricing.output_cost_ratio(a.prices, b.prices),
        price_ratio=pricing.price_ratio(a.typical_cost, b.typical_cost),
        within_noise=overlap is not None and overlap >= NOISE_OVERLAP,
        estimated=tuple(
            c.slug
            for c in board.live_categories(lane)
            if c.slug in a.headline.estimated or c.slug in b.headline.estimated
        ),
    )


@dataclass(frozen=True, slots=True)
class BenchmarkRow:
    """One benchmark of the deep dive with its figures as printed, worked out once here rather
    than by filters in the template: a page at scale carries a row per benchmark."""

    slug: str
    name: str
    counted: bool
    a: ScoreCell | None
    b: ScoreCell | None
    a_text: str
    b_text: str
    difference_text: str  # "" where either side has no score
    leader: str | None  # "a", "b", or None for a level row or a missing side

    @classmethod
    def of(
        cls, slug: str, name: str, counted: bool, a: ScoreCell | None, b: ScoreCell | None
    ) -> BenchmarkRow:
        a_shown = None if a is None else formatting.figure_score(a.value)
        b_shown = None if b is None else formatting.figure_score(b.value)
        leader, difference_text = None, ""
        if a_shown is not None and b_shown is not None:
            difference_text = str(abs(a_shown - b_shown))
            if a_shown != b_shown:
                leader = "a" if a.value > b.value else "b"
        return cls(
            slug,
            name,
            counted,
            a,
            b,
            "" if a_shown is None else f"{a_shown}%",
            "" if b_shown is None else f"{b_shown}%",
            difference_text,
            leader,
        )


DEEP_DIVE_ROWS = 6  # benchmarks a category of the deep dive shows before "Show all"
RUN_COST_ROWS = 8  # benchmarks the table of costs per task shows before "Show all"


def most_telling[T](items: list[T], limit: int, priority: Callable[[T], tuple]) -> list[T]:
    """The ``limit`` items that come first by ``priority`` (ties: the list's order), kept in
    the list's order: what a long table shows before its "Show all" link."""
    if len(items) <= limit:
        return items
    order = {id(item): i for i, item in enumerate(items)}
    picked = sorted(items, key=lambda item: (*priority(item), order[id(item)]))[:limit]
    return sorted(picked, key=lambda item: order[id(item)])


@dataclass(frozen=True, slots=True)
class BenchmarkGroup:
    category: str
    name: str
    rows: list[BenchmarkRow]
    total: int  # benchmarks either model has in the category: more than ``rows`` when folded

    @property
    def folded(self) -> int:
        return self.total - len(self.rows)


def deep_dive(
    board: Board, a_slug: str, b_slug: str, unfold: str = "", limit: int = DEEP_DIVE_ROWS
) -> list[BenchmarkGroup]:
    """Every benchmark either model has, grouped by category in display order.

    A category with more than ``limit`` of them shows the ``limit`` that say most about the
    pair (counted benchmarks both models have, then counted ones either has, heaviest first),
    in display order, and how many there are; the category ``unfold`` shows them all. A page
    then costs the same whether the catalogue tracks fifteen benchmarks or a hundred and fifty,
    and a reader still sees the headline benchmarks of every category first."""
    board.load_cells([a_slug, b_slug])
    a_cells, b_cells = board.cells.get(a_slug, {}), board.cells.get(b_slug, {})
    groups = []
    for category in board.categories.values():
        found = [
            bench
            for bench in board.benchmarks.values()
            if bench.category == category.slug and (bench.slug in a_cells or bench.slug in b_cells)
        ]
        if not found:
            continue
        shown = found
        if category.slug != unfold:
            shown = most_telling(
                found,
                limit,
                lambda b: (not b.counted, not (b.slug in a_cells and b.slug in b_cells), -b.weight),
            )
        rows = [
            BenchmarkRow.of(
                bench.slug,
                bench.name,
                bench.counted,
                a_cells.get(bench.slug),
                b_cells.get(bench.slug),
            )
            for bench in shown
        ]
        groups.append(BenchmarkGroup(category.slug, category.name, rows, len(found)))
    return groups


@dataclass(frozen=True, slots=True)
class RunCostRow:
    """A benchmark both models have run with published tokens: each score beside what one of
    its tasks costs at today's prices."""

    slug: str
    name: str
    a_score: float
    b_score: float
    a: RunCostFigure
    b: RunCostFigure


def run_cost_rows(board: Board, a_slug: str, b_slug: str) -> list[RunCostRow]:
    """Every benchmark where both runs have a cost, in display order; [] when none has."""
    board.load_cells([a_slug, b_slug])
    a_cells, b_cells = board.cells.get(a_slug, {}), board.cells.get(b_slug, {})
    a_card, b_card = board.models[a_slug], board.models[b_slug]
    rows = []
    for bench in board.benchmarks.values():
        a_cell, b_cell = a_cells.get(bench.slug), b_cells.get(bench.slug)
        a_cost = run_cost_figure(a_card.prices, a_cell)
        b_cost = run_cost_figure(b_card.prices, b_cell)
        if a_cost is not None and b_cost is not None:
            rows.append(
                RunCostRow(bench.slug, bench.name, a_cell.value, b_cell.value, a_cost, b_cost)
            )
    order = {category: i for i, category in enumerate(board.categories)}
    rows.sort(key=lambda row: order.get(board.benchmarks[row.slug].category, len(order)))
    return rows


def telling_run_costs(
    board: Board, rows: list[RunCostRow], limit: int = RUN_COST_ROWS
) -> list[RunCostRow]:
    """The rows of the heaviest counted benchmarks, in display order: the page's table."""

    def priority(row: RunCostRow) -> tuple:
        bench = board.benchmarks[row.slug]
        return (not bench.counted, -bench.weight)

    return most_telling(rows, limit, priority)


@dataclass(frozen=True, slots=True)
class RelatedPair:
    a: str
    a_name: str
    b: str
    b_name: str
    reason: str  # "sibling", "score" or "price"


@dataclass(frozen=True, slots=True)
class _Order:
    """One figure of every model, sorted, with each model's place: its nearest neighbours are
    then found around that place, not by sorting the catalogue again."""

    values: tuple[float, ...]
    slugs: tuple[str, ...]
    index: dict[str, int]


def _order(figures: dict[str, float]) -> _Order:
    pairs = sorted((value, slug) for slug, value in figures.items())
    slugs = tuple(slug for _, slug in pairs)
    return _Order(tuple(v for v, _ in pairs), slugs, {slug: i for i, slug in enumerate(slugs)})


def _rival_orders(board: Board, lane: Lane) -> tuple[dict[str, list[str]], _Order, _Order]:
    """Families, overall order and cost order of the board, built once per board and lane."""
    key = ("rival-orders", lane)
    orders = board.presented.get(key)
    if orders is None:
        families: dict[str, list[str]] = {}
        for slug in sorted(board.models):
            if family := board.models[slug].family_slug:
                families.setdefault(family, []).append(slug)
        overall = {
            slug: s.overall for slug, s in board.standings[lane].items() if s.overall is not None
        }
        costs = {
            slug: math.log(cost)
            for slug, card in board.models.items()
            if (cost := pricing.request_cost(card.prices, TYPICAL_IN, TYPICAL_OUT)) is not None
            and cost > 0
        }
        orders = board.presented[key] = (families, _order(overall), _order(costs))
    return orders


def _nearest(order: _Order, anchor: str) -> Iterator[str]:
    """Every other slug by distance from ``anchor``'s value, ties by slug: walks outwards from
    the anchor's place, a block of equal values at a time, so taking the first few is cheap."""
    here = order.index[anchor]
    centre = order.values[here]
    low, high = here - 1, here + 1
    values, slugs = order.values, order.slugs
    while low >= 0 or high < len(values):
        down = centre - values[low] if low >= 0 else math.inf
        up = values[high] - centre if high < len(values) else math.inf
        distance = min(down, up)
        block = []
        while low >= 0 and centre - values[low] == distance:
            block.append(slugs[low])
            low -= 1
        while high < len(values) and values[high] - centre == distance:
            block.append(slugs[high])
            high += 1
        yield from sorted(block)


def rivals(
    board: Board, anchor: str, lane: Lane = Lane.PROVISIONAL, per_reason: int | None = None
) -> Iterator[tuple[str, str]]:
    """Models worth comparing with ``anchor``, best first within each reason.

    Yields (slug, reason): siblings in its family, then the nearest by overall score, then the
    nearest by typical request cost (on a log scale: $0.001 and $0.002 are as far apart as $1
    and $2). A slug may come up under several reasons; callers keep the first. The orders are
    built once per board, so taking the first few rivals costs the same at any catalogue size;
    ``per_reason`` stops each reason after that many.
    """
    families, overall, costs = _rival_orders(board, lane)
    family = board.models[anchor].family_slug
    siblings = (slug for slug in families.get(family, []) if slug != anchor) if family else ()
    for slug in islice(siblings, per_reason):
        yield slug, "sibling"
    for order, reason in ((overall, "score"), (costs, "price")):
        if anchor in order.index:
            for slug in islice(_nearest(order, anchor), per_reason):
                yield slug, reason


def related_pairs(
    board: Board, a_slug: str, b_slug: str, lane: Lane, per_kind: int = 3
) -> list[RelatedPair]:
    """Pairs that keep one of the two models and swap the other, so a reader moves one step at
    a time: up to ``per_kind`` per anchor and reason, no pair twice."""
    seen = {frozenset((a_slug, b_slug))}
    pairs: list[RelatedPair] = []
    for anchor in (a_slug, b_slug):
        taken: dict[str, int] = {}
        # One more per reason than kept: only the pair itself can be skipped within a reason.
        for other, reason in rivals(board, anchor, lane, per_kind + 1):
            key = frozenset((anchor, other))
            if key in seen or taken.get(reason, 0) >= per_kind:
                continue
            seen.add(key)
            taken[reason] = taken.get(reason, 0) + 1
            first, second = sorted((anchor, other))
            pairs.append(
                RelatedPair(
                    first, board.models[first].name, second, board.models[second].name, reason
                )
            )
    return pairs


def compare_with(board: Board, anchor: str, lane: Lane, limit: int = 6) -> list[tuple[str, str]]:
    """The model page's "compare with" links: (slug, reason), each model once."""
    chosen: dict[str, str] = {}
    per_reason: dict[str, int] = {}
    # A reason can skip at most the ``limit`` models already chosen under the reasons before it.
    for slug, reason in rivals(board, anchor, lane, 3 + limit):
        if slug in chosen or per_reason.get(reason, 0) >= 3:
            continue
        chosen[slug] = reason
        per_reason[reason] = per_reason.get(reason, 0) + 1
        if len(chosen) >= limit:
            break
    return list(chosen.items())
