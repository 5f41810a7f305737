"""The capability model behind estimated category scores: fit, figures, bootstrap, validation."""

import numpy as np
import pytest

from comparisons import capability
from comparisons.capability import Layout, figures, observations


def synthetic(n_models=40, n_items=12, missing=0.3, seed=1, noise=0.0):
    """Scores drawn from a known logistic model, with a share of cells missing at random."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1.2, n_models)
    difficulty = rng.normal(0, 1.0, n_items)
    discrimination = rng.uniform(0.7, 1.6, n_items)
    z = discrimination[None, :] * (theta[:, None] - difficulty[None, :])
    truth = 100 / (1 + np.exp(-z)) + rng.normal(0, noise, (n_models, n_items))
    rows = [
        (i, j, float(np.clip(truth[i, j], 0, 100)))
        for i in range(n_models)
        for j in range(n_items)
        if rng.random() > missing
    ]
    return observations(rows, n_models, n_items), truth, theta


def layout_for(n_items, n_cats=3, share=0.5):
    return Layout(
        item_category=np.arange(n_items) % n_cats,
        item_weight=np.ones(n_items),
        item_fitted=np.ones(n_items, dtype=bool),
        category_weight=np.arange(1, n_cats + 1, dtype=float),
        share=share,
    )


def test_fit_recovers_the_ordering_and_predicts_hidden_cells():
    obs, truth, theta = synthetic()
    fit = capability.fit(obs)
    # Capabilities are identified up to a monotone transform: compare ranks.
    assert np.corrcoef(np.argsort(np.argsort(fit.theta)), np.argsort(np.argsort(theta)))[0, 1] > 0.9
    seen = np.zeros(truth.shape, dtype=bool)
    seen[obs.model, obs.item] = True
    hidden_error = np.abs(fit.expected()[~seen] * 100 - truth[~seen])
    assert hidden_error.mean() < 6  # points, on cells the fit never saw


def test_a_trait_bonus_is_learned_where_the_data_has_one():
    rng = np.random.default_rng(3)
    n_models, n_items = 60, 6
    theta, trait = rng.normal(0, 1, n_models), rng.random(n_models) < 0.5
    bonus = np.array([0, 0, 0, 0, 2.0, 2.0])  # the last two benchmarks reward the trait
    z = theta[:, None] + trait[:, None] * bonus[None, :]
    rows = [(i, j, float(100 / (1 + np.exp(-z[i, j])))) for i in range(n_models) for j in range(6)]
    fit = capability.fit(observations(rows, n_models, n_items, trait))
    assert fit.bonus[4:].min() > 1.0 > np.abs(fit.bonus[:4]).max()


def test_figures_use_measurements_where_the_share_allows_and_estimates_elsewhere():
    layout = Layout(
        item_category=np.array([0, 0, 1]),
        item_weight=np.array([1.0, 1.0, 1.0]),
        item_fitted=np.array([True, True, True]),
        category_weight=np.array([3.0, 1.0]),
        share=0.75,
    )
    matrix = np.array([[80.0, 60.0, 40.0], [80.0, 0.0, 0.0]])
    present = np.array([[True, True, True], [True, False, False]])
    expected = np.full((2, 3), 50.0)
    f = figures(matrix, present, expected, layout, np.ones(3))
    assert f.measured[0].tolist() == [70.0, 40.0]
    assert f.overall[0] == pytest.approx((3 * 70 + 1 * 40) / 4)
    assert f.coverage[0] == 1.0
    # Model 1 covers half of category 0 (below the 75% share): mixed with the estimate.
    assert np.isnan(f.measured[1]).all()
    assert f.filled[1].tolist() == [65.0, 50.0]  # (80 + 50) / 2, then the estimate
    assert f.overall[1] == pytest.approx((3 * 65 + 50) / 4)
    assert f.coverage[1] == 0.0


def test_a_model_without_any_score_has_no_overall():
    layout = layout_for(3)
    f = figures(
        np.zeros((1, 3)), np.zeros((1, 3), dtype=bool), np.full((1, 3), 50.0), layout, np.ones(3)
    )
    assert np.isnan(f.overall[0])


def test_bootstrap_interval_contains_the_point_and_narrows_with_more_data():
    layout = layout_for(12)
    sparse, _, _ = synthetic(missing=0.7, seed=2)
    dense, _, _ = synthetic(missing=0.0, seed=2)
    _, wide = capability.estimate(sparse, layout, samples=60)
    _, narrow = capability.estimate(dense, layout, samples=60)
    for est in (wide, narrow):
        ok = np.isfinite(est.figures.overall)
        assert (est.lower[ok] <= est.figures.overall[ok] + 1e-9).all()
        assert (est.figures.overall[ok] <= est.upper[ok] + 1e-9).all()
    assert np.nanmean(wide.upper - wide.lower) > np.nanmean(narrow.upper - narrow.lower)


def test_bootstrap_is_reproducible():
    obs, _, _ = synthetic(seed=4)
    layout = layout_for(12)
    first = capability.estimate(obs, layout, samples=20)[1]
    second = capability.estimate(obs, layout, samples=20)[1]
    assert np.array_equal(first.lower, second.lower) and np.array_equal(first.upper, second.upper)


def test_leave_one_out_error_is_small_on_data_the_model_describes():
    obs, _, _ = synthetic(noise=2.0, seed=5)
    layout = layout_for(12)
    errors = capability.leave_one_out(obs, layout, capability.fit(obs))
    assert len(errors) > 50
    assert errors.mean() < 8
    capped = capability.leave_one_out(obs, layout, capability.fit(obs), limit=10)
    assert len(capped) == 10


def test_rank_ranges_span_the_ranks_seen_in_the_bootstrap():
    samples = np.array([[3.0, 2.0, 1.0, 0.0]] * 9 + [[2.0, 3.0, 1.0, 0.0]])
    eligible = np.array([True, True, True, False])
    low, high = capability.rank_ranges(samples, eligible)
    assert low[:3].tolist() == [1, 1, 3]
    assert high[:3].tolist() == [2, 2, 3]
    assert (low[3], high[3]) == (0, 0)  # not eligible: no range


def edited(obs, model: int, item: int, value: float):
    """``obs`` with one score of ``model`` changed to ``value`` (a fraction 0..1)."""
    values = obs.value.copy()
    values[(obs.model == model) & (obs.item == item)] = value
    return capability.Observations(
        obs.model, obs.item, values, obs.n_models, obs.n_items, obs.trait
    )


def test_a_warm_start_reaches_the_cold_fit_in_a_few_rounds():
    obs, _, _ = synthetic(noise=2.0, seed=6)
    layout = layout_for(12)
    before = capability.fit(obs)
    after = edited(obs, 3, int(obs.item[obs.model == 3][0]), 0.2)
    cold = capability.fit(after)
    warm = capability.fit(after, start=before, rounds=capability.WARM_ROUNDS)
    matrix, present = capability.dense(after)
    ones = np.ones(obs.n_items)
    cold_overall = figures(matrix, present, cold.expected() * 100, layout, ones).overall
    warm_overall = figures(matrix, present, warm.expected() * 100, layout, ones).overall
    assert np.abs(cold_overall - warm_overall).max() < 0.05  # points
    assert np.abs(cold.theta - warm.theta).max() < 0.01


def test_an_update_after_one_edit_matches_a_full_refit():
    """One edited score: refitting that model's capability alone (benchmarks held) gives every
    overall within half a point of a full refit, and the edited model's within a tenth."""
    obs, _, _ = synthetic(n_models=60, noise=3.0, seed=8)
    layout = layout_for(12)
    point, est = capability.estimate(obs, layout, samples=50)
    model = 7
    after = edited(obs, model, int(obs.item[obs.model == model][0]), 0.05)
    _, full = capability.estimate(after, layout, samples=50)
    _, quick = capability.update(after, layout, point, est, np.array([model]))
    gap = np.abs(quick.figures.overall - full.figures.overall)
    assert gap.max() < 0.5 and gap[model] < 0.1
    assert quick.figures.overall[model] < est.figures.overall[model] - 1  # it moved
    unchanged = np.arange(obs.n_models) != model
    assert np.array_equal(quick.figures.overall[unchanged], est.figures.overall[unchanged])
    assert np.abs(quick.lower - full.lower).max() < 1.0
    assert np.abs(quick.upper - full.upper).max() < 1.0


