"""The verdict writer, checked against the sentences of the reference comparison pages in seeds/.

Comparisons are built by hand from the seed figures through the pure scoring functions, so these
tests need no database and run in milliseconds. The seed overall scores (60, 47 or 55, 28, 69)
came from a larger catalogue, so they are set directly rather than computed.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from comparisons.comparison import Comparison, Side
from comparisons.formatting import figure_overall
from comparisons.presenter import Headline
from comparisons.pricing import TYPICAL, Prices, output_cost_ratio, price_ratio, request_cost
from comparisons.scoring import (
    Benchmark,
    Category,
    Lane,
    Thresholds,
    biggest_swing,
    categories_won,
    category_scores,
    head_to_head,
)
from comparisons.verdict import FAQ, Verdict, write_verdict

CATEGORIES = (
    Category("agentic", "Agentic", 22, order=0),
    Category("coding", "Coding", 20, order=1),
    Category("reasoning", "Reasoning", 17, order=2),
    Category("knowledge", "Knowledge", 12, order=4),
    Category("instruction-following", "Instruction following", 5, order=6),
    Category("math", "Math", 5, order=7),
)
BENCHMARKS = (
    Benchmark("swe-bench-verified", "SWE-bench Verified", "coding", 1),
    Benchmark("livecodebench", "LiveCodeBench", "coding", 1),
    Benchmark("gpqa-diamond", "GPQA", "knowledge", 1),
    Benchmark("mmlu", "MMLU", "knowledge", 0),  # shown, not counted
    Benchmark("ifeval", "IFEval", "instruction-following", 1),
    Benchmark("aime", "AIME 2025", "math", 1),
)


UNPRICED = Prices(input=None, output=None)


@dataclass(frozen=True)
class Model:
    """A model as the seed pages describe it; ``overall`` is set, not computed (see above)."""

    slug: str
    name: str
    values: dict[str, float]
    overall: float | None
    prices: Prices = UNPRICED
    context_window: int | None = None
    output_speed: float | None = None
    ttft: float | None = None
    reasoning: bool = False
    family: str = ""
    provider: str = "OpenAI"


GPT_4_1 = Model(
    "gpt-4-1",
    "GPT-4.1",
    {"gpqa-diamond": 66.3, "mmlu": 90.2, "swe-bench-verified": 54.6, "ifeval": 87.4},
    60,
    Prices(2.0, 8.0),
    1_047_576,
    108,
    1.02,
    family="GPT-4.1",
)
MINI = Model(
    "gpt-4-1-mini",
    "GPT-4.1 mini",
    {"gpqa-diamond": 64.2, "mmlu": 87.5, "swe-bench-verified": 23.6, "ifeval": 88.5},
    47,
    Prices(0.4, 1.6),
    1_047_576,
    80,
    0.76,
    family="GPT-4.1",
)
NANO = Model(
    "gpt-4-1-nano",
    "GPT-4.1 nano",
    {"gpqa-diamond": 50.3, "mmlu": 80.1, "ifeval": 83.2},
    28,
    Prices(0.1, 0.4),
    1_047_576,
    181,
    0.63,
    family="GPT-4.1",
)
MUSE = Model(
    "muse-spark",
    "Muse Spark",
    {"gpqa-diamond": 50.4, "swe-bench-verified": 77.4, "livecodebench": 46.0},
    69,
    context_window=262_144,
    reasoning=True,
    family="Muse",
    provider="Meta",
)


def headline(m: Model, lane: Lane) -> Headline:
    """The displayed figures of ``m``: its set overall, no interval, unranked."""
    return Headline(
        slug=m.slug,
        lane=lane,
        overall=figure_overall(m.overall),
        low=None,
        high=None,
        rank=None,
        rank_low=None,
        rank_high=None,
        ranked_total=0,
        coverage=figure_overall(0),
        measured={},
        estimated={},
        measured_categories=0,
        live_categories=0,
        reason="",
    )


def side(m: Model, lane: Lane) -> Side:
    return Side(
        headline=headline(m, lane),
        slug=m.slug,
        name=m.name,
        provider=m.provider,
        family=m.family,
        reasoning=m.reasoning,
        open_weights=False,
        overall=m.overall,
        rank=None,
        category_scores=_measured(m),
        values=dict(m.values),
        prices=m.prices,
        context_window=m.context_window,
        output_speed=m.output_speed,
        ttft=m.ttft,
        typical_cost=request_cost(m.prices, TYPICAL.input_tokens, TYPICAL.output_tokens),
        last_updated=datetime(2026, 4, 8, tzinfo=UTC),
    )


def _measured(m: Model) -> dict[str, float]:
    return category_scores(m.values, CATEGORIES, BENCHMARKS, Thresholds().category_share)


def compare(x: Model, y: Model, lane: Lane = Lane.PROVISIONAL) -> Comparison:
    """What build_comparison would produce for these two models, without a scoreboard."""
    a, b = side(x, lane), side(y, lane)
    results = head_to_head(_measured(x), _measured(y), CATEGORIES)
    siblings = bool(x.family) and x.family == y.family
    return Comparison(
        a=a,
        b=b,
        lane=lane,
        categories=results,
        category_names={c.slug: c.name for c in CATEGORIES},
        benchmark_names={bench.slug: bench.name for bench in BENCHMARKS},
        wins=categories_won(results),
        swing=biggest_swing(a.values, b.values, BENCHMARKS),
        category_swings={
            r.slug: biggest_swing(a.values, b.values, BENCHMARKS, category=r.slug) for r in results
        },
        siblings=siblings,
        family=x.family if siblings else "",
        output_cost_ratio=output_cost_ratio(a.prices, b.prices),
        price_ratio=price_ratio(a.typical_cost, b.typical_cost),
    )


def text(v: Verdict) -> str:
    return "\n".join([v.quick, *v.paragraphs, *(f"{f.question}\n{f.answer}" for f in v.faq)])


def verdict(x: Model, y: Model, **changes) -> Verdict:
    return write_verdict(compare(x, y, **changes))


R = dataclasses.replace
MINI_APRIL = R(MINI, overall=55)  # seed 000 was published when GPT-4.1 mini scored 55


def paragraph(v: Verdict, start: str) -> str:
    return next(p for p in v.paragraphs if p.startswith(start))


def answer(v: Verdict, question_start: str) -> str:
    return next(f.answer for f in v.faq if f.question.startswith(question_start))


def prices_in(s: str) -> set[str]:
    return set(re.findall(r"\$[\d.,]+\d", s))


# --- the reference pages ---------------------------------------------------------------------


def test_seed_000_mini_vs_muse_spark():
    v = verdict(MINI_APRIL, MUSE)
    assert v.quick == (
        "Pick Muse Spark if you want the stronger benchmark profile. GPT-4.1 mini only becomes "
        "the better choice if knowledge is the priority or you need the larger 1M context window."
    )
    assert v.paragraphs[:3] == [
        "Muse Spark is clearly ahead on the provisional aggregate, 69 to 55. The gap is large "
        "enough that you do not need to squint at the spreadsheet to see the difference.",
        "Muse Spark's sharpest advantage is in coding, where it averages 61.7 against 23.6. The "
        "single biggest benchmark swing on the page is SWE-bench Verified, 23.6% to 77.4%. "
        "GPT-4.1 mini does hit back in knowledge, so the answer changes if that is the part of "
        "the workload you care about most.",
        "Muse Spark is the reasoning model in the pair, while GPT-4.1 mini is not. That usually "
        "helps on harder chain-of-thought-heavy tests, but it can also mean more latency and more "
        "token spend in real use. GPT-4.1 mini gives you the larger context window at 1M, "
        "compared with 262K for Muse Spark.",
    ]
    assert v.faq[0] == FAQ(
        "Which is better, GPT-4.1 mini or Muse Spark?",
        "Muse Spark is ahead on BenchLM's provisional leaderboard, 69 to 55. The biggest single "
        "separator in this matchup is SWE-bench Verified, where the scores are 23.6% and 77.4%.",
    )
    assert answer(v, "Which is better for coding") == (
        "Muse Spark has the edge for coding in this comparison, averaging 61.7 versus 23.6. Inside "
        "this category, SWE-bench Verified is the benchmark that creates the most daylight "
        "between them."
    )
    assert answer(v, "Which is better for knowledge tasks").startswith(
        "GPT-4.1 mini has the edge for knowledge tasks in this comparison, averaging 64.2 versus "
        "50.4."
    )


def test_seed_001_gpt_4_1_vs_mini():
    v = verdict(GPT_4_1, MINI)
    assert v.quick == (
        "GPT-4.1 makes more sense if coding is the priority, while GPT-4.1 mini is the cleaner "
        "fit if instruction following is the priority or you want the cheaper token bill."
    )
    assert v.paragraphs[:4] == [
        "GPT-4.1 and GPT-4.1 mini sit in the same GPT-4.1 family. This page is less about two "
        "unrelated model lineages and more about how the siblings trade off on benchmark shape, "
        "token costs, and practical limits like context window.",
        "GPT-4.1 is clearly ahead on the provisional aggregate, 60 to 47. The gap is large enough "
        "that you do not need to squint at the spreadsheet to see the difference.",
        "GPT-4.1's sharpest advantage is in coding, where it averages 54.6 against 23.6. The "
        "single biggest benchmark swing on the page is SWE-bench Verified, 54.6% to 23.6%. "
        "GPT-4.1 mini does hit back in instruction following, so the answer changes if that is "
        "the part of the workload you care about most.",
        "GPT-4.1 is also the more expensive model on tokens at $2.00 input / $8.00 output per 1M "
        "tokens, versus $0.40 input / $1.60 output per 1M tokens for GPT-4.1 mini. That is "
        "roughly 5.0\N{MULTIPLICATION SIGN} on output cost alone.",
    ]
    first = v.faq[0].answer
    assert first.startswith("GPT-4.1 and GPT-4.1 mini are sibling variants in the GPT-4.1 family")
    assert first.endswith("GPT-4.1 is ahead on BenchLM's provisional leaderboard, 60 to 47.")
    assert "the larger context window" not in first  # both take 1M: not a lever here
    assert answer(v, "Which is better for knowledge tasks").startswith(
        "GPT-4.1 has the edge for knowledge tasks in this comparison, averaging 66.3 versus 64.2. "
        "Inside this category, MMLU is the benchmark that creates the most daylight between them."
    )
    assert answer(v, "Which is better for coding").startswith(
        "GPT-4.1 has the edge for coding in this comparison, averaging 54.6 versus 23.6. Inside "
        "this category, SWE-bench Verified is the benchmark that creates the most daylight"
    )
    assert answer(v, "Which is better for instruction following").startswith(
        "GPT-4.1 mini has the edge for instruction following in this comparison, averaging 88.5 "
        "versus 87.4. Inside this category, IFEval is the benchmark that creates the most daylight"
    )


def test_seed_002_mini_vs_nano():
    v = verdict(MINI, NANO)
    assert "sit in the same GPT-4.1 family" in v.paragraphs[0]
    assert v.paragraphs[1].startswith(
        "GPT-4.1 mini is clearly ahead on the provisional aggregate, 47 to 28."
    )
    assert v.paragraphs[2] == (
        "GPT-4.1 mini's sharpest advantage is in knowledge, where it averages 64.2 against 50.3. "
        "The single biggest benchmark swing on the page is GPQA, 64.2% to 50.3%."
    )
    assert paragraph(v, "GPT-4.1 mini is also the more expensive") == (
        "GPT-4.1 mini is also the more expensive model on tokens at $0.40 input / $1.60 output "
        "per 1M tokens, versus $0.10 input / $0.40 output per 1M tokens for GPT-4.1 nano. That is "
        "roughly 4.0\N{MULTIPLICATION SIGN} on output cost alone."
    )
    assert answer(v, "Which is better for knowledge tasks") == (
        "GPT-4.1 mini has the edge for knowledge tasks in this comparison, averaging 64.2 versus "
        "50.3. Inside this category, GPQA is the benchmark that creates the most daylight between "
        "them."
    )
    assert answer(v, "Which is better for instruction following") == (
        "GPT-4.1 mini has the edge for instruction following in this comparison, averaging 88.5 "
        "versus 83.2. Inside this category, IFEval is the benchmark that creates the most daylight "
        "between them."
    )


def test_faq_order_overall_then_categories_in_display_order_then_practical():
    v = verdict(GPT_4_1, MINI)
    assert [f.question for f in v.faq] == [
        "Which is better, GPT-4.1 or GPT-4.1 mini?",
        "Which is better for coding, GPT-4.1 or GPT-4.1 mini?",
        "Which is better for knowledge tasks, GPT-4.1 or GPT-4.1 mini?",
        "Which is better for instruction following, GPT-4.1 or GPT-4.1 mini?",
        "Which is cheaper, GPT-4.1 or GPT-4.1 mini?",
        "Which is better value, GPT-4.1 or GPT-4.1 mini?",
        "Which has the larger context window, GPT-4.1 or GPT-4.1 mini?",
        "Which is faster, GPT-4.1 or GPT-4.1 mini?",
    ]


def test_category_topics():
    a = R(GPT_4_1, values={**GPT_4_1.values, "aime": 40.0})
    b = R(MINI, values={**MINI.values, "aime": 50.0})
    assert "Which is better for math, GPT-4.1 or GPT-4.1 mini?" in [
        f.question for f in verdict(a, b).faq
    ]


# --- how clearly one leads -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a_overall", "b_overall", "expected"),
    [
        (55, 47, "GPT-4.1 is clearly ahead on the provisional aggregate, 55 to 47."),
        (
            54,
            47,
            "GPT-4.1 is ahead on the provisional aggregate, 54 to 47, but the margin is modest",
        ),
        (
            50,
            47,
            "GPT-4.1 is ahead on the provisional aggregate, 50 to 47, but the margin is modest",
        ),
        (49, 47, "GPT-4.1 and GPT-4.1 mini are effectively level on the provisional aggregate, 49"),
        (47.6, 46.4, "GPT-4.1 and GPT-4.1 mini are effectively level on the provisional aggregate"),
        (
            47.2,
            46.8,
            "GPT-4.1 and GPT-4.1 mini are level on the provisional aggregate at 47 apiece",
        ),
    ],
)
def test_lead_wording_by_gap(a_overall, b_overall, expected):
    v = verdict(R(GPT_4_1, overall=a_overall), R(MINI, overall=b_overall))
    assert v.paragraphs[1].startswith(expected)


def test_modest_lead_keeps_the_trade_off_framing():
    v = verdict(R(GPT_4_1, overall=53, family=""), R(MINI, family=""))
    assert v.paragraphs[0].endswith(
        "but the margin is modest: 6 points is small enough that a win in the category you care "
        "about most can outweigh it."
    )
    assert v.quick.startswith("GPT-4.1 makes more sense if coding is the priority")
    assert "That is a modest lead" in v.faq[0].answer
    assert "clearly ahead" not in text(v)


def test_level_says_so_and_points_at_shape_price_and_context():
    v = verdict(R(GPT_4_1, overall=48), R(MINI, overall=47))
    assert v.quick.startswith("There is little to separate them overall, so pick by shape: ")
    assert "the choice comes down to category shape, price and context window" in text(v)
    assert "is ahead on" not in text(v)
    assert " is also the more expensive" not in text(v)  # no leader, so no "also"
    assert "GPT-4.1 mini's sharpest advantage is in instruction following" in text(v)


def test_verified_lane_is_named():
    v = verdict(GPT_4_1, MINI, lane=Lane.VERIFIED)
    assert "clearly ahead on the verified aggregate, 60 to 47" in text(v)
    assert "BenchLM's verified leaderboard" in v.faq[0].answer
    assert "provisional" not in text(v)


def test_overall_missing_on_one_side_falls_back_to_categories():
    v = verdict(R(MINI_APRIL, overall=None), MUSE)
    assert v.paragraphs[0] == (
        "GPT-4.1 mini has too few counted benchmarks for an overall score on the provisional "
        "aggregate, while Muse Spark scores 69, so the categories they share are the fairer "
        "guide. On those they come out even."
    )
    assert "None" not in text(v) and "—" not in text(v)
    assert "GPT-4.1 mini's sharpest advantage is in knowledge" in text(v)
    assert "Muse Spark's sharpest advantage is in coding" in text(v)


def test_overall_missing_on_both_sides():
    v = verdict(R(GPT_4_1, overall=None), R(MINI, overall=None))
    assert v.paragraphs[1].startswith(
        "Neither model has enough counted benchmarks for an overall score on the provisional "
        "aggregate"
    )
    assert v.paragraphs[1].endswith("On those, GPT-4.1 wins 2 of 3.")
    assert "None" not in text(v)


# --- sweeps and what is left for the other model ---------------------------------------------


def test_clean_sweep_names_only_the_reasons_that_hold():
    v = verdict(MINI, NANO)
    assert v.quick == (
        "GPT-4.1 mini wins every category we can compare and leads overall, 47 to 28. The only "
        "reasons to pick GPT-4.1 nano are the cheaper token bill, faster output, and lower latency."
    )


def test_sweep_by_a_cheaper_model_with_a_smaller_window():
    strong = R(GPT_4_1, values={"gpqa-diamond": 70.0}, family="")
    weak = R(
        NANO, values={"gpqa-diamond": 50.0}, context_window=128_000, output_speed=100, ttft=1.0
    )
    v = verdict(strong, R(weak, family=""))
    assert v.quick == (
        "GPT-4.1 wins the only category we can compare, knowledge, and leads overall, 60 to 28. "
        "The only reason to pick GPT-4.1 nano is the cheaper token bill."
    )  # 8% faster and 2% quicker to answer are noise, and its window is smaller


def test_sweep_with_nothing_left_for_the_other_model():
    pricey = R(MINI, values={"gpqa-diamond": 60.0, "ifeval": 80.0}, prices=Prices(3.0, 12.0))
    v = verdict(R(GPT_4_1, family=""), R(pricey, output_speed=60, ttft=1.5, family=""))
    assert v.quick == (
        "GPT-4.1 wins every category we can compare and leads overall, 60 to 47. On current data "
        "there is no benchmark or operational reason to pick GPT-4.1 mini."
    )
    assert paragraph(v, "Despite trailing on benchmarks, GPT-4.1 mini is the more expensive")
    assert "GPT-4.1 is both the stronger and the cheaper option on current data." in text(v)


def test_tied_category_is_no_win_for_either():
    v = verdict(R(MINI, values={**MINI.values, "ifeval": 87.4}), GPT_4_1)
    assert answer(v, "Which is better for instruction following") == (
        "Neither has the edge for instruction following in this comparison: both average 87.4."
    )
    assert "They are level in instruction following." in text(v)
    assert "wins every category" not in v.quick
    assert "does hit back" not in text(v)


def test_trailer_winning_several_categories():
    v = verdict(GPT_4_1, R(MINI, values={**MINI.values, "gpqa-diamond": 70.0, "ifeval": 95.0}))
    assert (
        "GPT-4.1 mini does hit back in instruction following and knowledge, most of all in "
        "instruction following (95.0 against 87.4), so the answer changes if those are the parts"
    ) in text(v)


def test_no_shared_category():
    a = R(NANO, values={"aime": 80.0}, family="")
    v = verdict(a, R(MUSE, values={"gpqa-diamond": 50.4}))
    assert [f.question.split(",")[0] for f in v.faq] == [
        "Which is better",
        "Which is cheaper",
        "Which is better value",
        "Which has the larger context window",
    ]
    assert "The two models share no benchmark" in text(v)
    assert "sharpest advantage" not in text(v)


# --- category answers ------------------------------------------------------------------------


def test_close_category_can_flip_and_a_wide_one_cannot():
    v = verdict(GPT_4_1, MINI)
    assert answer(v, "Which is better for knowledge tasks").endswith(
        "GPT-4.1 mini stays close enough that the answer can still flip depending on your workload."
    )
    assert "stays close" not in answer(v, "Which is better for coding")


def test_daylight_benchmark_that_favours_the_category_loser():
    a = R(GPT_4_1, values={"gpqa-diamond": 70.0, "mmlu": 80.0})
    b = R(MINI, values={"gpqa-diamond": 60.0, "mmlu": 95.0})
    assert answer(verdict(a, b), "Which is better for knowledge tasks") == (
        "GPT-4.1 has the edge for knowledge tasks in this comparison, averaging 70.0 versus 60.0. "
        "Inside this category, MMLU is the benchmark that creates the most daylight between them, "
        "though that one goes GPT-4.1 mini's way."
    )


def test_category_averages_on_different_benchmarks():
    a = R(GPT_4_1, values={**GPT_4_1.values, "swe-bench-verified": 60.0})
    b = R(
        MINI,
        values={
            **{k: v for k, v in MINI.values.items() if k != "swe-bench-verified"},
            "livecodebench": 40.0,
        },
    )
    assert "rest on different benchmarks" in answer(verdict(a, b), "Which is better for coding")


# --- price, context, speed, reasoning ---------------------------------------------------------


def test_unknown_price_is_never_invented():
    v = verdict(MINI_APRIL, MUSE)
    assert paragraph(v, "BenchLM has no published price for Muse Spark yet") == (
        "BenchLM has no published price for Muse Spark yet, so there is no like-for-like cost "
        "comparison. GPT-4.1 mini lists $0.40 input / $1.60 output per 1M tokens."
    )
    # GPT-4.1 mini's list prices and its value ($0.0036 / 55 per point); nothing for Muse Spark.
    assert prices_in(text(v)) == {"$0.40", "$1.60", "$0.0000655"}
    assert "N/A" not in text(v) and "cheaper" not in v.quick
    assert "has not published" not in text(v)


def test_both_prices_unknown():
    other = R(MUSE, slug="muse-lite", name="Muse Lite", overall=60, values={"gpqa-diamond": 40.0})
    v = verdict(MUSE, other)
    assert "BenchLM has no published price for either model yet" in text(v)
    assert "$" not in text(v)
    assert not any(f.question.startswith("Which is cheaper") for f in v.faq)


def test_partial_price_is_not_a_cost_comparison():
    v = verdict(R(MINI, prices=Prices(None, 1.6), family=""), R(GPT_4_1, family=""))
    assert "BenchLM has no complete published price for GPT-4.1 mini yet" in text(v)
    assert "GPT-4.1 mini lists $1.60 output per 1M tokens." in text(v)
    assert "cheaper token bill" not in v.quick and "expensive" not in text(v)


def test_price_faq_from_the_pricier_side():
    v = verdict(MINI, NANO)
    assert answer(v, "Which is cheaper") == (
        "GPT-4.1 nano is the cheaper of the two. For a typical request of 5,000 input and 1,000 "
        "output tokens, GPT-4.1 mini costs 4.0\N{MULTIPLICATION SIGN} as much per request (300% "
        "more): $0.0036 against $0.0009. List prices are $0.40 input / $1.60 output per 1M tokens "
        "for GPT-4.1 mini and $0.10 input / $0.40 output per 1M tokens for GPT-4.1 nano."
    )
    assert not re.search(r"\d+% cheaper", text(v))


def test_context_faq_in_tokens_and_pages():
    v = verdict(MINI_APRIL, MUSE)
    assert answer(v, "Which has the larger context window") == (
        "GPT-4.1 mini has the larger context window: 1M tokens (about 1,396 pages) against 262K "
        "tokens (about 349 pages) for Muse Spark."
    )
    assert answer(verdict(MINI, NANO), "Which has the larger") == (
        "Neither: both take 1M tokens (about 1,396 pages)."
    )
    unknown = verdict(R(MINI, context_window=None), NANO)
    assert answer(unknown, "Which has the larger") == (
        "GPT-4.1 nano takes 1M tokens (about 1,396 pages); BenchLM has no published context "
        "window for GPT-4.1 mini yet."
    )
    assert "larger 1M context" not in unknown.quick


def test_much_larger_context_window():
    v = verdict(R(MINI, family=""), R(MUSE, context_window=128_000))
    assert "GPT-4.1 mini gives you a much larger context window at 1M, compared with 128K" in (
        text(v)
    )
    assert "That is 8.2\N{MULTIPLICATION SIGN} the room" in answer(v, "Which has the larger")


def test_speed_and_latency():
    assert paragraph(verdict(MINI, NANO), "GPT-4.1 nano is the faster") == (
        "GPT-4.1 nano is the faster of the two, generating 181 t/s against 80 t/s (126% faster), "
        "and it also answers sooner: 0.63s to first token against 0.76s."
    )
    assert answer(verdict(GPT_4_1, MINI), "Which is faster") == (
        "GPT-4.1 is the faster of the two, generating 108 t/s against 80 t/s (35% faster), but "
        "GPT-4.1 mini answers sooner: 0.76s to first token against 1.02s."
    )
    assert not any(f.question.startswith("Which is faster") for f in verdict(MINI, MUSE).faq)


def test_reasoning_sentences():
    assert "Muse Spark is the reasoning model in the pair" in text(verdict(MINI, MUSE))
    both = text(verdict(R(GPT_4_1, reasoning=True), MUSE))
    assert "is the reasoning model in the pair" not in both
    assert "Both are reasoning models" in both
    assert "reasoning" not in text(verdict(GPT_4_1, MINI))


# --- order and determinism -------------------------------------------------------------------


@pytest.mark.parametrize(("x", "y"), [(MINI_APRIL, MUSE), (GPT_4_1, MINI), (MINI, NANO)])
def test_swapping_the_pair_mirrors_the_text(x, y):
    """B-vs-A says the same things as A-vs-B: only title-ordered figures change places."""
    ab, ba = verdict(x, y), verdict(y, x)
    assert ab.quick == ba.quick
    swing = re.compile(
        r"(SWE-bench Verified|GPQA)(, where the scores are|,) ([\d.]+%) (to|and) ([\d.]+%)"
    )

    def mirrored(s: str) -> str:
        s = swing.sub(r"\1\2 \5 \4 \3", s)
        return s.replace(f"{x.name} and {y.name} ", f"{y.name} and {x.name} ")

    assert [mirrored(p) for p in ab.paragraphs] == ba.paragraphs
    assert [mirrored(f.answer) for f in ab.faq] == [f.answer for f in ba.faq]
    assert [
        f.question.replace(f"{x.name} or {y.name}", f"{y.name} or {x.name}") for f in ab.faq
    ] == [f.question for f in ba.faq]


def test_the_same_comparison_always_reads_the_same():
    c = compare(GPT_4_1, MINI)
    assert write_verdict(c) == write_verdict(c)


def test_a_price_gap_of_a_few_percent_is_no_reason_to_pick():
    close = R(MINI, prices=Prices(2.1, 8.0), family="")  # 3% dearer per typical request
    v = verdict(R(GPT_4_1, family=""), close)
    assert "cheaper token bill" not in v.quick
    assert "They cost about the same for a typical request: GPT-4.1 mini costs 1.03" in text(v)
    assert "both the stronger and the cheaper" not in text(v)


def test_a_leader_without_shared_category_wins_is_picked_for_its_overall_score():
    a = R(GPT_4_1, values={"swe-bench-verified": 54.6}, overall=33, family="")
    v = verdict(a, R(NANO, family=""))
    assert v.quick.startswith("GPT-4.1 makes more sense if you want the stronger overall score")
    assert "they share no scored category" not in text(v)  # both have overall scores
    assert "The two models share no benchmark" in text(v)


# --- value per point and prompt caching (comparisons/verdict/faq.py) ------------------------

TYPICAL_WORDS = "a typical request of 5,000 input and 1,000 output tokens"
SONNET = Model(
    "claude-sonnet-4",
    "Claude Sonnet 4",
    {"gpqa-diamond": 70.0, "swe-bench-verified": 72.7},
    58,
    Prices(3.0, 15.0, cached_input=0.3),
    200_000,
    60,
    1.2,
    family="Claude",
    provider="Anthropic",
)
CACHED_MINI = R(MINI, prices=Prices(0.4, 1.6, cached_input=0.1))


def test_value_faq_from_the_dearer_side_both_ways():
    # Nano: $0.0009 / 28 = $0.0000321 per point; mini: $0.0036 / 47 = $0.0000766 per point.
    # Mini over nano: (0.0036 / 47) / (0.0009 / 28) = 112 / 47 = 2.38x, 138% more.
    expected = (
        f"GPT-4.1 nano is the better value: for {TYPICAL_WORDS} it costs $0.0000321 per overall "
        "point, against $0.0000766 for GPT-4.1 mini. GPT-4.1 mini costs 2.4\N{MULTIPLICATION SIGN}"
        " as much per overall point (138% more). GPT-4.1 mini still scores higher overall, 47 to "
        "28: value says what a point costs, not which model is stronger."
    )
    assert answer(verdict(MINI, NANO), "Which is better value, GPT-4.1 mini or GPT-4.1 nano?") == (
        expected
    )
    assert answer(verdict(NANO, MINI), "Which is better value, GPT-4.1 nano or") == expected
    assert not re.search(r"\d+% cheaper", text(verdict(MINI, NANO)))


def test_value_faq_when_the_better_value_is_also_the_stronger_model():
    # GPT-4.1: $0.018 / 45 = $0.0004 per point; over mini's $0.0036 / 47: 5.22x, 422% more.
    v = verdict(R(GPT_4_1, overall=45), MINI)
    assert answer(v, "Which is better value") == (
        f"GPT-4.1 mini is the better value: for {TYPICAL_WORDS} it costs $0.0000766 per overall "
        "point, against $0.0004 for GPT-4.1. GPT-4.1 costs 5.2\N{MULTIPLICATION SIGN} as much per "
        "overall point (422% more)."
    )


def test_value_faq_level_and_free():
    # $0.0009 / 11.75 is $0.0036 / 47: the same price per point.
    assert answer(verdict(MINI, R(NANO, overall=11.75)), "Which is better value") == (
        f"They are level on value: for {TYPICAL_WORDS}, both cost $0.0000766 per overall point."
    )
    free = answer(verdict(R(NANO, prices=Prices(0.0, 0.0)), MINI), "Which is better value")
    assert free.startswith(
        f"GPT-4.1 nano is the better value: for {TYPICAL_WORDS} it costs $0.00 per overall point, "
        "against $0.0000766 for GPT-4.1 mini. GPT-4.1 nano costs nothing per request at list "
        "prices."
    )


def test_value_faq_without_an_overall_score_or_a_price():
    assert answer(verdict(R(MINI, overall=None), NANO), "Which is better value") == (
        "GPT-4.1 mini has too few counted benchmarks for an overall score yet, so there is no "
        f"like-for-like value comparison. For {TYPICAL_WORDS}, GPT-4.1 nano costs $0.0000321 per "
        "overall point."
    )
    # $0.0036 / 55 = $0.0000655 per point.
    assert answer(verdict(MINI_APRIL, MUSE), "Which is better value") == (
        "BenchLM has no published price for Muse Spark yet, so there is no like-for-like value "
        f"comparison. For {TYPICAL_WORDS}, GPT-4.1 mini costs $0.0000655 per overall point."
    )
    partial = verdict(R(MINI, prices=Prices(None, 1.6)), GPT_4_1)
    assert answer(partial, "Which is better value").startswith(
        "BenchLM has no complete published price for GPT-4.1 mini yet"
    )
    assert "$0.0003 per overall point" in answer(partial, "Which is better value")  # $0.018 / 60
    neither = verdict(R(MINI, overall=None), MUSE)  # one lacks a score, the other a price
    assert not any(f.question.startswith("Which is better value") for f in neither.faq)


def test_caching_faq_on_both_models():
    # Mini: 5,000 x $0.40 + 1,000 x $1.60 = $0.0036; cached 5,000 x $0.10 + $0.0016 = $0.0021,
    # 1 - 21/36 = 41.7% less. Sonnet: 5,000 x $3 + 1,000 x $15 = $0.03; cached 5,000 x $0.30
    # + $0.015 = $0.0165, 45% less.
    v = verdict(CACHED_MINI, SONNET)
    assert [f.question for f in v.faq][3:6] == [
        "Which is cheaper, GPT-4.1 mini or Claude Sonnet 4?",
        "Which is better value, GPT-4.1 mini or Claude Sonnet 4?",
        "How much does prompt caching save on GPT-4.1 mini and Claude Sonnet 4?",
    ]
    assert answer(v, "How much does prompt caching save") == (
        f"With every input token of {TYPICAL_WORDS} served from the prompt cache, GPT-4.1 mini "
        "drops from $0.0036 to $0.0021 (42% less) and Claude Sonnet 4 drops from $0.03 to $0.0165 "
        "(45% less). Caching takes a larger share off Claude Sonnet 4's bill. Output tokens are "
        "still billed in full, so the saving is smaller than the discount on cached input."
    )
    same = verdict(CACHED_MINI, R(NANO, prices=Prices(0.1, 0.4, cached_input=0.025)))
    assert "Caching takes the same share off both bills." in answer(same, "How much does")


def test_caching_faq_with_an_unknown_cached_price():
    v = verdict(CACHED_MINI, NANO)
    assert answer(v, "How much does prompt caching save on GPT-4.1 mini and GPT-4.1 nano?") == (
        f"With every input token of {TYPICAL_WORDS} served from the prompt cache, GPT-4.1 mini "
        "drops from $0.0036 to $0.0021 (42% less). BenchLM has no published cached-input price "
        "for GPT-4.1 nano. Output tokens are still billed in full, so the saving is smaller than "
        "the discount on cached input."
    )
    assert "0%" not in answer(v, "How much does")
    assert not any(f.question.startswith("How much does") for f in verdict(MINI, NANO).faq)
    partial = verdict(R(MINI, prices=Prices(None, 1.6, cached_input=0.1)), NANO)
    assert answer(partial, "How much does") == (
        "BenchLM has no complete published price for GPT-4.1 mini. BenchLM has no published "
        "cached-input price for GPT-4.1 nano."
    )


def test_caching_faq_with_a_free_cached_price():
    # Nano with free cache hits: $0.0009 standard, 1,000 x $0.40 = $0.0004 cached, 55.6% less.
    free_cache = R(NANO, prices=Prices(0.1, 0.4, cached_input=0.0))
    assert answer(verdict(free_cache, CACHED_MINI), "How much does") == (
        f"With every input token of {TYPICAL_WORDS} served from the prompt cache, GPT-4.1 nano, "
        "whose cached input tokens are free, drops from $0.0009 to $0.0004 (56% less) and GPT-4.1 "
        "mini drops from $0.0036 to $0.0021 (42% less). Caching takes a larger share off GPT-4.1 "
        "nano's bill. Output tokens are still billed in full, so the saving is smaller than the "
        "discount on cached input."
    )
    free_model = R(NANO, prices=Prices(0.0, 0.0, cached_input=0.0))
    assert answer(verdict(free_model, NANO), "How much does") == (
        "GPT-4.1 nano costs nothing per request at list prices, so there is nothing to save. "
        "BenchLM has no published cached-input price for GPT-4.1 nano."
    )
    no_discount = R(NANO, prices=Prices(0.1, 0.4, cached_input=0.1))
    assert "no saving" in answer(verdict(no_discount, MINI), "How much does")


# --- uncertainty: within the noise, sweeps that trail ----------------------------------------


def test_within_the_noise_no_overall_winner_is_named():
    c = dataclasses.replace(compare(GPT_4_1, MUSE), within_noise=True)
    v = write_verdict(c)
    assert not v.quick.startswith("Pick ")
    lead = paragraph(v, "On the provisional aggregate")
    assert "within the noise" in lead and "clearly ahead" not in " ".join(v.paragraphs)
    assert answer(v, "Which is better,").startswith("Neither pulls clearly ahead.")


def test_a_sweep_within_the_noise_is_still_a_sweep():
    # GPT-4.1 wins every category it shares with nano (knowledge and instruction following).
    c = dataclasses.replace(compare(GPT_4_1, NANO), within_noise=True)
    quick = write_verdict(c).quick
    assert quick.startswith("GPT-4.1 wins every category we can compare, though overall the two")


def test_a_sweep_that_trails_overall_says_so():
    c = compare(GPT_4_1, R(NANO, overall=70))  # nano ahead on categories GPT-4.1 lacks
    quick = write_verdict(c).quick
    assert quick.startswith(
        "GPT-4.1 wins every category we can compare, though GPT-4.1 nano is ahead overall, 70 to 60"
    )
