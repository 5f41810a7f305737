"""The sync's diff and name matching: plain data, no database, no feed library."""

from datetime import date
from decimal import Decimal

from comparisons.pricefeed import (
    CatalogueModel,
    FeedEntry,
    FieldChange,
    diff_terms,
    normalise,
    plan_sync,
    propose_matches,
)


def entry(model_id, provider="anthropic", name="", **terms):
    return FeedEntry(provider, model_id, name or model_id, terms)


def model(slug, model_id="", provider="anthropic", pinned=False, **terms):
    return CatalogueModel(slug, slug.title(), provider if model_id else "", model_id, pinned, terms)


def test_equal_figures_are_not_a_difference():
    ours = {"input_price": Decimal("3.0000"), "long_context_threshold": 200_000}
    theirs = {"input_price": Decimal("3"), "long_context_threshold": 200_000}
    assert diff_terms(ours, theirs) == []


def test_the_feed_adds_and_corrects_but_never_clears():
    ours = {"input_price": Decimal(3), "output_price": Decimal(15), "batch_input_price": Decimal(1)}
    theirs = {
        "input_price": Decimal("2.5"),
        "output_price": Decimal(15),
        "cache_write_price": Decimal("3.75"),
        "scheduled_price_date": date(2027, 1, 1),
        # batch_input_price absent: ours stays
    }
    assert diff_terms(ours, theirs) == [
        ("input_price", Decimal(3), Decimal("2.5")),
        ("cache_write_price", None, Decimal("3.75")),
        ("scheduled_price_date", None, date(2027, 1, 1)),
    ]


def test_plan_sorts_models_into_changed_matched_missing_pinned_and_unmapped():
    feed = {
        ("anthropic", "a"): entry("a", input_price=Decimal(3)),
        ("anthropic", "b"): entry("b", input_price=Decimal(1)),
        ("anthropic", "p"): entry("p", input_price=Decimal(9)),
    }
    catalogue = [
        model("alpha", "a", input_price=Decimal(2)),
        model("beta", "b", input_price=Decimal(1)),
        model("gone", "retired", input_price=Decimal(5)),
        model("pinned", "p", pinned=True, input_price=Decimal(4)),
        model("none"),
    ]
    plan = plan_sync(catalogue, lambda provider, model_id: feed.get((provider, model_id)))
    assert plan.changes == [FieldChange("alpha", "Alpha", "input_price", Decimal(2), Decimal(3))]
    assert plan.changed_models == ["alpha"]
    assert plan.matched == ["alpha", "beta", "pinned"]
    assert [m.slug for m in plan.missing] == ["gone"]
    assert plan.pinned == [FieldChange("pinned", "Pinned", "input_price", Decimal(4), Decimal(9))]
    assert plan.unmapped == ["none"]
    assert plan.changes_for("alpha") == {"input_price": Decimal(3)}


def test_normalise_makes_names_and_ids_comparable():
    assert normalise("Claude Opus 4.5") == normalise("claude-opus-4-5") == "claude-opus-4-5"
    assert normalise("GPT-4.1 mini") == normalise("gpt-4.1-mini")


def test_proposals_prefer_the_vendor_and_mark_exact_names():
    feed = [
        entry("gpt-4.1", provider="openrouter", name="GPT-4.1"),
        entry("gpt-4.1", provider="openai", name="gpt 4.1"),
        entry("gpt-4.1-mini", provider="openai", name="gpt 4.1 mini"),
        entry("grok-4-0709", provider="x-ai", name="Grok 4"),
        entry("claude-3-5-sonnet", provider="anthropic", name="Claude Sonnet 3.5"),
        entry("Qwen/Qwen2.5-72B-Instruct", provider="together", name="Qwen2.5-72B-Instruct"),
    ]
    proposals = propose_matches(
        [
            ("gpt-4-1", "GPT-4.1", "openai"),
            ("grok-4", "Grok 4", "xai"),
            ("claude-3-7-sonnet", "Claude 3.7 Sonnet", "anthropic"),
            ("llama-4", "Llama 4", "meta"),
            ("qwen2-5-72b-instruct", "Qwen2.5 72B Instruct", "alibaba"),
        ],
        feed,
    )
    by_slug = {p.slug: p for p in proposals}
    assert (by_slug["gpt-4-1"].provider_id, by_slug["gpt-4-1"].model_id) == ("openai", "gpt-4.1")
    assert by_slug["gpt-4-1"].exact
    assert by_slug["grok-4"].model_id == "grok-4-0709" and by_slug["grok-4"].exact
    # A close name is proposed for an editor to check, never as exact.
    assert by_slug["claude-3-7-sonnet"].model_id == "claude-3-5-sonnet"
    assert not by_slug["claude-3-7-sonnet"].exact
    assert "llama-4" not in by_slug
    # The vendor is not in the feed: a reseller's price is proposed, never taken as exact.
    qwen = by_slug["qwen2-5-72b-instruct"]
    assert qwen.provider_id == "together" and not qwen.exact
