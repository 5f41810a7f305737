"""The plain-English verdict of a comparison page: quick verdict, narrative and FAQ.

Pure: it reads a ``Comparison`` and returns text, so every pair gets its verdict from the figures
the tables print (through ``formatting``), never from hand-written copy. Phrasing is picked by
situation (a clear lead, a modest one, a dead heat, a clean sweep, missing data), never at random,
so a page reads the same on every request and from every cache.

Unknown figures stay unknown: a missing price, score or context window is said to be missing,
never read as 0, and never turned into a claim that one model is cheaper, larger or better.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from comparisons import pricing
from comparisons.formatting import (
    format_context,
    format_cost,
    format_latency,
    format_overall,
    format_percent,
    format_price_long,
    format_ratio,
    format_score,
    format_speed,
    half_up,
)
from comparisons.verdict_faq import FAQ, faq_caching, faq_value

if TYPE_CHECKING:  # comparison.py imports the scoreboard (Django); only its types are used here
    from comparisons.comparison import Comparison, Side
    from comparisons.pricing import Prices
    from comparisons.scoring import CategoryResult

Who = Literal["a", "b"]
SIDES: tuple[Who, Who] = ("a", "b")

LARGE_GAP = 8  # overall points as displayed: a lead nobody needs to squint at
LEVEL_GAP = 3  # below this, overall scores do not separate two models
CLOSE_MARGIN = 5.0  # a category won by less can flip with the reader's own workload
LARGER_CONTEXT = 1.5  # a context window this many times the other's is worth a sentence
MUCH_LARGER_CONTEXT = 4.0
MATERIAL_PERCENT = 10.0  # smaller price, speed or latency gaps are stated, never a reason to pick
TOPICS = {"coding": "coding", "instruction-following": "instruction following", "math": "math"}
NO_EDGE = "has no category win, price or context edge to set against it on current data"
CLOSE = "stays close enough that the answer can still flip depending on your workload"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Everything the comparison page says in words about the pair."""

    quick: str  # one or two sentences, shown under the header and atop the narrative
    paragraphs: list[str]  # the narrative, in reading order
    faq: list[FAQ]  # overall, one per shared category, then cost, value, caching, context, speed


def write_verdict(c: Comparison) -> Verdict:
    """The verdict for ``c``; "a" and "b" keep the order of the page title throughout."""
    lead, speed = _leader(c), _speed(c)
    paragraphs = [_siblings(c), _lead(c, lead), _shape(c, lead), _practical(c), _price(c, lead)]
    faster = FAQ(f"Which is faster, {c.a.name} or {c.b.name}?", speed) if speed else None
    extras = [
        f
        for f in (_faq_price(c), faq_value(c), faq_caching(c), _faq_context(c), faster)
        if f is not None
    ]
    faq = [_faq_overall(c, lead), *(_faq_category(c, r) for r in c.categories), *extras]
    return Verdict(_quick(c, lead), [p for p in [*paragraphs, speed] if p], faq)


# --- figures -------------------------------------------------------------------------------


def _other(who: Who) -> Who:
    return "b" if who == "a" else "a"


def _pair(c: Comparison, who: Who) -> tuple[Side, Side]:
    """``who``'s side first, then the other one."""
    return (c.a, c.b) if who == "a" else (c.b, c.a)


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 2:
        return f" {word} ".join(items)
    return f"{', '.join(items[:-1])}, {word} {items[-1]}"


def _cat(c: Comparison, slug: str) -> str:
    return c.category_names.get(slug, slug).lower()


def _bench(c: Comparison, slug: str) -> str:
    return c.benchmark_names.get(slug, slug)


def _pct(value: float) -> str:
    return f"{format_score(value)}%"


def _averages(r: CategoryResult, who: Who) -> tuple[str, str]:
    """``who``'s category average, then the other's, as the page prints them."""
    mine, theirs = (r.a, r.b) if who == "a" else (r.b, r.a)
    return format_score(mine), format_score(theirs)


