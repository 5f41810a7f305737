"""The Celery app. Tasks live in each app's ``tasks.py``; the beat schedule is in settings."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

from benchlm.memory import keep_freed_memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchlm.settings")

app = Celery("benchlm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@worker_process_init.connect
def _configure_memory(**kwargs) -> None:
    """A worker builds the scoreboards: it keeps what one build frees for the next (the main
    process before its pool forks, and each pool process, whatever the pool)."""
    keep_freed_memory()
