"""Scoring rules, checked against the figures of the reference comparison pages in seeds/.

The seed overall scores (60, 47, 28, 69) came from a catalogue with many more benchmarks than the
fixture below, so they are not asserted; every category figure, difference and swing is.
"""

import pytest

from comparisons.scoring import (
    Benchmark,
    Category,
    CategoryResult,
    Lane,
    Score,
    Standing,
    Swing,
    Thresholds,
    biggest_swing,
    categories_won,
    category_score,
    comparison_lane,
    head_to_head,
    lane_scores,
    rank_standings,
    round1,
    score_lane,
    standing,
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
RANK_ON_THREE = Thresholds(min_benchmarks=3, min_categories=2)


def provisional(model: str) -> Standing:
    return standing(model, SCORES, CATEGORIES, BENCHMARKS, DEFAULT, Lane.PROVISIONAL)


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


def test_standing_of_gpt_4_1():
    s = provisional("gpt-4-1")
    assert s.category_scores == {
        "coding": pytest.approx(54.6),
        "knowledge": pytest.approx(66.3),
        "instruction-following": pytest.approx(87.4),
    }
    # (12*66.3 + 20*54.6 + 5*87.4) / (12 + 20 + 5) = (795.6 + 1092 + 437) / 37 = 2324.6 / 37
    assert s.overall == pytest.approx(62.827027)
    # scored 37 of the 37 weight that has counted benchmarks (knowledge, coding, IF)
    assert s.coverage == pytest.approx(1.0)
    assert (s.counted_benchmarks, s.counted_categories) == (3, 3)  # MMLU not counted
    assert s.eligible is False  # 3 < 4 benchmarks by default
    assert s.rank is None
    assert s.lane is Lane.PROVISIONAL


@pytest.mark.parametrize(
    ("model", "overall", "coverage", "counted"),
    [
        # (12*64.2 + 20*23.6 + 5*88.5) / 37 = (770.4 + 472 + 442.5) / 37 = 1684.9 / 37
        ("gpt-4-1-mini", 45.537838, 1.0, 3),
        # (12*50.3 + 5*83.2) / 17 = (603.6 + 416) / 17 = 1019.6 / 17; coverage 17 / 37
        ("gpt-4-1-nano", 59.976471, 0.459459, 2),
        # (12*50.4 + 20*61.7) / 32 = (604.8 + 1234) / 32 = 1838.8 / 32; coverage 32 / 37
        ("muse-spark", 57.4625, 0.864865, 3),
    ],
)
def test_standing_overall_and_coverage(model, overall, coverage, counted):
    s = provisional(model)
    assert s.overall == pytest.approx(overall)
    assert s.coverage == pytest.approx(coverage, abs=1e-6)
    assert s.counted_benchmarks == counted


def test_model_without_scores_has_no_overall_and_is_not_ranked():
    board = score_lane(
        MODELS, SCORES, CATEGORIES, BENCHMARKS, Thresholds(0, 0, 0), Lane.PROVISIONAL
    )
    empty = board["no-scores"]
    assert empty.category_scores == {}
    assert empty.overall is None
    assert empty.coverage == 0.0
    assert empty.counted_benchmarks == 0
    assert empty.eligible is True  # thresholds of 0 ...
    assert empty.rank is None  # ... but nothing to rank it by


def test_weight_zero_category_is_scored_but_adds_nothing_to_overall():
    categories = (Category("coding", "Coding", 20), Category("legacy", "Legacy", 0))
    benchmarks = (SWE, Benchmark("old", "Old", "legacy", 1))
    scores = [Score("m", "swe-bench-verified", 50.0), Score("m", "old", 10.0)]
    s = standing("m", scores, categories, benchmarks, Thresholds(), Lane.PROVISIONAL)
    assert s.category_scores == {"coding": 50.0, "legacy": 10.0}
    assert s.overall == pytest.approx(50.0)  # 20*50 / 20, legacy weighs 0
    assert s.coverage == pytest.approx(1.0)  # 20 / (20 + 0)


def test_only_weight_zero_categories_give_no_overall():
    categories = (Category("legacy", "Legacy", 0),)
    benchmarks = (Benchmark("old", "Old", "legacy", 1),)
    s = standing(
        "m", [Score("m", "old", 10.0)], categories, benchmarks, Thresholds(), Lane.PROVISIONAL
    )
    assert s.category_scores == {"legacy": 10.0}
    assert s.overall is None
    assert s.coverage == 0.0  # denominator 0


# --- eligibility and lanes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("thresholds", "eligible"),
    [
        (DEFAULT, set()),  # nobody has 4 counted benchmarks
        # nano has 3 scores but only 2 counted (MMLU weighs 0)
        (Thresholds(min_benchmarks=3, min_categories=1), {"gpt-4-1", "gpt-4-1-mini", "muse-spark"}),
        (Thresholds(min_benchmarks=2, min_categories=2), {*VALUES}),
        # Muse Spark's 3 benchmarks span only knowledge and coding
        (Thresholds(min_benchmarks=2, min_categories=3), {"gpt-4-1", "gpt-4-1-mini"}),
    ],
)
def test_eligibility_thresholds(thresholds, eligible):
    board = score_lane(MODELS, SCORES, CATEGORIES, BENCHMARKS, thresholds, Lane.PROVISIONAL)
    assert {m for m, s in board.items() if s.eligible} == eligible


def test_lane_scores():
    verified = lane_scores(SCORES, Lane.VERIFIED)
    assert {(s.model, s.benchmark) for s in verified} == VERIFIED
    assert lane_scores(iter(SCORES), Lane.PROVISIONAL) == list(SCORES)


