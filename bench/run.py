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
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, ScratchDatabase
from tests.servers import RedisServer, free_port, wait_port

LUA = ROOT / "bench" / "wrk.lua"
RESULTS = ROOT / "bench" / "RESULTS.md"

# (label, hit path, miss path): the hit path is asked again and again (the page cache answers
# it), the miss path is one the site has never answered (bench/wrk.lua, MODE=miss): "{pair}" a
# pair of models never asked for, "{model}" each model in turn, anything else a query parameter
# of its own. A leading "!" sends HX-Request: true, as the page's own htmx calls do. "{bench}"
# and "{category}" are slugs of the built catalogue, "{day}" yesterday (its state is recorded
# a few days back, so past pages have a board).
PAGES = [
    ("Comparison page", "/compare/model-1-vs-model-2/", "/compare/{pair}/"),
    (
        "Comparison (htmx fragment)",
        "!/compare/?a=model-3&b=model-4",
        "!/compare/?a=model-3&b=model-4",
    ),
    ("Compare landing", "/compare/", "/compare/"),
    (
        "Compare many (four models)",
        "/compare/model-1,model-2,model-3,model-4/",
        "/compare/model-1,model-2,model-3,model-4/",
    ),
    (
        "Compare many, a column moved (htmx fragment)",
        "!/compare/model-2,model-1,model-3,model-4/",
        "!/compare/model-2,model-1,model-3,model-4/",
    ),
    ("Leaderboard", "/", "/"),
    ("Leaderboard, page 2", "/?page=2", "/?page=2"),
    (
        "Leaderboard, filtered (htmx fragment)",
        "!/?provider=provider-3&sort=overall&dir=desc",
        "!/?provider=provider-3&sort=overall&dir=desc",
    ),
    ("Model page", "/models/model-7/", "/models/{model}/"),
    ("Benchmark page", "/benchmarks/{bench}/", "/benchmarks/{bench}/"),
    ("Category page", "/categories/{category}/", "/categories/{category}/"),
    (
        "Pricing with a calculator query",
        "/pricing/?preset=chat&requests=50000&cached=20",
        "/pricing/?preset=chat&requests=50000&cached=20",
    ),
    ("Leaderboard, a past day", "/?as_of={day}", "/?as_of={day}"),
    ("Model page, a past day", "/models/model-7/?as_of={day}", "/models/{model}/?as_of={day}"),
    ("Changes between two days", "/changes/", "/changes/"),
    ("Sitemap index", "/sitemap.xml", "/sitemap.xml"),
    ("Sitemap: models", "/sitemap-models.xml", "/sitemap-models.xml"),
    ("Sitemap: comparisons", "/sitemap-comparisons.xml", "/sitemap-comparisons.xml"),
    ("API: models", "/api/v1/models/", "/api/v1/models/"),
    ("API: comparison", "/api/v1/compare/model-1-vs-model-2/", "/api/v1/compare/{pair}/"),
    (
        "API: compare many",
        "/api/v1/compare/model-1,model-2,model-3,model-4/",
        "/api/v1/compare/model-1,model-2,model-3,model-4/",
    ),
    # Personal pages behind signed links (never cached): one follower's follows.
    ("Follows: manage", "{manage}", "{manage}"),
    ("Follows: confirm", "{follow_confirm}", "{follow_confirm}"),
]
PERSONAL = {"Follows: manage", "Follows: confirm"}  # never cached: left out of the mix
CEILING = "/static/bench-ceiling.html"
THREADS = 2


def wrk(port: int, paths: list[str], seconds: int, connections: int, **env: str | int) -> dict:
    """One wrk run over ``paths``; ``env``: MODE, MODELS, OFFSET, ETAG (bench/wrk.lua)."""
    result = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{max(connections, THREADS)}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}",
        ],
        env=os.environ
        | {"PATHS": "|".join(paths), "THREADS": str(THREADS)}
        | {k.upper(): str(v) for k, v in env.items()},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("{"))
    data = json.loads(line)
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "timeout", "status"))
    return data


SUMMED = (
    "requests",
    "duration_us",
    "bytes",
    "connect",
    "read",
    "write",
    "timeout",
    "status",
    "errors",
)


