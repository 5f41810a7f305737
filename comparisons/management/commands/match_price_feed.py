from django.core.management.base import BaseCommand
from django.db import transaction

from comparisons.models import LanguageModel
from comparisons.price_sync import current_feed
from comparisons.pricefeed import propose_matches


class Command(BaseCommand):
    help = (
        "Propose genai-prices ids for models that have none, matched by name. Prints the "
        "proposals for an editor to confirm; --apply saves the exact matches only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Save the exact-name matches only.",
        )

    def handle(self, *args, apply: bool, **options):
        feed = current_feed()
        unmapped = LanguageModel.objects.filter(genai_model_id="").select_related("provider")
        models = {m.slug: m for m in unmapped}
        proposals = propose_matches(
            ((m.slug, m.name, m.provider.slug) for m in models.values()), feed.entries.values()
        )
        saved = 0
        with transaction.atomic():
            for p in proposals:
                kind = "exact" if p.exact else f"close ({p.similarity:.2f}), check"
                self.stdout.write(f"{p.slug}\t{p.provider_id}\t{p.model_id}\t{p.feed_name}\t{kind}")
                if apply and p.exact:
                    model = models[p.slug]
                    model.genai_provider_id, model.genai_model_id = p.provider_id, p.model_id
                    model.save(update_fields=["genai_provider_id", "genai_model_id", "updated_at"])
                    saved += 1
        found = {p.slug for p in proposals}
        for slug in sorted(set(models) - found):
            self.stdout.write(f"{slug}\t-\t-\t-\tno match")
        self.stdout.write(
            f"{len(proposals)} proposals for {len(models)} unmapped models "
            f"({sum(p.exact for p in proposals)} exact); saved {saved}."
        )
