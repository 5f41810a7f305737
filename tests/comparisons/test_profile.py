from datetime import date

from comparisons.profile import Facts, category_gaps, nearest_peers, write_profile

ME = Facts(
    "mini",
    "Mini",
    "Acme",
    "Acme 4",
    date(2025, 4, 14),
    False,
    False,
    1_047_576,
    "text+image",
    overall=60,
    typical_cost=0.002,
    categories={"Coding": 70.0, "Math": 50.0, "Knowledge": 61.0},
)
PEERS = [
    Facts(
        "p1",
        "Peer One",
        "Bolt",
        overall=62,
        typical_cost=0.004,
        categories={"Coding": 60.0, "Math": 58.0, "Knowledge": 60.0},
    ),
    Facts(
        "p2",
        "Peer Two",
        "Crux",
        overall=57,
        typical_cost=0.010,
        categories={"Coding": 62.0, "Math": 56.0},
    ),
    Facts("far", "Far Away", "Dyn", overall=20, typical_cost=0.001, categories={"Coding": 20.0}),
]
EVERYONE = [ME, *PEERS]


def test_peers_are_the_nearest_on_overall():
    assert [p.slug for p in nearest_peers(ME, EVERYONE, count=2)] == ["p1", "p2"]


def test_gaps_are_against_the_peers_mean():
    gaps = category_gaps(ME, PEERS[:2])
    assert gaps == {"Coding": 9.0, "Math": -7.0, "Knowledge": 1.0}


def test_profile_is_written_from_the_figures():
    profile = write_profile(ME, EVERYONE)
    assert profile.identity == (
        "Mini is a model from Acme in the Acme 4 family, released in April 2025. Its weights are "
        "not published; it takes a 1M-token context window and input as text, image."
    )
    assert "Peer One, Peer Two and Far Away" in profile.standing
    assert "strongest in Coding" in profile.standing and "weakest in Math" in profile.standing
    assert "the 2nd cheapest of 4 priced models" in profile.price
    assert profile.price.endswith("its nearest rivals on score cost $0.001 to $0.01.")
    assert profile.pick.startswith("Pick Mini for Coding work")
    assert "very long inputs" in profile.pick


def test_a_model_with_nothing_to_set_it_apart_says_so():
    alone = Facts("x", "Lone", "Acme", overall=50, categories={"Coding": 50.0})
    twin = Facts("y", "Twin", "Bolt", overall=50, categories={"Coding": 50.5})
    profile = write_profile(alone, [alone, twin])
    assert "level everywhere" in profile.standing
    assert profile.price == ""
    assert profile.pick.startswith("No figure sets Lone apart")


def test_every_model_page_carries_its_profile(client, db):
    from pathlib import Path

    from comparisons.importer import import_directory

    assert import_directory(Path(__file__).resolve().parents[2] / "comparisons" / "demo_data").ok
    html = client.get("/models/gpt-4-1-mini/").content.decode()
    section = html.split('id="profile-heading"', 1)[1].split("</section>", 1)[0]
    assert "GPT-4.1 mini is a model from OpenAI in the GPT-4.1 family" in section
    assert "costs $0.0036" in section and "priced models" in section
    assert "nearest to it in overall score" in section
    assert client.get("/models/muse-spark/?lane=verified").status_code == 200


def test_indexed_peers_are_the_nearest_peers_with_ties():
    import random

    from comparisons.profile import Facts, _indexed_peers, index, nearest_peers

    rng = random.Random(3)
    everyone = [
        Facts(f"m{i}", f"M {rng.randint(0, 99)} {i}", "P", overall=float(rng.randint(40, 60)))
        for i in range(300)
    ] + [Facts("none", "None", "P")]
    idx = index(everyone)
    for model in everyone[:300]:
        expected = nearest_peers(model, everyone)
        assert _indexed_peers(model, idx, 4) == expected, model.slug
