"""Read logic, one QuerySet method per page shape, so each page owns its joins."""

from django.db import models


class LanguageModelQuerySet(models.QuerySet):
    def published(self) -> "LanguageModelQuerySet":
        return self.filter(published=True)

    def for_detail(self) -> "LanguageModelQuerySet":
        return self.published().select_related("provider", "family")


class ChangeEventQuerySet(models.QuerySet):
    def for_readers(self) -> "ChangeEventQuerySet":
        """The changes a reader follows: not the bare row states kept for past boards."""
        return self.exclude(kind="state")

    def listed(self) -> "ChangeEventQuerySet":
        """What /changes/ lists: the readers' changes, and the benchmarks', categories' and
        methodology's saved states (their weights enter every figure)."""
        return self.exclude(kind="state", row_kind__in=("model", "score", "provider", "family"))