def test_the_linear_bootstrap_agrees_with_refitting_every_replicate():
    """Beyond EXACT_LIMIT each replicate's capability is one Newton step from the point fit and
    the estimates move linearly with it. A replicate that drops most of a sparsely measured
    model's benchmarks is where one step falls short; the interval bounds still agree with the
    exact replicates' to within a point and a half."""
    obs, _, _ = synthetic(n_models=80, missing=0.5, noise=3.0, seed=9)
    layout = layout_for(12)
    point = capability.fit(obs)
    matrix, present = capability.dense(obs)
    mults = capability.bootstrap_mults(layout, 60)
    rows = np.arange(obs.n_models)
    exact = capability._exact_replicates(obs, point, layout, mults, matrix, present, rows)
    linear = capability._linear_replicates(point, layout, mults, matrix, present, rows)
    assert np.percentile(np.abs(exact - linear), 99) < 0.5
    for q in (5, 95):
        bound = np.percentile(exact, q, axis=0) - np.percentile(linear, q, axis=0)
        assert np.abs(bound).max() < 1.5


def test_replicates_figured_together_equal_each_figured_alone(monkeypatch):
    """The exact bootstrap computes its replicates' figures stacked (a few at a time when the
    catalogue is large): every replicate's overall is the one ``figures`` gives it alone."""
    obs, _, _ = synthetic(n_models=30, missing=0.85, noise=3.0, seed=4)
    layout = layout_for(12, share=0.6)
    point = capability.fit(obs)
    matrix, present = capability.dense(obs)
    mults = capability.bootstrap_mults(layout, 40)
    rows = np.arange(obs.n_models)
    thetas = capability._batched_theta(obs, point, mults)
    alone = np.array(
        [
            figures(matrix, present, point.with_theta(t).expected() * 100, layout, m).overall
            for t, m in zip(thetas, mults, strict=True)
        ]
    )
    assert np.isnan(alone).any() and np.isfinite(alone).any()  # models with and without a figure

    stacked = capability._exact_replicates(obs, point, layout, mults, matrix, present, rows)
    monkeypatch.setattr(capability, "STACK_CELLS", 3 * obs.n_models * obs.n_items)
    by_three = capability._exact_replicates(obs, point, layout, mults, matrix, present, rows)

    np.testing.assert_allclose(stacked, alone, rtol=0, atol=1e-9)
    np.testing.assert_allclose(by_three, alone, rtol=0, atol=1e-9)


