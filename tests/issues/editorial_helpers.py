"""Users in each editorial group and issue form data, shared by the editorial tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from issues.roles import CONTRIBUTORS, EDITORS, MODERATORS, ensure_editorial_roles

PASSWORD = "password"


def make_user(username: str, group_name: str | None = None, superuser: bool = False):
    model = get_user_model()
    if superuser:
        return model.objects.create_superuser(username, f"{username}@focus.example", PASSWORD)
    user = model.objects.create_user(username, f"{username}@focus.example", PASSWORD)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def make_staff() -> dict:
    """An editor, a second editor (the editor-in-chief), a contributor and a moderator."""
    ensure_editorial_roles()
    return {
        "editor": make_user("editor", EDITORS),
        "chief": make_user("chief", EDITORS),
        "contributor": make_user("contributor", CONTRIBUTORS),
        "moderator": make_user("moderator", MODERATORS),
    }


def issue_form(**overrides) -> dict:
    """The issue editor's POST data: a complete issue with an empty body."""
    fields = {
        "title": "An issue",
        "slug": "ignored",
        "issue_date": "2026-03-06",
        "issue_number": "",
        "summary": "",
        "greeting": "Dear Focus reader,",
        "letter": rich_text("<p>The week.</p>"),
        "sign_off": "Team Focus",
        "body": streamfield([]),
        "go_live_at": "",
        "expire_at": "",
    }
    fields.update(overrides)
    return nested_form_data(fields)


REFUSAL = "Sorry, you do not have permission to access this area."


def assert_refused(test: TestCase, response) -> None:
    """Wagtail's answer to a forbidden admin URL: back to the dashboard, with a message."""
    test.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
    messages = [str(message).strip() for message in get_messages(response.wsgi_request)]
    test.assertIn(REFUSAL, messages)
