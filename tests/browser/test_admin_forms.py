"""Which admin forms each role reaches, and that the walk finds them all.

The walks themselves, one module per role, are ``test_admin_forms_<role>.py``
(see ``admin_form_walk``). A role reaches a form where the walk would open it:
where the form's address for that role's user is not None.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.admin_form_walk import FORMS, prepare_walkers
from tests.browser.admin_tools import ROLES

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def reached(sample_snapshot, django_db_blocker) -> Iterator[set[tuple[str, str]]]:
    """(role, form key) for every form each role's walk opens, on the walk's own site."""
    with django_db_blocker.unblock():
        sample_snapshot.restore()
        users = prepare_walkers()
        yield {
            (role, form.key)
            for role in ROLES
            for form in FORMS
            if form.url_for(users[role]) is not None
        }


def test_forms_come_from_the_registries():
    keys = {form.key for form in FORMS}
    for expected in (
        "page insights.insightarticlepage:create",
        "page issues.issuepage:edit",
        "page issues.videopage:create",
        "page home.homepage:edit",
        "snippet insights.author:create",
        "snippet issues.videoseries:edit",
        "wagtailimages.image:upload",
        "wagtaildocs.document:edit",
        "setting home.sitesettings:edit",
        "modeladmin issues.subscriber:edit",
        "modeladmin issues.questionresponse:inspect",
    ):
        assert expected in keys


def test_each_role_reaches_the_forms_its_job_needs(reached):
    for form_key in (
        "page insights.insightarticlepage:create",
        "page insights.insightarticlepage:edit",
        "wagtailimages.image:upload",
    ):
        assert ("contributor", form_key) in reached
    for form_key in (
        "page issues.issuepage:create",
        "page issues.issuepage:edit",
        "page issues.videopage:create",
        "page issues.questionpage:create",
        "snippet insights.author:create",
        "snippet insights.topic:edit",
        "snippet issues.videoseries:create",
        "wagtailimages.image:edit",
        "wagtaildocs.document:upload",
    ):
        assert ("editor", form_key) in reached
    for form_key in (
        "page issues.issuepage:create",
        "snippet insights.author:create",
        "setting home.sitesettings:edit",
    ):
        assert ("contributor", form_key) not in reached
    # Moderators read and moderate reader responses, and write no page.
    for action in ("index", "edit", "inspect"):
        assert ("moderator", f"modeladmin issues.questionresponse:{action}") in reached
    assert ("moderator", "modeladmin issues.questionresponse:create") not in reached
    assert ("moderator", "page insights.insightarticlepage:create") not in reached
    # A superuser opens every edit and upload form; only creating a second home
    # page or section index is refused (one of each is allowed).
    for form in FORMS:
        if not form.key.endswith(":create"):
            assert ("superuser", form.key) in reached, form.key
