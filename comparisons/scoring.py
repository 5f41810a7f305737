"""How benchmark scores become category scores, overall scores, lanes and ranks.

Pure functions over frozen dataclasses: no ORM, no I/O. Every score is a percentage 0-100,
higher is better. The rules are the ones /methodology/ explains to readers:

* A benchmark with weight 0 is shown but not counted (saturated or legacy tests such as MMLU).
* A category score is the weighted mean of a model's counted scores in that category, and only
  exists when those benchmarks carry at least ``share`` of the category's counted weight, so one
  easy benchmark cannot stand for a whole category.
* The overall score is the mean of category scores weighted by category weight; coverage says
  how much of the total category weight it rests on.
* The verified lane uses editor-checked scores only, the provisional lane every score. A model is
  ranked in a lane once it has enough counted benchmarks across enough categories.
* Figures that print the same at one decimal are equal: they share a rank or tie a category.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from comparisons.formatting import half_up


class Lane(StrEnum):
    VERIFIED = "verified"
    PROVISIONAL = "provisional"


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    name: str
    weight: float  # share of the overall score, relative to the other categories' weights
    order: int = 0  # display order


@dataclass(frozen=True, slots=True)
class Benchmark:
    slug: str
    name: str
    category: str  # category slug
    weight: float  # share within its category; 0 = shown, not counted

    @property
    def counted(self) -> bool:
        """Whether this benchmark feeds category and overall scores (weight above 0)."""
        return self.weight > 0


@dataclass(frozen=True, slots=True)
class Score:
    model: str  # model slug
    benchmark: str  # benchmark slug
    value: float  # percent, 0-100, higher is better
    verified: bool = False  # checked by an editor against its source


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Methodology settings an editor can change in the admin."""

    category_share: float = 0.5  # least share of a category's counted weight a model must cover
    min_benchmarks: int = 4  # counted benchmarks needed to be ranked in a lane
    min_categories: int = 2  # distinct categories those benchmarks must span


@dataclass(frozen=True, slots=True)
class Standing:
    """One model's figures in one lane. All scores are unrounded; round only for display."""

    model: str
    lane: Lane
    category_scores: dict[str, float]  # category slug -> weighted mean; passing categories only
    overall: float | None  # None when the model has no category score
    coverage: float  # 0..1: category weight scored / category weight that could be scored
    counted_benchmarks: int  # scores in this lane on benchmarks with weight > 0
    counted_categories: int  # distinct categories among those
    eligible: bool  # enough counted benchmarks and categories to be ranked
    rank: int | None = None  # set by rank_standings; None when not ranked


@dataclass(frozen=True, slots=True)
class CategoryResult:
    """One shared category on a comparison page; ``a``/``b`` are the unrounded scores."""

    slug: str
    a: float
    b: float
    difference: float  # absolute gap between the displayed (one-decimal) scores
    winner: Literal["a", "b"] | None  # None when both display the same


@dataclass(frozen=True, slots=True)
class Swing:
    """The benchmark where two models are furthest apart (raw scores, absolute gap)."""

    benchmark: str
    a: float
    b: float
    difference: float


def round1(x: float) -> float:
    """``x`` as displayed with one decimal, half-up (64.25 -> 64.3), free of float artefacts."""
    return float(half_up(x, 1))


def lane_scores(scores: Iterable[Score], lane: Lane) -> list[Score]:
    """The scores a lane may use: verified ones only in the verified lane, all otherwise."""
    if lane == Lane.VERIFIED:
        return [s for s in scores if s.verified]
    return list(scores)


def category_score(
    values: Mapping[str, float],
    benchmarks: Iterable[Benchmark],
    category: str,
    share: float,
) -> float | None:
    """A model's score in one category: the weight-weighted mean of its counted benchmark scores.

    ``values`` maps benchmark slug to the model's score. None when the category has no counted
    weight, or when the benchmarks the model has carry less than ``share`` of it (exactly the
    share is enough: one of two equally weighted benchmarks passes at 0.5).
    """
    counted = [b for b in benchmarks if b.category == category and b.counted]
    total = sum(b.weight for b in counted)
    present = [b for b in counted if b.slug in values]
    covered = sum(b.weight for b in present)
    if total <= 0 or covered <= 0:
        return None
    needed = share * total
    if covered < needed and not math.isclose(covered, needed):
        return None
    return sum(b.weight * values[b.slug] for b in present) / covered


