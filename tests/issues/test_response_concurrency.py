"""Many readers answering at once: every acknowledged answer stored exactly once."""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter

from django.core import mail
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings

from issues.models import QuestionResponse
from tests.factories import build_site, make_question

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNIQUE_SUBMISSIONS = 30
REPLAYS = 10  # extra threads re-posting a token another thread sends at the same moment


@override_settings(FOCUS_RESPONSES_RATE_LIMIT=1000)
class ConcurrentSubmissionTests(TransactionTestCase):
    # Wagtail's root page comes from a migration; keep it for the tests that follow.
    serialized_rollback = True

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest(
                "Needs PostgreSQL: SQLite serialises writers with a database-wide lock, "
                "so it cannot show concurrent inserts racing on the token constraint."
            )
        cache.clear()
        caches["counters"].clear()  # rate-limit counts live here
        tree = build_site()
        self.question = make_question(tree.questions)

    def test_simultaneous_answers_are_stored_exactly_once(self):
        tokens = [str(uuid.uuid4()) for _ in range(UNIQUE_SUBMISSIONS)]
        jobs = [(number, token) for number, token in enumerate(tokens)]
        jobs += [(number, tokens[number]) for number in range(REPLAYS)]
        barrier = threading.Barrier(len(jobs))
        results: list[tuple[str, int]] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def reader(number: int, token: str) -> None:
            try:
                client = Client(enforce_csrf_checks=True)
                page = client.get(self.question.url)
                # Read from the HTML: the test client's captured context is shared by threads.
                csrf = CSRF_INPUT.search(page.content.decode()).group(1)
                barrier.wait(timeout=60)
                response = client.post(
                    self.question.url,
                    {
                        "csrfmiddlewaretoken": csrf,
                        "name": f"Reader {number}",
                        "email": f"reader{number}@example.org",
                        "affiliation": "Hong Kong",
                        "response": f"Answer number {number}.",
                        "consent": "on",
                        "token": token,
                    },
                )
                with lock:
                    results.append((token, response.status_code))
            except BaseException as error:  # reported below, never swallowed
                with lock:
                    errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=reader, args=job) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        self.assertEqual(errors, [])
        self.assertEqual(len(results), len(jobs))
        acknowledged = {token for token, status in results if status == 303}
        self.assertEqual(Counter(status for _, status in results), {303: len(jobs)})
        stored = list(QuestionResponse.objects.values_list("submission_token", flat=True))
        self.assertEqual(len(stored), UNIQUE_SUBMISSIONS)
        self.assertEqual({str(token) for token in stored}, acknowledged)
        self.assertEqual(
            QuestionResponse.objects.filter(question=self.question).count(), UNIQUE_SUBMISSIONS
        )
        # One email per stored answer, none for the replays.
        self.assertEqual(len(mail.outbox), UNIQUE_SUBMISSIONS)
