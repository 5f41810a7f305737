"""What a reader sees of a model's standing, in the lane they chose: rounded once, here.

The scoreboard computes unrounded figures; every page, fragment, chart, feed, CSV and API
response reads a model's headline (overall, interval, rank, rank range, coverage, category
scores measured and estimated) through ``present``. A figure is rounded by one function of
``comparisons.formatting`` and kept as the Decimal the page prints, so two places cannot show two
numbers for one model.

Figures are built per model on demand and memoised on the board (one board per data version), so
a page that shows two models touches two models, whatever the size of the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from comparisons import asof, runcost
from comparisons.formatting import (
    NO_SCORE,
    NOT_AVAILABLE,
    as_number,
    figure_cost,
    figure_overall,
    figure_percent,
    figure_score,
    format_cost,
    format_score,
    format_tokens,
)
from comparisons.scoring import Lane

if TYPE_CHECKING:
    from comparisons.pricing import Prices
    from comparisons.scoreboard import Board, ScoreCell

DASH = "\N{EN DASH}"
ESTIMATE_MARK = "\N{ALMOST EQUAL TO}"  # "≈64.3": an estimate, never a measurement


def reader_lane(value: str | None) -> Lane:
    """The lane a reader asked for (``?lane=verified``); provisional otherwise, as BenchLM."""
    return Lane.VERIFIED if value == Lane.VERIFIED else Lane.PROVISIONAL


def lane_query(lane: Lane) -> str:
    """The query string that keeps ``lane`` in a link, and the past day a page shows
    (``?as_of=``, see ``comparisons.asof``); the default lane on today's page needs none."""
    parts = ["lane=verified"] if lane == Lane.VERIFIED else []
    if day := asof.query(asof.current_day.get()):
        parts.append(day)
    return f"?{'&'.join(parts)}" if parts else ""


@dataclass(frozen=True, slots=True)
class CategoryFigure:
    slug: str
    name: str
    value: Decimal  # one decimal
    estimated: bool

    @property
    def text(self) -> str:
        return f"{ESTIMATE_MARK}{self.value}" if self.estimated else str(self.value)


@dataclass(frozen=True, slots=True)
class Headline:
    """One model's displayed figures in one lane."""

    slug: str
    lane: Lane
    overall: Decimal | None  # whole number
    low: Decimal | None  # 90 % interval, whole numbers
    high: Decimal | None
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    ranked_total: int
    coverage: Decimal  # whole percent of live category weight measured
    measured: dict[str, CategoryFigure]  # category slug -> measured average
    estimated: dict[str, CategoryFigure]  # live categories the overall estimates
    measured_categories: int
    live_categories: int
    reason: str  # why the model is not ranked; "" when it is

    @property
    def ranked(self) -> bool:
        return self.rank is not None

    @property
    def overall_text(self) -> str:
        return NO_SCORE if self.overall is None else str(self.overall)

    @property
    def interval_text(self) -> str:
        """The interval, "52-61" with an en dash; "" when there is no overall."""
        if self.low is None or self.high is None:
            return ""
        return f"{self.low}{DASH}{self.high}"

    @property
    def rank_range_text(self) -> str:
        """The rank range, "3-7" with an en dash, or "3" when the bootstrap never moves it."""
        if self.rank is None:
            return ""
        if self.rank_low == self.rank_high:
            return str(self.rank)
        return f"{self.rank_low}{DASH}{self.rank_high}"

    @property
    def rank_spread(self) -> bool:
        """Whether the bootstrap moves the rank, so that the range is worth printing."""
        return self.rank is not None and self.rank_low != self.rank_high

    @property
    def coverage_text(self) -> str:
        return f"{self.coverage}%"

    @property
    def partly_estimated(self) -> bool:
        return bool(self.estimated)

    def category(self, slug: str) -> CategoryFigure | None:
        """The figure a category column shows: measured, else estimated, else None."""
        return self.measured.get(slug) or self.estimated.get(slug)

    def as_data(self) -> dict:
        """The headline for JSON and CSV, number for number what the pages print."""
        return {
            "overall": as_number(self.overall),
            "overall_interval": None
            if self.low is None
            else [as_number(self.low), as_number(self.high)],
            "lane": self.lane.value,
            "rank": self.rank,
            "rank_range": None if self.rank is None else [self.rank_low, self.rank_high],
            "coverage": as_number(self.coverage),
            "category_scores": {k: as_number(f.value) for k, f in self.measured.items()},
            "estimated_category_scores": {k: as_number(f.value) for k, f in self.estimated.items()},
            "unranked_reason": self.reason or None,
        }


def _reason(board: Board, lane: Lane, measured: int, live: int, coverage: Decimal) -> str:
    needed = figure_percent(board.thresholds.ranking_coverage * 100)
    if measured == 0:
        return "No measured category score in this lane"
    return (
        f"Scores in {measured} of {live} categories ({coverage}% of the weight; "
        f"ranking needs {needed}%)"
    )


