from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comparisons.importer import import_directory

DEMO_DATA = Path(__file__).resolve().parents[2] / "demo_data"


class Command(BaseCommand):
    help = (
        "Import the demo catalogue (comparisons/demo_data/). Safe to run again: rows that are "
        "already as in the files are left alone and record no change."
    )

    def handle(self, *args, **options):
        report = import_directory(DEMO_DATA)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(f"Demo data: {report.summary()}"))
