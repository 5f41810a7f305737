from django.core.management.base import BaseCommand

from newsletter import emails, services
from newsletter.models import Digest


class Command(BaseCommand):
    help = (
        "Print what this week's digest says (plain text, or --html), without sending or saving it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--html", action="store_true", help="print the HTML version")

    def handle(self, *args, html: bool = False, **options) -> None:
        week = services.week_of(services.timezone.now())
        if stored := Digest.objects.filter(week=week).first():
            self.stdout.write(stored.html if html else stored.text)
            return
        content, start, end = services.draft()
        if content is None:
            self.stdout.write("Nothing changed since the last digest: there would be no email.")
            return
        rendered_html, text = emails.render_digest(content, start, end)
        self.stdout.write(f"Subject: {content.subject}\n\n")
        self.stdout.write(rendered_html if html else text)