def interleaved(port: int, path: str, seconds: int, connections: int) -> tuple[dict, dict]:
    """The static ceiling and ``path``'s cache hits, in alternating one-second runs, ``seconds``
    of each. Load from other work on a shared machine comes and goes within seconds: two runs of
    four seconds one after the other saw the same page at 29 % and 103 % of its ceiling, while
    alternating puts both figures under the same load, so that their ratio holds still."""
    ceilings, hits = [], []
    for _ in range(seconds):
        ceilings.append(wrk(port, [CEILING], 1, connections))
        hits.append(wrk(port, [path], 1, connections))
    return combined(ceilings), combined(hits)


def combined(runs: list[dict]) -> dict:
    """Several wrk runs as one: requests, bytes and errors summed; the latency percentiles are
    the median of the runs' (p50, p95) and the largest of them (p99, max)."""
    total = {key: sum(run[key] for run in runs) for key in SUMMED}
    total["rps"] = total["requests"] / (total["duration_us"] / 1e6)
    total |= {key: statistics.median(run[key] for run in runs) for key in ("p50", "p95")}
    total |= {key: max(run[key] for run in runs) for key in ("p99", "max")}
    return total


def get(port: int, path: str, **headers: str):
    """One request as wrk sends it (gzip accepted); the response, read, or the HTTPError."""
    headers = {"Accept-Encoding": "gzip"} | headers
    if path.startswith("!"):
        path, headers["HX-Request"] = path[1:], "true"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=120)  # noqa: S310
    except urllib.error.HTTPError as error:
        return error
    response.read()
    return response


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


