"""Every admin form, as each role that may use it, in Chromium.

For a superuser, an Editor, a Contributor and a Moderator, every page type's and
snippet's create and edit form, the image and document upload and edit forms,
the settings forms and the ModelAdmin views (found through Wagtail's
registries, so a new model is walked without touching this file) are opened;
every inline panel's "Add …" must add a row, every date field must be started
and open its picker on focus, every chooser must open its modal and take a
choice, and nothing may log a console error or throw. A Content-Security-Policy
that blocks the admin's inline widget scripts fails here.

Each role's walk is a test module of its own (``test_admin_forms_<role>.py``),
run once for the module (one browser context, one sign-in); each form is then
its own test. One walk for all roles made the longest module of the suite,
which two test processes could not share.
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
    FormWalk,
    admin_forms,
    log_in,
    module_live_server,
    walk_form,
)

# Wide enough for the editor's side panels beside the form.
VIEWPORT = {"width": 1400, "height": 1000}
FORMS = admin_forms()
FORM_KEYS = [form.key for form in FORMS]


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


def prepare_walkers() -> dict:
    """On a fresh copy of the sample site: the role users, and what the walk edits."""
    users = make_role_users()
    add_what_the_walk_edits(users["contributor"])
    return users


def walk_as(role: str, chromium, sample_snapshot, django_db_blocker) -> dict[str, FormWalk | None]:
    """Each form's walk as the role, by form key; None where the role may not use the form."""
    results: dict[str, FormWalk | None] = {}
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
        user = prepare_walkers()[role]
        recorder = tools.Recorder()
        context = tools.new_context(chromium, recorder, viewport=VIEWPORT)
        context.set_default_timeout(15_000)
        page = context.new_page()
        # Leaving a form with choices made asks "leave this page?": yes.
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, live_server.url, user.get_username())
        for form in FORMS:
            url = form.url_for(user)
            if url is None:
                results[form.key] = None
                continue
            try:
                results[form.key] = walk_form(page, recorder, live_server.url, url)
            except Exception as error:  # noqa: BLE001 - one broken form must not hide the rest
                results[form.key] = FormWalk(
                    url=url, problems=[f"walk stopped: {str(error).splitlines()[0]}"]
                )
        context.close()
    return results


def walk_fixture(role: str):
    """The module fixture ``walks`` of the role's module: its walk, done once."""

    @pytest.fixture(scope="module")
    def walks(chromium, sample_snapshot, django_db_blocker) -> Iterator[dict]:
        yield walk_as(role, chromium, sample_snapshot, django_db_blocker)

    return walks


def assert_form_works(walks: dict, role: str, form_key: str) -> None:
    walk = walks[form_key]
    if walk is None:
        pytest.skip(f"the {role} role may not use this form")
    assert walk.problems == [], f"{walk.url}:\n" + "\n".join(walk.problems)