def present(board: Board, lane: Lane, slug: str) -> Headline:
    """``slug``'s headline in ``lane``; the model must be on the board."""
    memo = board.presented.setdefault(lane, {})
    headline = memo.get(slug)
    if headline is None:
        headline = memo[slug] = _build(board, lane, slug)
    return headline


def _build(board: Board, lane: Lane, slug: str) -> Headline:
    s = board.standing(slug, lane)
    names = {c.slug: c.name for c in board.categories.values()}
    measured = {
        k: CategoryFigure(k, names.get(k, k), figure_score(v), False)
        for k, v in s.category_scores.items()
    }
    estimated = {
        k: CategoryFigure(k, names.get(k, k), figure_score(v), True) for k, v in s.estimated.items()
    }
    coverage = figure_percent(s.coverage * 100)
    low, high = s.interval if s.interval else (None, None)
    return Headline(
        slug=slug,
        lane=lane,
        overall=figure_overall(s.overall),
        low=figure_overall(low),
        high=figure_overall(high),
        rank=s.rank,
        rank_low=s.rank_range[0] if s.rank_range else None,
        rank_high=s.rank_range[1] if s.rank_range else None,
        ranked_total=board.ranked_count(lane),
        coverage=coverage,
        measured=measured,
        estimated=estimated,
        measured_categories=s.measured_categories,
        live_categories=s.live_categories,
        reason=""
        if s.rank is not None
        else _reason(board, lane, s.measured_categories, s.live_categories, coverage),
    )


def thresholds(board: Board) -> dict[str, Decimal]:
    """The methodology settings in force, as whole percentages for the pages that explain them."""
    return {
        "category_share": figure_percent(board.thresholds.category_share * 100),
        "ranking_coverage": figure_percent(board.thresholds.ranking_coverage * 100),
    }


@dataclass(frozen=True, slots=True)
class RunCostFigure:
    """What one benchmark run costs at today's prices, as shown: rounded once, always an
    estimate ("≈$12.30")."""

    total: Decimal
    per_task: Decimal | None
    total_text: str
    per_task_text: str  # "N/A" when the run's task count is not published
    input_tokens: int
    output_tokens: int
    tasks: int | None

    @property
    def tokens_text(self) -> str:
        """ "12.3M in / 45.6M out": the run's tokens as published."""
        return f"{format_tokens(self.input_tokens)} in / {format_tokens(self.output_tokens)} out"

    def as_data(self) -> dict:
        return {
            "run_input_tokens": self.input_tokens,
            "run_output_tokens": self.output_tokens,
            "run_tasks": self.tasks,
            "run_cost": as_number(self.total),
            "run_cost_per_task": as_number(self.per_task),
            "run_cost_estimated": True,
        }


NO_RUN_COST = {
    "run_input_tokens": None,
    "run_output_tokens": None,
    "run_tasks": None,
    "run_cost": None,
    "run_cost_per_task": None,
    "run_cost_estimated": None,
}


def run_cost_data(figure: RunCostFigure | None, cell: ScoreCell) -> dict:
    """A score's run figures for JSON: the published tokens even when no price prices them."""
    if figure is not None:
        return figure.as_data()
    return {
        **NO_RUN_COST,
        "run_input_tokens": cell.run_input_tokens,
        "run_output_tokens": cell.run_output_tokens,
        "run_tasks": cell.run_tasks,
    }


def run_cost_figure(prices: Prices, cell: ScoreCell | None) -> RunCostFigure | None:
    """The cost of ``cell``'s evaluation run at the model's current list ``prices``; None when
    the run's tokens or the prices it needs are unknown."""
    if cell is None:
        return None
    tokens = runcost.run_tokens(cell.run_input_tokens, cell.run_output_tokens, cell.run_tasks)
    cost = runcost.run_cost(prices, tokens)
    if cost is None:
        return None
    return RunCostFigure(
        total=figure_cost(cost.total),
        per_task=figure_cost(cost.per_task),
        total_text=f"{ESTIMATE_MARK}{format_cost(cost.total)}",
        per_task_text=NOT_AVAILABLE
        if cost.per_task is None
        else f"{ESTIMATE_MARK}{format_cost(cost.per_task)}",
        input_tokens=cost.tokens.input_tokens,
        output_tokens=cost.tokens.output_tokens,
        tasks=cost.tokens.tasks,
    )


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One published score as a table row prints it: formatted here, once, rather than by
    filters in the template (a model's page at scale carries a row per benchmark)."""

    value_text: str  # "64.3%"
    verified_text: str  # "Verified" or "Unverified"
    as_of_text: str  # "2025-08-07", or "—" when the source gives no date
    source_url: str
    note: str
    run_cost: RunCostFigure | None


def score_line(cell: ScoreCell, prices: Prices) -> ScoreLine:
    return ScoreLine(
        value_text=f"{format_score(cell.value)}%",
        verified_text="Verified" if cell.verified else "Unverified",
        as_of_text=NO_SCORE if cell.as_of is None else cell.as_of.isoformat(),
        source_url=cell.source_url,
        note=cell.note,
        run_cost=run_cost_figure(prices, cell),
    )
