"""What one page costs to render at the demo's size and at a hundred times it.

    make bench-pages SCALE=100   # or: .venv/bin/python bench/pages.py --scales 1 100

One process, no HTTP server, the page cache off, the scoreboard warm (built once per catalogue,
timed apart): each request runs the view and its template against PostgreSQL (a scratch database
next to DATABASE_URL's, dropped afterwards) and Redis (REDIS_URL). For each page type it reports
the HTML bytes and the p50/p95 render time over ``--requests`` requests; comparison pages ask a
pair not seen before on every request. Writes bench/PAGES.md.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, ScratchDatabase

RESULTS = ROOT / "bench" / "PAGES.md"
LIMIT = 200_000  # bytes of HTML no page may pass


def pages(models: int, benchmarks: int) -> list[tuple[str, object]]:
    """(label, path or a function of the request number giving one)."""
    rng = random.Random(11)
    pairs = set()

    def new_pair(_: int) -> str:
        while True:
            a, b = sorted(rng.sample(range(models), 2))
            if (a, b) not in pairs:
                pairs.add((a, b))
                return f"/compare/model-{a}-vs-model-{b}/"

    def new_set(_: int) -> str:
        """Four models not seen together before, in a random order (the URL's order is kept)."""
        return "/compare/" + ",".join(f"model-{i}" for i in rng.sample(range(models), 4)) + "/"

    middle = max(1, -(-models // 50) // 2)
    return [
        ("Comparison, a new pair each time", new_pair),
        ("Compare many, a new set of four each time", new_set),
        ("Leaderboard, page 1", "/"),
        ("Leaderboard, middle page", f"/?page={middle}"),
        ("Leaderboard, filtered and sorted (htmx)", "!/?reasoning=yes&sort=cost&page=2"),
        ("Pricing", "/pricing/"),
        ("Pricing, another workload", "/pricing/?preset=chat&requests=50000&cached=20"),
        ("Benchmark page", f"/benchmarks/bench-{benchmarks // 2}/"),
        ("Category page", "/categories/coding/"),
        ("Model page", "/models/model-7/"),
        ("Compare landing", "/compare/"),
    ]


def measure(client, label: str, path, requests: int) -> dict:
    times, sizes = [], []
    for i in range(requests + 1):
        url = path(i) if callable(path) else path
        headers = {"HTTP_HX_REQUEST": "true"} if url.startswith("!") else {}
        started = time.perf_counter()
        response = client.get(url.lstrip("!"), **headers)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        if i:  # the first request of a page type builds its per-board orders: not counted
            times.append(elapsed * 1000)
            sizes.append(len(response.content))
    times.sort()
    return {
        "label": label,
        "bytes": max(sizes),
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
    }


def run_scale(scale: int, requests: int, benchmarks: int | None = None) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from comparisons import scoreboard
    from comparisons.models import Benchmark, LanguageModel, ModelFamily, Provider, Score
    from tests.factories import build_catalogue

    for model in (Score, LanguageModel, ModelFamily, Provider, Benchmark):
        model.objects.all().delete()
    models, benchmarks = 37 * scale, benchmarks or max(15, min(150, 6 * scale))
    started = time.monotonic()
    build_catalogue(models, benchmarks=benchmarks, density=0.625, run_tokens=0.5)
    loaded = time.monotonic() - started
    # As autovacuum does shortly after a bulk load (fit_time.py says why): the planner's
    # statistics, and no first read left to mark every page's rows visible.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    cache.clear()  # bulk inserts raise no data version: start from no board at all
    scoreboard._memo.clear()
    started = time.monotonic()
    scoreboard.get_board()
    built = time.monotonic() - started
    client = Client(HTTP_HOST="127.0.0.1")
    rows = [measure(client, label, path, requests) for label, path in pages(models, benchmarks)]
    return {
        "scale": scale,
        "models": models,
        "benchmarks": benchmarks,
        "scores": Score.objects.count(),
        "load_s": loaded,
        "board_s": built,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--benchmarks", type=int, help="at every scale (default: 6 x scale, 15 to 150)"
    )
    parser.add_argument("--write", action="store_true", help="write bench/PAGES.md")
    parser.add_argument("--append", action="store_true", help="add the table to bench/PAGES.md")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchlm")
    scratch = ScratchDatabase(base, "_pages")
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": scratch.create(),
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "benchlm.settings",
        }
    )
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        settings.PAGE_CACHE = False
        results = [run_scale(scale, args.requests, args.benchmarks) for scale in args.scales]
    finally:
        from django.db import connections

        connections.close_all()
        scratch.drop()
    text = report(results, args.requests)
    print(text)
    if args.write:
        RESULTS.write_text(text)
    elif args.append:
        RESULTS.write_text(RESULTS.read_text() + "\n" + text.split("\n", 2)[2])


def report(results: list[dict], requests: int) -> str:
    lines = [
        "# Page render cost at two catalogue sizes",
        "",
        f"`bench/pages.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: one process, page cache off,"
        f" PostgreSQL and Redis, scoreboard warm; {requests} requests per page type (comparison"
        " pages: a pair not seen before each time). Times are the view and template, in ms.",
        "",
    ]
    for r in results:
        lines.append(
            f"- {r['scale']}x: {r['models']:,} models, {r['benchmarks']} benchmarks,"
            f" {r['scores']:,} scores; catalogue written in {r['load_s']:.1f} s, scoreboard"
            f" built in {r['board_s']:.1f} s"
        )
    lines += ["", "| page | " + " | ".join(f"{r['scale']}x KB | p50 | p95" for r in results)]
    first, last = results[0]["scale"], results[-1]["scale"]
    lines[-1] += f" | p95 {last}x / {first}x |" if len(results) > 1 else " |"
    lines.append("|---" * (1 + 3 * len(results) + (len(results) > 1)) + "|")
    for i, row in enumerate(results[0]["rows"]):
        cells = []
        for r in results:
            x = r["rows"][i]
            flag = " ⚠" if x["bytes"] > LIMIT else ""
            cells += [f"{x['bytes'] / 1000:.1f}{flag}", f"{x['p50']:.1f}", f"{x['p95']:.1f}"]
        if len(results) > 1:
            ratio = results[-1]["rows"][i]["p95"] / results[0]["rows"][i]["p95"]
            cells.append(f"{ratio:.2f}")
        lines.append(f"| {row['label']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
