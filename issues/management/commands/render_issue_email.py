"""Write an issue's email to files, exactly as a subscriber receives it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from home.rendering import absolute_url
from issues.models import IssuePage
from issues.newsletter.render import render_issue


def find_issue(slug: str) -> IssuePage:
    issue = IssuePage.objects.filter(slug=slug).first()
    if issue is None:
        raise CommandError(f"No issue with the slug {slug!r} (issue slugs are dates: 2026-02-06).")
    return issue


class Command(BaseCommand):
    help = "Render an issue's email: DIR/issue.html (inlined CSS) and DIR/issue.txt."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The issue's slug, its ISO date, e.g. 2026-02-06.")
        parser.add_argument("--out", required=True, help="Folder to write issue.html/.txt to.")
        parser.add_argument(
            "--unsubscribe-url",
            default="",
            help="The unsubscribe address to show (default: a sample link).",
        )

    def handle(self, *args, slug: str, out: str, unsubscribe_url: str, **options):
        issue = find_issue(slug)
        rendered = render_issue(issue).for_unsubscribe_url(
            unsubscribe_url
            or absolute_url(reverse("newsletter_unsubscribe", args=["sample-token"]))
        )
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "issue.html").write_text(rendered.html, encoding="utf-8")
        (folder / "issue.txt").write_text(rendered.text, encoding="utf-8")
        self.stdout.write(f"Subject: {rendered.subject}")
        self.stdout.write(f"Wrote {folder / 'issue.html'} and {folder / 'issue.txt'}")
