"""How benchmark scores become category scores, overall scores, lanes and ranks.

Pure functions over frozen dataclasses: no ORM, no I/O. Every score is a percentage 0-100,
higher is better. The rules are the ones /methodology/ explains to readers:

* A benchmark with weight 0 is shown but not counted (saturated or legacy tests such as MMLU).
* A category score is the weighted mean of a model's counted scores in that category, and only
  exists when those benchmarks carry at least ``share`` of the category's counted weight, so one
  easy benchmark cannot stand for a whole category.
* A category is live when it has weight and a counted benchmark with a score in the lane; only
  live categories carry weight anywhere.
* The overall score is the mean over every live category weighted by category weight: the
  measured category score where there is one, otherwise an estimate from the model's other
  counted scores through a fitted capability model (``comparisons.capability``). Estimates are
  kept apart from measurements so no page can show one as the other. Coverage is the share of
  live category weight the model has measured scores for.
* Every overall carries a 90 % interval from a bootstrap over benchmarks, and every rank the
  range of ranks over the same bootstrap.
* The verified lane uses editor-checked scores only, the provisional lane every score. A model is
  ranked in a lane when its coverage reaches ``Thresholds.ranking_coverage``; unranked models
  follow the ranked ones, never interleaved.
* Figures that print the same are equal: categories tie at one decimal, overalls share a rank
  when they print the same whole number.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Literal

import numpy as np

from comparisons import capability
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
    ranking_coverage: float = 0.5  # least share of live category weight measured to be ranked


@dataclass(frozen=True, slots=True)
class Standing:
    """One model's figures in one lane. All scores are unrounded; round only for display."""

    model: str
    lane: Lane
    category_scores: dict[str, float]  # category slug -> measured weighted mean; passing only
    estimated: dict[str, float]  # live categories without a measured score -> the fit's estimate
    overall: float | None  # over every live category; None without any counted score
    interval: tuple[float, float] | None  # 90 % bootstrap interval of the overall
    coverage: float  # 0..1: live category weight measured / all live category weight
    measured_categories: int  # live categories with a measured score
    live_categories: int  # categories that carry weight in this lane
    counted_benchmarks: int  # scores in this lane on benchmarks with weight > 0
    eligible: bool  # coverage reaches the ranking threshold
    rank: int | None = None  # None when not ranked
    rank_range: tuple[int, int] | None = None  # 5th-95th percentile rank over the bootstrap


@dataclass(frozen=True, slots=True)
class FitReport:
    """How well the estimate predicts what was measured, and what it cost: for /methodology/."""

    loo_mae: float | None  # mean absolute error of hidden category scores, in points
    loo_within5: float | None  # share of those predicted within 5 points, 0..1
    loo_cells: int  # measured category scores checked
    estimated_categories: int  # category figures in the overall that are estimates
    measured_categories: int  # category figures in the overall that are measurements
    seconds: float  # time to fit, bootstrap and validate this lane


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


@dataclass(frozen=True, slots=True)
class LaneFit:
    """One lane's fit as the next version needs it: to warm-start a full refit, to update a few
    models' figures after an edit, and to run the leave-one-out check in the background."""

    models: tuple[str, ...]
    items: tuple[str, ...]  # counted benchmarks, in the fit's order
    categories: tuple[Category, ...]
    thresholds: Thresholds
    lane: Lane
    obs: capability.Observations
    layout: capability.Layout
    point: capability.Fit
    estimate: capability.Estimate
    eligible: np.ndarray  # per model: ranked
    ranks: np.ndarray  # samples x models: each replicate's competition ranks
    rank_low: np.ndarray  # per model: 5th percentile rank (0 when not ranked)
    rank_high: np.ndarray  # per model: 95th percentile rank


@dataclass(frozen=True, slots=True)
class LaneResult:
    standings: dict[str, Standing]  # in leaderboard order: ranked first, then the rest
    report: FitReport
    fit: LaneFit | None = None


