"""The difference between the catalogue's prices and a price feed's, and name matching.

Pure: plain dataclasses in, plain dataclasses out, no ORM and no feed library. The sync service
(``comparisons.price_sync``) reads both sides, asks ``plan_sync`` what differs and writes it;
``propose_matches`` suggests which feed model a catalogue model is, for an editor to confirm.

Rules the plan keeps, whatever the feed says:
- the feed only adds or corrects a figure; a figure the feed does not carry is left alone, so a
  model (or a price) missing from the feed is reported, never cleared;
- a model whose prices an editor pinned is never changed; what the feed would change is listed
  apart so the editor can see it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The catalogue fields a feed entry can set, in the order a diff lists them.
SYNCED_FIELDS = (
    "input_price",
    "output_price",
    "cached_input_price",
    "cache_write_price",
    "batch_input_price",
    "batch_output_price",
    "long_context_threshold",
    "long_context_input_price",
    "long_context_output_price",
    "long_context_cached_input_price",
    "scheduled_price_date",
    "scheduled_input_price",
    "scheduled_output_price",
)

Term = Decimal | int | date | None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One model as the feed prices it today: ``terms`` maps SYNCED_FIELDS to values."""

    provider_id: str
    model_id: str
    name: str
    terms: Mapping[str, Term]


@dataclass(frozen=True, slots=True)
class CatalogueModel:
    """One catalogue model as the sync sees it: its feed ids, pin and current terms."""

    slug: str
    name: str
    provider_id: str  # the feed's provider id; "" when not mapped
    model_id: str
    pinned: bool
    terms: Mapping[str, Term]

    @property
    def mapped(self) -> bool:
        return bool(self.provider_id and self.model_id)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One figure that differs: the catalogue's value and the feed's."""

    slug: str
    name: str
    field: str
    ours: Term
    theirs: Term


@dataclass
class SyncPlan:
    """What a sync would do, and what it found along the way."""

    changes: list[FieldChange] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)  # mapped and found in the feed
    missing: list[CatalogueModel] = field(default_factory=list)  # mapped, not in the feed
    pinned: list[FieldChange] = field(default_factory=list)  # differences kept by a pin
    unmapped: list[str] = field(default_factory=list)  # no feed ids

    @property
    def changed_models(self) -> list[str]:
        """Slugs with at least one change to apply, in plan order."""
        return list(dict.fromkeys(change.slug for change in self.changes))

    def changes_for(self, slug: str) -> dict[str, Term]:
        return {c.field: c.theirs for c in self.changes if c.slug == slug}


def same(ours: Term, theirs: Term) -> bool:
    """Equal as figures: 3.0000 and 3 are the same price."""
    if isinstance(ours, Decimal | int) and isinstance(theirs, Decimal | int):
        return Decimal(ours) == Decimal(theirs)
    return ours == theirs


def diff_terms(
    ours: Mapping[str, Term], theirs: Mapping[str, Term]
) -> list[tuple[str, Term, Term]]:
    """(field, ours, theirs) for every figure the feed carries that differs from ours."""
    out = []
    for name in SYNCED_FIELDS:
        their_value = theirs.get(name)
        if their_value is None:  # the feed does not say: keep ours, never clear it
            continue
        our_value = ours.get(name)
        if not same(our_value, their_value):
            out.append((name, our_value, their_value))
    return out


def plan_sync(
    catalogue: Iterable[CatalogueModel],
    lookup: Callable[[str, str], FeedEntry | None],
) -> SyncPlan:
    """Compare every mapped model with its feed entry; ``lookup(provider_id, model_id)``."""
    plan = SyncPlan()
    for model in catalogue:
        if not model.mapped:
            plan.unmapped.append(model.slug)
            continue
        entry = lookup(model.provider_id, model.model_id)
        if entry is None:
            plan.missing.append(model)
            continue
        plan.matched.append(model.slug)
        target = plan.pinned if model.pinned else plan.changes
        target.extend(
            FieldChange(model.slug, model.name, name, ours, theirs)
            for name, ours, theirs in diff_terms(model.terms, entry.terms)
        )
    return plan


# --- proposing feed ids by name -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """A feed model that looks like a catalogue model; ``exact`` when the names are the same."""

    slug: str
    name: str
    provider_id: str
    model_id: str
    feed_name: str
    exact: bool
    similarity: float


def normalise(text: str) -> str:
    """A name as a comparable key: "Claude Opus 4.5" and "claude-opus-4-5" give the same."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


# The catalogue's provider slugs that the feed spells differently.
PROVIDER_ALIASES = {
    "xai": "x-ai",
    "mistral-ai": "mistral",
    "moonshot": "moonshotai",
    "zhipu": "zai",
    "meta-llama": "meta",
}
MIN_SIMILARITY = 0.85


def propose_matches(
    models: Iterable[tuple[str, str, str]], feed: Iterable[FeedEntry]
) -> list[Proposal]:
    """The best feed entry for each ``(slug, name, provider slug)`` catalogue model.

    Only the vendor's own provider is searched when the feed has it (so "GPT-4.1" maps to
    OpenAI's list price, not a reseller's). A proposal is ``exact`` when the normalised name
    or slug equals the feed's model id or name at the vendor itself; a reseller's entry or the
    closest name at or above MIN_SIMILARITY is proposed for an editor to check, never exact.
    Models with no candidate get no proposal.
    """
    entries = list(feed)
    by_provider: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        by_provider.setdefault(entry.provider_id, []).append(entry)
    proposals = []
    for slug, name, provider in models:
        provider_id = PROVIDER_ALIASES.get(provider, provider)
        vendor = provider_id in by_provider
        candidates = by_provider.get(provider_id, entries)
        keys = {normalise(name), normalise(slug)}
        best: Proposal | None = None
        for entry in candidates:
            feed_keys = {normalise(entry.model_id), normalise(entry.name)}
            if keys & feed_keys:
                best = Proposal(
                    slug, name, entry.provider_id, entry.model_id, entry.name, vendor, 1.0
                )
                break
            score = max(
                difflib.SequenceMatcher(None, ours, theirs).ratio()
                for ours in keys
                for theirs in feed_keys
            )
            if score >= MIN_SIMILARITY and (best is None or score > best.similarity):
                best = Proposal(
                    slug, name, entry.provider_id, entry.model_id, entry.name, False, score
                )
        if best is not None:
            proposals.append(best)
    return proposals