def test_sample_ranks_are_competition_ranks():
    samples = np.array([[5.0, 7.0, 7.0, 1.0], [np.nan, 2.0, 3.0, 3.0]])
    assert capability.sample_ranks(samples).tolist() == [[3, 1, 1, 4], [4, 3, 1, 1]]
    eligible = np.array([True, True, False, True])
    ranked = capability.sample_ranks(samples, eligible)[:, [0, 1, 3]]
    assert ranked.tolist() == [[2, 1, 3], [3, 2, 1]]


def test_reranking_a_changed_model_matches_ranking_from_scratch():
    rng = np.random.default_rng(3)
    before = np.round(rng.normal(50, 10, (40, 30)))  # rounded: ties happen
    eligible = rng.random(30) > 0.2
    after, eligible_after = before.copy(), eligible.copy()
    after[:, [4, 17]] = np.round(rng.normal(55, 10, (40, 2)))
    eligible_after[4] = not eligible[4]
    ranks = capability.sample_ranks(before, eligible)
    updated, moved = capability.rerank(
        ranks, before, after, eligible, eligible_after, np.array([4, 17])
    )
    fresh = capability.sample_ranks(after, eligible_after)
    assert np.array_equal(updated[:, eligible_after], fresh[:, eligible_after])
    assert moved[[4, 17]].all()