@dataclass(frozen=True, slots=True)
class ScoreArrays:
    """Every score of the catalogue as parallel arrays: positions in the scoreboard's model and
    benchmark lists, the value in percent and whether it is verified. What a board is fitted
    from without one Python object per score."""

    model: np.ndarray  # intp, index into the models
    benchmark: np.ndarray  # intp, index into the benchmarks
    value: np.ndarray  # float, percent
    verified: np.ndarray  # bool


def score_lane(
    models: Iterable[str],
    scores: Iterable[Score],
    categories: Sequence[Category],
    benchmarks: Sequence[Benchmark],
    thresholds: Thresholds,
    lane: Lane,
    reasoning: Mapping[str, bool] | None = None,
    samples: int = capability.BOOTSTRAP_SAMPLES,
) -> LaneResult:
    """Every model's standing in ``lane`` (models without scores included, unranked).

    ``reasoning`` flags the models that think before answering: the capability model lets a
    benchmark reward them beyond their capability (math and hard reasoning tests do). Results
    are memoised on the inputs, so an unchanged catalogue is never fitted twice in a process.
    """
    flags = reasoning or {}
    key = (
        tuple(dict.fromkeys(models)),
        tuple(lane_scores(scores, lane)),
        tuple(categories),
        tuple(benchmarks),
        thresholds,
        lane,
        tuple(sorted(m for m, r in flags.items() if r)),
        samples,
    )
    return _score_lane(*key)


@lru_cache(maxsize=8)
def _score_lane(
    models: tuple[str, ...],
    scores: tuple[Score, ...],
    categories: tuple[Category, ...],
    benchmarks: tuple[Benchmark, ...],
    thresholds: Thresholds,
    lane: Lane,
    reasoning: tuple[str, ...],
    samples: int,
) -> LaneResult:
    model_index = {m: i for i, m in enumerate(models)}
    bench_index = {b.slug: j for j, b in enumerate(benchmarks)}
    cells: dict[tuple[int, int], Score] = {}
    for s in scores:  # the last score of a (model, benchmark) wins
        if s.model in model_index and s.benchmark in bench_index:
            cells[model_index[s.model], bench_index[s.benchmark]] = s
    keys = list(cells)
    arrays = ScoreArrays(
        np.array([i for i, _ in keys], dtype=np.intp),
        np.array([j for _, j in keys], dtype=np.intp),
        np.array([s.value for s in cells.values()], dtype=float),
        np.array([s.verified for s in cells.values()], dtype=bool),
    )
    thinking = set(reasoning)
    return fit_lane(
        models,
        arrays,
        categories,
        benchmarks,
        thresholds,
        lane,
        np.array([m in thinking for m in models], dtype=bool),
        samples=samples,
    )


def _lane_data(
    models: Sequence[str],
    arrays: ScoreArrays,
    categories: Sequence[Category],
    benchmarks: Sequence[Benchmark],
    thresholds: Thresholds,
    lane: Lane,
    reasoning: np.ndarray,
) -> tuple[tuple[str, ...], capability.Observations, capability.Layout]:
    """The lane's counted scores as observations, and how its benchmarks roll up."""
    cat_index = {c.slug: i for i, c in enumerate(categories)}
    position = np.full(len(benchmarks) + 1, -1, dtype=np.intp)
    counted = []
    for j, b in enumerate(benchmarks):
        if b.counted and b.category in cat_index:
            position[j] = len(counted)
            counted.append(b)
    item = position[arrays.benchmark] if len(arrays.benchmark) else arrays.benchmark
    keep = item >= 0
    if lane == Lane.VERIFIED:
        keep &= arrays.verified
    obs = capability.Observations(
        arrays.model[keep],
        item[keep],
        arrays.value[keep] / 100,
        len(models),
        len(counted),
        reasoning.astype(float),
    )
    layout = capability.Layout(
        item_category=np.array([cat_index[b.category] for b in counted], dtype=np.intp),
        item_weight=np.array([b.weight for b in counted], dtype=float),
        item_fitted=np.bincount(obs.item, minlength=len(counted)) > 0,
        category_weight=np.array([max(c.weight, 0.0) for c in categories], dtype=float),
        share=thresholds.category_share,
    )
    return tuple(b.slug for b in counted), obs, layout


