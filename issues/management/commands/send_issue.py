"""Send an issue to every confirmed subscriber; re-running sends only what is left."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from issues.newsletter.sending import progress, queue_issue, send_pending
from issues.newsletter.tasks import send_issue_task

from .render_issue_email import find_issue


class Command(BaseCommand):
    help = "Send an issue to all confirmed subscribers, exactly once each."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The issue's slug, its ISO date, e.g. 2026-02-06.")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument(
            "--background",
            action="store_true",
            help="Hand the send to the tasks backend instead of sending here.",
        )

    def handle(self, *args, slug: str, batch_size: int | None, background: bool, **options):
        issue = find_issue(slug)
        if not issue.live:
            raise CommandError("This issue is not published: publish it before sending.")
        if background:
            result = send_issue_task.enqueue(issue.pk)
            self.stdout.write(f"Queued as task {result.id} ({result.status}).")
            return
        queue_issue(issue)
        state = progress(issue)
        if state.pending == 0 and state.sending:
            # Held by a live sender; if it died, its claim is taken over after
            # NEWSLETTER_CLAIM_TIMEOUT and a later run sends the rest.
            self.stdout.write(
                f"Nothing to send here: {state.sending} being sent by another sender, "
                f"{state.sent} of {state.total} sent."
            )
            return
        if state.pending == 0:
            self.stdout.write(f"Nothing to send: {state.sent} of {state.total} already sent.")
            return
        # The bar redraws in place with carriage returns: no newline after each write.
        self.stderr.ending = ""
        try:
            with tqdm(
                total=state.total,
                initial=state.total - state.pending,
                unit="email",
                file=self.stderr,
            ) as bar:
                sent = send_pending(issue, batch_size=batch_size, on_progress=bar.update)
        finally:
            self.stderr.ending = "\n"
        state = progress(issue)
        self.stdout.write(
            f"Sent {sent} now; {state.sent} of {state.total} sent in all, {state.failed} skipped."
        )