def standing(
    model: str,
    scores: Iterable[Score],
    categories: Sequence[Category],
    benchmarks: Sequence[Benchmark],
    thresholds: Thresholds,
    lane: Lane,
) -> Standing:
    """The model's category scores, overall, coverage and eligibility in ``lane``; unranked.

    ``scores`` may hold other models' scores; only ``model``'s are used, and of those only the
    ones the lane allows. Scores on unknown benchmarks are ignored; if a benchmark appears twice
    the last score wins.
    """
    by_slug = {b.slug: b for b in benchmarks}
    values = {
        s.benchmark: s.value
        for s in lane_scores(scores, lane)
        if s.model == model and s.benchmark in by_slug
    }
    counted = [by_slug[slug] for slug in values if by_slug[slug].counted]

    category_scores: dict[str, float] = {}
    for cat in categories:
        value = category_score(values, benchmarks, cat.slug, thresholds.category_share)
        if value is not None:
            category_scores[cat.slug] = value

    scored = [c for c in categories if c.slug in category_scores and c.weight > 0]
    scored_weight = sum(c.weight for c in scored)
    overall = (
        sum(c.weight * category_scores[c.slug] for c in scored) / scored_weight
        if scored_weight > 0
        else None
    )

    scorable = {b.category for b in benchmarks if b.counted}
    possible_weight = sum(c.weight for c in categories if c.slug in scorable)
    coverage = scored_weight / possible_weight if possible_weight > 0 else 0.0

    counted_categories = len({b.category for b in counted})
    return Standing(
        model=model,
        lane=lane,
        category_scores=category_scores,
        overall=overall,
        coverage=coverage,
        counted_benchmarks=len(counted),
        counted_categories=counted_categories,
        eligible=(
            len(counted) >= thresholds.min_benchmarks
            and counted_categories >= thresholds.min_categories
        ),
    )


def rank_standings(standings: Iterable[Standing]) -> dict[str, Standing]:
    """Copies of ``standings`` with competition ranks (1, 2, 2, 4), keyed by model slug.

    Only eligible standings with an overall score are ranked, by overall descending; overalls equal
    at one decimal share a rank. The dict iterates in leaderboard order: ranked models first, then
    the unranked ones by overall (missing last); equal values fall back to the model slug.
    """
    items = sorted(standings, key=lambda s: (s.overall is None, -(s.overall or 0.0), s.model))
    ranked: dict[str, Standing] = {}
    previous: Decimal | None = None
    rank = position = 0
    for s in items:
        if not s.eligible or s.overall is None:
            continue
        position += 1
        shown = half_up(s.overall, 1)
        if shown != previous:
            rank, previous = position, shown
        ranked[s.model] = replace(s, rank=rank)
    for s in items:
        if s.model not in ranked:
            ranked[s.model] = replace(s, rank=None)
    return ranked


def score_lane(
    models: Iterable[str],
    scores: Iterable[Score],
    categories: Sequence[Category],
    benchmarks: Sequence[Benchmark],
    thresholds: Thresholds,
    lane: Lane,
) -> dict[str, Standing]:
    """Every model's ranked standing in ``lane`` (models without scores included, unranked)."""
    by_model: dict[str, list[Score]] = defaultdict(list)
    for s in lane_scores(scores, lane):
        by_model[s.model].append(s)
    standings = [
        standing(m, by_model.get(m, []), categories, benchmarks, thresholds, lane)
        for m in dict.fromkeys(models)
    ]
    return rank_standings(standings)


def comparison_lane(a_verified: Standing, b_verified: Standing) -> Lane:
    """The lane a comparison page uses: verified when both models are ranked there."""
    both_ranked = all(
        s.lane == Lane.VERIFIED and s.rank is not None for s in (a_verified, b_verified)
    )
    return Lane.VERIFIED if both_ranked else Lane.PROVISIONAL


def head_to_head(a: Standing, b: Standing, categories: Sequence[Category]) -> list[CategoryResult]:
    """Per category both models have a score for, both scores, the gap and who wins it.

    The gap and the winner come from the one-decimal figures the reader sees, so "64.2 vs 50.3"
    is "+13.9" and 88.54 vs 88.46 (both "88.5") is a tie.
    """
    results = []
    for cat in sorted(categories, key=lambda c: (c.order, c.slug)):
        if cat.slug not in a.category_scores or cat.slug not in b.category_scores:
            continue
        a_value, b_value = a.category_scores[cat.slug], b.category_scores[cat.slug]
        a_shown, b_shown = half_up(a_value, 1), half_up(b_value, 1)
        winner: Literal["a", "b"] | None = None
        if a_shown != b_shown:
            winner = "a" if a_shown > b_shown else "b"
        results.append(
            CategoryResult(
                slug=cat.slug,
                a=a_value,
                b=b_value,
                difference=float(abs(a_shown - b_shown)),
                winner=winner,
            )
        )
    return results


def categories_won(results: Iterable[CategoryResult]) -> tuple[int, int]:
    """How many categories each side wins (a, b); ties count for neither."""
    won = [r.winner for r in results]
    return won.count("a"), won.count("b")


def biggest_swing(
    a_values: Mapping[str, float],
    b_values: Mapping[str, float],
    benchmarks: Sequence[Benchmark],
    category: str | None = None,
) -> Swing | None:
    """The shared benchmark with the largest absolute score difference ("the most daylight").

    Weight-0 benchmarks take part: they are shown on the page even though they are not counted.
    With ``category``, only that category's benchmarks. Equal gaps go to the benchmark listed first
    in ``benchmarks``. None when the models share no benchmark.
    """
    best: Swing | None = None
    best_gap = Decimal(-1)
    for bench in benchmarks:
        if category is not None and bench.category != category:
            continue
        if bench.slug not in a_values or bench.slug not in b_values:
            continue
        a_value, b_value = a_values[bench.slug], b_values[bench.slug]
        # Compare exact decimals: 64.2 - 50.3 is 13.9 here, not 13.900000000000006.
        gap = abs(Decimal(str(a_value)) - Decimal(str(b_value)))
        if gap > best_gap:
            best_gap = gap
            best = Swing(bench.slug, a_value, b_value, float(half_up(gap, 1)))
    return best
