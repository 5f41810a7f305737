"""Form widgets of the reader-facing pages."""

from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString


class LongSelect(forms.Select):
    """A <select> written in one pass of string joins instead of a template per <option>.

    The provider filters list every provider of the catalogue; through Django's option templates
    each option costs tens of microseconds, which made the menu the dearest part of a leaderboard
    with a few hundred providers. The markup is what ``forms.Select`` writes, without optgroups
    (these menus have none).
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        options = SafeString(
            "".join(
                option.replace(">", " selected>", 1) if key in chosen else option
                for key, option in self._options(tuple(self.choices))
            )
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)

    @staticmethod
    @lru_cache(maxsize=16)
    def _options(choices: tuple) -> list[tuple[str, str]]:
        """Each choice's escaped <option>, once per list of choices (they change with the data
        version, not per request): escaping 400 providers' names cost 5 ms a page."""
        return [
            (str(key), format_html('<option value="{}">{}</option>', key, text))
            for key, text in choices
        ]


class Choices(BaseChoiceIterator):
    """Choices already in Django's normalised form, which fields and widgets then take as they
    are instead of normalising them again on every form (400 providers, every request)."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


def provider_choices(board) -> Choices:
    """The provider menu's choices, once per board."""
    found = board.presented.get("provider-choices")
    if found is None:
        found = board.presented["provider-choices"] = Choices(
            [("", "All providers"), *board.providers]
        )
    return found