def _gap(c: Comparison) -> int | None:
    """A's overall minus B's in the whole points the page shows; None when either is missing."""
    if c.a.overall is None or c.b.overall is None:
        return None
    return int(half_up(c.a.overall)) - int(half_up(c.b.overall))


def _score_line(c: Comparison, first: Who) -> str:
    x, y = _pair(c, first)
    return f"{format_overall(x.overall)} to {format_overall(y.overall)}"


def _leader(c: Comparison) -> Who | None:
    """Ahead by LEVEL_GAP overall points or more; by categories won when an overall is missing."""
    gap = _gap(c)
    if gap is not None:
        return None if abs(gap) < LEVEL_GAP else ("a" if gap > 0 else "b")
    return None if c.wins[0] == c.wins[1] else ("a" if c.wins[0] > c.wins[1] else "b")


def _won(c: Comparison, who: Who) -> list[CategoryResult]:
    """The categories ``who`` wins, widest margin first (equal margins keep display order)."""
    return sorted((r for r in c.categories if r.winner == who), key=lambda r: -r.difference)


def _pricier(c: Comparison, pct: float = 0.0) -> Who | None:
    """Who costs more for the typical request by more than ``pct`` percent; None when the gap is
    within that, or either cost is unknown. A 2% gap is a fact, but no reason to pick a model."""
    x, y = c.a.typical_cost, c.b.typical_cost
    if x is None or y is None or x == y:
        return None
    if min(x, y) > 0 and (max(x, y) / min(x, y) - 1) * 100 <= pct:
        return None
    return "a" if x > y else "b"


def _context_ratio(c: Comparison, who: Who) -> float:
    """How many times the other's context window ``who``'s is; 0.0 when either is unknown."""
    me, them = _pair(c, who)
    if not me.context_window or not them.context_window:
        return 0.0
    return me.context_window / them.context_window


def _beats(
    mine: float | None, theirs: float | None, fmt: Callable[[float], str], pct: float
) -> bool:
    """``mine`` is higher by more than ``pct`` percent, and visibly so on the page."""
    if not mine or not theirs or fmt(mine) == fmt(theirs):
        return False
    return (mine / theirs - 1) * 100 > pct


def _faster(c: Comparison, who: Who, pct: float = 0.0) -> bool:
    me, them = _pair(c, who)
    return _beats(me.output_speed, them.output_speed, format_speed, pct)


def _sooner(c: Comparison, who: Who, pct: float = 0.0) -> bool:
    me, them = _pair(c, who)  # a shorter time to first token is better, hence the swap
    return _beats(them.ttft, me.ttft, format_latency, pct)


def _rate(p: Prices) -> str:
    """List prices in prose: "$0.40 input / $1.60 output per 1M tokens"; unknown halves left out."""
    known = [(k, v) for k, v in (("input", p.input), ("output", p.output)) if v is not None]
    text = " / ".join(f"{format_price_long(v)} {k}" for k, v in known)
    return f"{text} per 1M tokens" if known else "no published price"


def _unpriced(c: Comparison) -> str:
    """What is missing for a cost comparison, and what is known; "" when both costs are known."""
    missing = [s for s in (c.a, c.b) if s.typical_cost is None]
    listed = [s for s in (c.a, c.b) if s.prices.input is not None or s.prices.output is not None]
    if not missing:
        return ""
    if not listed:
        return "BenchLM has no published price for either model yet, so cost cannot separate them."
    gaps = [f"no {'complete ' if s in listed else ''}published price for {s.name}" for s in missing]
    known = [f"{s.name} lists {_rate(s.prices)}." for s in listed]
    lead = f"BenchLM has {_join(gaps)} yet, so there is no like-for-like cost comparison."
    return " ".join([lead, *known])


