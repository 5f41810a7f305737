"""The plain-English verdict of a comparison page: quick verdict, narrative and FAQ.

Pure: it reads a ``Comparison`` and returns text, so every pair gets its verdict from the figures
the tables print (through ``formatting``), never from hand-written copy. Phrasing is picked by
situation (a clear lead, a modest one, a dead heat, a clean sweep, missing data), never at random,
so a page reads the same on every request and from every cache.

Unknown figures stay unknown: a missing price, score or context window is said to be missing,
never read as 0, and never turned into a claim that one model is cheaper, larger or better.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from comparisons.verdict import faq as answers
from comparisons.verdict import narrative
from comparisons.verdict.faq import FAQ
from comparisons.verdict.figures import leader

if TYPE_CHECKING:  # comparison.py imports the scoreboard (Django); only its types are used here
    from comparisons.comparison import Comparison

__all__ = ["FAQ", "Verdict", "write_verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Everything the comparison page says in words about the pair."""

    quick: str  # one or two sentences, shown under the header and atop the narrative
    paragraphs: list[str]  # the narrative, in reading order
    faq: list[FAQ]  # overall, one per shared category, then cost, value, caching, context, speed


def write_verdict(c: Comparison) -> Verdict:
    """The verdict for ``c``; "a" and "b" keep the order of the page title throughout."""
    lead, speed = leader(c), narrative.speed(c)
    paragraphs = [
        narrative.siblings(c),
        narrative.lead(c, lead),
        narrative.shape(c, lead),
        narrative.practical(c),
        narrative.price(c, lead),
    ]
    faster = FAQ(f"Which is faster, {c.a.name} or {c.b.name}?", speed) if speed else None
    extras = [
        f
        for f in (
            answers.faq_price(c),
            answers.faq_value(c),
            answers.faq_caching(c),
            answers.faq_context(c),
            faster,
        )
        if f is not None
    ]
    faq = [answers.faq_overall(c, lead), *(answers.faq_category(c, r) for r in c.categories)]
    return Verdict(
        narrative.quick(c, lead), [p for p in [*paragraphs, speed] if p], [*faq, *extras]
    )
