"""The site under load: a catalogue SCALE times the demo size, production settings, real HTTP.

    make bench                 # SCALE=10; or: .venv/bin/python bench/run.py --scale 10
    make bench SCALE=100       # 3,700 models and 150 benchmarks, as the price feed would give

Needs PostgreSQL (DATABASE_URL's server; a scratch database is created and dropped),
redis-server (its own, on a free port, so it can be stopped mid-run) and Debian's ``wrk``.
Steps: build the synthetic catalogue, start gunicorn with DEBUG off, warm every page, then

1. each page of the mix alone for ``--duration`` seconds, and a static file of the comparison
   page's size from the same server (the ceiling);
2. the whole mix for ``--mix-duration`` seconds at ``--connections`` connections;
3. the mix again with Redis stopped in the middle third and started again;

and write the figures to bench/RESULTS.md.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, ScratchDatabase
from tests.servers import RedisServer, free_port, wait_port

LUA = ROOT / "bench" / "wrk.lua"
RESULTS = ROOT / "bench" / "RESULTS.md"

# (label, path); a leading "!" sends HX-Request: true, as the page's own htmx calls do.
PAGES = [
    ("Leaderboard", "/"),
    ("Leaderboard, filtered (htmx fragment)", "!/?provider=provider-3&sort=overall&dir=desc"),
    ("Model page", "/models/model-7/"),
    ("Comparison page", "/compare/model-1-vs-model-2/"),
    ("Comparison (htmx fragment)", "!/compare/?a=model-3&b=model-4"),
    ("Pricing with a calculator query", "/pricing/?preset=chat&requests=50000&cached=20"),
    ("API: comparison", "/api/v1/compare/model-1-vs-model-2/"),
    ("API: models", "/api/v1/models/"),
]
CEILING = "/static/bench-ceiling.html"


def wrk(port: int, paths: list[str], seconds: int, connections: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}",
        ],
        env=os.environ | {"PATHS": "|".join(paths)},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("{"))
    data = json.loads(line)
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "timeout", "status"))
    return data


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


class Probe(threading.Thread):
    """One request at a time to the comparison page, timing each, while the load runs."""

    def __init__(self, base: str, path: str) -> None:
        super().__init__(daemon=True)
        self.base, self.path, self.samples, self.running = base, path, [], True

    def run(self) -> None:
        while self.running:
            started = time.monotonic()
            hit = redis_ok = False
            try:
                response = urllib.request.urlopen(self.base + self.path, timeout=10)  # noqa: S310
                status, hit = response.status, response.headers.get("X-Page-Cache") == "hit"
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            elapsed = (time.monotonic() - started) * 1000
            try:
                health = urllib.request.urlopen(self.base + "/healthz", timeout=10)  # noqa: S310
                redis_ok = json.load(health).get("cache") == "ok"
            except OSError:
                pass
            self.samples.append((started, elapsed, status, hit, redis_ok))
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="times the demo's 37 models")
    parser.add_argument("--models", type=int, help="default: 37 x scale")
    parser.add_argument("--benchmarks", type=int, help="default: 6 x scale, 15 to 150")
    parser.add_argument("--duration", type=int, default=8, help="seconds per page")
    parser.add_argument("--mix-duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--page-connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    args.models = args.models or 37 * args.scale
    args.benchmarks = args.benchmarks or max(15, min(150, 6 * args.scale))

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchlm")
    scratch = ScratchDatabase(base, "_bench")
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(workdir)
    redis.start()
    port = free_port()
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": scratch.create(),
        "REDIS_URL": redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "benchlm.settings",
    }
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from comparisons.models import Benchmark, LanguageModel, ModelFamily, Provider, Score
        from tests.factories import build_catalogue

        client = Client(HTTP_HOST="127.0.0.1")

        def count_queries() -> dict[str, int]:
            """Each page's SQL queries, warm scoreboard, page cache off: the views' own cost."""
            settings.PAGE_CACHE = False
            counts = {}
            for label, path in PAGES:
                headers = {"HTTP_HX_REQUEST": "true"} if path.startswith("!") else {}
                client.get(path.lstrip("!"), **headers)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path.lstrip("!"), **headers)
                assert response.status_code == 200, (path, response.status_code)
                counts[label] = len(captured)
            settings.PAGE_CACHE = True
            return counts

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        # Before anything renders: with DEBUG off the templates need the manifest it writes.
        call_command("collectstatic", verbosity=0, interactive=False)
        # The demo's size first, for the query counts, then SCALE times that.
        build_catalogue(37, benchmarks=15, density=0.625)
        small = count_queries()
        for model in (Score, LanguageModel, ModelFamily, Provider, Benchmark):
            model.objects.all().delete()
        build_catalogue(args.models, benchmarks=args.benchmarks, density=0.625)
        catalogue = (
            LanguageModel.objects.count(),
            Benchmark.objects.count(),
            Score.objects.count(),
        )
        print(f"catalogue {catalogue} built in {time.monotonic() - started:.0f} s", flush=True)

        # Query counts at both sizes, and the comparison page's size for the static ceiling.
        large = count_queries()
        queries = {label: f"{small[label]} / {large[label]}" for label in large}
        page = client.get("/compare/model-1-vs-model-2/").content
        ceiling = Path(settings.STATIC_ROOT) / "bench-ceiling.html"
        ceiling.write_bytes(page)
        connections.close_all()

        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "benchlm.wsgi",
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--backlog",
                "512",
                # The setup bench/RESULTS.md records; gunicorn.conf.py (read from ROOT) would
                # otherwise switch to threaded workers and log every request.
                "--worker-class",
                "sync",
            ],
            cwd=ROOT,
            env=os.environ | env | {"GUNICORN_ACCESS_LOG": ""},
        )
        wait_port(port)
        time.sleep(1)
        for _ in range(3):
            for _, path in PAGES:
                req = urllib.request.Request(f"http://127.0.0.1:{port}{path.lstrip('!')}")
                urllib.request.urlopen(req, timeout=30).read()  # noqa: S310

        rows = []
        for label, path in [*PAGES, ("Static file, comparison-page size (ceiling)", CEILING)]:
            result = wrk(port, [path], args.duration, args.page_connections)
            rows.append((label, path, result))
            print(f"{label:45} {result['rps']:8.0f} rps  p95 {ms(result['p95'])} ms", flush=True)

        mix = wrk(port, [p for _, p in PAGES], args.mix_duration, args.connections)
        print(f"mix {mix['rps']:.0f} rps, {mix['errors']} errors, p99 {ms(mix['p99'])}", flush=True)
        rss = {pid: peak_rss_mb(pid) for pid in worker_pids(server.pid)}

        # Redis stopped for the middle third of a mix run, then started again.
        third = max(args.mix_duration // 3, 5)
        probe = Probe(f"http://127.0.0.1:{port}", "/compare/model-5-vs-model-6/")
        outage: dict = {}

        def load() -> None:
            outage["result"] = wrk(port, [p for _, p in PAGES], third * 3, args.connections)

        runner = threading.Thread(target=load)
        t0 = time.monotonic()
        runner.start()
        probe.start()
        time.sleep(third)
        t1 = time.monotonic()
        redis.stop()
        time.sleep(third)
        t2 = time.monotonic()
        redis.start()
        runner.join()
        probe.running = False
        probe.join()
        phases = {"Redis up": (t0, t1), "Redis stopped": (t1, t2), "Redis back": (t2, 1e18)}
        probe_rows = []
        for name, (start, end) in phases.items():
            samples = [s for s in probe.samples if start <= s[0] < end]
            latencies = [s[1] for s in samples]
            failures = sum(1 for s in samples if s[2] >= 500 or s[2] == 0)
            hits = sum(1 for s in samples if s[3]) / len(samples)
            redis_ok = sum(1 for s in samples if s[4]) / len(samples)
            probe_rows.append(
                (name, len(samples), statistics.median(latencies), failures, hits, redis_ok)
            )
        print(f"outage run: {outage['result']['errors']} errors", flush=True)
        write_results(args, catalogue, queries, rows, mix, rss, outage["result"], probe_rows)
    finally:
        if server:
            server.terminate()
            server.wait(20)
        redis.stop()
        from django.db import connections

        connections.close_all()
        scratch.drop()


def write_results(args, catalogue, queries, rows, mix, rss, outage, probe_rows) -> None:
    ceiling = rows[-1][2]["rps"]
    lines = [
        "# Benchmark results",
        "",
        f"`make bench`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {os.cpu_count()} cores. "
        f"Catalogue: {catalogue[0]} models, {catalogue[1]} benchmarks, {catalogue[2]:,} scores "
        f"({args.scale} times the demo data). gunicorn with production settings (DEBUG off, "
        f"WhiteNoise, Redis cache, PostgreSQL), {args.workers} sync workers; wrk on the same "
        "machine.",
        "",
        f"## Each page alone ({args.duration} s, {args.page_connections} connections, warm cache)",
        "",
        f"| page | SQL queries at 1x / {args.scale}x | requests/s | share of ceiling "
        "| p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, _path, r in rows:
        q = queries.get(label, "n/a")
        lines.append(
            f"| {label} | {q} | {r['rps']:,.0f} | {r['rps'] / ceiling:.0%} | {ms(r['p50'])} | "
            f"{ms(r['p95'])} | {ms(r['p99'])} | {r['errors']} |"
        )
    lines += [
        "",
        "SQL queries are the view's own (page cache off, scoreboard warm), on a catalogue of the "
        "demo's size and on this one: the same at both sizes.",
        "",
        f"## The page mix ({args.mix_duration} s, {args.connections} connections)",
        "",
        "| requests/s | p50 ms | p95 ms | p99 ms | errors (non-2xx/3xx, socket) |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {mix['rps']:,.0f} | {ms(mix['p50'])} | {ms(mix['p95'])} | {ms(mix['p99'])} | "
        f"{mix['errors']} |",
        "",
        "Peak memory (VmHWM) per web worker: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss.values())
        + ".",
        "",
        "## Redis stopped mid-run",
        "",
        f"The mix again at {args.connections} connections for {outage['duration_us'] / 1e6:.0f} s"
        f"; Redis stopped for the middle third and started again. {outage['requests']:,} "
        f"requests, **{outage['errors']} errors** (any status ≥ 400 or socket error), "
        f"p99 {ms(outage['p99'])} ms. A probe timed one comparison page at a time meanwhile:",
        "",
        "| phase | probe requests | median ms | 5xx or failed | page-cache hits "
        "| /healthz sees Redis |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {n} | {c} | {m:.1f} | {f} | {h:.0%} | {r:.0%} |" for n, c, m, f, h, r in probe_rows
    ]
    lines += [
        "",
        "While Redis is away each web process reads the data version from PostgreSQL (one "
        "primary-key query per request) and keeps its pages and scoreboard until it changes; "
        "once Redis answers again the version is republished from the database and the shared "
        "copy is back in use (the health check sees it).",
    ]
    lines.append("")
    RESULTS.write_text("\n".join(lines))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
