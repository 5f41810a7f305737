"""Form widgets of the reader-facing pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
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
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", text) for key, text in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)
