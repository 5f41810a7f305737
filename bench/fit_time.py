"""How long a scoreboard takes to build: cold, and after one edited score, at 1x, 10x and 100x.

    make bench-fit               # 1x and 10x; make bench-fit SCALE=100 adds 100x
    .venv/bin/python bench/fit_time.py --scales 1 10 100 [--write] [--repeat 3]

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; defaults: the local servers). For each scale
it creates a scratch database next to DATABASE_URL's (dropped afterwards) holding
``tests.factories.build_catalogue(37 x scale, max(15, 1.5 x scale))``, its scores drawn uniformly
and, from 10x on, once more drawn from a logistic model (``structured=True``, shaped like a real
catalogue), and measures, in a fresh process, wall-clock times that include the database load:

* cold build: ``scoreboard.build_board`` with no previous board (every parameter from scratch);
* warm build: the full refit a worker runs behind an incremental board (warm-started);
* incremental build: one score edited through the ORM (its commit records the change), then
  ``scoreboard.build_next``, which updates the previous board from it;
* storing a board in the cache (pickling included), which other processes then read;
* the leave-one-out check, which runs in the background for /methodology/.

The measuring process keeps the memory a build frees, as the worker does
(``benchlm.memory.keep_freed_memory``).

The scratch database is vacuumed and analysed once its catalogue is in, as autovacuum does
shortly after a bulk load: the builds are timed on a database in its steady state.

The breakdown says where a cold build's time goes. The starter data's leave-one-out error, the
methodology page's figure, is checked with the scoring module alone. --write puts the tables
into bench/RESULTS.md between its fit markers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- fit:start -->", "<!-- fit:end -->"
DEMO = ROOT / "comparisons" / "demo_data"


def starter_check() -> list[str]:
    """The starter data's leave-one-out error per lane (scoring module only, no database)."""
    from comparisons import scoring
    from comparisons.scoring import Benchmark, Category, Lane, Score, Thresholds

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
    weights = [
        ("agentic", 22),
        ("coding", 20),
        ("reasoning", 17),
        ("multimodal", 12),
        ("knowledge", 12),
        ("multilingual", 7),
        ("instruction-following", 5),
        ("math", 5),
    ]
    categories = [Category(s, s, w, i) for i, (s, w) in enumerate(weights)]
    lines = []
    for lane in Lane:
        started = time.perf_counter()
        result = scoring.score_lane(
            list(models), scores, categories, benchmarks, Thresholds(), lane, models
        )
        seconds = time.perf_counter() - started
        lines.append(
            f"| starter data ({len(models)} models, {len(scores)} scores) | {lane.value} | "
            f"{seconds * 1000:,.0f} ms | {result.report.loo_mae:.2f} |"
        )
    return lines


# --- one scale, measured in its own process against its scratch database ---------------------


