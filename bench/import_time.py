"""Import of a whole catalogue from CSV into an empty database: how long, how many versions.

    .venv/bin/python bench/import_time.py DIRECTORY      # the three CSV files of an export

Run by ``bench/run.py`` on the export of its catalogue; needs DATABASE_URL (a scratch database
next to it is created, migrated and dropped) and REDIS_URL (a cache key prefix of its own, so the
published version never meets another site's). Prints one JSON line:

- ``dry_run_s``, ``dry_run_version_changed``, ``dry_run_cache_writes``: a dry run of the whole
  import first; it must change no version and leave the cache as it was;
- ``import_s``, ``version_bumps`` (must be 1), ``created``: the import itself.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ScratchDatabase


def main() -> None:
    directory = Path(sys.argv[1])
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchlm")
    scratch = ScratchDatabase(base, f"_import{os.getpid()}")
    os.environ["DATABASE_URL"] = scratch.create()
    print(f"importing into {scratch.name}", file=sys.stderr, flush=True)
    os.environ["CACHE_KEY_PREFIX"] = f"benchimport{os.getpid()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchlm.settings")
    try:
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connections

        from comparisons import scoreboard
        from comparisons.importer import import_directory
        from comparisons.models import DataVersion, LanguageModel, Score

        call_command("migrate", verbosity=0)
        bumps = []
        raise_stored = scoreboard._raise_stored_version  # every bump of the version goes through it

        def counted() -> tuple[int, int | None]:
            bumps.append(1)
            return raise_stored()

        scoreboard._raise_stored_version = counted
        version = scoreboard.current_version()  # the empty database's, published to the cache
        stored = DataVersion.objects.values_list("version", flat=True).first()

        # Every cache write during the dry run (the version's copy expiring and being published
        # again unchanged is not a change).
        written = []
        originals = {}
        for name in ("set", "add", "delete", "set_many", "delete_many", "incr", "clear"):
            originals[name] = getattr(cache, name)

            def spy(*args, _name=name, **kwargs):
                if not (_name == "set" and args[:2] == (scoreboard.VERSION_KEY, version)):
                    written.append((_name, args[:1]))
                return originals[_name](*args, **kwargs)

            setattr(cache, name, spy)
        started = time.monotonic()
        dry = import_directory(directory, dry_run=True)
        dry_s = time.monotonic() - started
        for name, method in originals.items():
            setattr(cache, name, method)
        assert dry.ok, dry.errors[:5]
        after_dry = DataVersion.objects.values_list("version", flat=True).first()
        dry_bumps, bumps[:] = len(bumps), []

        started = time.monotonic()
        report = import_directory(directory)
        import_s = time.monotonic() - started
        assert report.ok, report.errors[:5]
        print(
            json.dumps(
                {
                    "dry_run_s": dry_s,
                    "dry_run_version_changed": after_dry != stored or dry_bumps > 0,
                    "dry_run_cache_writes": [f"{name} {args}" for name, args in written],
                    "import_s": import_s,
                    "version_bumps": len(bumps),
                    "models": LanguageModel.objects.count(),
                    "scores": Score.objects.count(),
                    "created": dict(report.created),
                }
            ),
            flush=True,
        )
        connections.close_all()
    finally:
        scratch.drop()


if __name__ == "__main__":
    main()
