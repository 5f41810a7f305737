from comparisons.model_search import Entry, best, search, words

CATALOGUE = [
    Entry("claude-opus-4-1", "Claude Opus 4.1", "Anthropic", "Claude 4"),
    Entry("claude-sonnet-4", "Claude Sonnet 4", "Anthropic", "Claude 4"),
    Entry("claude-3-5-sonnet", "Claude 3.5 Sonnet", "Anthropic", "Claude 3.5"),
    Entry("gpt-4-1", "GPT-4.1", "OpenAI", "GPT-4.1"),
    Entry("gpt-4-1-mini", "GPT-4.1 mini", "OpenAI", "GPT-4.1"),
    Entry("gpt-4-1-nano", "GPT-4.1 nano", "OpenAI", "GPT-4.1"),
    Entry("o3", "o3", "OpenAI", "o-series"),
    Entry("gemini-2-5-pro", "Gemini 2.5 Pro", "Google", "Gemini 2.5"),
]


def slugs(found):
    return [e.slug for e in found]


def test_words_keep_version_numbers_whole():
    assert words("GPT-4.1 mini") == ["gpt", "4.1", "mini"]
    assert words("Claude 3.5 Sonnet (Oct 2024)") == ["claude", "3.5", "sonnet", "oct", "2024"]


def test_a_word_inside_the_name_matches():
    assert slugs(search(CATALOGUE, "sonnet")) == ["claude-3-5-sonnet", "claude-sonnet-4"]


def test_every_query_word_must_match():
    assert slugs(search(CATALOGUE, "opus 4.1")) == ["claude-opus-4-1"]
    assert search(CATALOGUE, "opus 3") == []


def test_name_prefix_ranks_before_word_matches():
    # "gpt-4.1" starts three names; "GPT-4.1" itself is shortest by name order.
    assert slugs(search(CATALOGUE, "gpt-4.1")) == ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano"]
    assert slugs(search(CATALOGUE, "o"))[0] == "o3"  # name prefix beats the provider OpenAI


def test_provider_and_family_match_after_names():
    assert slugs(search(CATALOGUE, "google")) == ["gemini-2-5-pro"]
    assert slugs(search(CATALOGUE, "anthropic son")) == ["claude-3-5-sonnet", "claude-sonnet-4"]


def test_empty_query_lists_by_provider_and_limit_holds():
    assert slugs(search(CATALOGUE, "  ", limit=2)) == ["claude-3-5-sonnet", "claude-opus-4-1"]
    many = [Entry(f"m{i}", f"Model {i}", "P", "F") for i in range(50)]
    assert len(search(many, "model")) == 20


def test_punctuation_only_and_unknown_queries_find_nothing_or_everything():
    assert search(CATALOGUE, "zzz") == []
    assert len(search(CATALOGUE, "()")) == len(CATALOGUE)


def test_best_prefers_an_exact_name_or_slug():
    assert best(CATALOGUE, "GPT-4.1").slug == "gpt-4-1"
    assert best(CATALOGUE, "gpt-4-1-nano").slug == "gpt-4-1-nano"
    assert best(CATALOGUE, "nano").slug == "gpt-4-1-nano"
    assert best(CATALOGUE, "nothing like it") is None
