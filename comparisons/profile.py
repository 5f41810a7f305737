"""A model's profile, written from its figures: pure, no ORM, no template.

Four short paragraphs, each built from numbers so that no sentence would fit another model
unchanged: what the model is; where it is strong and weak against the models nearest to it in
overall score; where its price sits; and who should pick it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from comparisons.formatting import format_context, format_cost

PEERS = 4  # models nearest in overall score that a profile compares against
MEANINGFUL_GAP = 2.0  # points of category average below which a lead is "level"


@dataclass(frozen=True, slots=True)
class Facts:
    """One model as the profile sees it. ``categories``: category name -> measured average."""

    slug: str
    name: str
    provider: str
    family: str = ""
    release_date: date | None = None
    reasoning: bool = False
    open_weights: bool = False
    context_window: int | None = None
    modalities: str = ""
    overall: float | None = None
    typical_cost: float | None = None  # the medium request, dollars
    categories: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Profile:
    identity: str
    standing: str  # "" when there are no peers to compare against
    price: str  # "" without a price
    pick: str


@dataclass(frozen=True, slots=True)
class Index:
    """Everyone's figures in the orders a profile reads, built once per board and lane, so a
    profile costs the same at any catalogue size."""

    by_overall: tuple[Facts, ...]  # scored models, by overall then name
    place: dict[str, int]  # slug -> position in by_overall
    costs: tuple[float, ...]  # every known typical cost, cheapest first


def index(everyone: list[Facts]) -> Index:
    scored = sorted(
        (f for f in everyone if f.overall is not None), key=lambda f: (f.overall, f.name)
    )
    return Index(
        tuple(scored),
        {f.slug: i for i, f in enumerate(scored)},
        tuple(sorted(f.typical_cost for f in everyone if f.typical_cost is not None)),
    )


def _indexed_peers(model: Facts, idx: Index, count: int) -> list[Facts]:
    """``nearest_peers`` from the sorted order: the nearest ``count`` on either side (and any
    others exactly as far as the last of them) are the only candidates."""
    here, order = idx.place[model.slug], idx.by_overall
    candidates = []
    for step in (-1, 1):
        taken, at = [], here + step
        while 0 <= at < len(order) and (
            len(taken) < count or order[at].overall == taken[-1].overall
        ):
            taken.append(order[at])
            at += step
        candidates += taken
    return sorted(candidates, key=lambda o: (abs(o.overall - model.overall), o.name))[:count]


def nearest_peers(model: Facts, others: list[Facts], count: int = PEERS) -> list[Facts]:
    """The ``count`` other models closest in overall score (then by name, for stable output)."""
    if model.overall is None:
        return []
    scored = [o for o in others if o.slug != model.slug and o.overall is not None]
    return sorted(scored, key=lambda o: (abs(o.overall - model.overall), o.name))[:count]


def category_gaps(model: Facts, peers: list[Facts]) -> dict[str, float]:
    """Per category the model and at least one peer measure: the model's lead over the peers'
    mean (negative when behind)."""
    gaps = {}
    for name, value in model.categories.items():
        theirs = [p.categories[name] for p in peers if name in p.categories]
        if theirs:
            gaps[name] = value - sum(theirs) / len(theirs)
    return gaps


def _names(models: list[Facts]) -> str:
    names = [m.name for m in models]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _identity(m: Facts) -> str:
    kind = "a reasoning model" if m.reasoning else "a model"
    parts = [f"{m.name} is {kind} from {m.provider}"]
    if m.family and m.family != m.name:
        parts.append(f" in the {m.family} family")
    if m.release_date:
        parts.append(f", released in {m.release_date:%B %Y}")
    sentence = "".join(parts) + "."
    weights = "Its weights are open" if m.open_weights else "Its weights are not published"
    extras = []
    if m.context_window:
        extras.append(f"a {format_context(m.context_window)}-token context window")
    if m.modalities:
        extras.append("input as " + m.modalities.replace("+", ", "))
    return f"{sentence} {weights}" + (f"; it takes {' and '.join(extras)}." if extras else ".")


def _standing(m: Facts, peers: list[Facts], gaps: dict[str, float]) -> str:
    if not peers or not gaps:
        return ""
    best = max(gaps, key=gaps.get)
    worst = min(gaps, key=gaps.get)
    opening = f"Against the models nearest to it in overall score ({_names(peers)})"
    if gaps[best] < MEANINGFUL_GAP and gaps[worst] > -MEANINGFUL_GAP:
        return (
            f"{opening}, it is level everywhere they can be compared: no category average "
            f"differs from theirs by {MEANINGFUL_GAP:.0f} points or more."
        )
    text = f"{opening}, it is strongest in {best} ({gaps[best]:+.1f} points over their average)"
    if worst != best and gaps[worst] < 0:
        text += f" and weakest in {worst} ({gaps[worst]:+.1f})"
    return text + "."


def _price(m: Facts, priced: tuple[float, ...], peers: list[Facts]) -> str:
    if m.typical_cost is None:
        return ""
    position = bisect_left(priced, m.typical_cost) + 1
    text = (
        f"A typical request (5,000 tokens in, 1,000 out) costs {format_cost(m.typical_cost)}, "
        f"the {_ordinal(position)} cheapest of {len(priced)} priced models"
    )
    peer_costs = [p.typical_cost for p in peers if p.typical_cost is not None]
    if peer_costs:
        low, high = min(peer_costs), max(peer_costs)
        span = format_cost(low) if low == high else f"{format_cost(low)} to {format_cost(high)}"
        text += f"; its nearest rivals on score cost {span}"
    return text + "."


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pick(m: Facts, everyone: list[Facts], peers: list[Facts], gaps: dict[str, float]) -> str:
    reasons = []
    strong = [
        name for name, gap in sorted(gaps.items(), key=lambda kv: -kv[1]) if gap >= MEANINGFUL_GAP
    ]
    peer_costs = [p.typical_cost for p in peers if p.typical_cost is not None]
    cheaper = m.typical_cost is not None and peer_costs and m.typical_cost < min(peer_costs)
    pricier = m.typical_cost is not None and peer_costs and m.typical_cost > max(peer_costs)
    if strong:
        reasons.append(f"{' and '.join(strong[:2])} work")
    if cheaper:
        reasons.append("a lower bill than its rivals on score")
    if m.open_weights:
        reasons.append("weights you can host yourself")
    if m.context_window and m.context_window >= 1_000_000:
        reasons.append("very long inputs")
    if not reasons:
        return (
            f"No figure sets {m.name} apart from its nearest rivals: choose between them on "
            "price, speed and the benchmarks closest to your task."
        )
    listed = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
    text = f"Pick {m.name} for {listed}."
    if pricier:
        text += (
            " It costs more per request than each of its nearest rivals on score, so check that"
            " the gain is worth it."
        )
    return text


def write_profile(model: Facts, everyone: list[Facts], idx: Index | None = None) -> Profile:
    """``idx`` (``index(everyone)``, kept per board) spares sorting the catalogue again."""
    idx = idx or index(everyone)
    peers = [] if model.overall is None else _indexed_peers(model, idx, PEERS)
    gaps = category_gaps(model, peers)
    return Profile(
        identity=_identity(model),
        standing=_standing(model, peers, gaps),
        price=_price(model, idx.costs, peers),
        pick=_pick(model, everyone, peers, gaps),
    )