def measure(repeat: int) -> dict:
    import django

    django.setup()
    from benchlm.memory import keep_freed_memory

    keep_freed_memory()  # as a worker process is set up (benchlm.celery): it builds the boards
    from django.core.cache import cache
    from django.db import connection

    from comparisons import capability, cells, scoreboard, scoring
    from comparisons.models import Score

    spent: dict[str, float] = defaultdict(float)

    def timed(module, name: str, label: str) -> None:
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - started

        setattr(module, name, wrapper)

    for name in ("_thresholds", "_score_rows"):
        timed(scoreboard, name, "database queries")
    timed(scoreboard, "_cards", "model cards (their query included)")
    # Read in parts on connections of their own while the main one reads the cards: the parts'
    # times are summed here, and overlap the cards' in the build's wall-clock time.
    timed(scoreboard, "_score_table", "score figures (parts summed, beside the cards)")
    timed(cells.Cells, "__init__", "score cells for the pages (grouped by model)")
    timed(scoreboard, "_arrays", "score arrays")
    timed(capability, "fit", "point fit")
    timed(capability, "replicates", "bootstrap replicates")
    timed(capability, "sample_ranks", "rank ranges")
    timed(capability, "rank_bounds", "rank ranges")
    timed(scoring, "_standings", "standings")

    def clock(fn):
        spent.clear()
        started = time.perf_counter()
        result = fn()
        return result, (time.perf_counter() - started) * 1000, dict(spent)

    cache.clear()
    connection.ensure_connection()
    scoreboard.stored_version()
    out: dict = {"models": 0, "scores": 0, "cold": [], "warm": [], "incremental": []}
    board = None
    for _ in range(repeat):
        board, ms, parts = clock(lambda: scoreboard.build_board(scoreboard.stored_version()))
        out["cold"].append(ms)
        out["breakdown"] = parts
    out["models"], out["scores"] = len(board.models), len(board.scores.value)
    out["cold_fit_kind"] = board.fit_kind
    # A cold start in production (a worker builds boards): the first board readers get, and
    # when it is quick, the refit that continues its fit.
    out["first"] = []
    for _ in range(repeat):
        first, ms, _ = clock(
            lambda: scoreboard.build_board(scoreboard.stored_version(), quick=True)
        )
        out["first"].append(ms)
    out["first_fit_kind"] = first.fit_kind
    out["first_gap"] = _largest_gap(first, board)
    if first.fit_kind == "quick":
        rounds = capability.ROUNDS - scoreboard.QUICK_ROUNDS
        continued, ms, _ = clock(
            lambda: scoreboard.build_board(first.version, first, rounds=rounds)
        )
        out["continued"] = ms
        out["continued_gap"] = _largest_gap(continued, board)
    _, ms, _ = clock(lambda: scoreboard.store_board(board))
    out["store"] = ms
    held = board
    score = Score.objects.order_by("pk").first()
    for i in range(max(2, repeat + 1)):
        score.value = score.value + 1 if i % 2 == 0 else score.value - 1
        score.save()  # commits: a new version, and what it changed
        # The worker that built the last board still holds it (an edit's commit, made here in
        # the same process, empties this process's memo; the worker makes no edits).
        scoreboard._memo["board"] = held
        version = scoreboard.stored_version()
        quick, ms, parts = clock(lambda v=version: scoreboard.build_next(v, incremental=True))
        assert quick.fit_kind == "incremental", quick.fit_kind
        out["incremental"].append(ms)
        out["incremental_breakdown"] = parts
        held = quick
    _, ms, _ = clock(lambda: scoreboard.store_board(quick))
    out["store_incremental"] = ms
    stored = scoreboard.BOARD_KEY.format(version=quick.version)
    _, ms, _ = clock(lambda: scoreboard._cache_get(stored))
    out["read"] = ms
    full, ms, _ = clock(lambda: scoreboard.build_board(quick.version, quick))
    out["warm"].append(ms)
    out["warm_fit_kind"] = full.fit_kind
    out["incremental_gap"] = _largest_gap(quick, full)
    _, ms, _ = clock(lambda: scoreboard.check_board(full))
    out["check"] = ms
    return out


def _largest_gap(board, reference) -> float:
    """The largest difference between an overall on ``board`` and on ``reference`` (points)."""
    from comparisons import scoring

    gaps = [
        abs(board.standings[lane][slug].overall - s.overall)
        for lane in scoring.Lane
        for slug, s in reference.standings[lane].items()
        if s.overall is not None
    ]
    return max(gaps, default=0.0)


# --- driver -----------------------------------------------------------------------------------


