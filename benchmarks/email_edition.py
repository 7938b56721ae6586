"""How long the email edition takes: rendering one issue, and sending it to 10,000 readers.

Run with ``make bench-email`` (or ``python -m benchmarks.email_edition``). It
builds a throwaway test database, an issue holding every block type, and
10,000 confirmed subscribers, then sends through Django's in-memory email
backend, so nothing leaves the machine. Figures are printed, not asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "10000"))
RENDER_RUNS = int(os.environ.get("BENCH_RENDER_RUNS", "20"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus_site.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the in-memory email backend, mail.outbox
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from issues.models import Subscriber
        from issues.newsletter.render import render_issue
        from issues.newsletter.sending import progress, send_issue
        from tests.factories import build_site
        from tests.issues.newsletter_helpers import issue_with_every_block

        issue = issue_with_every_block(build_site())
        render_issue(issue)  # warm image renditions, as a second send would find them

        timings = []
        for _ in range(RENDER_RUNS):
            start = time.perf_counter()
            rendered = render_issue(issue)
            timings.append(time.perf_counter() - start)
        print(f"Render one issue for email ({len(issue.body)} blocks, {RENDER_RUNS} runs):")
        print(
            f"  median {statistics.median(timings) * 1000:.1f} ms, "
            f"best {min(timings) * 1000:.1f} ms; HTML {len(rendered.html):,} bytes, "
            f"text {len(rendered.text):,} bytes"
        )

        Subscriber.objects.bulk_create(
            [
                Subscriber(email=f"reader{n}@example.org", status=Subscriber.Status.CONFIRMED)
                for n in range(SUBSCRIBERS)
            ],
            batch_size=1000,
        )
        mail.outbox = []
        start = time.perf_counter()
        sent = send_issue(issue)
        elapsed = time.perf_counter() - start
        state = progress(issue)
        print(
            f"Send to {SUBSCRIBERS:,} subscribers (in-memory backend, batches of "
            f"{settings.NEWSLETTER_BATCH_SIZE}):"
        )
        print(
            f"  {elapsed:.2f} s in all, {sent / elapsed:,.0f} messages/s; "
            f"{state.sent:,} of {state.total:,} marked sent, outbox {len(mail.outbox):,}"
        )
        start = time.perf_counter()
        again = send_issue(issue)
        print(f"Re-run (nothing left to send): {again} sent in {time.perf_counter() - start:.2f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
