import csv
import io
from pathlib import Path

import pytest

from comparisons.importer import import_directory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed"


@pytest.fixture(autouse=True)
def seed():
    assert import_directory(SEED).ok


def test_models_list(client):
    response = client.get("/api/v1/models/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    muse = next(m for m in data["models"] if m["slug"] == "muse-spark")
    # Coding and knowledge carry 32 of the 37 points of live weight (coding, knowledge,
    # instruction following): measured widely enough to be ranked.
    assert muse["input_price"] is None and muse["rank"] is not None
    assert muse["coverage"] == 86
    assert muse["category_scores"] == {"coding": 61.7, "knowledge": 50.4}
    assert set(muse["estimated_category_scores"]) == {"instruction-following"}
    low, high = muse["overall_interval"]
    assert low <= muse["overall"] <= high
    nano = next(m for m in data["models"] if m["slug"] == "gpt-4-1-nano")
    assert nano["rank"] is None and nano["unranked_reason"].startswith("Scores in 2 of 3")
    assert "max-age" in response["Cache-Control"]


def test_model_detail_has_sources(client):
    data = client.get("/api/v1/models/gpt-4-1-mini/").json()
    assert data["context_window"] == 1047576
    mmlu = next(s for s in data["scores"] if s["benchmark"] == "mmlu")
    assert mmlu == {
        "benchmark": "mmlu",
        "benchmark_name": "MMLU",
        "category": "knowledge",
        "counted": False,
        "score": 87.5,
        "verified": True,
        "as_of": "2025-04-14",
        "source_url": "https://openai.com/index/gpt-4-1/",
        "note": "vendor-reported",
        # No run tokens published: no run cost, never 0.
        "run_input_tokens": None,
        "run_output_tokens": None,
        "run_tasks": None,
        "run_cost": None,
        "run_cost_per_task": None,
        "run_cost_estimated": None,
    }


def test_scores_csv_is_in_import_format(client):
    response = client.get("/api/v1/scores.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 14
    header = ["model", "benchmark", "score", "as_of", "source_url", "note", "verified"]
    header += ["run_input_tokens", "run_output_tokens", "run_tasks"]
    assert list(rows[0]) == header


def test_leaderboard_csv_export_follows_the_view(client):
    response = client.get("/?sort=name&dir=asc&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # Ranked models first, by name; then the unranked one (nano covers 17 of 37 points).
    assert [r["model"] for r in rows] == ["gpt-4-1", "gpt-4-1-mini", "muse-spark", "gpt-4-1-nano"]
    assert [r["rank"] for r in rows][-1] == ""


def test_sitemap_lists_each_pair_once_in_canonical_order(client):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-comparisons.xml" in index
    pairs = client.get("/sitemap-comparisons.xml").content.decode()
    assert pairs.count("<loc>") == 6
    assert "/compare/gpt-4-1-mini-vs-muse-spark/" in pairs
    assert "/compare/muse-spark-vs-gpt-4-1-mini/" not in pairs
    models = client.get("/sitemap-models.xml").content.decode()
    assert models.count("<loc>") == 4


def test_robots_txt(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_models_list_reports_one_lane_consistently(client):
    provisional = client.get("/api/v1/models/").json()
    assert provisional["lane"] == "provisional"
    assert {m["lane"] for m in provisional["models"]} == {"provisional"}
    verified = client.get("/api/v1/models/?lane=verified").json()
    assert {m["lane"] for m in verified["models"]} == {"verified"}
    # Muse Spark's scores are all unverified: no category score in the verified lane.
    muse = next(m for m in verified["models"] if m["slug"] == "muse-spark")
    assert muse["category_scores"] == {} and muse["overall"] is None


def test_models_list_is_written_once_per_board_lane_and_host(client, monkeypatch, settings):
    """A query string of a visitor's own must not make the whole list be written again."""
    from comparisons import api
    from comparisons.models import LanguageModel

    settings.PAGE_CACHE = False
    calls = []
    original = api._model_summary

    def counted(request, board, card, lane):
        calls.append(lane)
        return original(request, board, card, lane)

    monkeypatch.setattr(api, "_model_summary", counted)
    first = client.get("/api/v1/models/")
    models = first.json()["count"]
    assert len(calls) == models
    again = [client.get(f"/api/v1/models/?x={i}") for i in range(3)]
    assert len(calls) == models and all(r.content == first.content for r in again)
    assert again[0]["Access-Control-Allow-Origin"] == "*"
    assert again[0]["Content-Type"] == "application/json"
    verified = client.get("/api/v1/models/?lane=verified").json()
    assert verified["lane"] == "verified" and len(calls) == 2 * models

    model = LanguageModel.objects.get(slug=first.json()["models"][0]["slug"])
    model.name = "A New Name"
    model.save()  # a new data version, a new board: the list is written again
    assert client.get("/api/v1/models/?x=0").json()["models"][0]["name"] == "A New Name"
