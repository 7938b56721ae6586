"""Every admin form, as each role that may use it, in Chromium.

For a superuser, an Editor and a Contributor, every page type's and snippet's
create and edit form, the image and document upload and edit forms and the
settings forms (found through Wagtail's registries, so a new model is walked
without touching this file) are opened; every inline panel's "Add …" must add
a row, every date field must be started and open its picker on focus, every
chooser must open its modal and take a choice, and nothing may log a console
error or throw. A Content-Security-Policy that blocks the admin's inline
widget scripts fails here.

The walk runs once for the module (one browser context and one sign-in per
role); each (role, form) pair is then its own test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents import get_document_model

from home.blocks.raw import stream
from insights.models import ArticleAuthor, Author, InsightArticlePage, InsightsIndexPage
from issues.models import Subscriber
from issues.roles import CONTRIBUTORS, EDITORS, MODERATORS
from tests.browser import tools
from tests.browser.admin_tools import (
    PASSWORD,
    ROLES,
    FormWalk,
    admin_forms,
    log_in,
    module_live_server,
    walk_form,
)

# The tests only read what the module's walk recorded: no database of their own
# (and no flush after each of them).
pytestmark = [pytest.mark.browser]

# Wide enough for the editor's side panels beside the form.
VIEWPORT = {"width": 1400, "height": 1000}
FORMS = admin_forms()
CASES = [(role, form.key) for role in ROLES for form in FORMS]


def make_role_users() -> dict:
    model = get_user_model()
    users = {"superuser": model.objects.create_superuser("walker", "w@focus.example", PASSWORD)}
    for role, group in (
        ("editor", EDITORS),
        ("contributor", CONTRIBUTORS),
        ("moderator", MODERATORS),
    ):
        user = model.objects.create_user(f"walker-{role}", f"{role}@focus.example", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        users[role] = user
    return users


def add_what_the_walk_edits(contributor) -> None:
    """The sample site has no document, no subscriber and no page of the contributor's own."""
    Subscriber.objects.get_or_create(email="reader@focus.example")
    document = get_document_model()(title="Readout transcript")
    document.file.save("readout.txt", ContentFile(b"Both sides called the talks candid."))
    article = InsightArticlePage(
        title="A contributor's draft",
        slug="a-contributors-draft",
        standfirst="The argument in brief.",
        body=stream(("paragraph", "<p>Draft text.</p>")),
        owner=contributor,
        live=False,
    )
    article.article_authors = [ArticleAuthor(author=Author.objects.order_by("pk").first())]
    InsightsIndexPage.objects.get(locale__language_code="en").add_child(instance=article)
    article.save_revision(user=contributor)


@pytest.fixture(scope="module")
def walks(chromium, sample_snapshot, django_db_blocker) -> Iterator[dict]:
    results: dict[tuple[str, str], FormWalk | None] = {}
    # Autosave is off: it would post each form the walk half-fills, and Wagtail
    # refuses such drafts with a 400 (a create form without a title; an inline
    # row added but left empty), which Chromium logs as a console error, while a
    # save still in flight when the walk moves on lands on the next form's log.
    with (
        django_db_blocker.unblock(),
        module_live_server() as live_server,
        override_settings(WAGTAIL_AUTOSAVE_INTERVAL=0),
    ):
        sample_snapshot.restore()
        users = make_role_users()
        add_what_the_walk_edits(users["contributor"])
        for role in ROLES:
            recorder = tools.Recorder()
            context = tools.new_context(chromium, recorder, viewport=VIEWPORT)
            context.set_default_timeout(15_000)
            page = context.new_page()
            # Leaving a form with choices made asks "leave this page?": yes.
            page.on("dialog", lambda dialog: dialog.accept())
            log_in(page, live_server.url, users[role].get_username())
            for form in FORMS:
                url = form.url_for(users[role])
                if url is None:
                    results[(role, form.key)] = None
                    continue
                try:
                    results[(role, form.key)] = walk_form(page, recorder, live_server.url, url)
                except Exception as error:  # noqa: BLE001 - one broken form must not hide the rest
                    results[(role, form.key)] = FormWalk(
                        url=url, problems=[f"walk stopped: {str(error).splitlines()[0]}"]
                    )
            context.close()
    yield results


@pytest.mark.parametrize(("role", "form_key"), CASES, ids=[f"{r}-{k}" for r, k in CASES])
def test_admin_form_works(walks, role, form_key):
    walk = walks[(role, form_key)]
    if walk is None:
        pytest.skip(f"the {role} role may not use this form")
    assert walk.problems == [], f"{walk.url}:\n" + "\n".join(walk.problems)


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


def test_each_role_reaches_the_forms_its_job_needs(walks):
    reached = {key for key, walk in walks.items() if walk is not None}
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


def test_the_walk_exercised_the_widgets(walks):
    """Guards the walk itself: on the article form it met every kind of widget."""
    article = walks[("contributor", "page insights.insightarticlepage:create")]
    assert {"Add Authors", "Add Related articles"} <= set(article.inline_rows)
    assert {"Choose author", "Choose an image"} <= set(article.choosers)
    assert "id_date" in article.date_fields
    video = walks[("editor", "page issues.videopage:edit")]
    assert len(video.choosers) >= 2  # its series and its poster, already chosen
