"""Wagtail's publish_scheduled, checking each due page against the publishing rules first.

See ``home.scheduling``: a due page that now fails them is held back, its
schedule cancelled and its editors told, instead of going live silently.
"""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from home.scheduling import failing_due_revisions, refuse


class Command(WagtailCommand):
    help = (
        "Publish pages whose go-live time has come (and unpublish expired ones); a due page "
        "that fails the publishing checks is not published and its schedule is cancelled."
    )

    def handle(self, *args, **options):
        for refusal in failing_due_revisions():
            self.stdout.write(
                f"Not publishing “{refusal.page.title}”: "
                + "; ".join(refusal.problems)
                + (" (dry run: left scheduled)" if options["dryrun"] else "")
            )
            if not options["dryrun"]:
                refuse(refusal)
        super().handle(*args, **options)