def fit_lane(
    models: Sequence[str],
    arrays: ScoreArrays,
    categories: Sequence[Category],
    benchmarks: Sequence[Benchmark],
    thresholds: Thresholds,
    lane: Lane,
    reasoning: np.ndarray,
    samples: int = capability.BOOTSTRAP_SAMPLES,
    previous: LaneFit | None = None,
    check: bool = True,
    rounds: int | None = None,
) -> LaneResult:
    """Every model's standing in ``lane`` from the score arrays (a full fit).

    ``previous`` (the last version's fit of this lane) warm-starts the fit when it covered the
    same models and benchmarks. ``check`` runs the leave-one-out check now; the scoreboard
    leaves it to a background task (``check_lane``), since only /methodology/ reports it.
    ``rounds`` caps the point fit's rounds (by default ``capability.ROUNDS`` from cold,
    ``capability.WARM_ROUNDS`` warm-started).
    """
    started = time.perf_counter()
    models = tuple(models)
    items, obs, layout = _lane_data(
        models, arrays, categories, benchmarks, thresholds, lane, reasoning
    )
    start = None
    if previous is not None and previous.models == models and previous.items == items:
        start = previous.point
    point, est = capability.estimate(obs, layout, samples=samples, start=start, rounds=rounds)
    eligible = _eligible(est.figures, thresholds)
    ranks = capability.sample_ranks(est.samples, eligible)
    low, high = capability.rank_bounds(ranks, eligible)
    fitted = LaneFit(
        models,
        items,
        tuple(categories),
        thresholds,
        lane,
        obs,
        layout,
        point,
        est,
        eligible,
        ranks,
        low,
        high,
    )
    errors = capability.leave_one_out(obs, layout, point) if check else None
    standings = _standings(fitted)
    return LaneResult(standings, _report(fitted, errors, started), fitted)


def update_lane(
    previous: LaneResult,
    arrays: ScoreArrays,
    benchmarks: Sequence[Benchmark],
    reasoning: np.ndarray,
    changed: Iterable[str],
) -> LaneResult | None:
    """The lane after the scores of the models ``changed`` were edited, from the previous
    version's fit: their capabilities refitted with every benchmark's parameters held, their
    figures and replicates recomputed, everyone re-ranked. ``arrays`` are the new scores over
    the same models and benchmarks.

    None when the edit reaches beyond those models (another set of models or counted
    benchmarks, a benchmark that gained its first score or lost its last): a full fit then.
    """
    started = time.perf_counter()
    old = previous.fit
    if old is None:
        return None
    items, obs, layout = _lane_data(
        old.models, arrays, old.categories, benchmarks, old.thresholds, old.lane, reasoning
    )
    if items != old.items or not np.array_equal(layout.item_fitted, old.layout.item_fitted):
        return None
    index = {m: i for i, m in enumerate(old.models)}
    rows = np.array(sorted({index[m] for m in changed if m in index}), dtype=np.intp)
    trait = reasoning.astype(float)
    start = capability.Fit(
        old.point.theta,
        old.point.difficulty,
        old.point.discrimination,
        old.point.bonus,
        trait,
    )
    point, est = capability.update(obs, layout, start, old.estimate, rows)
    eligible = _eligible(est.figures, old.thresholds)
    ranks, moved = capability.rerank(
        old.ranks, old.estimate.samples, est.samples, old.eligible, eligible, rows
    )
    moved |= eligible != old.eligible
    low, high = old.rank_low.copy(), old.rank_high.copy()
    columns = np.flatnonzero(moved)
    fresh_low, fresh_high = capability.rank_bounds(ranks, eligible, columns)
    low[columns], high[columns] = fresh_low[columns], fresh_high[columns]
    fitted = LaneFit(
        old.models,
        items,
        old.categories,
        old.thresholds,
        old.lane,
        obs,
        layout,
        point,
        est,
        eligible,
        ranks,
        low,
        high,
    )
    standings = _standings(fitted, previous.standings, rows, old)
    return LaneResult(standings, _report(fitted, None, started), fitted)


