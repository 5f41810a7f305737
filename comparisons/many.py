"""Three to six models side by side, as plain data: the matrix of the "compare many" page.

``build_many`` reads a scoreboard (no ORM) and returns a ``ManyComparison``: one row per figure
(overall, rank, every category, every benchmark at least two of the models have, prices, typical
request costs, speed, latency, context), each cell the figure exactly as the pair pages print it,
and the best cell of each row marked. The page, its JSON twin and the radar all read it.

How a set is written in a URL is ``comparisons.model_set``'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import combinations
from typing import Literal

from comparisons import pricing, scoring
from comparisons.formatting import (
    NO_SCORE,
    figure_context,
    figure_cost,
    figure_latency,
    figure_price,
    figure_score,
    figure_speed,
    format_context,
    format_cost,
    format_latency,
    format_price,
    format_speed,
)
from comparisons.presenter import Headline, present
from comparisons.scoreboard import Board, ModelCard
from comparisons.scoring import Lane

Better = Literal["higher", "lower"]


def mark_best(figures: Sequence[Decimal | None], better: Better) -> tuple[bool, ...]:
    """Which figures of a row are the best: every one equal to the top figure (ties share it).

    Unknown figures never win. Nothing is marked when fewer than two figures are known (a best
    of one says nothing) or when every known figure is the same (the row is level). Figures are
    the rounded ones the page prints, so two cells that read the same are a tie.
    """
    known = [f for f in figures if f is not None]
    if len(known) < 2:
        return tuple(False for _ in figures)
    top = max(known) if better == "higher" else min(known)
    if all(f == top for f in known):
        return tuple(False for _ in figures)
    return tuple(f is not None and f == top for f in figures)


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # as printed: "64.2", "≈58.0", "$0.4", "1M", "—"
    figure: Decimal | None  # the rounded figure behind the text; None when unknown
    best: bool = False
    estimated: bool = False  # an estimated category figure: shown, never best


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # "overall", "category:coding", "benchmark:gpqa-diamond", "price:input" …
    label: str
    unit: str  # of the figures: "score", "rank", "usd", "usd_per_million_tokens" …
    better: Better
    cells: tuple[Cell, ...]  # one per model, in the set's order
    note: str = ""  # "not counted", "estimated where ≈"
    href: str = ""  # a benchmark's or category's slug, for the page to link

    @property
    def kind(self) -> str:
        """What the row's label names: "category", "benchmark", "price", "cost" or the key."""
        return self.key.partition(":")[0]

    @property
    def leaders(self) -> tuple[int, ...]:
        """Positions of the best cells."""
        return tuple(i for i, cell in enumerate(self.cells) if cell.best)


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # "headline", "categories", "benchmarks:<category>", "prices", "costs", "operations"
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Member:
    slug: str
    name: str
    provider: str
    headline: Headline
    category_scores: dict[str, float]  # measured, unrounded: the radar's values
    estimated_scores: dict[str, float]  # the fit's estimates where nothing is measured
    last_updated: datetime


@dataclass(frozen=True, slots=True)
class PairResult:
    """Two members of the set head to head: categories won by each, as on their pair page."""

    a: str
    b: str
    a_wins: int
    b_wins: int
    shared: int  # categories measured for both


@dataclass(frozen=True, slots=True)
class ManyComparison:
    lane: Lane
    members: tuple[Member, ...]
    sections: tuple[Section, ...]
    radar_axes: tuple[tuple[str, str], ...]  # live categories with a figure for every member
    pairs: tuple[PairResult, ...]  # every pair of the set, in set order

    @property
    def slugs(self) -> list[str]:
        return [m.slug for m in self.members]

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.members]

    @property
    def last_updated(self) -> datetime:
        return max(m.last_updated for m in self.members)

    def best_counts(self) -> tuple[int, ...]:
        """Rows each member leads (ties count for every leader)."""
        counts = [0] * len(self.members)
        for section in self.sections:
            for row in section.rows:
                for i in row.leaders:
                    counts[i] += 1
        return tuple(counts)


def _row(
    key: str,
    label: str,
    unit: str,
    better: Better,
    figures: Sequence[Decimal | None],
    show: Callable[[Decimal | None], str],
    *,
    note: str = "",
    href: str = "",
) -> Row:
    marks = mark_best(figures, better)
    cells = tuple(Cell(show(f), f, best) for f, best in zip(figures, marks, strict=True))
    return Row(key, label, unit, better, cells, note, href)


def _text(value: Decimal | None) -> str:
    return NO_SCORE if value is None else str(value)


def _rank_text(value: Decimal | None) -> str:
    return "not ranked" if value is None else f"#{value}"


def _category_row(slug: str, name: str, headlines: Sequence[Headline]) -> Row:
    """Measured figures compete for best; an estimate is shown (≈) but never wins."""
    measured = [h.measured.get(slug) for h in headlines]
    marks = mark_best([f.value if f else None for f in measured], "higher")
    cells = []
    for h, figure, best in zip(headlines, measured, marks, strict=True):
        if figure is not None:
            cells.append(Cell(figure.text, figure.value, best))
        elif (estimate := h.estimated.get(slug)) is not None:
            cells.append(Cell(estimate.text, estimate.value, False, estimated=True))
        else:
            cells.append(Cell(NO_SCORE, None))
    estimated = any(c.estimated for c in cells)
    note = "≈ estimated" if estimated else ""
    return Row(f"category:{slug}", name, "score", "higher", tuple(cells), note, slug)


