import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English.

    LocaleMiddleware activates the language of a request's prefix in the
    thread and leaves it there; the test client runs in the test's thread, so
    after a request to /zh-hant/ a later test's reverse() would otherwise give
    /zh-hant/ addresses.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: cached fragments name rows of another test's data."""
    for cache in caches.all():
        cache.clear()
    yield


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last.

    They share one live server and database across a module, flush it by hand
    and relax Django's async guard for the process; nothing that runs after them
    should meet that state.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
