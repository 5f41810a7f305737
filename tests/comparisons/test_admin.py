"""The catalogue admin: what an editor can do, and what the admin refuses."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from comparisons import scoreboard
from comparisons.admin.language_models import BoardFigures
from comparisons.models import (
    Benchmark,
    Category,
    ChangeEvent,
    LanguageModel,
    MethodologySettings,
    ModelFamily,
    Provider,
    Score,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:comparisons_languagemodel_import"


@pytest.fixture
def provider():
    return Provider.objects.create(slug="openai", name="OpenAI")


@pytest.fixture
def benchmarks():
    """Four counted benchmarks over two categories: enough to rank a model that has them all."""
    coding = Category.objects.get(slug="coding")
    reasoning = Category.objects.get(slug="reasoning")
    return [
        Benchmark.objects.create(slug=f"bench-{i}", name=f"Bench {i}", category=category)
        for i, category in enumerate([coding, coding, reasoning, reasoning])
    ]


def model_form_data(provider: Provider, scores=(), **fields) -> dict[str, str]:
    """What the add page posts: the model's fields plus the score inline's formset."""
    data = {
        "name": "GPT-4.1",
        "slug": "gpt-4-1",
        "provider": str(provider.pk),
        "family": "",
        "release_date": "2025-04-14",
        "reasoning": "",
        "context_window": "1047576",
        "max_output_tokens": "32768",
        "input_price": "2",
        "output_price": "8",
        "cached_input_price": "0.5",
        "batch_input_price": "1",
        "batch_output_price": "4",
        "output_speed": "",
        "ttft": "",
        "knowledge_cutoff": "2024-06",
        "input_modalities": "text+image",
        "parameters": "",
        "published": "on",
        "body": "",
        "scores-TOTAL_FORMS": str(len(scores)),
        "scores-INITIAL_FORMS": "0",
        "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, (benchmark, value) in enumerate(scores):
        data |= {
            f"scores-{i}-benchmark": str(benchmark.pk),
            f"scores-{i}-value": str(value),
            f"scores-{i}-as_of": "2025-04-14",
            f"scores-{i}-source_url": "https://openai.com/index/gpt-4-1/",
            f"scores-{i}-note": "vendor-reported",
        }
    data.update(fields)
    return {key: value for key, value in data.items() if value != ""}


def make_model(provider, benchmarks, slug, *, published=True, verified=True, base=50):
    model = LanguageModel.objects.create(
        slug=slug, name=slug.upper(), provider=provider, published=published
    )
    for i, benchmark in enumerate(benchmarks):
        Score.objects.create(
            model=model, benchmark=benchmark, value=Decimal(base + i), verified=verified
        )
    return model


# --- language models and their scores --------------------------------------------------------


def test_editor_adds_a_model_with_three_scores_on_one_screen(admin_client, provider, benchmarks):
    scores = list(zip(benchmarks[:3], ["54.6", "66.3", "90"], strict=True))
    response = admin_client.post(
        reverse("admin:comparisons_languagemodel_add"), model_form_data(provider, scores)
    )

    assert response.status_code == 302
    model = LanguageModel.objects.get(slug="gpt-4-1")
    assert model.batch_output_price == Decimal(4)
    assert sorted(model.scores.values_list("value", flat=True)) == [
        Decimal("54.6"),
        Decimal("66.3"),
        Decimal(90),
    ]
    kinds = sorted(ChangeEvent.objects.filter(model=model).values_list("kind", flat=True))
    assert kinds == ["model_added"] + ["score_added"] * 3


def test_the_add_page_offers_score_rows_with_benchmark_autocomplete(admin_client):
    response = admin_client.get(reverse("admin:comparisons_languagemodel_add"))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.total_form_count() >= 3
    assert 'data-ajax--url="/admin/autocomplete/"' in response.text
    assert "id_batch_output_price" in response.text


def test_a_score_of_140_is_refused_with_a_clear_message(admin_client, provider, benchmarks):
    scores = [(benchmarks[0], "54.6"), (benchmarks[1], "140")]
    response = admin_client.post(
        reverse("admin:comparisons_languagemodel_add"), model_form_data(provider, scores)
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors[1]["value"] == ["A score is a percentage between 0 and 100."]
    assert "A score is a percentage between 0 and 100." in response.text
    assert not LanguageModel.objects.exists()
    assert not Score.objects.exists()
    # No event about a model or a score (the fixtures' provider and benchmarks have theirs).
    assert not ChangeEvent.objects.filter(row_kind__in=("model", "score")).exists()


def test_a_score_of_140_is_refused_on_the_score_page_too(admin_client, provider, benchmarks):
    model = LanguageModel.objects.create(slug="m", name="M", provider=provider)
    response = admin_client.post(
        reverse("admin:comparisons_score_add"),
        {"model": model.pk, "benchmark": benchmarks[0].pk, "value": "140"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [
        "A score is a percentage between 0 and 100."
    ]
    assert not Score.objects.exists()


def test_a_slug_with_vs_is_refused_with_a_clear_message(admin_client, provider):
    response = admin_client.post(
        reverse("admin:comparisons_languagemodel_add"),
        model_form_data(provider, slug="gpt-vs-claude"),
    )

    assert response.status_code == 200
    message = "A model slug cannot contain “-vs-”: comparison URLs split on it."
    assert response.context["adminform"].form.errors["slug"] == [message]
    assert escape(message) in response.text
    assert not LanguageModel.objects.exists()


def test_a_family_of_another_provider_is_refused(admin_client, provider):
    other = Provider.objects.create(slug="anthropic", name="Anthropic")
    claude = ModelFamily.objects.create(slug="claude", name="Claude", provider=other)
    response = admin_client.post(
        reverse("admin:comparisons_languagemodel_add"),
        model_form_data(provider, family=str(claude.pk)),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["family"] == [
        "Claude is a family of Anthropic, not OpenAI."
    ]


def test_the_change_page_lists_recent_changes_and_views_the_published_model_on_site(
    admin_client, provider, benchmarks
):
    model = make_model(provider, benchmarks[:1], "gpt-4-1")
    response = admin_client.get(reverse("admin:comparisons_languagemodel_change", args=[model.pk]))

    assert response.status_code == 200
    assert "New score" in response.text
    assert f"?model__id__exact={model.pk}" in response.text
    assert response.context["has_absolute_url"]
    assert 'href="/models/gpt-4-1/"' in response.text


def test_an_unpublished_model_has_no_view_on_site_link(admin_client, provider):
    model = LanguageModel.objects.create(slug="secret", name="Secret", provider=provider)
    model.published = False
    model.save()
    response = admin_client.get(reverse("admin:comparisons_languagemodel_change", args=[model.pk]))

    assert response.status_code == 200
    assert not response.context["has_absolute_url"]
    assert "/models/secret/" not in response.text


def test_the_history_link_filters_the_change_events(admin_client, provider, benchmarks):
    model = make_model(provider, benchmarks[:2], "gpt-4-1")
    make_model(provider, benchmarks[:1], "other")
    url = reverse("admin:comparisons_changeevent_changelist")
    response = admin_client.get(f"{url}?model__id__exact={model.pk}")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3


# --- the model list and its scoreboard column -------------------------------------------------


def test_the_model_list_shows_overall_score_and_lane_from_the_scoreboard(
    admin_client, provider, benchmarks
):
    make_model(provider, benchmarks, "ranked", base=60)
    make_model(provider, benchmarks, "provisional", verified=False, base=40)
    make_model(provider, benchmarks[2:3], "thin")  # reasoning only: 17 of 37 points
    make_model(provider, benchmarks, "hidden", published=False)
    response = admin_client.get(reverse("admin:comparisons_languagemodel_changelist"))

    assert response.status_code == 200
    figures = {obj.slug: obj.board_figures for obj in response.context["cl"].result_list}
    # The provisional lane, as readers see it by default: (60.5 * 20 + 62.5 * 17) / 37 = 61.4
    # over coding and reasoning; the verified rank rides along.
    assert figures["ranked"] == BoardFigures("61", "#1\u00a0·\u00a0verified\u00a0#1")
    assert figures["provisional"] == BoardFigures("41", "#2")  # nothing verified
    assert figures["thin"].lane == "unranked"
    assert figures["hidden"] == BoardFigures("—", "—")  # unpublished: not on the scoreboard
    assert "#1\u00a0·\u00a0verified\u00a0#1" in response.text
    assert "Overall (provisional lane)" in response.text
    assert reverse(IMPORT_URL) in response.text


def changelist_queries(client, *, warm: bool = False) -> int:
    if not warm:
        cache.clear()
        scoreboard._memo.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:comparisons_languagemodel_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_the_model_list_costs_the_same_queries_for_3_and_15_models(
    admin_client, provider, benchmarks
):
    for i in range(3):
        make_model(provider, benchmarks, f"model-{i}")
    admin_client.get(reverse("admin:comparisons_languagemodel_changelist"))  # session warm-up
    small = changelist_queries(admin_client)
    for i in range(3, 15):
        make_model(provider, benchmarks, f"model-{i}", published=i % 4 != 0)

    assert changelist_queries(admin_client) == small
    # A warm scoreboard costs no query at all.
    assert changelist_queries(admin_client, warm=True) < small


# --- categories, benchmarks, scores -----------------------------------------------------------


def test_category_weights_and_order_are_editable_in_the_list(admin_client):
    categories = list(Category.objects.all())
    data = {
        "form-TOTAL_FORMS": str(len(categories)),
        "form-INITIAL_FORMS": str(len(categories)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, category in enumerate(categories):
        weight, order = category.weight, category.order
        if category.slug == "coding":
            weight, order = Decimal(25), 9
        data |= {f"form-{i}-id": category.pk, f"form-{i}-weight": weight, f"form-{i}-order": order}
    response = admin_client.post(reverse("admin:comparisons_category_changelist"), data)

    assert response.status_code == 302
    coding = Category.objects.get(slug="coding")
    assert (coding.weight, coding.order) == (Decimal(25), 9)
    assert Category.objects.get(slug="agentic").weight == Decimal(22)


def test_a_negative_category_weight_is_refused_in_the_list(admin_client):
    coding = Category.objects.get(slug="coding")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": coding.pk,
        "form-0-weight": "-1",
        "form-0-order": "2",
        "_save": "Save",
    }
    response = admin_client.post(reverse("admin:comparisons_category_changelist"), data)

    assert response.status_code == 200
    assert response.context["cl"].formset.errors[0]["weight"]
    assert Category.objects.get(slug="coding").weight == Decimal(20)


def test_the_benchmark_list_counts_scores_in_one_query(admin_client, provider, benchmarks):
    make_model(provider, benchmarks, "a")
    make_model(provider, benchmarks[:2], "b")
    response = admin_client.get(reverse("admin:comparisons_benchmark_changelist"))

    assert response.status_code == 200
    counts = {b.slug: b.score_count for b in response.context["cl"].result_list}
    assert counts == {"bench-0": 2, "bench-1": 2, "bench-2": 1, "bench-3": 1}


def test_benchmark_autocomplete_finds_benchmarks_by_name(admin_client, benchmarks):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Bench 2",
            "app_label": "comparisons",
            "model_name": "score",
            "field_name": "benchmark",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Bench 2"]


def test_mark_verified_saves_each_score_and_records_the_change(admin_client, provider, benchmarks):
    model = make_model(provider, benchmarks[:3], "gpt-4-1", verified=False)
    Score.objects.filter(benchmark=benchmarks[2]).update(verified=True)  # test set-up only
    ChangeEvent.objects.all().delete()
    response = admin_client.post(
        reverse("admin:comparisons_score_changelist"),
        {
            "action": "mark_verified",
            "_selected_action": list(model.scores.values_list("pk", flat=True)),
        },
    )

    assert response.status_code == 302
    assert not model.scores.filter(verified=False).exists()
    events = ChangeEvent.objects.filter(kind=ChangeEvent.Kind.SCORE_CHANGED, field="verified")
    assert sorted(events.values_list("benchmark__slug", "old_value", "new_value")) == [
        ("bench-0", "no", "yes"),
        ("bench-1", "no", "yes"),
    ]


# --- change events and methodology settings ---------------------------------------------------


def test_change_events_are_read_only(admin_client, provider):
    model = LanguageModel.objects.create(slug="m", name="M", provider=provider)
    event = ChangeEvent.objects.get(model=model)
    change_url = reverse("admin:comparisons_changeevent_change", args=[event.pk])

    assert admin_client.get(reverse("admin:comparisons_changeevent_add")).status_code == 403
    assert admin_client.post(change_url, {"kind": "model_removed"}).status_code == 403
    delete_url = reverse("admin:comparisons_changeevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ChangeEvent.objects.get(pk=event.pk).kind == ChangeEvent.Kind.MODEL_ADDED

    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    listing = admin_client.get(reverse("admin:comparisons_changeevent_changelist"))
    assert listing.status_code == 200
    assert "New model" in listing.text
    assert "action-checkbox" not in listing.text


def test_the_methodology_settings_list_goes_straight_to_the_single_row(admin_client):
    response = admin_client.get(reverse("admin:comparisons_methodologysettings_changelist"))

    assert response.status_code == 302
    assert response.url == reverse("admin:comparisons_methodologysettings_change", args=[1])
    assert admin_client.get(response.url).status_code == 200
    assert admin_client.get(reverse("admin:comparisons_methodologysettings_add")).status_code == 403
    delete_url = reverse("admin:comparisons_methodologysettings_delete", args=[1])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert MethodologySettings.objects.filter(pk=1).exists()


def test_the_methodology_settings_are_edited_in_place(admin_client):
    url = reverse("admin:comparisons_methodologysettings_change", args=[1])
    response = admin_client.post(url, {"category_share": "60", "ranking_coverage": "75"})

    assert response.status_code == 302
    settings = MethodologySettings.load()
    assert (settings.category_share, settings.ranking_coverage) == (60, 75)


# --- CSV import -------------------------------------------------------------------------------

BENCHMARKS_CSV = """slug,name,category,weight,description,url
swe-bench-verified,SWE-bench Verified,coding,1,Real GitHub issues,https://www.swebench.com/
gpqa-diamond,GPQA Diamond,knowledge,1,Graduate-level science,
"""

MODELS_CSV = (
    "slug,name,provider,family,release_date,reasoning,open_weights,context_window,"
    "max_output_tokens,input_price,output_price,cached_input_price,output_speed,ttft,"
    "knowledge_cutoff,input_modalities\n"
    "gpt-4-1,GPT-4.1,OpenAI,GPT-4.1,2025-04-14,no,no,1047576,32768,2,8,0.5,80,0.5,"
    "2024-06,text+image\n"
)

SCORES_CSV = """model,benchmark,score,as_of,source_url,note
gpt-4-1,swe-bench-verified,54.6,2025-04-14,https://openai.com/index/gpt-4-1/,vendor-reported
gpt-4-1,gpqa-diamond,66.3,2025-04-14,https://openai.com/index/gpt-4-1/,vendor-reported
"""

BAD_SCORES_CSV = """model,benchmark,score,as_of,source_url,note
gpt-4-1,swe-bench-verified,140,2025-04-14,,
gpt-4-1,no-such-benchmark,50,2025-04-14,,
"""


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


def catalogue_files(scores: str = SCORES_CSV) -> dict[str, SimpleUploadedFile]:
    return {
        "benchmarks": upload("benchmarks.csv", BENCHMARKS_CSV),
        "models": upload("models.csv", MODELS_CSV),
        "scores": upload("scores.csv", scores),
    }


def test_the_import_page_is_linked_and_previews_by_default(admin_client):
    response = admin_client.get(reverse(IMPORT_URL))

    assert response.status_code == 200
    assert response.context["form"]["dry_run"].value() is True
    assert 'enctype="multipart/form-data"' in response.text
    assert "csrfmiddlewaretoken" in response.text
    app_index = admin_client.get(reverse("admin:app_list", args=["comparisons"]))
    assert reverse(IMPORT_URL) in app_index.text


def test_a_dry_run_shows_the_counts_and_writes_nothing(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {**catalogue_files(), "dry_run": "on"})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok and report.dry_run
    counts = {kind: created for kind, created, _, _ in response.context["counts"]}
    assert counts["benchmarks"] == 2
    assert counts["models"] == 1
    assert counts["scores"] == 2
    assert "Preview (dry run): nothing was written" in response.text
    assert "Import for real" in response.text
    assert not LanguageModel.objects.exists()
    assert not Benchmark.objects.exists()
    # Only the state the migrations recorded: the default categories and the methodology.
    assert not ChangeEvent.objects.exclude(row_kind__in=("category", "methodology")).exists()


def test_import_for_real_after_a_preview_writes_the_previewed_files(admin_client):
    preview = admin_client.post(reverse(IMPORT_URL), {**catalogue_files(), "dry_run": "on"})
    token = preview.context["preview_token"]
    response = admin_client.post(reverse(IMPORT_URL), {"preview": token})

    assert response.status_code == 200
    assert response.context["report"].ok
    assert not response.context["report"].dry_run
    assert Score.objects.filter(model__slug="gpt-4-1").count() == 2
    # The token is spent: posting it again asks for the files.
    again = admin_client.post(reverse(IMPORT_URL), {"preview": token})
    assert again.status_code == 302


def test_a_real_import_writes_and_records_change_events(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), catalogue_files())

    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok and not report.dry_run
    assert LanguageModel.objects.get(slug="gpt-4-1").output_price == Decimal(8)
    assert Score.objects.filter(model__slug="gpt-4-1").count() == 2
    assert ChangeEvent.objects.filter(kind=ChangeEvent.Kind.SCORE_ADDED).count() == 2
    assert "Imported" in response.text


def test_a_bad_file_shows_every_error_line_and_writes_nothing(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), catalogue_files(BAD_SCORES_CSV))

    assert response.status_code == 200
    errors = response.context["report"].errors
    assert len(errors) >= 2
    assert {(e.file, e.line) for e in errors} >= {("scores.csv", 2), ("scores.csv", 3)}
    for error in errors:
        row = (
            f"<tr><td>{escape(error.file)}</td><td>line {error.line}</td>"
            f"<td>{escape(error.message)}</td></tr>"
        )
        assert row in response.text
    assert not LanguageModel.objects.exists()
    assert not Benchmark.objects.exists()


def test_an_upload_that_is_not_utf8_is_a_form_error(admin_client):
    files = {"scores": upload("scores.csv", "model,benchmark\nmodèle,x\n".encode("latin-1"))}
    response = admin_client.post(reverse(IMPORT_URL), {**files, "dry_run": "on"})

    assert response.status_code == 200
    assert response.context["report"] is None
    [message] = response.context["form"].errors["scores"]
    assert message.startswith("scores.csv is not UTF-8 text (line 2 has a byte")


def test_an_upload_over_2_mb_is_a_form_error(admin_client):
    big = "slug,name,category,weight,description,url\n" + "x" * (2 * 1024 * 1024)
    response = admin_client.post(
        reverse(IMPORT_URL), {"benchmarks": upload("benchmarks.csv", big), "dry_run": "on"}
    )

    assert response.status_code == 200
    [message] = response.context["form"].errors["benchmarks"]
    assert message.startswith("benchmarks.csv is larger than 2 MB, the limit per file.")


def test_an_import_needs_at_least_one_file(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {"dry_run": "on"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Choose at least one file to import."]


def test_the_import_needs_the_change_permission_on_models(client):
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_languagemodel"))
    client.force_login(user)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert client.post(reverse(IMPORT_URL), catalogue_files()).status_code == 403
    assert not LanguageModel.objects.exists()


def test_the_import_is_csrf_protected(admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    assert client.post(reverse(IMPORT_URL), catalogue_files()).status_code == 403
    assert not LanguageModel.objects.exists()


def test_release_dates_filter_the_model_list(admin_client, provider):
    LanguageModel.objects.create(
        slug="a", name="A", provider=provider, release_date=date(2025, 4, 14)
    )
    response = admin_client.get(
        reverse("admin:comparisons_languagemodel_changelist"), {"release_date__year": "2025"}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