def objective(obs, fit) -> float:
    """The negative log posterior the fit minimises."""
    y = np.clip(obs.value, capability.CLIP, 1 - capability.CLIP)
    p = np.clip(fit.expected()[obs.model, obs.item], 1e-12, 1 - 1e-12)
    likelihood = (y * np.log(p) + (1 - y) * np.log(1 - p)).sum()
    prior = (
        (fit.theta**2).sum() / (2 * capability.THETA_SD**2)
        + (fit.difficulty**2).sum() / (2 * capability.DIFFICULTY_SD**2)
        + (np.log(fit.discrimination) ** 2).sum() / (2 * capability.LOG_DISCRIMINATION_SD**2)
        + (fit.bonus**2).sum() / (2 * capability.BONUS_SD**2)
    )
    return prior - likelihood


def test_the_fit_reaches_the_optimum_within_its_rounds():
    """Without the moves along the directions the likelihood cannot see (a shift of every
    capability and difficulty, a rescaling of them against the discriminations), 60 rounds on
    a few hundred models left expected scores a point or more from the optimum."""
    obs, _, _ = synthetic(n_models=400, n_items=30, missing=0.2, noise=3.0, seed=12)
    quick = capability.fit(obs)
    thorough = capability.fit(obs, rounds=2_000, tolerance=1e-10)
    assert objective(obs, quick) - objective(obs, thorough) < 1e-3
    assert np.abs(quick.expected() - thorough.expected()).max() * 100 < 0.05  # points


def test_a_move_along_the_ridges_keeps_every_expected_score_and_lowers_the_objective():
    obs, _, _ = synthetic(n_models=50, seed=13)
    start = capability.fit(obs, rounds=2)
    moved = capability._State(
        start.theta + 0.7, start.difficulty + 0.7, start.discrimination * 1.5, start.bonus
    )
    moved.theta, moved.b = moved.theta / 1.5, moved.b / 1.5  # same z = a (theta - b)
    before = capability.Fit(moved.theta, moved.b, moved.a, moved.c, start.trait)
    capability._along_ridges(moved)
    after = capability.Fit(moved.theta, moved.b, moved.a, moved.c, start.trait)
    assert np.allclose(before.expected(), after.expected(), atol=1e-12)
    assert objective(obs, after) < objective(obs, before) - 1e-3


def test_dense_and_sparse_steps_find_the_same_fit():
    """Most catalogues are fitted on dense matrices in single precision, sparse ones (and the
    leave-one-out copies) on score arrays: the answers agree far below a displayed decimal."""
    obs, _, _ = synthetic(n_models=120, n_items=20, missing=0.3, noise=2.0, seed=14)
    assert len(obs.value) >= capability.DENSE_SHARE * obs.n_models * obs.n_items
    dense = capability.fit(obs)
    share = capability.DENSE_SHARE
    try:
        capability.DENSE_SHARE = 1.1  # nothing is dense enough: the sparse steps
        sparse = capability.fit(obs)
    finally:
        capability.DENSE_SHARE = share
    assert np.abs(dense.expected() - sparse.expected()).max() * 100 < 0.01


