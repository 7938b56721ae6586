"""SQLite with production settings under a crowd: 50 simultaneous answers, no 5xx.

A real gunicorn with several worker processes writes to one SQLite file, as
`make run`'s database would be used on a small single-server site.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from tests.focus_site.production_server import HOST, gunicorn, production_env
from tests.issues.crowd import answer_crowd

READERS = 50


@pytest.fixture(scope="module")
def sqlite_server(migrated_sqlite, tmp_path_factory):
    database, question_path = migrated_sqlite
    env = production_env(
        f"sqlite:///{database}",
        # Every reader comes from 127.0.0.1; the crowd must not meet the per-client limit.
        FOCUS_RESPONSES_RATE_LIMIT="1000",
        FOCUS_RESPONSES_NOTIFY="off",
    )
    log = tmp_path_factory.mktemp("sqlite-crowd") / "gunicorn.log"
    with gunicorn(env, log, workers=4) as server:
        yield server, database, question_path


def test_fifty_simultaneous_answers_on_sqlite_get_no_server_error(sqlite_server):
    server, database, question_path = sqlite_server
    answers = answer_crowd(HOST, server.port, question_path, READERS)

    assert Counter(answer.status for answer in answers) == {303: READERS}, server.stderr()
    with sqlite3.connect(database) as db:
        stored = {
            row[0].replace("-", "")
            for row in db.execute("SELECT submission_token FROM issues_questionresponse")
        }
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert stored == {answer.token.replace("-", "") for answer in answers}
    assert journal == "wal"
    assert "database is locked" not in server.stderr()
