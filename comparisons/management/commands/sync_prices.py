from django.core.management.base import BaseCommand

from comparisons import price_sync
from comparisons.pricefeed import SyncPlan


def describe_plan(plan: SyncPlan) -> list[str]:
    """The plan as lines of text: every difference, then what was left alone and why."""
    lines = [
        f"{c.slug}\t{c.field}\t{c.ours if c.ours is not None else '-'}\t{c.theirs}"
        for c in plan.changes
    ]
    if lines:
        lines.insert(0, "model\tfield\tours\ttheirs")
    lines += [f"pinned, kept: {c.slug} {c.field} {c.ours} (feed: {c.theirs})" for c in plan.pinned]
    lines += [
        f"missing from the feed, kept: {m.slug} ({m.provider_id}/{m.model_id})"
        for m in plan.missing
    ]
    return lines


class Command(BaseCommand):
    help = (
        "Compare every mapped model's prices with the genai-prices feed and apply the "
        "differences in one transaction (one change event per changed figure)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the differences; write nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        result = price_sync.sync(dry_run=dry_run)
        plan = result.plan
        for line in describe_plan(plan):
            self.stdout.write(line)
        summary = (
            f"Snapshot: {result.snapshot.describe()}. {len(plan.matched)} models matched, "
            f"{len(plan.changed_models)} differ ({len(plan.changes)} figures), "
            f"{len(plan.missing)} missing from the feed, "
            f"{len({c.slug for c in plan.pinned})} pinned with differences, "
            f"{len(plan.unmapped)} not mapped."
        )
        self.stdout.write(summary)
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Applied: {result.events} change events."))
