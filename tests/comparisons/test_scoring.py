"""Scoring rules, checked against the figures of the reference comparison pages in seeds/.

The seed overall scores (60, 47, 28, 69) came from a catalogue with many more benchmarks than the
fixture below, so they are not asserted; every category figure, difference and swing is. Overall
scores with estimates are checked for their shape (weighted mix, intervals, ranks); the capability
model itself is tested in test_capability.py.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from comparisons.formatting import half_up
from comparisons.scoring import (
    Benchmark,
    Category,
    CategoryResult,
    Lane,
    Score,
    ScoreArrays,
    Standing,
    Swing,
    Thresholds,
    _competition_ranks,
    _standings,
    biggest_swing,
    categories_won,
    category_score,
    category_scores,
    fit_lane,
    head_to_head,
    lane_scores,
    round1,
    score_lane,
    update_lane,
)

CATEGORIES = (
    Category("agentic", "Agentic", 22, order=0),
    Category("coding", "Coding", 20, order=1),
    Category("reasoning", "Reasoning", 17, order=2),
    Category("multimodal", "Multimodal", 12, order=3),
    Category("knowledge", "Knowledge", 12, order=4),
    Category("multilingual", "Multilingual", 7, order=5),
    Category("instruction-following", "Instruction following", 5, order=6),
    Category("math", "Math", 5, order=7),
)
GPQA = Benchmark("gpqa-diamond", "GPQA", "knowledge", 1)
MMLU = Benchmark("mmlu", "MMLU", "knowledge", 0)  # shown, not counted
SWE = Benchmark("swe-bench-verified", "SWE-bench Verified", "coding", 1)
LCB = Benchmark("livecodebench", "LiveCodeBench", "coding", 1)
IFEVAL = Benchmark("ifeval", "IFEval", "instruction-following", 1)
BENCHMARKS = (GPQA, MMLU, SWE, LCB, IFEVAL)

VALUES = {
    "gpt-4-1": {"gpqa-diamond": 66.3, "mmlu": 90.2, "swe-bench-verified": 54.6, "ifeval": 87.4},
    "gpt-4-1-mini": {
        "gpqa-diamond": 64.2,
        "mmlu": 87.5,
        "swe-bench-verified": 23.6,
        "ifeval": 88.5,
    },
    "gpt-4-1-nano": {"gpqa-diamond": 50.3, "mmlu": 80.1, "ifeval": 83.2},
    "muse-spark": {"gpqa-diamond": 50.4, "swe-bench-verified": 77.4, "livecodebench": 46.0},
}
# Verified: all of GPT-4.1's scores, mini's GPQA and IFEval (not its SWE-bench), nothing else.
VERIFIED = {("gpt-4-1", b) for b in VALUES["gpt-4-1"]} | {
    ("gpt-4-1-mini", "gpqa-diamond"),
    ("gpt-4-1-mini", "ifeval"),
}
SCORES = tuple(
    Score(model, bench, value, verified=(model, bench) in VERIFIED)
    for model, row in VALUES.items()
    for bench, value in row.items()
)
MODELS = (*VALUES, "no-scores")
DEFAULT = Thresholds()


# --- rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (64.25, 64.3),  # half-up; round(64.25, 1) would give banker's 64.2
        (0.05, 0.1),
        (2.675, 2.7),
        (64.2 - 50.3, 13.9),  # 13.900000000000006 in binary floats
        (-0.05, -0.1),  # half away from zero
        (46.0, 46.0),
    ],
)
def test_round1_is_half_up_on_the_decimal(value, expected):
    assert round1(value) == expected


# --- category scores -------------------------------------------------------------------------


def test_weight_zero_benchmark_is_shown_but_not_counted():
    assert not MMLU.counted and GPQA.counted
    # knowledge = GPQA alone, 66.3, not (66.3 + 90.2) / 2 = 78.25
    assert category_score(VALUES["gpt-4-1"], BENCHMARKS, "knowledge", 0.5) == pytest.approx(66.3)
    # MMLU alone cannot make a knowledge score
    assert category_score({"mmlu": 90.2}, BENCHMARKS, "knowledge", 0.5) is None


def test_category_with_no_counted_weight_has_no_score():
    legacy = [Benchmark("old", "Old", "legacy", 0)]
    assert category_score({"old": 50.0}, legacy, "legacy", 0.5) is None
    assert category_score({"gpqa-diamond": 50.0}, BENCHMARKS, "math", 0.5) is None


SHARE_BENCHMARKS = (
    Benchmark("a", "A", "coding", 1),
    Benchmark("b", "B", "coding", 1),
    Benchmark("c", "C", "coding", 2),  # total counted weight 1 + 1 + 2 = 4
)


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ({"a": 40.0}, 0.5, None),  # 1/4 < 1/2
        ({"c": 70.0}, 0.5, 70.0),  # 2/4: exactly half passes
        ({"a": 40.0, "b": 60.0}, 0.5, 50.0),  # 2/4, (40 + 60) / 2
        ({"a": 40.0, "c": 70.0}, 0.5, 60.0),  # (1*40 + 2*70) / 3 = 180 / 3
        ({"a": 40.0, "c": 70.0}, 0.75, 60.0),  # 3/4: exactly the share
        ({"a": 40.0, "b": 60.0}, 0.75, None),  # 2/4 < 3/4
        ({}, 0.0, None),  # nothing to average even with no share required
    ],
)
def test_category_share_rule(values, share, expected):
    result = category_score(values, SHARE_BENCHMARKS, "coding", share)
    assert result == (None if expected is None else pytest.approx(expected))


def test_one_of_two_equal_benchmarks_is_exactly_half():
    # GPT-4.1 has SWE-bench but not LiveCodeBench: weight 1 of 2, so coding counts.
    assert category_score(VALUES["gpt-4-1"], BENCHMARKS, "coding", 0.5) == pytest.approx(54.6)
    # Muse Spark has both: (77.4 + 46.0) / 2 = 61.7
    assert category_score(VALUES["muse-spark"], BENCHMARKS, "coding", 0.5) == pytest.approx(61.7)


# --- standings -------------------------------------------------------------------------------
#
# Live categories in the provisional lane: knowledge (GPQA), coding (SWE-bench, LiveCodeBench)
# and instruction following (IFEval): 12 + 20 + 5 = 37 points. Agentic, reasoning, multimodal,
# multilingual and math have no counted benchmark with a score, so they weigh nothing.


def lane(
    lane: Lane = Lane.PROVISIONAL, thresholds: Thresholds = DEFAULT, samples: int = 50
) -> dict[str, Standing]:
    return score_lane(
        MODELS, SCORES, CATEGORIES, BENCHMARKS, thresholds, lane, samples=samples
    ).standings


def provisional(model: str) -> Standing:
    return lane()[model]


def measured(model: str) -> dict[str, float]:
    return category_scores(VALUES[model], CATEGORIES, BENCHMARKS, DEFAULT.category_share)


def test_standing_of_gpt_4_1_measured_everywhere():
    s = provisional("gpt-4-1")
    assert s.category_scores == {
        "coding": pytest.approx(54.6),
        "knowledge": pytest.approx(66.3),
        "instruction-following": pytest.approx(87.4),
    }
    assert s.estimated == {}  # nothing to estimate: every live category is measured
    # (12*66.3 + 20*54.6 + 5*87.4) / (12 + 20 + 5) = (795.6 + 1092 + 437) / 37 = 2324.6 / 37
    assert s.overall == pytest.approx(62.827027)
    assert s.coverage == pytest.approx(1.0)
    assert (s.measured_categories, s.live_categories) == (3, 3)
    assert s.counted_benchmarks == 3  # MMLU not counted
    assert s.eligible is True and s.rank == 1
    assert s.lane is Lane.PROVISIONAL
    low, high = s.interval
    assert low <= s.overall <= high


def test_gpt_4_1_mini_overall_is_its_measured_mean():
    s = provisional("gpt-4-1-mini")
    # (12*64.2 + 20*23.6 + 5*88.5) / 37 = (770.4 + 472 + 442.5) / 37 = 1684.9 / 37
    assert s.overall == pytest.approx(45.537838)
    assert s.coverage == pytest.approx(1.0)


def test_missing_live_categories_are_estimated_never_measured():
    nano, muse = provisional("gpt-4-1-nano"), provisional("muse-spark")
    # Nano lacks coding (20 of 37 points), Muse Spark instruction following (5 of 37).
    assert set(nano.category_scores) == {"knowledge", "instruction-following"}
    assert set(nano.estimated) == {"coding"}
    assert set(muse.category_scores) == {"coding", "knowledge"}
    assert set(muse.estimated) == {"instruction-following"}
    # The measured averages are exactly what they were: the estimate never touches them.
    assert muse.category_scores["coding"] == pytest.approx((77.4 + 46.0) / 2)
    # The overall mixes measured and estimated by category weight.
    expected = (
        12 * muse.category_scores["knowledge"]
        + 20 * muse.category_scores["coding"]
        + 5 * muse.estimated["instruction-following"]
    ) / 37
    assert muse.overall == pytest.approx(expected)
    assert 0 <= muse.estimated["instruction-following"] <= 100
    assert nano.coverage == pytest.approx(17 / 37) and muse.coverage == pytest.approx(32 / 37)


def test_ranking_needs_half_of_the_live_weight_measured():
    board = lane()
    # nano: 17 of 37 points measured (46%): listed, never ranked.
    assert board["gpt-4-1-nano"].eligible is False and board["gpt-4-1-nano"].rank is None
    assert board["muse-spark"].rank is not None  # 32 of 37
    strict = lane(thresholds=Thresholds(ranking_coverage=0.9))
    assert {m for m, s in strict.items() if s.rank} == {"gpt-4-1", "gpt-4-1-mini"}
    loose = lane(thresholds=Thresholds(ranking_coverage=0.4))
    assert loose["gpt-4-1-nano"].rank is not None


def test_unranked_models_follow_the_ranked_ones():
    board = lane()
    order = list(board)
    ranked = [m for m in order if board[m].rank is not None]
    assert order[: len(ranked)] == ranked
    assert [board[m].rank for m in ranked] == sorted(board[m].rank for m in ranked)
    assert order[-1] == "no-scores"  # no overall at all: last


def test_model_without_scores_has_no_overall_and_is_not_ranked():
    empty = lane(thresholds=Thresholds(ranking_coverage=0.01))["no-scores"]
    assert empty.category_scores == {} and empty.estimated == {}
    assert empty.overall is None and empty.interval is None
    assert empty.coverage == 0.0
    assert empty.counted_benchmarks == 0
    assert empty.rank is None


def test_weight_zero_category_is_scored_but_adds_nothing_to_overall():
    categories = (Category("coding", "Coding", 20), Category("legacy", "Legacy", 0))
    benchmarks = (SWE, Benchmark("old", "Old", "legacy", 1))
    scores = [Score("m", "swe-bench-verified", 50.0), Score("m", "old", 10.0)]
    s = score_lane(["m"], scores, categories, benchmarks, DEFAULT, Lane.PROVISIONAL).standings["m"]
    assert s.category_scores == {"coding": 50.0, "legacy": 10.0}
    assert s.overall == pytest.approx(50.0)  # 20*50 / 20, legacy weighs 0
    assert s.coverage == pytest.approx(1.0)  # 20 / (20 + 0)
    assert s.live_categories == 1


def test_only_weight_zero_categories_give_no_overall():
    categories = (Category("legacy", "Legacy", 0),)
    benchmarks = (Benchmark("old", "Old", "legacy", 1),)
    scores = [Score("m", "old", 10.0)]
    s = score_lane(["m"], scores, categories, benchmarks, DEFAULT, Lane.PROVISIONAL).standings["m"]
    assert s.category_scores == {"legacy": 10.0}
    assert s.overall is None
    assert s.coverage == 0.0


# --- lanes -----------------------------------------------------------------------------------


def test_lane_scores():
    verified = lane_scores(SCORES, Lane.VERIFIED)
    assert {(s.model, s.benchmark) for s in verified} == VERIFIED
    assert lane_scores(iter(SCORES), Lane.PROVISIONAL) == list(SCORES)


def test_verified_lane_drops_unverified_scores():
    ver = lane(Lane.VERIFIED)
    mini = ver["gpt-4-1-mini"]
    assert mini.lane is Lane.VERIFIED
    assert set(mini.category_scores) == {"knowledge", "instruction-following"}  # no SWE-bench
    # Coding is live there (GPT-4.1's SWE-bench is verified): estimated for mini.
    assert set(mini.estimated) == {"coding"}
    assert mini.coverage == pytest.approx(17 / 37) and mini.rank is None
    assert mini.counted_benchmarks == 2
    assert ver["muse-spark"].overall is None  # nothing verified
    assert ver["gpt-4-1"].rank == 1  # the only model ranked there


# --- ranks -----------------------------------------------------------------------------------


def test_overalls_that_print_the_same_share_a_rank():
    categories = (Category("coding", "Coding", 1),)
    benchmarks = (Benchmark("x", "X", "coding", 1),)
    values = {"a": 70.0, "b": 65.4, "c": 64.6, "d": 60.0}  # b and c both print 65
    scores = [Score(m, "x", v) for m, v in values.items()]
    board = score_lane(values, scores, categories, benchmarks, DEFAULT, Lane.PROVISIONAL)
    assert [(m, s.rank) for m, s in board.standings.items()] == [
        ("a", 1),
        ("b", 2),
        ("c", 2),
        ("d", 4),
    ]
    for s in board.standings.values():
        low, high = s.rank_range
        assert low <= s.rank <= high


def test_results_are_memoised_on_the_inputs():
    first = score_lane(MODELS, SCORES, CATEGORIES, BENCHMARKS, DEFAULT, Lane.PROVISIONAL)
    again = score_lane(
        list(MODELS), list(SCORES), CATEGORIES, BENCHMARKS, DEFAULT, Lane.PROVISIONAL
    )
    assert again is first
    changed = [*SCORES[:-1], Score(SCORES[-1].model, SCORES[-1].benchmark, 1.0)]
    assert (
        score_lane(MODELS, changed, CATEGORIES, BENCHMARKS, DEFAULT, Lane.PROVISIONAL) is not first
    )


def test_fit_report_counts_estimates_and_checks_itself():
    report = score_lane(MODELS, SCORES, CATEGORIES, BENCHMARKS, DEFAULT, Lane.PROVISIONAL).report
    # Estimated figures: nano's coding and Muse Spark's instruction following.
    assert report.estimated_categories == 2
    assert report.measured_categories == 3 + 3 + 2 + 2
    assert report.loo_cells == 10  # every measured category score, hidden in turn
    assert report.loo_mae is not None and report.loo_mae >= 0
    assert 0 <= report.loo_within5 <= 1


# --- head to head ----------------------------------------------------------------------------


def test_mini_vs_nano():
    results = head_to_head(measured("gpt-4-1-mini"), measured("gpt-4-1-nano"), CATEGORIES)
    assert results == [
        CategoryResult("knowledge", pytest.approx(64.2), pytest.approx(50.3), 13.9, "a"),
        CategoryResult("instruction-following", pytest.approx(88.5), pytest.approx(83.2), 5.3, "a"),
    ]
    assert categories_won(results) == (2, 0)
    swing = biggest_swing(VALUES["gpt-4-1-mini"], VALUES["gpt-4-1-nano"], BENCHMARKS)
    assert swing == Swing("gpqa-diamond", 64.2, 50.3, 13.9)  # 13.9 > MMLU 7.4 > IFEval 5.3


def test_gpt_4_1_vs_mini():
    results = head_to_head(measured("gpt-4-1"), measured("gpt-4-1-mini"), CATEGORIES)
    assert [(r.slug, r.difference, r.winner) for r in results] == [
        ("coding", 31.0, "a"),  # 54.6 - 23.6
        ("knowledge", 2.1, "a"),  # 66.3 - 64.2, GPQA only
        ("instruction-following", 1.1, "b"),  # 88.5 - 87.4
    ]
    assert categories_won(results) == (2, 1)
    a, b = VALUES["gpt-4-1"], VALUES["gpt-4-1-mini"]
    assert biggest_swing(a, b, BENCHMARKS).benchmark == "swe-bench-verified"
    # MMLU (90.2 vs 87.5, 2.7) is the knowledge benchmark with the most daylight, though not counted
    assert biggest_swing(a, b, BENCHMARKS, "knowledge") == Swing("mmlu", 90.2, 87.5, 2.7)
    assert biggest_swing(a, b, BENCHMARKS, "instruction-following").benchmark == "ifeval"


def test_mini_vs_muse_spark():
    results = head_to_head(measured("gpt-4-1-mini"), measured("muse-spark"), CATEGORIES)
    assert [(r.slug, round1(r.a), round1(r.b), r.difference, r.winner) for r in results] == [
        ("coding", 23.6, 61.7, 38.1, "b"),  # (77.4 + 46.0) / 2 = 61.7; 61.7 - 23.6
        ("knowledge", 64.2, 50.4, 13.8, "a"),
    ]
    assert categories_won(results) == (1, 1)
    a, b = VALUES["gpt-4-1-mini"], VALUES["muse-spark"]
    assert biggest_swing(a, b, BENCHMARKS) == Swing("swe-bench-verified", 23.6, 77.4, 53.8)
    assert biggest_swing(a, b, BENCHMARKS, "coding").benchmark == "swe-bench-verified"


def test_category_tied_at_one_decimal_has_no_winner():
    a, b = {"coding": 88.54, "math": 70.0}, {"coding": 88.46}
    results = head_to_head(a, b, CATEGORIES)
    assert results == [CategoryResult("coding", 88.54, 88.46, 0.0, None)]  # both show 88.5
    assert categories_won(results) == (0, 0)


def test_head_to_head_follows_category_order_then_slug():
    cats = (
        Category("zeta", "Z", 1, order=0),
        Category("beta", "B", 1, order=1),
        Category("alpha", "A", 1, order=1),
    )
    scores = {"alpha": 1.0, "beta": 2.0, "zeta": 3.0}
    assert [r.slug for r in head_to_head(scores, scores, cats)] == ["zeta", "alpha", "beta"]


# --- biggest swing ---------------------------------------------------------------------------


def test_equal_swings_go_to_the_first_benchmark_listed():
    x, y = Benchmark("x", "X", "coding", 1), Benchmark("y", "Y", "coding", 1)
    a, b = {"x": 10.0, "y": 20.0}, {"x": 15.0, "y": 15.0}  # both 5 apart
    assert biggest_swing(a, b, [x, y]).benchmark == "x"
    assert biggest_swing(a, b, [y, x]).benchmark == "y"


def test_no_shared_benchmark_means_no_swing():
    assert biggest_swing({"mmlu": 80.0}, {"gpqa-diamond": 50.0}, BENCHMARKS) is None
    assert biggest_swing(VALUES["gpt-4-1"], VALUES["gpt-4-1-mini"], BENCHMARKS, "math") is None
    assert biggest_swing({}, {}, BENCHMARKS) is None


def _ranks_printed(overall: list[float], eligible: list[bool]) -> list[int]:
    """Competition ranks by the printed whole number, the slow way: half_up on each."""
    shown = {i: half_up(overall[i]) for i, ok in enumerate(eligible) if ok}
    ranks, previous, rank = [0] * len(overall), None, 0
    for position, i in enumerate(sorted(shown, key=lambda i: -overall[i]), start=1):
        if shown[i] != previous:
            rank, previous = position, shown[i]
        ranks[i] = rank
    return ranks


@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.floats(0, 100, allow_nan=False),
                # whole and half numbers, and the floats either side of a half
                st.integers(0, 100).map(lambda k: k + 0.5),
                st.integers(0, 100).map(lambda k: math.nextafter(k + 0.5, 0)),
                st.integers(0, 100).map(lambda k: math.nextafter(k + 0.5, 101)),
                st.integers(0, 100).map(float),
            ),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_ranks_tie_exactly_when_the_printed_whole_numbers_do(models):
    overall = [value for value, _ in models]
    eligible = [ok for _, ok in models]
    found = _competition_ranks(np.array(overall, dtype=float), np.array(eligible, dtype=bool))
    assert found.tolist() == _ranks_printed(overall, eligible)


def test_after_one_edit_every_standing_is_what_its_figures_give_from_scratch():
    """The update rebuilds the edited model's standing and re-ranks the others that moved; the
    result is the standings a full pass over the same figures gives, object for object, in
    the same order."""
    rng = np.random.default_rng(11)
    models = tuple(f"model-{i:02d}" for i in range(60))
    benchmarks = tuple(
        Benchmark(f"bench-{j}", f"Bench {j}", CATEGORIES[j % 4].slug, 1) for j in range(12)
    )
    cells = [(i, j) for i in range(60) for j in range(12) if rng.random() < 0.7]
    values = np.round(rng.uniform(20, 90, len(cells)), 1)
    arrays = ScoreArrays(
        np.array([i for i, _ in cells]),
        np.array([j for _, j in cells]),
        values,
        np.ones(len(cells), dtype=bool),
    )
    reasoning = rng.random(60) < 0.3
    args = (CATEGORIES, benchmarks, DEFAULT, Lane.PROVISIONAL, reasoning)
    before = fit_lane(models, arrays, *args, samples=40, check=False)
    edited = values.copy()
    edited[np.flatnonzero(arrays.model == 9)] = 99.0  # model 9 climbs past others
    after = ScoreArrays(arrays.model, arrays.benchmark, edited, arrays.verified)
    updated = update_lane(before, after, benchmarks, reasoning, ["model-09"])
    assert updated is not None
    moved = [m for m in models if updated.standings[m].rank != before.standings[m].rank]
    assert len(moved) > 1  # others were re-ranked, not only the edited model
    fresh = _standings(updated.fit)
    assert list(updated.standings) == list(fresh)
    assert all(updated.standings[m] == fresh[m] for m in models)
