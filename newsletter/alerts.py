"""Which catalogue changes concern which follow: plain Python, no database.

``for_followers`` takes the change records of one alert batch, the follows of the subscribers
it may concern and the overall ranking before and after, and returns each concerned
subscriber's items, in the order the email lists them. A change that concerns two of a
subscriber's follows (a followed model of a followed provider) is listed once.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MODEL_KINDS = frozenset(
    {
        "price_changed",
        "score_added",
        "score_changed",
        "score_removed",
        "model_changed",
        "model_published",
        "model_unpublished",
        "model_removed",
    }
)
SCORE_KINDS = frozenset({"score_added", "score_changed", "score_removed"})
NEW_MODEL_KINDS = frozenset({"model_added", "model_published"})


@dataclass(frozen=True, slots=True)
class Change:
    """One change event as the alerts need it."""

    id: int
    kind: str
    summary: str
    model_slug: str
    model_name: str = ""
    provider_slug: str = ""  # of the model, as it is now; "" when the model is gone
    benchmark_slug: str = ""
    published: bool = True  # the model, as it is now; a draft's changes concern nobody yet


@dataclass(frozen=True, slots=True)
class FollowRow:
    subscriber_id: int
    kind: str  # "model", "provider" or "benchmark"
    slug: str
    name: str
    rank_threshold: int | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One line of an alert: what changed, and the page it concerns (a model slug)."""

    key: str  # what makes two items the same change
    text: str
    model_slug: str

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "model_slug": self.model_slug}


def concerns(change: Change, follow: FollowRow) -> bool:
    if not change.published and change.kind not in ("model_unpublished", "model_removed"):
        return False
    if follow.kind == "model":
        return change.model_slug == follow.slug and change.kind in MODEL_KINDS
    if follow.kind == "provider":
        return change.provider_slug == follow.slug and change.kind in NEW_MODEL_KINDS
    if follow.kind == "benchmark":
        return change.benchmark_slug == follow.slug and change.kind in SCORE_KINDS
    return False


def rank_move(
    follow: FollowRow, before: Mapping[str, int], after: Mapping[str, int]
) -> Item | None:
    """The model's overall rank moved by at least the follower's threshold."""
    if follow.kind != "model" or not follow.rank_threshold:
        return None
    old, new = before.get(follow.slug), after.get(follow.slug)
    if old is None or new is None or abs(old - new) < follow.rank_threshold:
        return None
    direction = "up" if new < old else "down"
    places = abs(old - new)
    text = (
        f"Rank move: {follow.name} {direction} {places} place{'s' if places != 1 else ''}, "
        f"from #{old} to #{new} overall"
    )
    return Item(key=f"rank:{follow.slug}", text=text, model_slug=follow.slug)


def for_followers(
    changes: Iterable[Change],
    follows: Iterable[FollowRow],
    before: Mapping[str, int] | None = None,
    after: Mapping[str, int] | None = None,
) -> dict[int, list[Item]]:
    """Each concerned subscriber's items: changes in event order, then rank moves."""
    changes = sorted(changes, key=lambda c: c.id)
    by_model: dict[str, list[Change]] = {}
    by_provider: dict[str, list[Change]] = {}
    by_benchmark: dict[str, list[Change]] = {}
    for change in changes:
        by_model.setdefault(change.model_slug, []).append(change)
        if change.provider_slug:
            by_provider.setdefault(change.provider_slug, []).append(change)
        if change.benchmark_slug:
            by_benchmark.setdefault(change.benchmark_slug, []).append(change)
    index = {"model": by_model, "provider": by_provider, "benchmark": by_benchmark}
    found: dict[int, dict[str, tuple[int, Item]]] = {}
    for follow in follows:
        mine = found.setdefault(follow.subscriber_id, {})
        for change in index.get(follow.kind, {}).get(follow.slug, ()):
            if concerns(change, follow):
                key = f"event:{change.id}"
                mine.setdefault(key, (change.id, Item(key, change.summary, change.model_slug)))
        if before is not None and after is not None and (moved := rank_move(follow, before, after)):
            mine.setdefault(moved.key, (1 << 62, moved))
    return {
        subscriber: [item for _, item in sorted(items.values(), key=lambda pair: pair[0])]
        for subscriber, items in found.items()
        if items
    }
