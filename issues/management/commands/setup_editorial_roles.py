"""Create the Editors, Contributors and Moderators groups and the approval workflow."""

from django.core.management.base import BaseCommand, CommandError

from issues.roles import ensure_editorial_roles


class Command(BaseCommand):
    help = "Create or complete the editorial groups and the editor-in-chief workflow (idempotent)."

    def handle(self, *args, **options):
        try:
            report = ensure_editorial_roles()
        except LookupError as problem:
            raise CommandError(str(problem)) from problem
        created = ", ".join(report.groups_created) or "none"
        self.stdout.write(
            f"  roles: groups created: {created}; {report.permissions_added} permissions added, "
            f"{report.permissions_removed} removed; "
            f"workflow {'created' if report.workflow_created else 'kept'}, "
            f"{report.workflow_pages_added} sections attached"
        )
