"""The admin's "Paste a table" page: preview, mapping, confirm through the importer."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from comparisons.admin.paste import text_digest
from comparisons.models import Benchmark, Category, ChangeEvent, LanguageModel, Provider, Score

pytestmark = pytest.mark.django_db

URL = "admin:comparisons_languagemodel_paste"
SOURCE = "https://openai.com/index/gpt-4-1/"
SEED_TABLE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "paste" / "seed-benchlm-pages.tsv"
).read_text(encoding="utf-8")


@pytest.fixture
def catalogue():
    provider = Provider.objects.create(slug="openai", name="OpenAI")
    coding = Category.objects.get(slug="coding")
    reasoning = Category.objects.get(slug="reasoning")
    benches = {
        "swe-bench-verified": Benchmark.objects.create(
            slug="swe-bench-verified", name="SWE-bench Verified", category=coding
        ),
        "livecodebench": Benchmark.objects.create(
            slug="livecodebench", name="LiveCodeBench", category=coding
        ),
        "gpqa-diamond": Benchmark.objects.create(
            slug="gpqa-diamond", name="GPQA Diamond", category=reasoning
        ),
        "mmlu": Benchmark.objects.create(slug="mmlu", name="MMLU", category=reasoning),
    }
    models = {}
    for i, (slug, name) in enumerate(
        [("gpt-4-1", "GPT-4.1"), ("gpt-4-1-mini", "GPT-4.1 mini"), ("muse-spark", "Muse Spark")]
    ):
        models[slug] = LanguageModel.objects.create(
            slug=slug, name=name, provider=provider, published=True
        )
        for j, bench in enumerate(benches.values()):
            Score.objects.create(
                model=models[slug], benchmark=bench, value=Decimal(40 + 10 * i + j)
            )
    return models, benches


def post(client, text=SEED_TABLE, **extra):
    data = {
        "text": text,
        "source_url": SOURCE,
        "note": "vendor-reported",
        "as_of": "2025-04-14",
        "preview": "Preview",
    }
    data.update(extra)
    return client.post(reverse(URL), data)


def mapping(response) -> dict[str, str]:
    """What the preview's form would post back as it stands: selects, boxes and the digest."""
    preview = response.context["preview"]
    data = {"mapped": preview["digest"]}
    for prefix, labels in (("model", preview["model_labels"]), ("bench", preview["bench_labels"])):
        for index, (_, slug) in enumerate(labels):
            data[f"{prefix}-{index}"] = slug
    for cell in preview["cells"]:
        if cell.included:
            data[cell.key] = "on"
    return data


def test_the_changelist_links_to_the_page(admin_client):
    response = admin_client.get(reverse("admin:comparisons_languagemodel_changelist"))
    assert reverse(URL).encode() in response.content
    page = admin_client.get(reverse(URL))
    assert page.status_code == 200
    assert b'name="text"' in page.content and b"csrfmiddlewaretoken" in page.content


def test_preview_maps_cells_shows_current_values_and_writes_nothing(admin_client, catalogue):
    before = (Score.objects.count(), ChangeEvent.objects.count())
    response = post(admin_client)
    assert response.status_code == 200
    preview = response.context["preview"]
    cells = {(c.model, c.benchmark): c for c in preview["cells"]}
    nano = [c for c in preview["cells"] if c.model_label == "GPT-4.1 nano"]
    assert nano and all(not c.model for c in nano)  # not in this catalogue: skipped
    swe = cells["gpt-4-1", "swe-bench-verified"]
    assert (swe.current, swe.new, swe.status, swe.flagged) == (
        Decimal("40"),
        Decimal("54.6"),
        "changed",
        False,
    )
    gpqa = cells["gpt-4-1-mini", "gpqa-diamond"]
    assert gpqa.flagged and gpqa.new == Decimal("64.2")  # "GPQA" is a guess
    assert b"guess: check" in response.content
    assert response.context["report"].dry_run and response.context["report"].ok
    assert (Score.objects.count(), ChangeEvent.objects.count()) == before


def test_confirm_writes_every_score_with_its_source(admin_client, catalogue):
    preview = post(admin_client)
    events = ChangeEvent.objects.count()
    data = mapping(preview) | {"confirm": "Import"}
    response = post(admin_client, **data)
    assert response.status_code == 302
    rows = preview.context["preview"]["rows"]
    assert len(rows) == 5  # four sure cells and the GPQA guess; nano is skipped
    for model, bench, value in rows:
        score = Score.objects.get(model__slug=model, benchmark__slug=bench)
        assert score.value == value
        assert score.source_url == SOURCE and score.note == "vendor-reported"
        assert score.verified is False and str(score.as_of) == "2025-04-14"
    assert ChangeEvent.objects.count() > events


