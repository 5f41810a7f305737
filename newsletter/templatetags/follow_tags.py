from django import template

from newsletter.consent import STRICTEST
from newsletter.forms import THRESHOLD_CHOICES, FollowForm

register = template.Library()


@register.inclusion_tag("newsletter/follow_box.html")
def follow_box(**targets: str) -> dict:
    """The follow form for a page: ``{% follow_box model=slug model_name=name ... %}``.

    The same bytes for every visitor, like the signup box: a blank form and the strictest
    consent text, which the box swaps for the reader's own with htmx.
    """
    options = [
        {"value": f"{kind}/{targets[kind]}", "kind": kind, "label": targets[f"{kind}_name"]}
        for kind in ("model", "provider", "benchmark")
        if targets.get(kind)
    ]
    return {
        "follow_form": FollowForm(),
        "follow_options": options,
        "follow_thresholds": THRESHOLD_CHOICES,
        "follow_consent": STRICTEST,
    }