def check_lane(fitted: LaneFit) -> FitReport:
    """The lane's report with the leave-one-out check: how well hidden category scores are
    predicted. Slow on a large catalogue, so the scoreboard runs it in the background."""
    started = time.perf_counter()
    errors = capability.leave_one_out(fitted.obs, fitted.layout, fitted.point)
    return _report(fitted, errors, started)


def _report(fitted: LaneFit, errors: np.ndarray | None, started: float) -> FitReport:
    fig = fitted.estimate.figures
    live = capability.live_categories(fitted.layout)
    measured_count = np.isfinite(fig.measured) & live[None, :]
    has_overall = np.isfinite(fig.overall)
    checked = errors is not None and len(errors) > 0
    return FitReport(
        loo_mae=float(errors.mean()) if checked else None,
        loo_within5=float((errors <= 5).mean()) if checked else None,
        loo_cells=0 if errors is None else len(errors),
        estimated_categories=int((has_overall[:, None] & live[None, :] & ~measured_count).sum()),
        measured_categories=int((measured_count & has_overall[:, None]).sum()),
        seconds=time.perf_counter() - started,
    )


def _eligible(fig: capability.Figures, thresholds: Thresholds) -> np.ndarray:
    """Ranked: an overall, and measured categories carrying the ranking coverage."""
    return np.isfinite(fig.overall) & (fig.coverage >= thresholds.ranking_coverage - 1e-9)


def _standings(
    fitted: LaneFit,
    previous: Mapping[str, Standing] | None = None,
    rows: np.ndarray | None = None,
    before: LaneFit | None = None,
) -> dict[str, Standing]:
    """Every model's standing, in leaderboard order. With ``previous`` (fitted as ``before``)
    only the models ``rows`` are built anew; the others keep their standing, re-ranked where
    their rank moved."""
    models, categories, lane = fitted.models, fitted.categories, fitted.lane
    est, obs = fitted.estimate, fitted.obs
    fig = est.figures
    live = capability.live_categories(fitted.layout)
    live_count = int(live.sum())
    measured_count = (np.isfinite(fig.measured) & live[None, :]).sum(axis=1)
    has_overall = np.isfinite(fig.overall)
    eligible = fitted.eligible
    ranks = _competition_ranks(fig.overall, eligible)
    low = np.where(eligible, np.minimum(ranks, fitted.rank_low), 0)
    high = np.where(eligible, np.maximum(ranks, fitted.rank_high), 0)
    if previous is None or before is None or rows is None:
        build = np.arange(len(models))
        standings: dict[str, Standing] = {}
    else:
        # Everyone else keeps their standing object; only a moved rank makes a new one.
        was = _competition_ranks(before.estimate.figures.overall, before.eligible)
        was_low = np.where(before.eligible, np.minimum(was, before.rank_low), 0)
        was_high = np.where(before.eligible, np.maximum(was, before.rank_high), 0)
        moved = (eligible != before.eligible) | (ranks != was) | (low != was_low)
        moved |= high != was_high
        moved[rows] = False
        standings = dict(previous)
        for i in np.flatnonzero(moved).tolist():
            rank = int(ranks[i]) if eligible[i] else None
            span = None if rank is None else (int(low[i]), int(high[i]))
            standings[models[i]] = replace(standings[models[i]], rank=rank, rank_range=span)
        build = np.asarray(rows, dtype=np.intp)
    per_model_counts = np.bincount(obs.model, minlength=len(models))
    slugs = [c.slug for c in categories]

    # Plain lists: reading numpy scalars one by one costs more than the work itself here. Of
    # the models built anew only: after one edit, converting all 3,700 took most of the time.
    eligible_l, ranks_l = eligible[build].tolist(), ranks[build].tolist()
    low_l, high_l = low[build].tolist(), high[build].tolist()
    measured_l, filled_l = fig.measured[build].tolist(), fig.filled[build].tolist()
    overall_l, coverage_l = fig.overall[build].tolist(), fig.coverage[build].tolist()
    lower_l, upper_l = est.lower[build].tolist(), est.upper[build].tolist()
    has_l = has_overall[build].tolist()
    measured_l_count, counts_l = measured_count[build].tolist(), per_model_counts[build].tolist()
    live_slugs = [(k, slugs[k]) for k in np.flatnonzero(live).tolist()]
    for n, i in enumerate(build.tolist()):
        rank = ranks_l[n] if eligible_l[n] else None
        rank_range = None if rank is None else (low_l[n], high_l[n])
        filled_row, has = filled_l[n], has_l[n]
        measured = {
            slug: value
            for slug, value in zip(slugs, measured_l[n], strict=True)
            if math.isfinite(value)
        }
        estimated = (
            {
                slug: filled_row[k]
                for k, slug in live_slugs
                if slug not in measured and math.isfinite(filled_row[k])
            }
            if has
            else {}
        )
        standings[models[i]] = Standing(
            model=models[i],
            lane=lane,
            category_scores=measured,
            estimated=estimated,
            overall=overall_l[n] if has else None,
            interval=(lower_l[n], upper_l[n]) if has else None,
            coverage=coverage_l[n],
            measured_categories=measured_l_count[n],
            live_categories=live_count,
            counted_benchmarks=counts_l[n],
            eligible=eligible_l[n],
            rank=rank,
            rank_range=rank_range,
        )
    # Leaderboard order: ranked by rank, then the others by overall (none last), then by slug.
    by_slug = np.empty(len(models), dtype=np.intp)
    by_slug[sorted(range(len(models)), key=models.__getitem__)] = np.arange(len(models))
    order = np.lexsort(
        (
            by_slug,
            -np.nan_to_num(fig.overall, nan=0.0),
            ~has_overall,
            np.where(eligible, ranks, 0),
            ~eligible,
        )
    )
    return {models[i]: standings[models[i]] for i in order.tolist()}