def test_the_editor_changes_a_guess_and_unticks_a_cell(admin_client, catalogue):
    preview = post(admin_client)
    data = mapping(preview)
    bench_labels = [label.text for label, _ in preview.context["preview"]["bench_labels"]]
    data[f"bench-{bench_labels.index('GPQA')}"] = ""  # skip the guessed column
    swe = next(c for c in preview.context["preview"]["cells"] if c.model == "muse-spark")
    del data[swe.key]
    response = post(admin_client, **data, confirm="Import")
    assert response.status_code == 302
    assert Score.objects.get(model__slug="gpt-4-1-mini", benchmark__slug="gpqa-diamond").value == 52
    assert (
        Score.objects.get(model__slug="muse-spark", benchmark__slug="swe-bench-verified").value
        == 60
    )
    assert Score.objects.get(
        model__slug="gpt-4-1", benchmark__slug="swe-bench-verified"
    ).value == Decimal("54.6")


def test_confirm_straight_from_step_one_writes_nothing(admin_client, catalogue):
    before = list(Score.objects.values_list("value", flat=True).order_by("pk"))
    response = post(admin_client, confirm="Import")
    assert response.status_code == 200
    assert list(Score.objects.values_list("value", flat=True).order_by("pk")) == before


def test_edited_text_restarts_the_mapping(admin_client, catalogue):
    data = mapping(post(admin_client))
    data["mapped"] = text_digest("something else")
    response = post(admin_client, **data, confirm="Import")
    assert response.status_code == 200
    assert not Score.objects.filter(source_url=SOURCE).exists()


def test_a_bad_paste_writes_nothing(admin_client, catalogue):
    """Two columns mapped to one benchmark: the importer refuses the lot, good rows included."""
    text = "Model\tGPQA\tGPQA Diamond\tMMLU\nGPT-4.1\t66.3\t66.3\t90.2\n"
    preview = post(admin_client, text=text)
    data = mapping(preview)
    data["bench-0"] = data["bench-1"] = "gpqa-diamond"
    before = sorted(Score.objects.values_list("pk", "value"))
    events = ChangeEvent.objects.count()
    response = post(admin_client, text=text, **data, confirm="Import")
    assert response.status_code == 200
    assert not response.context["report"].ok
    assert b"Not imported" in response.content
    assert sorted(Score.objects.values_list("pk", "value")) == before
    assert ChangeEvent.objects.count() == events


@pytest.mark.parametrize(
    "text", ["", "no table here", "a\tb\nc\td", "x" * 200_000, "| a |\n|---|\n| 1 |"]
)
def test_garbage_is_a_message_not_an_error(admin_client, catalogue, text):
    before = Score.objects.count()
    response = post(admin_client, text=text)
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert Score.objects.count() == before


def test_pasted_markup_is_escaped(admin_client, catalogue):
    text = 'Model\t<img src=x onerror=alert(1)>MMLU\n"><script>alert(1)</script>\t88\n'
    response = post(admin_client, text=text)
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content
    assert b"<img src=x" not in response.content


def test_a_forged_slug_counts_as_skip(admin_client, catalogue):
    data = mapping(post(admin_client)) | {"model-0": "no-such-model"}
    response = post(admin_client, **data)
    cells = [c for c in response.context["preview"]["cells"] if c.model_label == "GPT-4.1"]
    assert cells and all(c.status == "skipped" for c in cells)


def test_preview_lists_whose_overall_would_move(admin_client, catalogue):
    text = "Model\tSWE-bench Verified\nGPT-4.1\t99\n"
    response = post(admin_client, text=text)
    moves = response.context["moves"]
    assert moves is not None
    assert "GPT-4.1" in [m.name for m in moves]
    move = next(m for m in moves if m.name == "GPT-4.1")
    assert move.overall_after is not None and move.overall_after != move.overall_before


def test_csrf_is_enforced(catalogue):
    User.objects.create_superuser("ed", "ed@example.com", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="ed"))
    response = post(client)
    assert response.status_code == 403


def test_only_editors_reach_the_page(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert "login" in response["Location"]


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "paste"
DEMO = Path(__file__).resolve().parents[2] / "comparisons" / "demo_data"


@pytest.fixture
def demo_catalogue():
    from comparisons.importer import import_directory

    assert import_directory(DEMO).ok


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.iterdir() if p.name != "README.md")
)
def test_every_real_table_previews_against_the_starter_catalogue(
    admin_client, demo_catalogue, name
):
    """The page on the starter data: each real table previews, and previewing writes nothing."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    before = (Score.objects.count(), ChangeEvent.objects.count())
    response = post(admin_client, text=text)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview is not None and preview["cells"]
    assert response.context["report"].ok
    assert (Score.objects.count(), ChangeEvent.objects.count()) == before