def _no_overall(c: Comparison, where: str) -> str:
    """Why there is no overall verdict, then the category tally that has to stand in for it."""
    missing = [s for s in (c.a, c.b) if s.overall is None]
    if len(missing) == 2:
        text = f"Neither model has enough counted benchmarks for an overall score on {where}"
    else:
        known = c.b if missing[0] is c.a else c.a
        text = (
            f"{missing[0].name} has too few counted benchmarks for an overall score on {where}, "
            f"while {known.name} scores {format_overall(known.overall)}"
        )
    n, (a_wins, b_wins) = len(c.categories), c.wins
    if n == 0:
        return f"{text}, and they share no scored category either, so there is no verdict yet."
    text += ", so the categories they share are the fairer guide."
    if a_wins == b_wins:
        return f"{text} On those they come out even."
    x, _ = _pair(c, "a" if a_wins > b_wins else "b")
    return f"{text} On those, {x.name} wins {max(a_wins, b_wins)} of {n}."


# --- quick verdict ---------------------------------------------------------------------------


def _sweeper(c: Comparison) -> Who | None:
    """The model that wins every shared category without trailing overall, if there is one."""
    gap = _gap(c)
    for who, wins in zip(SIDES, c.wins, strict=True):
        ahead = gap is None or (gap > 0 if who == "a" else gap < 0)
        if c.categories and wins == len(c.categories) and ahead:
            return who
    return None


def _edges(c: Comparison, who: Who, *, speed: bool = False) -> list[tuple[str, str]]:
    """(verb, edge) pairs for ``who``: a cheaper bill, more context, and speed when asked for.

    Speed and latency count only in a sweep, where they are all the trailing model has left.
    """
    size = format_context(_pair(c, who)[0].context_window)
    found = [
        ("want", "the cheaper token bill", _pricier(c, MATERIAL_PERCENT) == _other(who)),
        ("need", f"the larger {size} context window", _context_ratio(c, who) >= LARGER_CONTEXT),
        ("want", "faster output", speed and _faster(c, who, MATERIAL_PERCENT)),
        ("want", "lower latency", speed and _sooner(c, who, MATERIAL_PERCENT)),
    ]
    return [(verb, edge) for verb, edge, holds in found if holds]


def _reasons(c: Comparison, who: Who) -> list[str]:
    """Clauses finishing "X is the better choice if ...": its clearest category wins, then edges.

    A second category is named only when it too is won clearly; a narrow second win is noise.
    """
    won = _won(c, who)
    clear = won[:1] + [r for r in won[1:2] if r.difference >= CLOSE_MARGIN]
    names = [_cat(c, r.slug) for r in clear]
    reasons = [f"{_join(names, 'or')} is the priority"] if names else []
    return reasons + [f"you {verb} {edge}" for verb, edge in _edges(c, who)]


def _sweep(c: Comparison, winner: Who) -> str:
    """One model wins every shared category: say so, and name the only reasons left to pick the
    other (cheaper, larger context, faster, lower latency), or that there are none."""
    (w, t), n, gap = _pair(c, winner), len(c.categories), _gap(c)
    what = f"the only category we can compare, {_cat(c, c.categories[0].slug)}"
    text = f"{w.name} wins {what if n == 1 else 'every category we can compare'}"
    if gap is not None:
        how = "leads" if abs(gap) >= LEVEL_GAP else "edges ahead"
        text += f"{',' if n == 1 else ''} and {how} overall, {_score_line(c, winner)}"
    edges = [edge for _, edge in _edges(c, _other(winner), speed=True)]
    if not edges:
        return (
            f"{text}. On current data there is no benchmark or operational reason to pick {t.name}."
        )
    noun, verb = ("reasons", "are") if len(edges) > 1 else ("reason", "is")
    return f"{text}. The only {noun} to pick {t.name} {verb} {_join(edges)}."


