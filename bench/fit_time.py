"""How long the capability fit takes per lane: the starter data, and synthetic catalogues.

Fitting runs once per data version in a worker, never on a reader's request; this measures that
cost (point fit, 200-sample bootstrap, leave-one-out check) with the scoring module alone, no
database. Usage: python bench/fit_time.py [--scales 10 100] [--write]; --write puts the table into
bench/RESULTS.md between its fit markers.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from comparisons import scoring  # noqa: E402
from comparisons.scoring import Benchmark, Category, Lane, Score, Thresholds  # noqa: E402

DEMO = ROOT / "comparisons" / "demo_data"
CATEGORIES = [
    Category(slug, slug, weight, order)
    for order, (slug, weight) in enumerate(
        [
            ("agentic", 22),
            ("coding", 20),
            ("reasoning", 17),
            ("multimodal", 12),
            ("knowledge", 12),
            ("multilingual", 7),
            ("instruction-following", 5),
            ("math", 5),
        ]
    )
]


def demo() -> tuple[list[str], list[Score], list[Benchmark], dict[str, bool]]:
    with (DEMO / "benchmarks.csv").open() as f:
        benchmarks = [
            Benchmark(r["slug"], r["name"], r["category"], float(r["weight"]))
            for r in csv.DictReader(f)
        ]
    with (DEMO / "models.csv").open() as f:
        models = {r["slug"]: r["reasoning"] == "yes" for r in csv.DictReader(f)}
    with (DEMO / "scores.csv").open() as f:
        scores = [
            Score(r["model"], r["benchmark"], float(r["score"]), r.get("verified") == "yes")
            for r in csv.DictReader(f)
        ]
    return list(models), scores, benchmarks, models


def synthetic(scale: int, seed: int = 7) -> tuple[list[str], list[Score], list[Benchmark], dict]:
    """``scale`` times the starter data's models, five benchmarks per scale step, 80 % dense."""
    rng = random.Random(seed)
    n_models, n_benchmarks = 37 * scale, max(15, 5 * scale)
    benchmarks = [
        Benchmark(f"b{i}", f"B{i}", CATEGORIES[i % 8].slug, 0 if i % 7 == 6 else 1)
        for i in range(n_benchmarks)
    ]
    models = [f"m{i}" for i in range(n_models)]
    ability = {m: rng.gauss(0, 1) for m in models}
    difficulty = {b.slug: rng.gauss(0, 1) for b in benchmarks}
    scores = [
        Score(
            m,
            b.slug,
            round(100 / (1 + 2.718 ** -(ability[m] - difficulty[b.slug])), 1),
            rng.random() < 0.6,
        )
        for m in models
        for b in benchmarks
        if rng.random() < 0.8
    ]
    return models, scores, benchmarks, {m: i % 2 == 0 for i, m in enumerate(models)}


RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- fit:start -->", "<!-- fit:end -->"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="*", default=[10])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = [("starter data", *demo())]
    rows += [(f"{s}x synthetic", *synthetic(s)) for s in args.scales]
    lines = [
        "| catalogue | models | scores | lane | fit, bootstrap and check | LOO MAE (points) |",
        "| --- | ---: | ---: | --- | ---: | ---: |",
    ]
    for label, models, scores, benchmarks, reasoning in rows:
        for lane in Lane:
            started = time.perf_counter()
            result = scoring.score_lane(
                models, scores, CATEGORIES, benchmarks, Thresholds(), lane, reasoning
            )
            seconds = time.perf_counter() - started
            mae = result.report.loo_mae
            lines.append(
                f"| {label} | {len(models):,} | {len(scores):,} | {lane.value} | "
                f"{seconds * 1000:,.0f} ms | {'-' if mae is None else f'{mae:.1f}'} |"
            )
            print(lines[-1], flush=True)
    if args.write:
        section = "\n".join(
            [
                START,
                "## Fitting the capability model (`make bench-fit`)",
                "",
                f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, one process. Point fit, "
                "200-sample bootstrap and leave-one-out check for one lane, as a worker runs "
                "them once per data version; the synthetic catalogues follow the starter data's "
                "shape (eight categories, 80 % of cells scored).",
                "",
                *lines,
                END,
            ]
        )
        text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
        if START in text:
            before, rest = text.split(START, 1)
            text = before + section + rest.split(END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        RESULTS.write_text(text)


if __name__ == "__main__":
    main()
