"""The long provider menus: escaped once per list of choices, the reader's choice marked."""

from comparisons.widgets import LongSelect

CHOICES = [("", "All providers"), ("acme", "Acme <Labs>"), ("zeta", 'Zeta "AI"')]


def render(value) -> str:
    widget = LongSelect()
    widget.choices = list(CHOICES)
    return widget.render("provider", value, attrs={"id": "id_provider"})


def test_the_chosen_provider_is_selected_and_names_are_escaped():
    html = render("acme")
    assert html == (
        '<select id="id_provider" name="provider">'
        '<option value="">All providers</option>'
        '<option value="acme" selected>Acme &lt;Labs&gt;</option>'
        '<option value="zeta">Zeta &quot;AI&quot;</option>'
        "</select>"
    )


def test_a_choice_made_once_does_not_stay_selected():
    assert '<option value="zeta" selected>' in render("zeta")
    for nothing in (None, ""):  # as Django's own Select: the empty choice
        html = render(nothing)
        assert html.count(" selected") == 1 and '<option value="" selected>' in html
