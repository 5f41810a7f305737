"""Read logic, one QuerySet method per page shape, so each page owns its joins."""

from django.db import models


class LanguageModelQuerySet(models.QuerySet):
    def published(self) -> "LanguageModelQuerySet":
        return self.filter(published=True)

    def for_scoreboard(self) -> "LanguageModelQuerySet":
        """Every published model with what the listing pages show, in one query."""
        return self.published().select_related("provider", "family").defer("body")

    def for_detail(self) -> "LanguageModelQuerySet":
        return self.published().select_related("provider", "family")


class ScoreQuerySet(models.QuerySet):
    def for_scoreboard(self) -> "ScoreQuerySet":
        """The score matrix of published models as plain tuples (no model instances)."""
        return self.filter(model__published=True).values_list(
            "model__slug",
            "benchmark__slug",
            "value",
            "verified",
            "as_of",
            "source_url",
            "note",
            "updated_at",
        )


class ChangeEventQuerySet(models.QuerySet):
    def for_readers(self) -> "ChangeEventQuerySet":
        """The changes a reader follows: not the bare row states kept for past boards."""
        return self.exclude(kind="state")

    def listed(self) -> "ChangeEventQuerySet":
        """What /changes/ lists: the readers' changes, and the benchmarks', categories' and
        methodology's saved states (their weights enter every figure)."""
        return self.exclude(kind="state", row_kind__in=("model", "score", "provider", "family"))