def timed(function, *args, **kwargs):
    started = time.monotonic()
    value = function(*args, **kwargs)
    return value, time.monotonic() - started


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


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="times the demo's 37 models")
    parser.add_argument("--models", type=int, help="default: 37 x scale")
    parser.add_argument("--benchmarks", type=int, help="default: 6 x scale, 15 to 150")
    parser.add_argument("--duration", type=int, default=4, help="seconds per page and mode")
    parser.add_argument("--mix-duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--page-connections", type=int, default=8)
    parser.add_argument(
        "--miss-connections", type=int, default=2, help="one per worker: latency, not queueing"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    args.models = args.models or 37 * args.scale
    args.benchmarks = args.benchmarks or max(15, min(150, 6 * args.scale))
    began, load_before = time.monotonic(), loadavg()

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
    results: dict = {"args": args, "load_before": load_before}
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from benchlm.memory import keep_freed_memory
        from comparisons import past, scoreboard, sitemaps
        from comparisons.exporter import export_directory
        from comparisons.models import (
            Benchmark,
            Category,
            ChangeEvent,
            LanguageModel,
            ModelFamily,
            Provider,
            Score,
        )
        from tests.factories import build_catalogue, record_history

        client = Client(HTTP_HOST="127.0.0.1")

        def fill(path: str) -> str:
            """The built catalogue's slugs in place of "{bench}" and "{category}"."""
            bench = Benchmark.objects.order_by("slug").values_list("slug", flat=True)[0]
            category = Category.objects.order_by("order").values_list("slug", flat=True)[0]
            day = (timezone.localdate() - timedelta(days=1)).isoformat()
            path = (
                path.replace("{bench}", bench).replace("{category}", category).replace("{day}", day)
            )
            if "{manage}" in path or "{follow_confirm}" in path:
                manage, confirm = follow_links(bench)
                path = path.replace("{manage}", manage).replace("{follow_confirm}", confirm)
            return path

        def follow_links(bench: str) -> tuple[str, str]:
            """A follower of five models, a provider and a benchmark; their pages' paths."""
            from django.urls import reverse

            from newsletter import tokens
            from newsletter.models import Follow, Subscriber

            reader, _ = Subscriber.objects.get_or_create(
                email="bench-follower@example.com", defaults={"status": "active"}
            )
            if not reader.follows.exists():
                rows = [
                    Follow(subscriber=reader, kind="model", slug=f"model-{i}", name=f"Model {i}")
                    for i in range(1, 6)
                ]
                rows.append(Follow(subscriber=reader, kind="provider", slug="provider-1", name="P"))
                rows.append(Follow(subscriber=reader, kind="benchmark", slug=bench, name="B"))
                Follow.objects.bulk_create(rows)
                Follow.objects.exclude(slug="model-1").update(confirmed_at=reader.created_at)
            first = reader.follows.get(slug="model-1")
            return (
                reverse("follow_manage", args=[tokens.manage_token(reader)]),
                reverse("follow_confirm", args=[tokens.follow_confirm_token(first)]),
            )

        def count_queries() -> dict[str, int]:
            """Each page's SQL queries, warm scoreboard, page cache off: the views' own cost."""
            settings.PAGE_CACHE = False
            counts = {}
            for label, path, _ in PAGES:
                path = fill(path)
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
        build_catalogue(37, benchmarks=15, density=0.625, run_tokens=0.5)
        record_history(days_ago=3)
        sitemaps._pairs_memo.clear()
        small = count_queries()
        for model in (Score, LanguageModel, ModelFamily, Provider, Benchmark):
            model.objects.all().delete()
        scoreboard.bump_data_version()
        build_catalogue(args.models, benchmarks=args.benchmarks, density=0.625, run_tokens=0.5)
        ChangeEvent.objects.all().delete()
        record_history(days_ago=3)
        # A past day's board is kept for good, since history never changes, except here: the
        # small catalogue's history was just replaced, so its past boards go with it.
        past._boards.clear()
        cache.clear()
        scoreboard.bump_data_version()
        # As autovacuum does shortly after a bulk load: the planner's statistics, and each
        # page's rows marked visible once, so the builds and pages below are timed on the
        # database as it runs, not on the first reads' writing of those marks.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        catalogue = (
            LanguageModel.objects.count(),
            Benchmark.objects.count(),
            Score.objects.count(),
        )
        results["catalogue"] = catalogue
        results["catalogue_s"] = time.monotonic() - started
        print(f"catalogue {catalogue} built in {results['catalogue_s']:.0f} s", flush=True)
        paths = {label: (fill(hit), fill(miss)) for label, hit, miss in PAGES}

        # The scoreboard: built cold, then again after one score is edited, with the project's
        # own functions: build_and_store cold; after the edit, build_next from the previous
        # board, as the worker does (readers meanwhile get the previous board; the embedded
        # mode without a worker would refit in full on the request instead).
        keep_freed_memory()  # as the worker is set up (benchlm.celery)
        scoreboard._memo.clear()
        version = scoreboard.current_version()
        board, cold = timed(scoreboard.build_and_store, version)
        # With a worker, a cold start's first board: its fit stops at QUICK_ROUNDS.
        first, first_s = timed(scoreboard.build_board, version, quick=True)
        scoreboard._memo["board"] = board
        score = Score.objects.order_by("pk").first()
        score.value += 1
        score.save()
        edited_version = scoreboard.current_version()
        assert edited_version != version
        scoreboard._memo["board"] = board
        quick, edited = timed(scoreboard.build_next, edited_version, True)
        assert quick.fit_kind == "incremental", quick.fit_kind
        scoreboard.build_and_store(edited_version)  # the full refit the pages below then use
        results["board"] = (cold, edited, first_s, first.fit_kind)
        print(
            f"scoreboard: cold {cold:.1f} s, first board of a cold start {first_s:.1f} s "
            f"({first.fit_kind}), after one edit {edited * 1000:.0f} ms",
            flush=True,
        )

        # Query counts at both sizes, and the comparison page's size for the static ceiling.
        sitemaps._pairs_memo.clear()
        large = count_queries()
        results["queries"] = {label: (small[label], large[label]) for label in large}
        page = client.get("/compare/model-1-vs-model-2/").content
        ceiling = Path(settings.STATIC_ROOT) / "bench-ceiling.html"
        ceiling.write_bytes(page)

        # The sitemap: URLs per file and in all, read through the views.
        results["sitemap"] = sitemap_files(client)
        print(f"sitemap: {results['sitemap']}", flush=True)

        # The catalogue exported to CSV and imported into an empty database.
        export_dir = workdir / "export"
        _, results["export_s"] = timed(export_directory, export_dir)
        results["import"] = import_time(export_dir, redis.url.rsplit("/", 1)[0] + "/1")
        print(f"import: {results['import']}", flush=True)
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
                "--timeout",
                "120",
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
        for _ in range(2 * args.workers):
            for hit, _ in paths.values():
                response = get(port, hit)
                assert response.status == 200, (hit, response.status)

        # The sitemap files, warm: each asked ten times in a row, one at a time.
        results["sitemap_warm"] = {
            path: statistics.median(timed(get, port, path)[1] * 1000 for _ in range(10))
            for path in ["/sitemap.xml", *results["sitemap"]["files"]]
        }

        rows = []
        offset = args.models * 3  # pairs {i, i + d} with d > 3: none asked for so far
        for label, (hit, miss) in paths.items():
            first = get(port, hit)
            etag = first.headers["ETag"]  # None: a personal page, never cached, no 304 run
            if etag:
                assert get(port, hit, **{"If-None-Match": etag}).status == 304, hit
            ceiling, hits = interleaved(port, hit, args.duration, args.page_connections)
            row = {
                "ceiling": ceiling,
                "hit": hits,
                "miss": wrk(
                    port,
                    [miss],
                    args.duration,
                    args.miss_connections,
                    mode="miss",
                    models=args.models,
                    offset=offset,
                ),
                "etag": wrk(
                    port, [hit], args.duration, args.page_connections, mode="etag", etag=etag
                )
                if etag
                else None,
            }
            offset += row["miss"]["requests"] + 100
            rows.append((label, row))
            print(
                f"{label:40} hit {row['hit']['rps']:7.0f} rps  miss {row['miss']['rps']:6.1f} rps "
                f"p50 {ms(row['miss']['p50'])} ms  "
                + (f"304 {row['etag']['rps']:7.0f} rps  " if row["etag"] else "304     n/a      ")
                + f"ceiling {row['ceiling']['rps']:7.0f} rps",
                flush=True,
            )
        static = wrk(port, [CEILING], args.duration, args.page_connections)
        results["ceiling"] = static
        results["ceilings"] = [row["ceiling"]["rps"] for _, row in rows]
        results["rows"] = rows
        print(f"static ceiling {static['rps']:.0f} rps", flush=True)

        # The miss runs filled each worker's page cache (at most 1,000 entries) with pages
        # nobody asks for again: the mix measures hits, so the pages it asks for are warmed.
        mix_paths = [hit for label, (hit, _) in paths.items() if label not in PERSONAL]
        for _ in range(2 * args.workers):
            for path in mix_paths:
                get(port, path)
        mix = wrk(port, mix_paths, args.mix_duration, args.connections)
        results["mix"] = mix
        print(f"mix {mix['rps']:.0f} rps, {mix['errors']} errors, p99 {ms(mix['p99'])}", flush=True)
        results["rss"] = {pid: peak_rss_mb(pid) for pid in worker_pids(server.pid)}

        # Redis stopped for the middle third of a mix run, then started again.
        third = max(args.mix_duration // 3, 5)
        probe = Probe(f"http://127.0.0.1:{port}", "/compare/model-5-vs-model-6/")
        outage: dict = {}

        def load() -> None:
            outage["result"] = wrk(port, mix_paths, third * 3, args.connections)

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
        results["outage"], results["probe"] = outage["result"], probe_rows
        print(f"outage run: {outage['result']['errors']} errors", flush=True)
        results["elapsed_s"] = time.monotonic() - began
        results["load_after"] = loadavg()
        write_results(results)
    finally:
        if server:
            server.terminate()
            server.wait(20)
        redis.stop()
        from django.db import connections

        connections.close_all()
        scratch.drop()


def sitemap_files(client) -> dict:
    """Every file the index lists, with its URL count (the protocol's limit is 50,000)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    files = {}
    for location in re.findall(r"<loc>([^<]+)</loc>", response.content.decode()):
        path = re.sub(r"^https?://[^/]+", "", location)
        body = client.get(path)
        assert body.status_code == 200, path
        files[path] = body.content.decode().count("<url>")
    return {"files": files, "total": sum(files.values())}


def import_time(directory: Path, redis_url: str) -> dict:
    """bench/import_time.py in a process of its own, on a database and Redis db of its own."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_time.py"), str(directory)],
        env=os.environ | {"REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit("bench/import_time.py failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


SECTION = re.compile(r"<!-- (\S+):start -->.*?<!-- \1:end -->\n?", re.DOTALL)


def write_file(scale: int, body: list[str]) -> None:
    """This SCALE's section replaced; every other section of the file (other scales, and the
    one ``make bench-fit`` writes) kept as it was."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    blocks = {m.group(1): m.group(0).rstrip("\n") for m in SECTION.finditer(text)}
    name = f"scale-{scale}"
    blocks[name] = "\n".join([f"<!-- {name}:start -->", *body, f"<!-- {name}:end -->"])
    scales = sorted((k for k in blocks if k.startswith("scale-")), key=lambda k: int(k[6:]))
    others = [k for k in blocks if not k.startswith("scale-")]
    intro = [
        "# Benchmark results",
        "",
        "`make bench` (`SCALE=10` by default) rewrites the section of its scale and keeps the "
        "others, and the capability fit's section that `make bench-fit` writes. README.md, "
        "“Benchmarks”, says how to read them.",
        "",
        "",
    ]
    RESULTS.write_text("\n".join(intro) + "\n\n".join(blocks[k] for k in scales + others) + "\n")


def write_results(r: dict) -> None:
    args = r["args"]
    ceiling = r["ceiling"]["rps"]
    catalogue = r["catalogue"]
    imp = r["import"]
    sitemap = r["sitemap"]
    lines = [
        f"## SCALE={args.scale}: {catalogue[0]:,} models",
        "",
        f"`make bench SCALE={args.scale}`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{r['elapsed_s'] / 60:.0f} minutes. Catalogue: {catalogue[0]:,} models, "
        f"{catalogue[1]} benchmarks, {catalogue[2]:,} scores ({args.scale} times the demo's "
        f"models). gunicorn with production settings (DEBUG off, WhiteNoise, Redis cache, "
        f"PostgreSQL), {args.workers} sync workers; wrk ({THREADS} threads) on the same machine.",
        "",
        f"**Noisy figures.** {os.cpu_count()} cores shared with other work: load average "
        f"{r['load_before']} (1, 5, 15 min) when the run began, {r['load_after']} when it ended. "
        "Compare ratios to the static ceiling, measured in the same run, rather than raw "
        "requests/s between runs.",
        "",
        "### Each page: cache hit, cache miss, revalidation",
        "",
        f"Each page type for {args.duration} s per mode. **Hit**: the same URL again and again "
        f"({args.page_connections} connections), answered from the page cache. **Miss**: every "
        f"request one the site never answered ({args.miss_connections} connections, one per "
        "worker, so latency is rendering, not queueing): comparisons of pairs never asked for, "
        "each model page in turn, any other page with a query parameter of its own; the "
        "scoreboard is warm. **304**: `If-None-Match` with the ETag of a first response "
        f"({args.page_connections} connections), as a CDN or a browser revalidates. The "
        "ceiling: a static file of the comparison page's size from the same server, run in "
        f"one-second turns with the page's hit run, {args.duration} s of each (the page's "
        "ratios use that figure; load from other work comes and goes within seconds, and "
        f"turns put both figures under the same load): {min(r['ceilings']):,.0f} to "
        f"{max(r['ceilings']):,.0f} requests/s, median "
        f"{statistics.median(r['ceilings']):,.0f}; once more after the last page, "
        f"{ceiling:,.0f}. KB: bytes per hit response as wrk "
        "received them (headers included; gzip accepted, so pages arrive compressed).",
        "",
        f"| page | SQL at 1x / {args.scale}x | KB | hit req/s | ceiling req/s | hit / ceiling "
        "| hit p50 / p99 ms | miss req/s | miss / ceiling | miss p50 / p99 ms | 304 req/s "
        "| 304 / ceiling | 304 p50 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for label, row in r["rows"]:
        small, large = r["queries"][label]
        hit, miss, etag = row["hit"], row["miss"], row["etag"]
        local = row["ceiling"]["rps"]
        errors = hit["errors"] + miss["errors"] + (etag["errors"] if etag else 0)
        revalidation = (
            f"{etag['rps']:,.0f} | {etag['rps'] / local:.0%} | {ms(etag['p50'])}"
            if etag
            else "n/a (never cached) | | "
        )
        size = hit["bytes"] / max(hit["requests"], 1) / 1024
        lines.append(
            f"| {label} | {small} / {large} | {size:,.1f} | {hit['rps']:,.0f} | {local:,.0f} | "
            f"{hit['rps'] / local:.0%} | {ms(hit['p50'])} / {ms(hit['p99'])} | "
            f"{miss['rps']:,.1f} | {miss['rps'] / local:.1%} | {ms(miss['p50'])} / "
            f"{ms(miss['p99'])} | {revalidation} | {errors} |"
        )
    static = r["ceiling"]
    lines += [
        f"| Static file, comparison-page size (ceiling, last run) | n/a | "
        f"{static['bytes'] / max(static['requests'], 1) / 1024:,.1f} | {ceiling:,.0f} | "
        f"{ceiling:,.0f} | 100% | "
        f"{ms(static['p50'])} / {ms(static['p99'])} | | | | | | | {static['errors']} |",
        "",
        "SQL: the view's own queries (page cache off, scoreboard warm) on a catalogue of the "
        "demo's size and on this one. Errors: any status of 400 or more, and socket errors, "
        "over the three modes. A 304 carries no body: bytes per 304 were "
        + ", ".join(
            f"{row['etag']['bytes'] / max(row['etag']['requests'], 1):.0f}"
            for _, row in r["rows"][:3]
        )
        + " for the first three pages.",
        "",
        "### Scoreboard build",
        "",
        "| | time |",
        "| --- | ---: |",
        f"| cold (`scoreboard.build_and_store`: build, store in Redis) | {r['board'][0]:.1f} s |",
        "| first board of a cold start with a worker (`scoreboard.build_board(quick=True)`: "
        f"its fit stops at 15 rounds; {r['board'][3]}) | {r['board'][2]:.1f} s |",
        "| after editing one score (`scoreboard.build_next`, the worker's incremental "
        f"update) | {r['board'][1] * 1000:,.0f} ms |",
        "",
        "### Sitemap",
        "",
        f"{sitemap['total']:,} URLs in {len(sitemap['files'])} files (limits: under 150,000 in "
        "all, at most 50,000 per file). Warm: the median of ten requests in a row, one at a time, "
        "over HTTP (limit 100 ms).",
        "",
        "| file | URLs | warm ms |",
        "| --- | ---: | ---: |",
        f"| /sitemap.xml (index) | {len(sitemap['files'])} files | "
        f"{r['sitemap_warm']['/sitemap.xml']:.1f} |",
    ]
    lines += [
        f"| {path} | {count:,} | {r['sitemap_warm'][path]:.1f} |"
        for path, count in sitemap["files"].items()
    ]
    lines += [
        "",
        "### Import of the whole catalogue from CSV",
        "",
        f"The catalogue exported with `comparisons.exporter` ({r['export_s']:.1f} s), then "
        "imported with `comparisons.importer` into an empty, migrated database "
        f"({imp['models']:,} models, {imp['scores']:,} scores): a dry run first, then the import.",
        "",
        "| | time | data-version bumps | cache touched |",
        "| --- | ---: | ---: | --- |",
        f"| dry run | {imp['dry_run_s']:.1f} s | "
        f"{'changed' if imp['dry_run_version_changed'] else '0 (unchanged)'} | "
        f"{'; '.join(imp['dry_run_cache_writes']) or 'no'} |",
        f"| import | {imp['import_s']:.1f} s | {imp['version_bumps']} | published once |",
        "",
        f"### The page mix ({args.mix_duration} s, {args.connections} connections, cache hits)",
        "",
        "| requests/s | share of ceiling | p50 ms | p95 ms | p99 ms | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {r['mix']['rps']:,.0f} | {r['mix']['rps'] / ceiling:.0%} | {ms(r['mix']['p50'])} | "
        f"{ms(r['mix']['p95'])} | {ms(r['mix']['p99'])} | {r['mix']['errors']} |",
        "",
        "Peak memory (VmHWM) per web worker, after every run above: "
        + ", ".join(f"{mb:.0f} MB" for mb in r["rss"].values())
        + ".",
        "",
        "### Redis stopped mid-run",
        "",
    ]
    outage = r["outage"]
    lines += [
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
        f"| {n} | {c} | {m:.1f} | {f} | {h:.0%} | {o:.0%} |" for n, c, m, f, h, o in r["probe"]
    ]
    lines += [
        "",
        "While Redis is away each web process reads the data version from PostgreSQL (one "
        "primary-key query per request) and keeps its pages and scoreboard until it changes; "
        "once Redis answers again the version is republished from the database and the shared "
        "copy is back in use (the health check sees it).",
        "",
    ]
    write_file(args.scale, lines)
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
