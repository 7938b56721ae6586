"""In production, errors reach stderr as JSON lines: Django's and gunicorn's, one format."""

from __future__ import annotations

import json

import pytest

from tests.focus_site.production_server import gunicorn, production_env
from tests.focus_site.urls_with_error import ERROR_PATH


@pytest.fixture(scope="module")
def server(migrated_sqlite, tmp_path_factory):
    database, _question_path = migrated_sqlite
    log = tmp_path_factory.mktemp("error-logging") / "stderr.log"
    with gunicorn(production_env(f"sqlite:///{database}"), log, workers=2) as server:
        yield server


def entries(text: str) -> list[dict]:
    """Every line of stderr as JSON; a line that is not JSON fails the test."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_an_unhandled_error_is_one_json_line_with_the_path_and_traceback(server):
    status, _headers, _body = server.request("GET", ERROR_PATH + "?reader=1")
    assert status == 500
    server.request("GET", "/")  # the worker has written the error's line by now

    logged = entries(server.stderr())
    errors = [entry for entry in logged if entry.get("traceback")]
    assert len(errors) == 1, logged
    error = errors[0]
    assert error["level"] == "ERROR"
    assert error["logger"] == "django.request"
    assert error["path"] == ERROR_PATH
    assert error["method"] == "GET"
    assert error["status"] == 500
    assert "Traceback (most recent call last)" in error["traceback"]
    assert "RuntimeError: An unhandled error, raised on purpose by a test" in error["traceback"]


def test_gunicorn_writes_its_own_lines_and_the_access_log_in_the_same_format(server):
    server.request("GET", "/")
    logged = entries(server.stderr())
    assert any(entry["logger"] == "gunicorn.error" for entry in logged)
    access = [entry for entry in logged if entry["logger"] == "gunicorn.access"]
    assert access and {"method", "path", "status", "duration_ms"} <= access[-1].keys()
    assert any(entry.get("status") == "500" for entry in access)


@pytest.fixture(scope="module")
def quiet_server(migrated_sqlite, tmp_path_factory):
    database, _question_path = migrated_sqlite
    log = tmp_path_factory.mktemp("quiet-logging") / "stderr.log"
    env = production_env(
        f"sqlite:///{database}", GUNICORN_ACCESS_LOG="", GUNICORN_LOG_LEVEL="warning"
    )
    with gunicorn(env, log, workers=2) as server:
        yield server


def test_an_empty_access_log_setting_and_a_server_level_are_obeyed(quiet_server):
    # Django's logging setup, applied after gunicorn's, must not switch them back on.
    for _ in range(3):
        quiet_server.request("GET", "/")
    logged = entries(quiet_server.stderr())
    assert not [entry for entry in logged if entry["logger"] == "gunicorn.access"], logged
    assert not [entry for entry in logged if entry["level"] == "INFO"], logged