def _quick(c: Comparison, leader: Who | None) -> str:
    """The one- or two-sentence verdict: who to pick, and when the other one is the better pick.

    A clear leader of another lineage gets "Pick X ..."; siblings, modest leads and dead heats
    are framed as a trade-off ("X makes more sense if ..., while Y ..."), since there the
    reader's priorities decide more than the aggregate does.
    """
    if (winner := _sweeper(c)) is not None:
        return _sweep(c, winner)
    gap, first = _gap(c), leader or "a"
    (x, y), x_why, y_why = _pair(c, first), _reasons(c, first), _reasons(c, _other(first))
    if leader is not None and gap is not None and abs(gap) >= LARGE_GAP and not c.siblings:
        pick = f"Pick {x.name} if you want the stronger benchmark profile"
        if not y_why:
            return f"{pick}; {y.name} {NO_EDGE}."
        return f"{pick}. {y.name} only becomes the better choice if {_join(y_why, 'or')}."
    if leader is not None and not _won(c, leader):  # its lead lies outside the shared categories
        x_why.insert(0, "you want the stronger overall score")
    level = gap is not None and leader is None
    prefix = "There is little to separate them overall, so pick by shape: " if level else ""
    if x_why and y_why:
        return (
            f"{prefix}{x.name} makes more sense if {_join(x_why, 'or')}, while {y.name} is the "
            f"cleaner fit if {_join(y_why, 'or')}."
        )
    if x_why:
        return f"{prefix}{x.name} makes more sense if {_join(x_why, 'or')}; {y.name} {NO_EDGE}."
    if y_why:  # from here on there is no leader: it would have a reason above
        return (
            f"{prefix}{y.name} is the cleaner fit if {_join(y_why, 'or')}; otherwise it is close."
        )
    return f"BenchLM does not have enough data to separate {c.a.name} and {c.b.name} yet."


# --- narrative -------------------------------------------------------------------------------


def _siblings(c: Comparison) -> str:
    if not c.siblings:
        return ""
    return (
        f"{c.a.name} and {c.b.name} sit in the same {c.family} family. This page is less about two "
        "unrelated model lineages and more about how the siblings trade off on benchmark shape, "
        "token costs, and practical limits like context window."
    )


def _lead(c: Comparison, leader: Who | None) -> str:
    """Who is ahead on the lane's aggregate, and whether the gap is clear, modest or nothing."""
    lane, gap = c.lane.value, _gap(c)
    if gap is None:
        return _no_overall(c, f"the {lane} aggregate")
    if leader is None:
        level = (
            f"level on the {lane} aggregate at {format_overall(c.a.overall)} apiece"
            if gap == 0
            else f"effectively level on the {lane} aggregate, {_score_line(c, 'a')}"
        )
        return (
            f"{c.a.name} and {c.b.name} are {level}. The overall score settles nothing here: "
            "the choice comes down to category shape, price and context window."
        )
    name, score = _pair(c, leader)[0].name, _score_line(c, leader)
    if abs(gap) >= LARGE_GAP:
        return (
            f"{name} is clearly ahead on the {lane} aggregate, {score}. The gap is large enough "
            "that you do not need to squint at the spreadsheet to see the difference."
        )
    return (
        f"{name} is ahead on the {lane} aggregate, {score}, but the margin is modest: {abs(gap)} "
        "points is small enough that a win in the category you care about most can outweigh it."
    )


def _sharpest(c: Comparison, who: Who) -> str:
    if not (won := _won(c, who)):
        return ""
    (mine, theirs), where = _averages(won[0], who), _cat(c, won[0].slug)
    name = _pair(c, who)[0].name
    return f"{name}'s sharpest advantage is in {where}, where it averages {mine} against {theirs}."


def _hits_back(c: Comparison, trailer: Who) -> str:
    """Where the trailing model still wins, so readers with that workload know to look twice."""
    if not (back := _won(c, trailer)):
        return ""
    name, where, which = _pair(c, trailer)[0].name, _cat(c, back[0].slug), "that is the part"
    if len(back) > 1:
        mine, theirs = _averages(back[0], trailer)
        names = _join([_cat(c, r.slug) for r in back])
        where, which = (
            f"{names}, most of all in {where} ({mine} against {theirs})",
            "those are the parts",
        )
    return (
        f"{name} does hit back in {where}, so the answer changes if {which} of the workload you "
        "care about most."
    )


