"""Template filters: thin wrappers over ``comparisons.formatting`` so pages and text agree."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import urlencode

from comparisons import formatting, pricing

register = template.Library()

register.filter("context_window", formatting.format_context)
register.filter("price", formatting.format_price)
register.filter("price_long", formatting.format_price_long)
register.filter("cost", formatting.format_cost)
register.filter("ratio", formatting.format_ratio)
register.filter("score", formatting.format_score)
register.filter("overall", formatting.format_overall)
register.filter("speed", formatting.format_speed)
register.filter("latency", formatting.format_latency)
register.filter("percent", formatting.format_percent)
register.filter("weight", formatting.format_weight)


PATHS_KEPT = 100_000
_paths: dict[tuple, str] = {}


@register.filter
def path(slug: str, name: str) -> str:
    """``{{ row.slug|path:"benchmark_detail" }}``: ``{% url name slug %}``, remembered.

    A page at scale links a few hundred models or benchmarks; reversing each one on every render
    costs more than the rest of its row. The paths depend only on the URLconf and the script
    prefix, both part of the key, and there is one per published slug.
    """
    key = (get_urlconf(), get_script_prefix(), name, slug)
    try:
        return _paths[key]
    except KeyError:
        if len(_paths) >= PATHS_KEPT:  # slugs renamed over a long-lived process
            _paths.clear()
        found = _paths[key] = reverse(name, args=[slug])
        return found


@register.filter
def category_figure(headline, slug):
    """``{{ headline|category_figure:category.slug }}``: the measured or estimated figure."""
    return headline.category(slug)


# Column headers short enough for every category to fit a desktop leaderboard; the full name is
# in the <abbr> title and the caption.
HEADER_ABBREVIATIONS = {
    "agentic": "Agent",
    "coding": "Code",
    "reasoning": "Reas.",
    "multimodal": "Multim.",
    "knowledge": "Know.",
    "multilingual": "Lang.",
    "instruction-following": "Instr.",
    "math": "Math",
}


@register.filter
def header_abbr(category) -> str:
    """A category's column header: at most six characters ("Reas."), the full name kept aside."""
    if category.slug in HEADER_ABBREVIATIONS:
        return HEADER_ABBREVIATIONS[category.slug]
    label = category.label
    return label if len(label) <= 6 else label[:5].rstrip() + "."


@register.filter
def unconfirmed(confirmed_at) -> bool:
    """``{% if card.price_confirmed_at|unconfirmed %}``: no confirmation in the set window."""
    return pricing.price_unconfirmed(confirmed_at, timezone.now(), settings.PRICE_CONFIRMATION_DAYS)


@register.filter
def get(mapping, key):
    """``{{ row.category_scores|get:category.slug }}``: dictionary lookup by a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted(params.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"
