"""What a week's digest says: pure functions from change records and two rankings.

The ORM side (``newsletter.services``) turns rows into the plain records below; everything here is
testable without a database. A week's edits are folded per model and benchmark, so a score
corrected twice reads as one change (first old → last new) and an edit that was undone is not news.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from comparisons.formatting import figure_overall

MAX_RANK_MOVES = 10
TOP = 20  # rank moves are news inside the top of the table, not among the unranked tail

PRICE_LABELS = {
    "input_price": "input",
    "output_price": "output",
    "cached_input_price": "cached input",
    "batch_input_price": "batch input",
    "batch_output_price": "batch output",
    "cache_write_price": "cache write",
    "long_context_threshold": "long-context threshold",
    "long_context_input_price": "long-context input",
    "long_context_output_price": "long-context output",
    "long_context_cached_input_price": "long-context cached input",
    "scheduled_price_date": "scheduled price date",
    "scheduled_input_price": "scheduled input",
    "scheduled_output_price": "scheduled output",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One change record as the digest needs it (``comparisons.models.ChangeEvent``)."""

    kind: str
    model_slug: str
    model_name: str
    at: datetime
    benchmark_name: str = ""
    field: str = ""
    old: str = ""
    new: str = ""


@dataclass(frozen=True, slots=True)
class Ranked:
    slug: str
    name: str
    rank: int
    overall: int  # as the leaderboard prints it


@dataclass(frozen=True, slots=True)
class NewModel:
    slug: str
    name: str
    rank: int | None
    overall: int | None