@pytest.mark.parametrize("dense_share", [capability.DENSE_SHARE, 1.1])
def test_the_benchmarks_joint_steps_reach_the_optimum_in_ten_rounds(dense_share, monkeypatch):
    """Difficulty and discrimination explain the same low scores: stepped one after the other
    they zigzag, and ten rounds left expected scores a third of a point from the optimum
    on this catalogue; each benchmark's joint step lands within a hundredth (dense matrices
    and score arrays alike)."""
    obs, _, _ = synthetic(n_models=300, n_items=30, missing=0.2, noise=3.0, seed=15)
    obs = with_reasoning_bonus(obs)
    monkeypatch.setattr(capability, "DENSE_SHARE", dense_share)
    quick = capability.fit(obs, rounds=10, tolerance=0.0)
    thorough = capability.fit(obs, rounds=2_000, tolerance=1e-10)
    assert np.abs(thorough.bonus).max() > 0.2  # the reasoning bonus is part of the fit
    assert np.abs(quick.expected() - thorough.expected()).max() * 100 < 0.01  # points


def with_reasoning_bonus(obs):
    """``obs`` with every other model a reasoning model, a third of the benchmarks giving them
    8 points more."""
    reasoning = np.arange(obs.n_models) % 2 == 0
    bonus = 0.08 * reasoning[obs.model] * (obs.item % 3 == 0)
    return capability.Observations(
        obs.model,
        obs.item,
        np.clip(obs.value + bonus, 0, 1),
        obs.n_models,
        obs.n_items,
        reasoning.astype(float),
    )


def test_a_fit_with_reasoning_models_settles_in_a_few_rounds(monkeypatch):
    """Raising every reasoning model's capability and taking as much off each benchmark's
    bonus changes no expected score: only the priors pin that direction. Without the move
    along it, this fit ran all 60 rounds (stopping on the parameters) or stopped at ten with
    figures 0.02 points off (stopping on the expected scores); with it, it settles within a
    ten-thousandth of a point in about ten rounds."""
    obs, _, _ = synthetic(n_models=300, n_items=30, missing=0.2, noise=3.0, seed=16)
    obs = with_reasoning_bonus(obs)
    rounds = []
    ridges = capability._along_ridges
    monkeypatch.setattr(capability, "_along_ridges", lambda *a: rounds.append(1) or ridges(*a))
    quick = capability.fit(obs)
    used = len(rounds)
    thorough = capability.fit(obs, rounds=2_000, tolerance=1e-12)
    assert used <= 20
    assert np.abs(quick.expected() - thorough.expected()).max() * 100 < 0.005  # points


def test_the_reasoning_models_ridge_keeps_every_expected_score_and_lowers_the_objective():
    obs = with_reasoning_bonus(synthetic(n_models=50, seed=13)[0])
    start = capability.fit(obs, rounds=2)
    lifted = capability._State(
        start.theta + 0.9 * start.trait,
        start.difficulty,
        start.discrimination,
        start.bonus - 0.9 * start.discrimination,
    )
    before = capability.Fit(lifted.theta, lifted.b, lifted.a, lifted.c, start.trait)
    capability._along_ridges(lifted, start.trait)
    after = capability.Fit(lifted.theta, lifted.b, lifted.a, lifted.c, start.trait)
    assert np.allclose(before.expected(), after.expected(), atol=1e-12)
    assert objective(obs, after) < objective(obs, before) - 1e-3


def test_an_update_beyond_the_exact_limit_reads_the_changed_rows_alone():
    """On a catalogue whose replicates are linear, the update's replicates of the edited model
    (from its own rows) are the whole catalogue's linear replicates of that model."""
    obs, _, _ = synthetic(n_models=60, noise=3.0, seed=8)
    layout = layout_for(12)
    samples = capability.EXACT_LIMIT // len(obs.value) + 10
    point, est = capability.estimate(obs, layout, samples=samples)
    model = 7
    after = edited(obs, model, int(obs.item[obs.model == model][0]), 0.05)
    new, quick = capability.update(after, layout, point, est, np.array([model]))
    matrix, present = capability.dense(after)
    whole = capability.replicates(after, new, layout, est.mults, matrix, present)
    assert np.abs(quick.samples[:, model] - whole[:, model]).max() < 1e-3
    assert np.abs(quick.samples[:, model] - est.samples[:, model]).max() > 0.1  # it moved