def _shape(c: Comparison, leader: Who | None) -> str:
    """Where each model wins, the biggest single-benchmark gap, and where the trailer hits back."""
    parts = [_sharpest(c, leader or "a"), "" if leader else _sharpest(c, "b")]
    if leader is not None and not parts[0] and c.categories:
        parts[0] = (
            f"{_pair(c, leader)[0].name} does not win any category both models are scored in, so "
            "its overall lead comes from the categories they do not share."
        )
    if (s := c.swing) is not None and s.difference > 0:
        favours: Who = "a" if s.a > s.b else "b"
        its = (
            f", and it goes {_pair(c, favours)[0].name}'s way"
            if leader and favours != leader
            else ""
        )
        name = _bench(c, s.benchmark)
        parts.append(
            f"The single biggest benchmark swing on the page is {name}, "
            f"{_pct(s.a)} to {_pct(s.b)}{its}."
        )
    elif not c.categories:
        parts.append(
            "The two models share no benchmark, so there is no head-to-head score to point to."
        )
    parts.append(_hits_back(c, _other(leader)) if leader else "")
    if ties := [_cat(c, r.slug) for r in c.categories if r.winner is None]:
        parts.append(f"They are level in {_join(ties)}.")
    return " ".join(p for p in parts if p)


def _practical(c: Comparison) -> str:
    """The reasoning model, when only one is, and the larger context window, when it matters."""
    parts = []
    if c.a.reasoning != c.b.reasoning:
        r, n = _pair(c, "a" if c.a.reasoning else "b")
        parts.append(
            f"{r.name} is the reasoning model in the pair, while {n.name} is not. That usually "
            "helps on harder chain-of-thought-heavy tests, but it can also mean more latency and "
            "more token spend in real use."
        )
    elif c.a.reasoning:
        parts.append("Both are reasoning models, so neither gets a head start on harder tests.")
    for who in SIDES:
        if (ratio := _context_ratio(c, who)) >= LARGER_CONTEXT:
            (big, small), size = (
                _pair(c, who),
                "a much larger" if ratio >= MUCH_LARGER_CONTEXT else "the larger",
            )
            parts.append(
                f"{big.name} gives you {size} context window at "
                f"{format_context(big.context_window)}, compared with "
                f"{format_context(small.context_window)} for {small.name}."
            )
    return " ".join(parts)


def _price(c: Comparison, leader: Who | None) -> str:
    """The pricier model and its list prices; "also" only when it is the one leading."""
    if unpriced := _unpriced(c):
        return unpriced
    if (pricier := _pricier(c)) is None:
        return (
            f"They cost the same for a typical request: {c.a.name} lists {_rate(c.a.prices)}, "
            f"{c.b.name} {_rate(c.b.prices)}."
        )
    if _pricier(c, MATERIAL_PERCENT) is None and c.price_ratio is not None:
        return (
            f"They cost about the same for a typical request: "
            f"{pricing.describe_ratio(c.a.name, c.b.name, c.price_ratio)}. {c.a.name} lists "
            f"{_rate(c.a.prices)}, {c.b.name} {_rate(c.b.prices)}."
        )
    (p, q), also = _pair(c, pricier), " also" if leader == pricier else ""
    despite = "Despite trailing on benchmarks, " if leader == _other(pricier) else ""
    text = (
        f"{despite}{p.name} is{also} the more expensive model on tokens at {_rate(p.prices)}, "
        f"versus {_rate(q.prices)} for {q.name}."
    )
    ratio = p.prices.output / q.prices.output if p.prices.output and q.prices.output else None
    if ratio is not None and half_up(ratio, 1) > 1:
        text += f" That is roughly {format_ratio(ratio)} on output cost alone."
    elif c.price_ratio is not None:  # the gap is not in output tokens: give the whole request
        text += (
            f" On a typical request, {pricing.describe_ratio(c.a.name, c.b.name, c.price_ratio)}."
        )
    return (
        f"{text} {q.name} is both the stronger and the cheaper option on current data."
        if despite
        else text
    )


