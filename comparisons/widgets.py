"""Form widgets of the reader-facing pages."""

from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
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
