"""The digest builder: pure, from change records and two rankings."""

from datetime import UTC, datetime, timedelta

from newsletter.digest import Change, DigestContent, Ranked, build, money

T0 = datetime(2026, 11, 16, 9, tzinfo=UTC)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def ranked(*rows: tuple[str, float]) -> list[Ranked]:
    return [Ranked(slug, slug.upper(), i + 1, overall) for i, (slug, overall) in enumerate(rows)]


BEFORE = ranked(("a", 80), ("b", 75), ("c", 70), ("d", 60))
PUBLISHED = {"a", "b", "c", "d", "e"}


def test_a_quiet_week_has_no_digest():
    assert build([], BEFORE, BEFORE, PUBLISHED) is None


def test_an_undone_edit_is_not_news():
    changes = [
        Change("score_changed", "b", "B", at(1), "MMLU", "value", "70.0", "71.0"),
        Change("score_changed", "b", "B", at(2), "MMLU", "value", "71.0", "70.0"),
        Change("price_changed", "c", "C", at(3), field="input_price", old="1", new="1.00"),
    ]
    assert build(changes, BEFORE, BEFORE, PUBLISHED) is None


def test_a_score_corrected_twice_reads_first_old_to_last_new():
    changes = [
        Change("score_changed", "b", "B", at(2), "GPQA", "value", "50.0", "52.0"),
        Change("score_changed", "b", "B", at(1), "GPQA", "value", "48.0", "50.0"),
        Change("score_changed", "b", "B", at(3), "GPQA", "verified", "no", "yes"),  # not a value
    ]
    content = build(changes, BEFORE, BEFORE, PUBLISHED)
    folded = [(s.benchmark, s.old, s.new) for s in content.score_changes]
    assert folded == [("GPQA", "48.0", "52.0")]
    assert content.score_changes[0].delta == 4.0
    assert content.subject == "B scores 52.0 on GPQA (was 48.0)"


def test_new_model_new_leader_and_rank_moves():
    after = ranked(("e", 85), ("a", 80), ("c", 76), ("b", 75), ("d", 60))
    changes = [
        Change("model_added", "e", "E", at(1)),
        Change("score_added", "e", "E", at(1), "MMLU", "value", "", "90.0"),  # folded into "new"
        Change("price_changed", "a", "A", at(2), field="output_price", old="10", new="8"),
        Change("price_changed", "a", "A", at(2), field="cached_input_price", old="", new="0.5"),
    ]
    content = build(changes, BEFORE, after, PUBLISHED)
    assert [(m.name, m.rank, m.overall) for m in content.new_models] == [("E", 1, 85)]
    assert content.score_changes == []
    assert [(p.label, p.old, p.new) for p in content.price_changes] == [
        ("cached input", "", "0.5"),
        ("output", "10", "8"),
    ]
    assert content.new_leader.slug == "e" and content.previous_leader.slug == "a"
    # e is new (not a "move"); a, b, c, d each moved.
    moves = {m.slug: (m.old, m.new) for m in content.rank_moves}
    assert moves == {"a": (1, 2), "b": (2, 4), "d": (4, 5)}  # c held #3
    assert content.subject == "E takes #1 on the BenchLM leaderboard"


def test_rank_moves_sorted_by_size_and_ignore_unchanged_and_first_week():
    after = ranked(("d", 90), ("a", 80), ("b", 75), ("c", 70))
    content = build([], BEFORE, after, PUBLISHED)
    assert [(m.slug, m.old, m.new, m.places) for m in content.rank_moves] == [
        ("d", 4, 1, 3),
        ("a", 1, 2, -1),
        ("b", 2, 3, -1),
        ("c", 3, 4, -1),
    ]
    assert build([], [], after, PUBLISHED) is None  # no previous ranking: nothing moved


def test_unpublished_models_are_not_news():
    changes = [
        Change("model_added", "x", "Secret", at(1)),
        Change("score_changed", "x", "Secret", at(2), "MMLU", "value", "1", "2"),
    ]
    assert build(changes, BEFORE, BEFORE, PUBLISHED) is None


def test_a_published_model_counts_as_new_and_names_the_count_in_the_subject():
    changes = [
        Change("model_published", "c", "C", at(1)),
        Change("model_added", "e", "E", at(2)),
    ]
    after = ranked(("a", 80), ("b", 75), ("c", 70), ("d", 60))
    content = build(changes, BEFORE, after, PUBLISHED)
    assert [m.name for m in content.new_models] == ["C", "E"]  # ranked first, then unranked
    assert content.new_models[1].rank is None
    assert content.subject == "New on BenchLM: C and 1 more"


def test_price_subject_and_unknown_prices():
    changes = [Change("price_changed", "a", "A", at(1), field="input_price", old="2", new="")]
    content = build(changes, BEFORE, BEFORE, PUBLISHED)
    assert content.subject == "Price change: A input $2 → N/A per 1M tokens"
    assert money("") == "N/A" and money("0.4") == "$0.4"


def test_content_round_trips_through_json():
    after = ranked(("e", 85), ("a", 80), ("b", 75), ("c", 70), ("d", 60))
    changes = [Change("model_added", "e", "E", at(1))]
    content = build(changes, BEFORE, after, PUBLISHED)
    assert DigestContent.from_json(content.as_json()) == content


def test_tier_and_schedule_changes_read_as_tokens_and_dates_not_dollars():
    changes = [
        Change("price_changed", "a", "A", at(1), field="long_context_threshold", new="200000"),
        Change("price_changed", "a", "A", at(1), field="scheduled_price_date", new="2026-12-01"),
        Change("price_changed", "a", "A", at(1), field="cache_write_price", new="3.75"),
    ]
    content = build(changes, BEFORE, BEFORE, PUBLISHED)
    shown = {p.label: money(p.new) for p in content.price_changes}
    assert shown == {
        "long-context threshold": "200000 input tokens",
        "scheduled price date": "2026-12-01",
        "cache write": "$3.75",
    }


def test_a_stored_digest_shows_overalls_as_the_site_does():
    """Digests stored when overalls kept decimals read back as whole numbers, rounded half-up."""
    stored = DigestContent(subject="s").as_json() | {
        "new_models": [{"slug": "a", "name": "A", "rank": 1, "overall": 62.5}],
        "new_leader": {"slug": "a", "name": "A", "rank": 1, "overall": 62.47},
    }
    content = DigestContent.from_json(stored)
    assert content.new_models[0].overall == 63  # half-up, not banker's 62
    assert content.new_leader.overall == 62
