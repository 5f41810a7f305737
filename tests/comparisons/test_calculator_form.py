"""How a preset and typed token counts combine: the fields shown are the figures used."""

from django.http import QueryDict

from comparisons.views.prices import resolve_preset


def resolved(query: str) -> dict[str, str]:
    return resolve_preset(QueryDict(query, mutable=True)).dict()


def test_a_newly_chosen_preset_fills_the_token_fields():
    data = resolved("preset=documents-50&applied=&input_tokens=5000&output_tokens=1000")
    assert (data["input_tokens"], data["output_tokens"]) == ("50000", "1000")
    assert data["preset"] == data["applied"] == "documents-50"


def test_tokens_typed_over_a_kept_preset_win_and_the_preset_becomes_custom():
    data = resolved("preset=chat&applied=chat&input_tokens=200000&output_tokens=500")
    assert data["input_tokens"] == "200000"
    assert data["preset"] == data["applied"] == ""


def test_a_kept_preset_with_its_own_tokens_stays():
    data = resolved("preset=chat&applied=chat&input_tokens=1000&output_tokens=500")
    assert data["preset"] == "chat"


def test_a_link_naming_a_preset_gets_its_tokens():
    assert resolved("preset=chat")["input_tokens"] == "1000"


def test_unknown_preset_is_left_for_the_form_to_reject():
    data = resolved("preset=bogus&input_tokens=7")
    assert data["preset"] == "bogus" and data["applied"] == "" and data["input_tokens"] == "7"