@dataclass(frozen=True, slots=True)
class ScoreChange:
    slug: str
    name: str
    benchmark: str
    old: str  # "" for a first score on that benchmark
    new: str

    @property
    def delta(self) -> float | None:
        try:
            return float(Decimal(self.new) - Decimal(self.old))
        except (InvalidOperation, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class PriceChange:
    slug: str
    name: str
    label: str  # "input", "output", ...
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RankMove:
    slug: str
    name: str
    old: int | None  # None: newly ranked
    new: int

    @property
    def places(self) -> int:
        return (self.old - self.new) if self.old is not None else 0


@dataclass(slots=True)
class DigestContent:
    subject: str
    new_models: list[NewModel] = field(default_factory=list)
    score_changes: list[ScoreChange] = field(default_factory=list)
    price_changes: list[PriceChange] = field(default_factory=list)
    rank_moves: list[RankMove] = field(default_factory=list)
    new_leader: Ranked | None = None
    previous_leader: Ranked | None = None

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "DigestContent":
        # Digests stored before overalls were whole numbers held decimals: shown as the site
        # shows an overall now, by the one rounding rule.
        def whole(value: dict) -> dict:
            overall = value.get("overall")
            return value | {"overall": None if overall is None else int(figure_overall(overall))}

        def leader(value: dict | None) -> Ranked | None:
            return Ranked(**whole(value)) if value else None

        return cls(
            subject=data["subject"],
            new_models=[NewModel(**whole(m)) for m in data.get("new_models", [])],
            score_changes=[ScoreChange(**s) for s in data.get("score_changes", [])],
            price_changes=[PriceChange(**p) for p in data.get("price_changes", [])],
            rank_moves=[RankMove(**r) for r in data.get("rank_moves", [])],
            new_leader=leader(data.get("new_leader")),
            previous_leader=leader(data.get("previous_leader")),
        )

    @property
    def empty(self) -> bool:
        return not (
            self.new_models
            or self.score_changes
            or self.price_changes
            or self.rank_moves
            or self.new_leader
        )


def _fold(changes: list[Change]) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(kind group, model, what) → (first old, last new), in the order the edits happened."""
    folded: dict[tuple[str, str, str], tuple[str, str]] = {}
    for change in sorted(changes, key=lambda c: c.at):
        if change.kind in {"score_added", "score_changed"} and change.field == "value":
            key = ("score", change.model_slug, change.benchmark_name)
        elif change.kind == "price_changed":
            key = ("price", change.model_slug, change.field)
        else:
            continue
        old = folded[key][0] if key in folded else change.old
        folded[key] = (old, change.new)
    return folded


def _same(old: str, new: str) -> bool:
    try:
        return Decimal(old or "NaN") == Decimal(new or "NaN")
    except InvalidOperation:
        return old == new


def build(
    changes: list[Change],
    before: list[Ranked],
    after: list[Ranked],
    published: set[str],
) -> DigestContent | None:
    """The digest for one week, or None when nothing a reader would care about changed.

    ``before`` is last week's ranking and ``after`` this week's; ``published`` holds the slugs
    readers can see (a model being prepared in the admin is not news yet).
    """
    ranks = {r.slug: r for r in after}
    names = {c.model_slug: c.model_name for c in changes}
    new_slugs = {
        c.model_slug
        for c in changes
        if c.kind in {"model_added", "model_published"} and c.model_slug in published
    }
    content = DigestContent(subject="")
    content.new_models = sorted(
        (
            NewModel(
                slug,
                ranks[slug].name if slug in ranks else names[slug],
                ranks[slug].rank if slug in ranks else None,
                ranks[slug].overall if slug in ranks else None,
            )
            for slug in new_slugs
        ),
        key=lambda m: (m.rank is None, m.rank or 0, m.name),
    )
    for (group, slug, what), (old, new) in _fold(changes).items():
        if slug not in published or slug in new_slugs or _same(old, new):
            continue
        name = ranks[slug].name if slug in ranks else names[slug]
        if group == "score":
            content.score_changes.append(ScoreChange(slug, name, what, old, new))
        else:
            if what == "long_context_threshold":  # a token count, not a price
                old, new = (f"{v} input tokens" if v else v for v in (old, new))
            content.price_changes.append(
                PriceChange(slug, name, PRICE_LABELS.get(what, what.replace("_", " ")), old, new)
            )
    content.score_changes.sort(key=lambda s: (-abs(s.delta or 0), s.name, s.benchmark))
    content.price_changes.sort(key=lambda p: (p.name, p.label))
    content.rank_moves = _rank_moves(before, after, new_slugs)
    if before and after and before[0].slug != after[0].slug:
        content.new_leader, content.previous_leader = after[0], before[0]
    if content.empty:
        return None
    content.subject = subject_line(content)
    return content


def _rank_moves(before: list[Ranked], after: list[Ranked], new_slugs: set[str]) -> list[RankMove]:
    if not before:
        return []  # the first week has nothing to move against
    old = {r.slug: r.rank for r in before}
    moves = [
        RankMove(r.slug, r.name, old.get(r.slug), r.rank)
        for r in after
        if r.rank <= TOP and r.slug not in new_slugs and old.get(r.slug) != r.rank
    ]
    moves.sort(key=lambda m: (-abs(m.places) if m.old else 0, m.new))
    return moves[:MAX_RANK_MOVES]


def money(value: str) -> str:
    """A stored per-1M price as a reader sees it; an empty value was an unknown price.

    The terms that are not prices (a threshold in tokens, a start date) read as they are.
    """
    if not value:
        return "N/A"
    return f"${value}" if re.fullmatch(r"\d+(\.\d+)?", value) else value


def _more(count: int) -> str:
    return f" and {count} more" if count else ""


def subject_line(content: DigestContent) -> str:
    """The biggest news first: a new #1, then new models, then the largest score move."""
    if content.new_leader:
        return f"{content.new_leader.name} takes #1 on the BenchLM leaderboard"
    if content.new_models:
        first, *rest = content.new_models
        return f"New on BenchLM: {first.name}{_more(len(rest))}"
    if content.score_changes:
        s = content.score_changes[0]
        was = f" (was {s.old})" if s.old else ""
        return f"{s.name} scores {s.new} on {s.benchmark}{was}"
    if content.price_changes:
        p = content.price_changes[0]
        return f"Price change: {p.name} {p.label} {money(p.old)} → {money(p.new)} per 1M tokens"
    m = content.rank_moves[0]
    return f"{m.name} moves to #{m.new} on the BenchLM leaderboard"
