"""Who may do what: the Editors, Contributors and Moderators groups, and the approval workflow.

Run through ``manage.py setup_editorial_roles`` (``load_sample_content`` calls
it). It needs the page tree, which is why it is a command and not a data
migration: page permissions hang on the section pages. Running it again
adds what is missing and never removes what an administrator granted, with
these exceptions, each a right Wagtail's install hands out that Focus's roles
must not have:

- Wagtail's "Moderators" group may publish the whole tree; Focus's Moderators
  look after reader responses only, so that group's page and media
  permissions, and its place as approver in Wagtail's starter workflow, are
  handed over (approvals go to the Editors).
- Wagtail's "Editors" group holds rights on the root page, above every site:
  Focus's Editors hold theirs on the home page, so the root ones are removed.
- Contributors choose documents but never upload them (a document is a file
  served to readers as it is); an "add document" right is removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from insights.models import InsightsIndexPage

from .models import IssueIndexPage

EDITORS = "Editors"
CONTRIBUTORS = "Contributors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Editor-in-chief approval"

# Snippets an editor manages in full; a contributor only picks them in choosers.
SNIPPET_MODELS = [("insights", "author"), ("insights", "topic"), ("issues", "videoseries")]
# Reader responses come from readers: moderators view and change them, never add or delete.
RESPONSE_MODERATION_CODENAMES = ["view_questionresponse", "change_questionresponse"]


@dataclass
class RolesReport:
    groups_created: list[str] = field(default_factory=list)
    permissions_added: int = 0
    permissions_removed: int = 0
    workflow_created: bool = False
    tasks_reassigned: int = 0
    workflow_pages_added: int = 0


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename: str) -> Permission:
    return _permission("wagtailcore", f"{codename}_page")


def _grant_page(report: RolesReport, group: Group, page: Page, codenames: list[str]) -> None:
    for codename in codenames:
        _, created = GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )
        report.permissions_added += created


def _grant_collection(
    report: RolesReport, group: Group, collection: Collection, permissions: list[Permission]
) -> None:
    for permission in permissions:
        _, created = GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
        report.permissions_added += created


def _grant(report: RolesReport, group: Group, permissions: list[Permission]) -> None:
    missing = [perm for perm in permissions if not group.permissions.filter(pk=perm.pk).exists()]
    group.permissions.add(*missing)
    report.permissions_added += len(missing)


def _group(report: RolesReport, name: str) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created:
        report.groups_created.append(name)
    return group


@transaction.atomic
def ensure_editorial_roles() -> RolesReport:
    """Create or complete the three groups and the approval workflow."""
    report = RolesReport()
    issue_index = IssueIndexPage.objects.first()
    insights_index = InsightsIndexPage.objects.first()
    if issue_index is None or insights_index is None:
        raise LookupError("Create the issue archive and the Insights index before the roles.")
    home = issue_index.get_parent()
    root_collection = Collection.get_first_root_node()
    access_admin = _permission("wagtailadmin", "access_admin")

    def media_permissions(*codenames: str) -> list[Permission]:
        return [
            _permission(app, f"{codename}_{model}")
            for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
            for codename in codenames
        ]

    response_moderation = [
        _permission("issues", codename) for codename in RESPONSE_MODERATION_CODENAMES
    ]

    # Editors: the whole publication, including publishing and the snippets it uses.
    editors = _group(report, EDITORS)
    _grant(
        report,
        editors,
        [
            access_admin,
            *[
                _permission(app, f"{action}_{model}")
                for app, model in SNIPPET_MODELS
                for action in ("add", "change", "delete", "view")
            ],
            # Editors choose and trim the answers their issues feature.
            *response_moderation,
            # ...and send the issue they published to the subscribers.
            _permission("issues", "send_issue"),
        ],
    )
    _grant_page(report, editors, home, ["add", "change", "publish", "lock", "unlock"])
    report.permissions_removed += GroupPagePermission.objects.filter(
        group=editors, page=Page.get_first_root_node()
    ).delete()[0]
    _grant_collection(
        report, editors, root_collection, media_permissions("add", "change", "choose")
    )

    # Contributors: their own draft Insights articles, submitted for approval; no publishing.
    contributors = _group(report, CONTRIBUTORS)
    _grant(
        report,
        contributors,
        [
            access_admin,
            *[_permission(app, f"view_{model}") for app, model in SNIPPET_MODELS[:2]],
        ],
    )
    _grant_page(report, contributors, insights_index, ["add"])
    _grant_collection(
        report,
        contributors,
        root_collection,
        [_permission("wagtailimages", "add_image"), *media_permissions("choose")],
    )
    report.permissions_removed += GroupCollectionPermission.objects.filter(
        group=contributors, permission=_permission("wagtaildocs", "add_document")
    ).delete()[0]
    document_rights = contributors.permissions.filter(
        content_type__app_label="wagtaildocs", codename="add_document"
    )
    report.permissions_removed += len(document_rights)
    contributors.permissions.remove(*document_rights)

    # Moderators: reader responses only (list, inspect, edit, bulk moderate, export).
    moderators = _group(report, MODERATORS)
    _grant(report, moderators, [access_admin, *response_moderation])
    report.permissions_removed += GroupPagePermission.objects.filter(group=moderators).delete()[0]
    report.permissions_removed += GroupCollectionPermission.objects.filter(
        group=moderators
    ).delete()[0]
    # wagtail-localize's install also lets Wagtail's Moderators submit pages for translation.
    media = moderators.permissions.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs", "wagtail_localize"]
    )
    report.permissions_removed += len(media)
    moderators.permissions.remove(*media)

    workflow, report.workflow_created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if report.workflow_created:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
        task.groups.set([editors])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # Wagtail's install also asks its "Moderators" group to approve every other page
    # (videos, questions); those approvals belong to the editors.
    for task in GroupApprovalTask.objects.filter(groups=moderators):
        task.groups.remove(moderators)
        task.groups.add(editors)
        report.tasks_reassigned += 1
    for page in (issue_index, insights_index):
        _, created = WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
        report.workflow_pages_added += created
    return report
