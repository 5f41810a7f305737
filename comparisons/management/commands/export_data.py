from pathlib import Path

from django.core.management.base import BaseCommand

from comparisons.csvformat import CSV_FILES
from comparisons.exporter import export_directory


class Command(BaseCommand):
    help = (
        f"Write the catalogue as {', '.join(CSV_FILES)} into DIR (created if needed), "
        "in the format import_data reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", type=Path)

    def handle(self, *args, directory: Path, **options):
        export_directory(directory)
        self.stdout.write(self.style.SUCCESS(f"Exported {', '.join(CSV_FILES)} to {directory}."))