def run_scale(scale: int, repeat: int, structured: bool = False) -> dict:
    from bench.common import ScratchDatabase

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchlm")
    scratch = ScratchDatabase(base, f"_fit{scale}")
    url = scratch.create()
    env = os.environ | {
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        "DJANGO_SETTINGS_MODULE": "benchlm.settings",
        "CELERY_TASK_ALWAYS_EAGER": "1",  # no worker: the bench calls the builder itself
    }
    try:
        setup = (
            "import django; django.setup()\n"
            "from django.core.management import call_command\n"
            "call_command('migrate', verbosity=0)\n"
            "from tests.factories import build_catalogue\n"
            f"build_catalogue({37 * scale}, {max(15, scale * 3 // 2)}, structured={structured})\n"
            # As autovacuum does within a minute of a bulk load: the planner's statistics, and
            # each page's rows marked visible once (otherwise the first reads of every page
            # write those marks, and the first cold builds time the writing).
            "from django.db import connection\n"
            "connection.cursor().execute('VACUUM ANALYZE')\n"
        )
        subprocess.run([sys.executable, "-c", setup], cwd=ROOT, env=env, check=True)
        found = subprocess.run(
            [sys.executable, __file__, "--measure", str(repeat)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(found.stdout.strip().splitlines()[-1])
    finally:
        scratch.drop()


def ms(values) -> str:
    if isinstance(values, list):
        return " / ".join(f"{v:,.0f}" for v in values) + " ms"
    return f"{values:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="*", default=[1, 10])
    parser.add_argument("--up-to", type=int, help="the scales 1, 10 and 100 up to this one")
    parser.add_argument("--repeat", type=int, default=3, help="cold builds per scale")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return
    if args.up_to is not None:
        args.scales = [s for s in (1, 10, 100) if s <= max(args.up_to, 1)]

    table = [
        "| catalogue | models | scores | cold build, every round | first board of a cold start "
        "| incremental build (one edited score) | storing it | full refit behind it (warm) "
        "| LOO check (background) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    breakdowns = []
    kinds = [(scale, False) for scale in args.scales]
    kinds += [(scale, True) for scale in args.scales if scale >= 10]
    for scale, structured in kinds:
        found = run_scale(scale, args.repeat, structured)
        name = f"{scale}x, {'structured' if structured else 'uniform'}"
        first = f"{ms(found['first'])} ({found['first_fit_kind']})"
        table.append(
            f"| {name} | {found['models']:,} | {found['scores']:,} | {ms(found['cold'])} | "
            f"{first} | {ms(found['incremental'])} | {ms(found['store_incremental'])} | "
            f"{ms(found['warm'])} | {ms(found['check'])} |"
        )
        print(table[-1], flush=True)
        parts = ", ".join(f"{k} {v * 1000:,.0f} ms" for k, v in found["breakdown"].items())
        quick = ", ".join(
            f"{k} {v * 1000:,.0f} ms" for k, v in found["incremental_breakdown"].items()
        )
        breakdowns.append(
            f"- {name}: cold build ({found['cold_fit_kind']}, last run): {parts}. "
            f"Incremental (last run): {quick}. Storing the cold board: {ms(found['store'])}; "
            f"reading a board back from the cache (another process): {ms(found['read'])}. "
            f"Largest gap between an overall on the incremental board and the full refit: "
            f"{found['incremental_gap']:.2f} points. First board of a cold start: "
            f"{found['first_fit_kind']}, overalls within {found['first_gap']:.2f} points of "
            "the cold build's"
            + (
                f"; the refit continuing it took {ms(found['continued'])}, its overalls within "
                f"{found['continued_gap']:.2f} points of the cold build's."
                if "continued" in found
                else "."
            )
        )
        print(breakdowns[-1], flush=True)
    check = [
        "| catalogue | lane | fit, bootstrap and LOO check | LOO MAE (points) |",
        "| --- | --- | ---: | ---: |",
        *starter_check(),
    ]
    print("\n".join(check[2:]))
    if args.write:
        section = "\n".join(
            [
                START,
                "## Building the scoreboard (`make bench-fit`, `make bench-fit SCALE=100`)",
                "",
                f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, one process, wall clock "
                "including the database load (PostgreSQL, local). Catalogues from "
                "`tests.factories.build_catalogue(37 x scale, max(15, 1.5 x scale))`: 80 % of "
                "cells scored. Uniform: values drawn uniformly (no structure for the model to "
                "find: the fit never settles and runs all its rounds, the slowest case). "
                "Structured: values drawn from a logistic model like the one fitted, with three "
                "points of noise, as a real catalogue is shaped (a stronger model scores higher "
                "almost everywhere). Cold: every parameter from scratch; incremental: "
                "one score edited through the ORM, the board updated from the previous one, "
                "which the worker that built it holds in memory (runs after the first are "
                "listed after a slash); first board of a cold start: what readers get when no "
                "board is held anywhere and a worker builds boards (the fit stops at "
                '`QUICK_ROUNDS` = 15 rounds; "quick" when a lane had not settled by then, '
                'and a refit continues it in the background; "full" when it had); storing: '
                "pickling into Redis "
                "for the other processes; the full refit replaces the incremental board in "
                "the background, as does the leave-one-out check for /methodology/. The two "
                "lanes are fitted side by side in two threads, so the breakdown's fit, "
                "bootstrap, rank and standings times add both lanes' and overlap.",
                "",
                *table,
                "",
                "Where the time goes:",
                "",
                *breakdowns,
                "",
                "The methodology page's leave-one-out check on the starter data:",
                "",
                *check,
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