def _benchmark_sections(board: Board, slugs: Sequence[str]) -> list[Section]:
    """Every benchmark at least two of the models have, grouped by category in display order."""
    board.load_cells(list(slugs))
    cells = [board.cells.get(slug, {}) for slug in slugs]
    sections = []
    for category in board.categories.values():
        rows = []
        for bench in board.benchmarks.values():
            if bench.category != category.slug:
                continue
            found = [c.get(bench.slug) for c in cells]
            if sum(cell is not None for cell in found) < 2:
                continue
            figures = [figure_score(cell.value) if cell else None for cell in found]
            rows.append(
                _row(
                    f"benchmark:{bench.slug}",
                    bench.name,
                    "score",
                    "higher",
                    figures,
                    _text,
                    note="" if bench.counted else "shown, not counted",
                    href=bench.slug,
                )
            )
        if rows:
            sections.append(
                Section(f"benchmarks:{category.slug}", f"{category.name} benchmarks", tuple(rows))
            )
    return sections


def _cells(
    raw: Sequence, figure: Callable, show: Callable[..., str], better: Better
) -> tuple[Cell, ...]:
    """Cells of raw values: each rounded once by ``figure``, printed by ``show``."""
    figures = [figure(v) for v in raw]
    marks = mark_best(figures, better)
    return tuple(Cell(show(v), f, b) for v, f, b in zip(raw, figures, marks, strict=True))


def _prices_section(cards: Sequence[ModelCard]) -> Section:
    def price_row(key: str, label: str, get: Callable[[pricing.Prices], float | None]) -> Row:
        raw = [get(card.prices) for card in cards]
        return Row(
            f"price:{key}",
            label,
            "usd_per_million_tokens",
            "lower",
            _cells(raw, figure_price, format_price, "lower"),
        )

    return Section(
        "prices",
        "Price per 1M tokens",
        (
            price_row("input", "Input", lambda p: p.input),
            price_row("output", "Output", lambda p: p.output),
            price_row("cached_input", "Cached input", lambda p: p.cached_input),
        ),
    )


def _costs_section(cards: Sequence[ModelCard]) -> Section:
    rows = []
    for shape in pricing.TYPICAL_REQUESTS:
        costs = [
            pricing.request_cost(card.prices, shape.input_tokens, shape.output_tokens)
            for card in cards
        ]
        label = (
            f"{shape.name.capitalize()} request "
            f"({shape.input_tokens:,} in / {shape.output_tokens:,} out)"
        )
        cells = _cells(costs, figure_cost, format_cost, "lower")
        rows.append(Row(f"cost:{shape.name}", label, "usd", "lower", cells))
    return Section("costs", "Typical request cost", tuple(rows))


def _operations_section(cards: Sequence[ModelCard]) -> Section:
    speed = [card.output_speed for card in cards]
    ttft = [card.ttft for card in cards]
    context = [card.context_window for card in cards]
    return Section(
        "operations",
        "Speed and context",
        (
            Row(
                "speed",
                "Output speed",
                "tokens_per_second",
                "higher",
                _cells(speed, figure_speed, format_speed, "higher"),
            ),
            Row(
                "latency",
                "Latency (time to first token)",
                "seconds",
                "lower",
                _cells(ttft, figure_latency, format_latency, "lower"),
            ),
            Row(
                "context",
                "Context window",
                "thousand_tokens",
                "higher",
                _cells(context, figure_context, format_context, "higher"),
            ),
        ),
    )


def _pairs(board: Board, slugs: Sequence[str], lane: Lane) -> tuple[PairResult, ...]:
    results = []
    for a, b in combinations(slugs, 2):
        found = scoring.head_to_head(
            board.standing(a, lane).category_scores,
            board.standing(b, lane).category_scores,
            board.scoring_categories,
        )
        a_wins, b_wins = scoring.categories_won(found)
        results.append(PairResult(a, b, a_wins, b_wins, len(found)))
    return tuple(results)


def build_many(board: Board, slugs: Sequence[str], lane: Lane) -> ManyComparison:
    """The matrix of ``slugs`` (distinct, on the board) in ``lane``, columns in the given order.

    The caller checks the set's size and turns unknown slugs into a 404.
    """
    cards = [board.models[slug] for slug in slugs]
    headlines = [present(board, lane, slug) for slug in slugs]
    members = tuple(
        Member(
            card.slug,
            card.name,
            card.provider,
            headline,
            dict(board.standing(card.slug, lane).category_scores),
            dict(board.standing(card.slug, lane).estimated),
            card.last_updated,
        )
        for card, headline in zip(cards, headlines, strict=True)
    )
    headline_rows = (
        _row("overall", "Overall score", "score", "higher", [h.overall for h in headlines], _text),
        _row(
            "rank",
            "Rank",
            "rank",
            "lower",
            [None if h.rank is None else Decimal(h.rank) for h in headlines],
            _rank_text,
        ),
    )
    live = board.live_categories(lane)
    categories = tuple(_category_row(c.slug, c.name, headlines) for c in live)
    radar_axes = tuple(
        (c.slug, c.name)
        for c in live
        if all(c.slug in m.category_scores or c.slug in m.estimated_scores for m in members)
    )
    sections = (
        Section("headline", "Overall", headline_rows),
        Section("categories", "Categories", categories),
        *_benchmark_sections(board, slugs),
        _prices_section(cards),
        _costs_section(cards),
        _operations_section(cards),
    )
    return ManyComparison(
        lane=lane,
        members=members,
        sections=tuple(s for s in sections if s.rows),
        radar_axes=radar_axes,
        pairs=_pairs(board, slugs, lane),
    )
