from django.core.management.base import BaseCommand

from newsletter import services


class Command(BaseCommand):
    help = (
        "Build this week's digest (if anything changed) and queue it to every active subscriber. "
        "Safe to run again: nobody gets the same digest twice."
    )

    def handle(self, *args, **options) -> None:
        digest = services.prepare_digest()
        if digest is None:
            self.stdout.write("Nothing changed since the last digest: nothing to send.")
            return
        queued = services.fan_out(digest)
        counts = services.delivery_counts([digest.pk]).get(digest.pk, {})
        self.stdout.write(
            self.style.SUCCESS(f"{digest.subject}: {queued} deliveries queued now; ")
            + ", ".join(f"{n} {status}" for status, n in counts.items())
        )
