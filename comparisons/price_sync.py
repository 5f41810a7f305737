"""The price-feed sync: read the catalogue and the feed, plan, and apply in one transaction.

Shared by ``manage.py sync_prices``, the daily beat task and the admin's sync page. Prices are
written with ``Model.save()``, so ``comparisons.changes`` records one ``ChangeEvent`` per
changed figure, exactly as an editor's edit would: the history, the feed, the digest and the
model pages all see the sync. Models the feed confirms unchanged get their confirmation time
moved (no event: nothing changed); pinned and missing models are reported and left alone.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comparisons.genai_feed import Feed, SnapshotInfo, load_feed
from comparisons.models import LanguageModel, PriceSync
from comparisons.pricefeed import SYNCED_FIELDS, CatalogueModel, SyncPlan, diff_terms, plan_sync
from comparisons.scoreboard import bump_data_version

logger = logging.getLogger(__name__)


@dataclass
class SyncResult:
    plan: SyncPlan
    snapshot: SnapshotInfo
    applied: bool
    events: int = 0  # change events the apply wrote

    @property
    def fingerprint(self) -> str:
        """Identifies the plan, so the admin applies exactly the difference it showed."""
        text = "\n".join(f"{c.slug}|{c.field}|{c.ours}|{c.theirs}" for c in self.plan.changes)
        return hashlib.sha256(f"{self.snapshot}\n{text}".encode()).hexdigest()[:16]


def catalogue_entry(model: LanguageModel) -> CatalogueModel:
    return CatalogueModel(
        slug=model.slug,
        name=model.name,
        provider_id=model.genai_provider_id,
        model_id=model.genai_model_id,
        pinned=model.prices_pinned,
        terms={field: getattr(model, field) for field in SYNCED_FIELDS},
    )


def read_catalogue() -> list[CatalogueModel]:
    """Every model, published or not: a draft's price is worth keeping current too."""
    fields = ("slug", "name", "genai_provider_id", "genai_model_id", "prices_pinned")
    return [catalogue_entry(m) for m in LanguageModel.objects.only(*fields, *SYNCED_FIELDS)]


def current_feed(*, today=None) -> Feed:
    """The feed as configured: refreshed from upstream only with PRICE_FEED_REFRESH on."""
    today = today or timezone.localdate()
    return load_feed(
        refresh=settings.PRICE_FEED_REFRESH, today=today, url=settings.PRICE_FEED_URL or None
    )


def plan(feed: Feed | None = None) -> SyncResult:
    """What a sync would change now; writes nothing."""
    feed = feed or current_feed()
    return SyncResult(plan_sync(read_catalogue(), feed.lookup), feed.snapshot, applied=False)


def apply(result: SyncResult, *, now: datetime | None = None) -> SyncResult:
    """Write ``result``'s plan in one transaction, one change event per changed figure.

    Each changed model is locked and compared again, so a figure an editor changed (or a pin
    set) since the plan was made is not overwritten by a stale plan.
    """
    from comparisons.models import ChangeEvent

    now = now or timezone.now()
    plan_ = result.plan
    with transaction.atomic():
        first_event = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
        for slug in plan_.changed_models:
            model = LanguageModel.objects.select_for_update().filter(slug=slug).first()
            if model is None or model.prices_pinned:
                continue
            wanted = plan_.changes_for(slug)
            current = {field: getattr(model, field) for field in SYNCED_FIELDS}
            for field, _, theirs in diff_terms(current, wanted):
                setattr(model, field, theirs)
            model.price_confirmed_at = now
            model.save()
        LanguageModel.objects.filter(slug__in=plan_.matched, prices_pinned=False).exclude(
            slug__in=plan_.changed_models
        ).update(price_confirmed_at=now)
        events = ChangeEvent.objects.for_readers().filter(id__gt=first_event or 0).count()
        PriceSync.objects.create(
            ran_at=now,
            source=result.snapshot.source,
            package_version=result.snapshot.package_version,
            snapshot_date=result.snapshot.as_of,
            matched=len(plan_.matched),
            changed_models=len(plan_.changed_models),
            changed_fields=events,
            missing=", ".join(m.slug for m in plan_.missing),
            pinned=", ".join(sorted({c.slug for c in plan_.pinned})),
        )
        # Confirmation times are shown on pages; the update above bypasses the signals.
        transaction.on_commit(bump_data_version)
    result.applied, result.events = True, events
    return result


def sync(*, dry_run: bool = False, feed: Feed | None = None) -> SyncResult:
    """Plan and, unless ``dry_run``, apply; logs one summary line either way."""
    result = plan(feed)
    if not dry_run:
        apply(result)
    logger.info(
        "price sync%s from %s: %d matched, %d to change (%d figures), %d missing, %d pinned",
        " (dry run)" if dry_run else "",
        result.snapshot.describe(),
        len(result.plan.matched),
        len(result.plan.changed_models),
        len(result.plan.changes),
        len(result.plan.missing),
        len({c.slug for c in result.plan.pinned}),
    )
    return result