def test_verified_lane_drops_unverified_scores_and_changes_eligibility():
    prov = score_lane(MODELS, SCORES, CATEGORIES, BENCHMARKS, RANK_ON_THREE, Lane.PROVISIONAL)
    ver = score_lane(MODELS, SCORES, CATEGORIES, BENCHMARKS, RANK_ON_THREE, Lane.VERIFIED)
    mini = ver["gpt-4-1-mini"]
    assert mini.lane is Lane.VERIFIED
    assert set(mini.category_scores) == {"knowledge", "instruction-following"}  # no SWE-bench
    # (12*64.2 + 5*88.5) / 17 = (770.4 + 442.5) / 17 = 1212.9 / 17
    assert mini.overall == pytest.approx(71.347059)
    assert mini.coverage == pytest.approx(17 / 37)
    assert mini.counted_benchmarks == 2
    assert (prov["gpt-4-1-mini"].eligible, mini.eligible) == (True, False)
    assert ver["muse-spark"].overall is None  # nothing verified
    assert ver["gpt-4-1"].rank == 1  # the only model ranked there

    assert comparison_lane(ver["gpt-4-1"], ver["gpt-4-1-mini"]) is Lane.PROVISIONAL
    assert comparison_lane(ver["gpt-4-1"], ver["gpt-4-1"]) is Lane.VERIFIED
    # a ranked provisional standing does not qualify a pair for the verified lane
    assert comparison_lane(ver["gpt-4-1"], prov["gpt-4-1-mini"]) is Lane.PROVISIONAL


# --- ranks -----------------------------------------------------------------------------------


def test_score_lane_ranks_eligible_models_by_overall():
    board = score_lane(MODELS, SCORES, CATEGORIES, BENCHMARKS, RANK_ON_THREE, Lane.PROVISIONAL)
    # 62.83, 57.46, 45.54; nano (59.98) has only 2 counted benchmarks
    assert {m: s.rank for m, s in board.items()} == {
        "gpt-4-1": 1,
        "muse-spark": 2,
        "gpt-4-1-mini": 3,
        "gpt-4-1-nano": None,
        "no-scores": None,
    }
    assert list(board) == ["gpt-4-1", "muse-spark", "gpt-4-1-mini", "gpt-4-1-nano", "no-scores"]


def make(model: str, overall: float | None, eligible: bool = True) -> Standing:
    return Standing(model, Lane.PROVISIONAL, {}, overall, 1.0, 4, 2, eligible)


def test_equal_overalls_at_one_decimal_share_a_rank():
    ranked = rank_standings(
        [
            make("d", 60.0),
            make("c", 64.96),  # shows as 65.0
            make("b", 65.04),  # shows as 65.0
            make("a", 70.0),
            make("x", 99.0, eligible=False),
            make("y", None),
        ]
    )
    assert [(m, s.rank) for m, s in ranked.items()] == [
        ("a", 1),
        ("b", 2),
        ("c", 2),
        ("d", 4),
        ("x", None),
        ("y", None),
    ]


def test_exact_ties_are_ordered_by_slug_and_input_is_not_mutated():
    zeta, alpha = make("zeta", 50.0), make("alpha", 50.0)
    ranked = rank_standings([zeta, alpha, make("mid", 40.0)])
    assert [(m, s.rank) for m, s in ranked.items()] == [("alpha", 1), ("zeta", 1), ("mid", 3)]
    assert zeta.rank is None  # copies, not the originals


# --- head to head ----------------------------------------------------------------------------


def test_mini_vs_nano():
    results = head_to_head(provisional("gpt-4-1-mini"), provisional("gpt-4-1-nano"), CATEGORIES)
    assert results == [
        CategoryResult("knowledge", pytest.approx(64.2), pytest.approx(50.3), 13.9, "a"),
        CategoryResult("instruction-following", pytest.approx(88.5), pytest.approx(83.2), 5.3, "a"),
    ]
    assert categories_won(results) == (2, 0)
    swing = biggest_swing(VALUES["gpt-4-1-mini"], VALUES["gpt-4-1-nano"], BENCHMARKS)
    assert swing == Swing("gpqa-diamond", 64.2, 50.3, 13.9)  # 13.9 > MMLU 7.4 > IFEval 5.3


def test_gpt_4_1_vs_mini():
    results = head_to_head(provisional("gpt-4-1"), provisional("gpt-4-1-mini"), CATEGORIES)
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
    results = head_to_head(provisional("gpt-4-1-mini"), provisional("muse-spark"), CATEGORIES)
    assert [(r.slug, round1(r.a), round1(r.b), r.difference, r.winner) for r in results] == [
        ("coding", 23.6, 61.7, 38.1, "b"),  # (77.4 + 46.0) / 2 = 61.7; 61.7 - 23.6
        ("knowledge", 64.2, 50.4, 13.8, "a"),
    ]
    assert categories_won(results) == (1, 1)
    a, b = VALUES["gpt-4-1-mini"], VALUES["muse-spark"]
    assert biggest_swing(a, b, BENCHMARKS) == Swing("swe-bench-verified", 23.6, 77.4, 53.8)
    assert biggest_swing(a, b, BENCHMARKS, "coding").benchmark == "swe-bench-verified"


def test_category_tied_at_one_decimal_has_no_winner():
    a = Standing("a", Lane.PROVISIONAL, {"coding": 88.54, "math": 70.0}, 80.0, 1.0, 4, 2, True)
    b = Standing("b", Lane.PROVISIONAL, {"coding": 88.46}, 80.0, 1.0, 4, 2, True)
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
    s = Standing("m", Lane.PROVISIONAL, scores, 2.0, 1.0, 4, 2, True)
    assert [r.slug for r in head_to_head(s, s, cats)] == ["zeta", "alpha", "beta"]


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
