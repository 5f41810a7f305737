"""The shipped demo catalogue keeps its promises: sourced, current and balanced.

comparisons/demo_data/README.md states the rules these checks enforce: every score names the page
it was read from, every 2026 row keeps the quoted sentence or table row in sources.csv, only a
benchmark maintainer or an independent evaluator makes a score verified, and every category of
the methodology has at least two counted benchmarks. The checks read the CSV files only, so they
need no database and fail on the row that breaks a rule.
"""

import csv
import importlib
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DEMO = Path(__file__).resolve().parents[2] / "comparisons" / "demo_data"
# The starter catalogue used to stop in 2025; rows from here on follow the stricter source rules.
FRONTIER_SINCE = date(2025, 12, 1)
# Leaderboards run by a benchmark's maintainers or by independent evaluators. A score read
# anywhere else (a vendor's announcement, a copy of it, a write-up) is provisional.
VERIFYING_SOURCES = (
    "github.com/sierra-research/tau2-bench/",
    "www.tbench.ai/",
    "arcprize.org/",
    "scale.com/leaderboard/",
    "labs.scale.com/leaderboard/",
    "www.swebench.com/",
    "epoch.ai/",
    "artificialanalysis.ai/",
    "www.vals.ai/",
    "lmarena.ai/",
)


def rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


MODELS = rows("models.csv")
BENCHMARKS = rows("benchmarks.csv")
SCORES = rows("scores.csv")
SOURCES = rows("sources.csv")
FRONTIER = {
    row["slug"]
    for row in MODELS
    if row["release_date"] and date.fromisoformat(row["release_date"]) >= FRONTIER_SINCE
}
# Muse Spark (April 2026) came with the earlier starter set, sourced by its notes/ file; its
# rows stay as they were.
EARLIER = {"muse-spark"}
ADDED = FRONTIER - EARLIER
ADDED_SCORES = [row for row in SCORES if row["model"] in ADDED]


def test_the_catalogue_reaches_the_2026_frontier():
    assert len(FRONTIER) == 38 >= 30
    assert len(ADDED) == 37
    assert len(BENCHMARKS) == 28 >= 25
    providers = {row["provider"] for row in MODELS if row["slug"] in FRONTIER}
    assert providers == {
        "OpenAI", "Anthropic", "Google", "xAI", "Meta", "Mistral AI", "DeepSeek", "Alibaba",
        "Moonshot AI", "Zhipu AI",
    }  # fmt: skip


def test_every_category_has_at_least_two_counted_benchmarks():
    defaults = importlib.import_module("comparisons.migrations.0002_default_categories")
    counted = Counter(row["category"] for row in BENCHMARKS if Decimal(row["weight"]) > 0)
    assert {slug: counted[slug] for slug, *_ in defaults.CATEGORIES} == {
        "agentic": 6,
        "coding": 4,
        "reasoning": 2,
        "multimodal": 2,
        "knowledge": 3,
        "multilingual": 2,
        "instruction-following": 2,
        "math": 3,
    }


def test_the_2026_benchmarks_decide_model_choice():
    slugs = {row["slug"] for row in BENCHMARKS}
    assert {
        "terminal-bench-2", "tau2-telecom", "osworld-verified", "browsecomp", "mcp-atlas",
        "swe-bench-pro", "hle", "arc-agi-2", "mmmlu",
    } <= slugs  # fmt: skip


@pytest.mark.parametrize("score", SCORES, ids=lambda row: f"{row['model']}/{row['benchmark']}")
def test_every_score_names_the_page_it_was_read_from(score):
    address = urlsplit(score["source_url"])
    assert address.scheme in {"http", "https"} and address.netloc, score
    assert score["note"].strip(), score


def test_every_added_score_keeps_the_row_it_was_read_from():
    quotes = {
        (row["model"], row["what"].removeprefix("score "), row["source_url"]): row["quote"]
        for row in SOURCES
        if row["what"].startswith("score ")
    }
    missing = [
        (row["model"], row["benchmark"])
        for row in ADDED_SCORES
        if not quotes.get((row["model"], row["benchmark"], row["source_url"]), "").strip()
    ]
    assert missing == []


def test_every_added_model_has_sourced_specs_and_a_price_line():
    kinds = {(row["model"], row["what"]) for row in SOURCES if row["source_url"] and row["quote"]}
    assert [slug for slug in sorted(ADDED) if (slug, "specs") not in kinds] == []
    assert [slug for slug in sorted(ADDED) if (slug, "prices") not in kinds] == []


def test_only_maintainers_and_independent_evaluators_verify_an_added_score():
    lanes = Counter(row["verified"] for row in ADDED_SCORES)
    assert lanes == Counter(yes=5, no=157)
    for row in ADDED_SCORES:
        address = row["source_url"].split("://", 1)[1]
        if row["verified"] == "yes":
            # A run by the leaderboard's own team, not a vendor's submission to it.
            assert address.startswith(VERIFYING_SOURCES), row
            assert row["note"].startswith("maintainer-run"), row


def test_models_missing_from_the_price_feed_have_no_price():
    unpriced = {
        row["model"]
        for row in SOURCES
        if row["what"] == "prices" and row["quote"].startswith("not in the genai-prices")
    }
    assert unpriced == {"qwen3-5-397b-a17b", "qwen3-max-thinking"}
    for row in MODELS:
        if row["slug"] in unpriced:
            assert (row["input_price"], row["output_price"]) == ("", ""), row
