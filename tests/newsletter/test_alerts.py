"""Which changes concern which follow: ``newsletter.alerts`` on plain records, no database."""

from newsletter.alerts import Change, FollowRow, for_followers


def score(pk, model="m1", benchmark="b1", kind="score_changed", provider="p1", **extra):
    return Change(
        id=pk,
        kind=kind,
        summary=f"{kind} {model} {benchmark} #{pk}",
        model_slug=model,
        provider_slug=provider,
        benchmark_slug=benchmark,
        **extra,
    )


def texts(result, subscriber):
    return [item.text for item in result.get(subscriber, [])]


def test_a_model_follower_gets_every_change_of_the_model_once_in_event_order():
    changes = [
        score(3, model="m1"),
        score(1, model="m1", kind="price_changed", benchmark=""),
        score(2, model="m2"),
    ]
    result = for_followers(changes, [FollowRow(7, "model", "m1", "M1")])
    assert texts(result, 7) == ["price_changed m1  #1", "score_changed m1 b1 #3"]
    assert set(result) == {7}


def test_a_benchmark_follower_gets_its_score_changes_of_every_model_and_nothing_else():
    changes = [
        score(1, model="m1", benchmark="b1"),
        score(2, model="m2", benchmark="b1", kind="score_added"),
        score(3, model="m2", benchmark="b2"),
        score(4, model="m1", benchmark="", kind="price_changed"),
    ]
    result = for_followers(changes, [FollowRow(1, "benchmark", "b1", "B1")])
    assert [i.model_slug for i in result[1]] == ["m1", "m2"]


def test_a_provider_follower_hears_of_new_models_only():
    changes = [
        score(1, model="new", benchmark="", kind="model_added", provider="acme"),
        score(2, model="old", benchmark="b1", provider="acme"),
        score(3, model="other", benchmark="", kind="model_published", provider="zeta"),
    ]
    result = for_followers(changes, [FollowRow(1, "provider", "acme", "Acme")])
    assert texts(result, 1) == ["model_added new  #1"]


def test_a_change_matching_two_follows_is_listed_once():
    changes = [score(1, model="new", benchmark="b1", kind="score_added", provider="acme")]
    follows = [FollowRow(1, "model", "new", "New"), FollowRow(1, "benchmark", "b1", "B1")]
    assert len(for_followers(changes, follows)[1]) == 1


def test_drafts_concern_nobody_and_unconcerned_followers_get_no_entry():
    changes = [score(1, model="draft", published=False), score(2, model="m1")]
    follows = [FollowRow(1, "model", "draft", "Draft"), FollowRow(2, "model", "zzz", "Z")]
    assert for_followers(changes, follows) == {}


def test_rank_moves_past_the_threshold_only():
    before, after = {"m1": 10, "m2": 4}, {"m1": 7, "m2": 5}
    follows = [
        FollowRow(1, "model", "m1", "M1", rank_threshold=3),
        FollowRow(2, "model", "m1", "M1", rank_threshold=5),
        FollowRow(3, "model", "m2", "M2", rank_threshold=1),
        FollowRow(4, "model", "m2", "M2"),  # no threshold: no rank alerts
    ]
    result = for_followers([], follows, before, after)
    assert texts(result, 1) == ["Rank move: M1 up 3 places, from #10 to #7 overall"]
    assert texts(result, 3) == ["Rank move: M2 down 1 place, from #4 to #5 overall"]
    assert set(result) == {1, 3}


def test_rank_moves_come_after_the_changes_and_need_both_rankings():
    follows = [FollowRow(1, "model", "m1", "M1", rank_threshold=1)]
    result = for_followers([score(5, model="m1")], follows, {"m1": 2}, {"m1": 1})
    assert texts(result, 1)[-1].startswith("Rank move: M1 up 1 place")
    assert len(result[1]) == 2
    assert texts(for_followers([], follows, {}, {"m1": 1}), 1) == []
    assert texts(for_followers([], follows, None, {"m1": 1}), 1) == []


def test_two_hundred_changes_make_one_list_per_follower():
    changes = [score(i, model=f"m{i % 40}", benchmark=f"b{i % 5}") for i in range(200)]
    follows = [FollowRow(n, "model", f"m{n % 50}", "x") for n in range(1000)]
    result = for_followers(changes, follows)
    assert len(result) == 800  # followers of the 40 changed models, out of 50
    assert all(len(items) == 5 for items in result.values())
