import pytest

from tests.focus_site.production_server import sqlite_site_with_a_question


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file migrated as `make run` leaves it, with an open question: (file, its path)."""
    database = tmp_path_factory.mktemp("sqlite-site") / "focus.sqlite3"
    return database, sqlite_site_with_a_question(database)