def _speed(c: Comparison) -> str:
    """Which model generates faster (tokens/s) and which starts answering sooner (TTFT)."""
    fast = next((w for w in SIDES if _faster(c, w)), None)
    soon = next((w for w in SIDES if _sooner(c, w)), None)
    text = ""
    if fast is not None:
        (f, s), diff = (
            _pair(c, fast),
            pricing.speed_difference_percent(c.a.output_speed, c.b.output_speed),
        )
        text = (
            f"{f.name} is the faster of the two, generating {format_speed(f.output_speed)} against "
            f"{format_speed(s.output_speed)} ({format_percent(abs(diff or 0))} faster)"
        )
    elif c.a.output_speed and c.b.output_speed:
        text = f"Both generate output at about {format_speed(c.a.output_speed)}"
    if soon is not None:
        f, s = _pair(c, soon)
        latency = f"{format_latency(f.ttft)} to first token against {format_latency(s.ttft)}"
        if not text:
            return f"{f.name} answers sooner: {latency}."
        joint = ", and it also" if soon == fast else f", but {f.name}"
        return f"{text}{joint} answers sooner: {latency}."
    if c.a.ttft and c.b.ttft:
        same = f"take {format_latency(c.a.ttft)} to the first token"
        return f"{text}, and both {same}." if text else f"Both {same}."
    return f"{text}." if text else ""


# --- FAQ -------------------------------------------------------------------------------------


def _faq_overall(c: Comparison, leader: Who | None) -> FAQ:
    board, gap = f"BenchLM's {c.lane.value} leaderboard", _gap(c)
    if gap is None:
        answer = _no_overall(c, board)
    elif leader is None:
        stand = (
            f"both score {format_overall(c.a.overall)}"
            if gap == 0
            else f"they stand {_score_line(c, 'a')}"
        )
        answer = (
            f"Neither pulls clearly ahead: {stand} on {board}, so category shape, price and "
            "context window decide it."
        )
    else:
        answer = f"{_pair(c, leader)[0].name} is ahead on {board}, {_score_line(c, leader)}."
        if abs(gap) < LARGE_GAP:
            answer += " That is a modest lead, so check the categories that match your workload."
    if c.siblings:
        levers = ["the better benchmark line"]
        levers += ["cheaper tokens"] if _pricier(c, MATERIAL_PERCENT) else []
        levers += (
            ["the larger context window"]
            if any(_context_ratio(c, w) >= LARGER_CONTEXT for w in SIDES)
            else []
        )
        levers += ["faster output"] if any(_faster(c, w, MATERIAL_PERCENT) for w in SIDES) else []
        pick = (
            f"depends on whether you value {_join(levers, 'or')}"
            if len(levers) > 1
            else "comes down to the better benchmark line"
        )
        family = f"{c.a.name} and {c.b.name} are sibling variants in the {c.family} family"
        answer = f"{family}, so the right pick {pick}. {answer}"
    elif (s := c.swing) is not None and s.difference > 0:
        answer += (
            f" The biggest single separator in this matchup is {_bench(c, s.benchmark)}, where "
            f"the scores are {_pct(s.a)} and {_pct(s.b)}."
        )
    return FAQ(f"Which is better, {c.a.name} or {c.b.name}?", answer)


