from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comparisons.csvformat import CSV_FILES
from comparisons.importer import import_directory


class Command(BaseCommand):
    help = (
        f"Import {', '.join(CSV_FILES)} (whichever are in DIR), all or nothing. "
        "Every bad row is listed as file:line: reason, and then nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and count what would change, writing nothing.",
        )

    def handle(self, *args, directory: Path, dry_run: bool, **options):
        report = import_directory(directory, dry_run=dry_run)
        for error in report.listed_errors:
            self.stderr.write(str(error))
        if report.unlisted_errors:
            self.stderr.write(f"… and {report.unlisted_errors} more errors not listed.")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
