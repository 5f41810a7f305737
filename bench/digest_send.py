"""How fast one Celery worker sends the digest: 10,000 subscribers through a local SMTP sink.

    make bench-digest            # or: .venv/bin/python bench/digest_send.py --subscribers 10000

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; defaults: the local servers). It creates a
scratch database next to DATABASE_URL's (dropped afterwards), starts aiosmtpd's discarding sink
and one worker process, fans a digest out and times it from the first queued batch to the last
delivery marked sent. The sending path is the production one: a claim, the two-phase DATA and a
commit per email, one SMTP connection per batch.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, ScratchDatabase
from tests.servers import free_port, wait_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (concurrency 1)")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchlm")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    scratch = ScratchDatabase(base, "_digest_bench")
    url = scratch.create()
    smtp_port = free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "benchlm.settings",
    }
    os.environ.update(env)
    processes: list[subprocess.Popen] = []
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_demo_data", verbosity=0)
        from benchlm.celery import app
        from comparisons.models import Score
        from newsletter import services
        from newsletter.models import Delivery, Subscriber

        app.control.purge()
        Subscriber.objects.bulk_create(
            (
                Subscriber(email=f"reader{i}@example.com", status=Subscriber.Status.ACTIVE)
                for i in range(args.subscribers)
            ),
            batch_size=5000,
        )
        score = Score.objects.order_by("pk").first()
        score.value += 1
        score.save()
        digest = services.prepare_digest()

        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{smtp_port}",
                    "-c",
                    "aiosmtpd.handlers.Sink",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_port(smtp_port)
        for i in range(args.workers):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "benchlm",
                        "worker",
                        "--loglevel=WARNING",
                        "--concurrency=1",
                        "--without-gossip",
                        "--without-mingle",
                        "-n",
                        f"bench{i}@%h",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        time.sleep(4)  # let the workers connect before the clock starts
        started = time.perf_counter()
        services.fan_out(digest)
        queued = time.perf_counter() - started
        open_rows = Delivery.objects.filter(
            digest=digest, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
        )
        while open_rows.exists():
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        sent = Delivery.objects.filter(digest=digest, status=Delivery.Status.SENT).count()
        rate = sent / elapsed
        print(f"subscribers          {args.subscribers:,}")
        print(f"worker processes     {args.workers}")
        print(f"fan-out (rows+queue) {queued:.2f} s")
        print(f"sent                 {sent:,} in {elapsed:.1f} s")
        print(f"emails per second    {rate:,.0f} ({rate / args.workers:,.0f} per worker)")
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(20)
        from django.db import connections

        connections.close_all()
        scratch.drop()


if __name__ == "__main__":
    main()
