import pytest
from django.core.cache import cache

from comparisons import scoreboard


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache, so no scoreboard leaks from one test to the next."""
    cache.clear()
    scoreboard._memo.clear()
    yield
    cache.clear()
    scoreboard._memo.clear()
