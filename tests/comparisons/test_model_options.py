"""The pickers' fragment endpoint and the form behind them."""

from pathlib import Path

import pytest

from comparisons.importer import import_directory


@pytest.fixture
def catalogue(db):
    report = import_directory(Path(__file__).resolve().parents[2] / "comparisons" / "demo_data")
    assert report.ok


def test_options_are_a_small_html_fragment(client, catalogue):
    response = client.get("/compare/models/", {"side": "b", "b_q": "sonnet"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<li" in html
    assert 'id="picker-b-opt-claude-sonnet-4"' in html
    assert html.count('role="option"') <= 20
    assert "GPT" not in html


def test_options_are_capped_at_twenty(client, catalogue):
    html = client.get("/compare/models/", {"side": "a", "a_q": ""}).content.decode()
    assert html.count('role="option"') == 20


def test_odd_input_never_fails(client, catalogue):
    for params in ({"side": "x", "q": "<script>"}, {"a_q": "x" * 5000}, {}):
        response = client.get("/compare/models/", params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()


def test_form_without_javascript_resolves_typed_text(client, catalogue):
    response = client.get(
        "/compare/", {"a": "gpt-4-1-mini", "a_q": "GPT-4.1 mini", "b": "gpt-4-1-nano", "b_q": "o3"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/compare/gpt-4-1-mini-vs-o3/"
    response = client.get("/compare/", {"a": "gpt-4-1-mini", "b_q": "no such thing"})
    assert response.status_code == 404


def test_same_model_with_htmx_is_a_client_redirect(client, catalogue):
    response = client.get(
        "/compare/",
        {"a": "o3", "b": "o3", "lane": "verified"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/models/o3/?lane=verified"
    assert response.content == b""
