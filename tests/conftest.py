import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.test import TransactionTestCase
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

    They replace the test database with a copy of the sample site, leave it
    there, and relax Django's async guard for the process; nothing that runs
    after them should meet that state.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _migrated_state_after_serialized_rollback(request):
    """Leave the database as migrations left it after a serialized-rollback test.

    Django restores the serialized copy at the start of such a test and empties
    the tables at its end, trusting that only more of them follow. With the
    suite spread over several processes a module of ordinary tests may come
    next on the same worker, and would find no root page or locales.
    """
    cls = getattr(request, "cls", None)
    if not (cls and issubclass(cls, TransactionTestCase) and cls.serialized_rollback):
        yield
        return
    blocker = request.getfixturevalue("django_db_blocker")
    yield
    with blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)