def _competition_ranks(overall: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Ranks 1, 2, 2, 4 by overall among the eligible; equal when they print the same whole
    number. Ineligible models get 0.

    The printed whole number is ``half_up(overall)``, taken here for every model at once:
    for a float ``x`` of 0 or more, its shortest repr rounds half up to ``floor(x) + 1``
    exactly when ``x - floor(x) >= 0.5`` (that difference is exact, and k + 0.5 is a float,
    so no float below it prints as it)."""
    ranks = np.zeros(len(overall), dtype=int)
    found = np.flatnonzero(eligible)
    if not len(found):
        return ranks
    values = overall[found]
    order = np.argsort(-values, kind="stable")  # ties in overall keep the models' order
    ordered = values[order]
    whole = np.floor(ordered)
    shown = whole + (ordered - whole >= 0.5)
    first = np.ones(len(shown), dtype=bool)
    first[1:] = shown[1:] != shown[:-1]
    position = np.where(first, np.arange(1, len(shown) + 1), 0)
    ranks[found[order]] = np.maximum.accumulate(position)
    return ranks


def category_scores(
    values: Mapping[str, float],
    categories: Iterable[Category],
    benchmarks: Sequence[Benchmark],
    share: float,
) -> dict[str, float]:
    """Every measured category score of one model (``values``: benchmark slug -> score)."""
    found = {}
    for cat in categories:
        value = category_score(values, benchmarks, cat.slug, share)
        if value is not None:
            found[cat.slug] = value
    return found


def head_to_head(
    a: Mapping[str, float], b: Mapping[str, float], categories: Sequence[Category]
) -> list[CategoryResult]:
    """Per category both models have a measured score for (``a`` and ``b`` map category slug to
    measured score), both scores, the gap and who wins it.

    The gap and the winner come from the one-decimal figures the reader sees, so "64.2 vs 50.3"
    is "+13.9" and 88.54 vs 88.46 (both "88.5") is a tie.
    """
    results = []
    for cat in sorted(categories, key=lambda c: (c.order, c.slug)):
        if cat.slug not in a or cat.slug not in b:
            continue
        a_value, b_value = a[cat.slug], b[cat.slug]
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
