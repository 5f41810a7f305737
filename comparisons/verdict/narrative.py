"""The quick verdict and the narrative paragraphs of a comparison page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from comparisons import pricing
from comparisons.formatting import (
    format_context,
    format_latency,
    format_overall,
    format_percent,
    format_ratio,
    format_speed,
    half_up,
)
from comparisons.verdict.figures import (
    CLOSE_MARGIN,
    LARGE_GAP,
    LARGER_CONTEXT,
    LEVEL_GAP,
    MATERIAL_PERCENT,
    MUCH_LARGER_CONTEXT,
    NO_EDGE,
    SIDES,
    Who,
    _averages,
    _bench,
    _cat,
    _context_ratio,
    _faster,
    _gap,
    _join,
    _no_overall,
    _other,
    _pair,
    _pct,
    _pricier,
    _rate,
    _score_line,
    _sooner,
    _unpriced,
    _won,
    front,
    noise,
)

if TYPE_CHECKING:  # comparison.py imports the scoreboard (Django); only its types are used here
    from comparisons.comparison import Comparison

# --- quick verdict ---------------------------------------------------------------------------


def _sweeper(c: Comparison) -> Who | None:
    """The model that wins every shared category, if there is one: always said."""
    for who, wins in zip(SIDES, c.wins, strict=True):
        if c.categories and wins == len(c.categories):
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
    ahead = gap is not None and (gap > 0 if winner == "a" else gap < 0)
    if gap is not None and c.within_noise:
        text += ", though overall the two are within the noise"
    elif ahead:
        how = "leads" if abs(gap) >= LEVEL_GAP else "edges ahead"
        text += f"{',' if n == 1 else ''} and {how} overall, {_score_line(c, winner)}"
    elif gap is not None and gap != 0:
        text += (
            f", though {t.name} is ahead overall, "
            f"{_score_line(c, _other(winner))}, on categories only one of them is measured in"
        )
    edges = [edge for _, edge in _edges(c, _other(winner), speed=True)]
    if not edges:
        return (
            f"{text}. On current data there is no benchmark or operational reason to pick {t.name}."
        )
    noun, verb = ("reasons", "are") if len(edges) > 1 else ("reason", "is")
    return f"{text}. The only {noun} to pick {t.name} {verb} {_join(edges)}."


def quick(c: Comparison, leader: Who | None) -> str:
    """The one- or two-sentence verdict: who to pick, and when the other one is the better pick.

    A clear leader of another lineage gets "Pick X ..."; siblings, modest leads and dead heats
    are framed as a trade-off ("X makes more sense if ..., while Y ..."), since there the
    reader's priorities decide more than the aggregate does.
    """
    if (winner := _sweeper(c)) is not None:
        return _sweep(c, winner)
    gap, first = _gap(c), front(c, leader)
    (x, y), x_why, y_why = _pair(c, first), _reasons(c, first), _reasons(c, _other(first))
    if leader is not None and gap is not None and abs(gap) >= LARGE_GAP and not c.siblings:
        pick = f"Pick {x.name} if you want the stronger benchmark profile"
        if not y_why:
            return f"{pick}; {y.name} {NO_EDGE}."
        return f"{pick}. {y.name} only becomes the better choice if {_join(y_why, 'or')}."
    if leader is not None and not _won(c, leader):  # its lead lies outside the shared categories
        x_why.insert(0, "you want the stronger overall score")
    level = gap is not None and leader is None
    prefix = (
        "Overall they are within the noise, so pick by shape: "
        if level and c.within_noise and abs(gap) >= LEVEL_GAP
        else "There is little to separate them overall, so pick by shape: "
        if level
        else ""
    )
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


def siblings(c: Comparison) -> str:
    if not c.siblings:
        return ""
    return (
        f"{c.a.name} and {c.b.name} sit in the same {c.family} family. This page is less about two "
        "unrelated model lineages and more about how the siblings trade off on benchmark shape, "
        "token costs, and practical limits like context window."
    )


def lead(c: Comparison, leader: Who | None) -> str:
    """Who is ahead on the lane's aggregate, and whether the gap is clear, modest or nothing."""
    lane, gap = c.lane.value, _gap(c)
    if gap is None:
        return _no_overall(c, f"the {lane} aggregate")
    if leader is None and c.within_noise and gap != 0:
        return f"{noise(c)} The choice comes down to category shape, price and context window."
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


def shape(c: Comparison, leader: Who | None) -> str:
    """Where each model wins, the biggest single-benchmark gap, and where the trailer hits back."""
    first = front(c, leader)
    parts = [_sharpest(c, first), "" if leader else _sharpest(c, _other(first))]
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


def practical(c: Comparison) -> str:
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


def price(c: Comparison, leader: Who | None) -> str:
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


def speed(c: Comparison) -> str:
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
