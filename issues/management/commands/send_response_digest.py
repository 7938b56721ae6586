"""Email editors every reader response they have not yet been told about.

Run it on a schedule (e.g. hourly from cron) with FOCUS_RESPONSES_NOTIFY=digest;
with "each" it also retries answers whose own email failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from issues.models import QuestionResponse
from issues.responses.notify import recipients, send_digest


class Command(BaseCommand):
    help = "Email editors a digest of reader responses not yet notified."

    def handle(self, *args, **options):
        waiting = (
            QuestionResponse.objects.filter(notified_at=None)
            .select_related("question")
            .order_by("submitted_at", "pk")
        )
        if not waiting.exists():
            self.stdout.write("No new reader responses.")
            return
        if not recipients():
            raise CommandError("No recipients: set FOCUS_RESPONSES_NOTIFY_EMAILS.")
        try:
            sent = send_digest(waiting)
        except Exception as error:
            # Left unmarked, so the next run sends them.
            raise CommandError(f"Could not send the digest: {error}") from error
        self.stdout.write(f"Emailed {sent} reader response{'s' if sent != 1 else ''}.")
