"""The pasted-table reader on real announcement tables (tests/fixtures/paste/README.md).

Every fixture is matched against the starter catalogue (comparisons/demo_data). The rule the
editor relies on: a cell is either right (model, benchmark and figure) or flagged for a look.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from comparisons.paste import (
    Confidence,
    PastedTable,
    match_name,
    normalise,
    parse_table,
    parse_value,
    scores_csv,
    split_rows,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "paste"
DEMO = ROOT / "comparisons" / "demo_data"


def _catalogue(name: str) -> list[tuple[str, str]]:
    with (DEMO / name).open(encoding="utf-8") as file:
        return [(row["slug"], row["name"]) for row in csv.DictReader(file)]


MODELS = _catalogue("models.csv")
BENCHMARKS = _catalogue("benchmarks.csv")

# For each fixture: its layout, then the truth for every label that names something in the
# starter catalogue. A label not listed names nothing there, so it must never be "sure".
TRUTH = {
    "deepseek-v2-chat.md": (
        "markdown",
        True,
        {},
        {"MMLU": "mmlu", "HumanEval": "humaneval", "LiveCodeBench (1201-0401)": "livecodebench"},
    ),
    "deepseek-v2-base.md": ("markdown", True, {}, {"MMLU": "mmlu", "HumanEval": "humaneval"}),
    "deepseek-v3-chat.md": (
        "markdown",
        True,
        {
            "Qwen2.5 72B-Inst.": "qwen2-5-72b-instruct",
            "Llama3.1 405B-Inst.": "llama-3-1-405b",
            "Claude-3.5-Sonnet-1022": "claude-3-5-sonnet",
            "GPT-4o 0513": "gpt-4o",
            "DeepSeek V3": "deepseek-v3",
        },
        {
            "MMLU (EM)": "mmlu",
            "MMLU-Pro (EM)": "mmlu-pro",
            "IF-Eval (Prompt Strict)": "ifeval",
            "GPQA-Diamond (Pass@1)": "gpqa-diamond",
            "SimpleQA (Correct)": "simpleqa",
        },
    ),
    "deepseek-v3-base.tsv": (
        "tab",
        True,
        {
            "Qwen2.5 72B": "qwen2-5-72b-instruct",
            "LLaMA3.1 405B": "llama-3-1-405b",
            "DeepSeek-V3": "deepseek-v3",
        },
        {
            "MMLU (Acc.)": "mmlu",
            "MMLU-Pro (Acc.)": "mmlu-pro",
            "HumanEval (Pass@1)": "humaneval",
            "LiveCodeBench-Base (Pass@1)": "livecodebench",
        },
    ),
    "claude-3-family.md": (
        "markdown",
        True,
        {},
        {
            "MMLU (5-shot)": "mmlu",
            "HumanEval (0-shot)": "humaneval",
            "GPQA Diamond (0-shot CoT)": "gpqa-diamond",
        },
    ),
    "mmlu-pro-ranking.md": ("markdown", False, {"GPT-4o": "gpt-4o"}, {}),
    "seed-gpt-4-1-mini.txt": (
        "aligned",
        True,
        {"GPT-4.1 Mini": "gpt-4-1-mini", "GPT-4o": "gpt-4o", "o3-mini": "o3-mini"},
        {"MMLU": "mmlu", "SWE-Bench": "swe-bench-verified"},
    ),
    "seed-benchlm-pages.tsv": (
        "tab",
        False,
        {
            "GPT-4.1": "gpt-4-1",
            "GPT-4.1 mini": "gpt-4-1-mini",
            "GPT-4.1 nano": "gpt-4-1-nano",
            "Muse Spark": "muse-spark",
        },
        {"SWE-bench Verified": "swe-bench-verified", "GPQA": "gpqa-diamond", "MMLU": "mmlu"},
    ),
}


def _read(name: str) -> PastedTable:
    return parse_table((FIXTURES / name).read_text(encoding="utf-8"), MODELS, BENCHMARKS)


def _figure(raw: str) -> Decimal | None:
    """The figure a reader sees in a cell, worked out independently of the parser."""
    text = raw.replace("*", "").replace("%", "").replace("~", "").strip()
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def test_at_least_six_real_tables_with_their_sources():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    tables = sorted(p.name for p in FIXTURES.iterdir() if p.name != "README.md")
    assert len(tables) >= 6
    assert set(tables) == set(TRUTH)
    for name in tables:
        line = next(line for line in readme.splitlines() if f"`{name}`" in line)
        assert "http" in line or "seeds" in line


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_every_cell_is_right_or_flagged(name):
    fmt, models_in_columns, model_truth, bench_truth = TRUTH[name]
    table = _read(name)
    assert not table.problems
    assert table.format == fmt
    assert table.models_in_columns is models_in_columns
    assert table.cells
    for label in table.models:
        if label.match.confidence is Confidence.SURE:
            assert model_truth.get(label.text) == label.match.slug, label
    for label in table.benchmarks:
        if label.match.confidence is Confidence.SURE:
            assert bench_truth.get(label.text) == label.match.slug, label
    right = flagged = 0
    for cell in table.cells:
        model, bench = table.models[cell.model], table.benchmarks[cell.benchmark]
        if table.cell_flagged(cell):
            flagged += 1
            continue
        right += 1
        assert model.match.slug == model_truth[model.text]
        assert bench.match.slug == bench_truth[bench.text]
        assert cell.value.number == _figure(cell.value.raw)
    assert right + flagged == len(table.cells)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_guesses_that_name_the_catalogue_propose_the_right_entry(name):
    """Flagged is not enough where the answer is plain: the proposal is the right one."""
    _, _, model_truth, bench_truth = TRUTH[name]
    table = _read(name)
    for labels, truth in ((table.models, model_truth), (table.benchmarks, bench_truth)):
        for label in labels:
            if label.text in truth:
                assert label.match.slug == truth[label.text], label


def test_markdown_with_models_as_columns_reads_every_figure():
    table = _read("deepseek-v2-chat.md")
    assert [label.text for label in table.benchmarks][:2] == ["MMLU", "BBH"]
    assert len(table.models) == 6 and len(table.benchmarks) == 9
    assert len(table.cells) == 54  # the Domain column is words, not a model
    first = table.cells[0]
    assert table.models[first.model].text == "QWen1.5 72B Chat"
    assert first.value.number == Decimal("76.2")


def test_word_rows_and_section_column_are_left_out():
    table = _read("deepseek-v3-chat.md")
    texts = [label.text for label in table.benchmarks]
    assert "Architecture" not in texts and "# Activated Params" not in texts
    assert texts[0] == "MMLU (EM)" and len(texts) == 9
    cells = {
        (table.models[c.model].text, table.benchmarks[c.benchmark].text): c.value.number
        for c in table.cells
    }
    assert cells["DeepSeek V3", "GPQA-Diamond (Pass@1)"] == Decimal("59.1")
    assert cells["Claude-3.5-Sonnet-1022", "MMLU-Pro (EM)"] == Decimal("78.0")


def test_percent_signs_and_dashes():
    table = _read("claude-3-family.md")
    assert "Source/Reference" not in [label.text for label in table.models]
    cells = {
        (table.models[c.model].text, table.benchmarks[c.benchmark].text): c.value.number
        for c in table.cells
    }
    assert cells["Claude 3 Opus", "MATH (4-shot)"] == Decimal("61")
    assert ("Gemini 1.0 Pro", "GPQA Diamond (0-shot CoT)") not in cells  # an en dash: no figure
    assert len(cells) == 8 * 8 - 4


def test_fractions_are_scaled_and_flagged():
    table = _read("mmlu-pro-ranking.md")
    assert [label.text for label in table.models] == ["GPT-4o", "GPT-4-Turbo", "DeepSeek V2"]
    first = table.cells[0]
    assert first.value.number == Decimal("71.4900")
    assert all(table.cell_flagged(cell) for cell in table.cells)


def test_bits_per_byte_among_percentages_is_flagged():
    table = _read("deepseek-v3-base.tsv")
    pile = [c for c in table.cells if table.benchmarks[c.benchmark].text == "Pile-test (BPB)"]
    assert len(pile) == 4 and all(c.value.flagged for c in pile)


def test_aligned_text_and_approximate_figures():
    table = _read("seed-gpt-4-1-mini.txt")
    cells = {
        (table.models[c.model].match.slug, table.benchmarks[c.benchmark].match.slug): c
        for c in table.cells
    }
    assert cells["gpt-4-1-mini", "mmlu"].value.number == Decimal("87.5")
    assert not table.cell_flagged(cells["gpt-4-1-mini", "mmlu"])
    assert cells["gpt-4o", "swe-bench-verified"].value.number == Decimal("33")
    assert table.cell_flagged(cells["gpt-4o", "swe-bench-verified"])  # "SWE-Bench" is a guess


def test_models_as_rows_with_empty_cells():
    table = _read("seed-benchlm-pages.tsv")
    assert len(table.cells) == 6
    sure = [c for c in table.cells if not table.cell_flagged(c)]
    assert {(table.models[c.model].match.slug, c.value.number) for c in sure} == {
        ("gpt-4-1", Decimal("54.6")),
        ("gpt-4-1-mini", Decimal("23.6")),
        ("gpt-4-1-mini", Decimal("87.5")),
        ("muse-spark", Decimal("77.4")),
    }


@pytest.mark.parametrize(
    ("label", "slug", "confidence"),
    [
        ("GPT-4.1 mini", "gpt-4-1-mini", Confidence.SURE),
        ("gpt 4.1-MINI", "gpt-4-1-mini", Confidence.SURE),
        ("gpt-4-1-mini", "gpt-4-1-mini", Confidence.SURE),
        ("**o3-mini**", "o3-mini", Confidence.SURE),
        ("GPT-4o (May)", "gpt-4o", Confidence.GUESS),
        ("Unknown Model 9", None, Confidence.NONE),
        ("", None, Confidence.NONE),
    ],
)
def test_match_model_names(label, slug, confidence):
    found = match_name(label, MODELS)
    assert (found.slug, found.confidence) == (slug, confidence)


@pytest.mark.parametrize(
    ("label", "slug", "confidence"),
    [
        ("MMLU (5-shot)", "mmlu", Confidence.SURE),
        ("GPQA Diamond (0-shot CoT)", "gpqa-diamond", Confidence.SURE),
        ("IF-Eval (Prompt Strict)", "ifeval", Confidence.SURE),
        ("LiveCodeBench (1201-0401)", "livecodebench", Confidence.GUESS),
        ("MMLU-Redux (EM)", None, Confidence.NONE),
    ],
)
def test_a_bracketed_setting_is_not_another_benchmark(label, slug, confidence):
    found = match_name(label, BENCHMARKS)
    assert (found.slug, found.confidence) == (slug, confidence)


def test_benchmark_aliases_are_guesses():
    assert match_name("GPQA", BENCHMARKS).slug == "gpqa-diamond"
    assert match_name("GPQA", BENCHMARKS).confidence is Confidence.GUESS
    assert match_name("GPQA Diamond", BENCHMARKS).confidence is Confidence.SURE
    assert match_name("Humanity's Last Exam", BENCHMARKS).slug == "hle"


@pytest.mark.parametrize(
    ("raw", "number", "flagged"),
    [
        ("87.5", Decimal("87.5"), False),
        ("87.5%", Decimal("87.5"), False),
        (" **88.6** ", Decimal("88.6"), False),
        ("90.2†", Decimal("90.2"), False),
        ("61,5 %", Decimal("61.5"), False),
        ("78.8 (5-shot)", Decimal("78.8"), True),
        ("\u2013", None, False),
        ("N/A", None, False),
        ("MoE", None, True),
        ("1200", None, True),
        ("<script>", None, False),  # markup is stripped: nothing left
    ],
)
def test_parse_value(raw, number, flagged):
    value = parse_value(raw)
    assert value.number == number
    assert value.flagged is flagged


def test_split_rows_drops_markdown_rules_and_prose():
    fmt, rows = split_rows("Results:\n\n| a | b |\n|---|:-:|\n| x | 1 |\n")
    assert fmt == "markdown"
    assert rows == [["a", "b"], ["x", "1"]]


@pytest.mark.parametrize(
    "text",
    ["", "just words", "one\tline", "| a | b |\n|---|---|\n| x | y |", "x" * 100_001],
)
def test_bad_pastes_are_problems_not_crashes(text):
    table = parse_table(text, MODELS, BENCHMARKS)
    assert table.problems
    assert not table.cells


def test_normalise_ignores_case_and_punctuation():
    assert normalise("GPT-4.1 Mini") == normalise("gpt 4.1-mini") == "gpt41mini"


def test_scores_csv_carries_source_and_note_on_every_row():
    text = scores_csv(
        [("gpt-4o", "mmlu", Decimal("88.7")), ("o3-mini", "gpqa-diamond", Decimal("79.7"))],
        "https://example.com/a,b",
        'pasted "table"',
        date(2025, 4, 14),
    )
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 2
    assert all(r["source_url"] == "https://example.com/a,b" for r in rows)
    assert all(r["note"] == 'pasted "table"' and r["verified"] == "no" for r in rows)
    assert rows[0]["score"] == "88.7" and rows[0]["as_of"] == "2025-04-14"


def test_more_than_two_decimals_are_rounded_and_flagged():
    table = parse_table("Benchmark\tGPT-4o\nMMLU\t87.125\nMMLU-Pro\t72.6\n", MODELS, BENCHMARKS)
    first, second = table.cells
    assert first.value.number == Decimal("87.13") and first.value.flagged
    assert second.value.number == Decimal("72.6") and not second.value.flagged


def test_one_catalogue_entry_is_proposed_for_one_label_only():
    """Two columns guessed onto one benchmark would make the import refuse the whole paste."""
    table = parse_table("Model\tGPQA\tGPQA Diamond\nGPT-4o\t50\t53.6\n", MODELS, BENCHMARKS)
    gpqa, diamond = table.benchmarks
    assert (diamond.match.slug, diamond.match.confidence) == ("gpqa-diamond", Confidence.SURE)
    assert gpqa.match.slug is None and gpqa.match.flagged
