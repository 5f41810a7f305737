from datetime import date

from comparisons.pair_suggestions import (
    Contender,
    nearest_rival,
    newest_pairs,
    provider_rivalries,
    top_pairs,
)

MODELS = [
    Contender("a1", "Alpha One", "Acme", date(2025, 1, 1), 70.0, 1),
    Contender("b1", "Beta One", "Bolt", date(2025, 6, 1), 66.0, 2),
    Contender("a2", "Alpha Two", "Acme", date(2025, 8, 1), 65.0, 3),
    Contender("c1", "Core One", "Crux", date(2024, 3, 1), 50.0, 4),
    Contender("u1", "Unranked", "Crux", date(2025, 9, 1), 49.0, None),
    Contender("n1", "No date", "Bolt", None, 40.0, 5),
]


def pairs(found):
    return [(s.a.slug, s.b.slug) for s in found]


def test_top_pairs_are_ranking_neighbours():
    assert pairs(top_pairs(MODELS, limit=3)) == [("a1", "b1"), ("b1", "a2"), ("a2", "c1")]
    assert top_pairs(MODELS)[0].note == "ranks 1 and 2"


def test_nearest_rival_is_closest_on_score():
    assert nearest_rival(MODELS[2], MODELS).slug == "b1"  # 65 is 1 from 66, 5 from 70
    assert nearest_rival(MODELS[4], MODELS).slug == "c1"
    assert nearest_rival(Contender("x", "X", "P", None, None, None), MODELS) is None


def test_newest_pairs_start_from_the_latest_release_and_skip_repeats():
    found = newest_pairs(MODELS)
    # b1's nearest is a2, a pair already offered; c1's nearest is u1, likewise.
    assert pairs(found) == [("u1", "c1"), ("a2", "b1"), ("a1", "b1")]
    assert found[0].note == "released September 2025"
    assert len({frozenset(p) for p in pairs(found)}) == len(found)


def test_rivalries_pit_each_providers_best_against_the_others():
    assert pairs(provider_rivalries(MODELS)) == [("a1", "b1"), ("a1", "c1"), ("b1", "c1")]
    assert provider_rivalries(MODELS, providers=2)[0].note == "Acme vs Bolt"
