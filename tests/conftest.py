import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: cached fragments name rows of another test's data."""
    for cache in caches.all():
        cache.clear()
    yield