def _faq_category(c: Comparison, r: CategoryResult) -> FAQ:
    """Who wins the category, the benchmark behind the gap, and whether the lead is safe."""
    topic, swing = TOPICS.get(r.slug, f"{_cat(c, r.slug)} tasks"), c.category_swings.get(r.slug)
    question = f"Which is better for {topic}, {c.a.name} or {c.b.name}?"
    apart = swing is not None and swing.difference > 0
    mine = format_score(r.a)
    if r.winner is None:
        answer = f"Neither has the edge for {topic} in this comparison: both average {mine}."
        if swing is not None and apart:
            answer += (
                f" The individual benchmarks still differ, most on {_bench(c, swing.benchmark)} "
                f"({_pct(swing.a)} to {_pct(swing.b)}), so check the ones closest to your workload."
            )
        return FAQ(question, answer)
    (winner, loser), (mine, theirs) = _pair(c, r.winner), _averages(r, r.winner)
    answer = f"{winner.name} has the edge for {topic} in this comparison, averaging {mine}"
    answer += f" versus {theirs}."
    if swing is None:  # each average rests on benchmarks the other model lacks
        answer += " The two averages rest on different benchmarks, so read the gap with care."
    elif apart:
        against = (swing.a > swing.b) != (r.winner == "a")
        its = f", though that one goes {loser.name}'s way" if against else ""
        answer += (
            f" Inside this category, {_bench(c, swing.benchmark)} is the benchmark that creates "
            f"the most daylight between them{its}."
        )
    return FAQ(
        question, f"{answer} {loser.name} {CLOSE}." if r.difference < CLOSE_MARGIN else answer
    )


def _faq_price(c: Comparison) -> FAQ | None:
    """The typical request's cost both ways, from the pricier side ("2.7x as much (167% more)")."""
    question = f"Which is cheaper, {c.a.name} or {c.b.name}?"
    if unpriced := _unpriced(c):
        either = unpriced.startswith("BenchLM has no published price for either")
        return None if either else FAQ(question, unpriced)
    t, pricier = pricing.TYPICAL, _pricier(c)
    shape = f"a typical request of {t.input_tokens:,} input and {t.output_tokens:,} output tokens"
    if pricier is None:
        return FAQ(question, f"Neither: both cost {format_cost(c.a.typical_cost)} for {shape}.")
    p, q = _pair(c, pricier)
    ratio = c.price_ratio
    costs = pricing.describe_ratio(c.a.name, c.b.name, ratio) if ratio else f"{p.name} costs more"
    return FAQ(
        question,
        f"{q.name} is the cheaper of the two. For {shape}, {costs}: {format_cost(p.typical_cost)} "
        f"against {format_cost(q.typical_cost)}. List prices are {_rate(p.prices)} for {p.name} "
        f"and {_rate(q.prices)} for {q.name}.",
    )


def _faq_context(c: Comparison) -> FAQ | None:
    """Both windows in tokens and printed pages; an unknown window is said to be unknown."""

    def size(s: Side) -> str:
        pages = pricing.context_pages(s.context_window)
        return f"{format_context(s.context_window)} tokens (about {pages:,} pages)"

    question = f"Which has the larger context window, {c.a.name} or {c.b.name}?"
    known = [s for s in (c.a, c.b) if s.context_window]
    if not known:
        return None
    if len(known) == 1:
        other = c.b if known[0] is c.a else c.a
        return FAQ(
            question,
            f"{known[0].name} takes {size(known[0])}; BenchLM has no published context window "
            f"for {other.name} yet.",
        )
    if format_context(c.a.context_window) == format_context(c.b.context_window):
        return FAQ(question, f"Neither: both take {size(c.a)}.")
    big: Who = "a" if _context_ratio(c, "a") > 1 else "b"
    (x, y), ratio = _pair(c, big), _context_ratio(c, big)
    answer = f"{x.name} has the larger context window: {size(x)} against {size(y)} for {y.name}."
    if ratio >= MUCH_LARGER_CONTEXT:
        answer += f" That is {format_ratio(ratio)} the room for long documents, codebases and chat."
    elif ratio < LARGER_CONTEXT:
        answer += " The difference is small enough that it rarely decides the choice."
    return FAQ(question, answer)
