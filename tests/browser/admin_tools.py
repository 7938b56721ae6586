"""Driving the Wagtail admin in Chromium: signing in, the admin's forms as each role
sees them, and what a form's widgets must do (choosers, inline panels, date pickers).

The forms come from Wagtail's registries (page models, snippets, settings), so a
new page type or snippet is walked the day it is added.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.admin.utils import quote
from django.urls import reverse
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer
from wagtail import hooks
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, get_page_models
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models
from wagtail_modeladmin.options import ModelAdmin

PASSWORD = "correct-horse-battery-staple"
ROLES = ("superuser", "editor", "contributor", "moderator")

# A chooser modal's entries: generic choosers (snippets, images, documents) mark
# theirs with data-chooser-modal-choice; the page chooser's are a.choose-page.
CHOICE = "a[data-chooser-modal-choice], a.choose-page"
# The page chooser lists one level of the tree; these links go down a level.
DESCEND = "a.navigate-pages"

# Ids of the fields a form starts a date picker on (initDateChooser and friends
# in inline scripts), and of the inputs that really carry one (jQuery data set
# by the picker). A blocked script shows as a field declared but not started.
DATE_FIELDS_JS = """() => {
  const declared = [];
  for (const script of document.querySelectorAll('script:not([src])')) {
    const found = script.textContent.matchAll(/init(?:Date|DateTime|Time)Chooser\\("([^"]+)"/g);
    for (const match of found) declared.push(match[1]);
  }
  const started = window.jQuery
    ? jQuery('input').filter((i, el) => !!jQuery(el).data('xdsoft_datetimepicker'))
        .map((i, el) => el.id).get()
    : [];
  return {declared, started};
}"""


@contextmanager
def module_live_server() -> Iterator:
    """A live server of the module's own, for a module that fills and empties the database itself.

    pytest-django's ``live_server`` fixture gives every test that uses it a
    transactional database, flushed after the test, which would wipe the module's
    site (and its sessions) after its first test. Call with database access open.
    """
    server = LiveServer("localhost")
    try:
        yield server
    finally:
        server.stop()


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base_url + "/admin/")


def choose_in_modal(page) -> str:
    """Pick the first entry the open chooser modal offers; return its text."""
    modal = page.locator(".modal-content")
    expect(modal).to_be_visible()
    for _level in range(4):
        # The listing is in once it offers a choice or a way down. (Waiting for a
        # choice alone would sit out its whole timeout at every level without one.)
        modal.locator(f"{CHOICE}, {DESCEND}").first.wait_for(state="visible")
        choice = modal.locator(CHOICE).first
        if not choice.is_visible():
            # A page chooser restricted to a type opens above the pages of that type.
            way_down = modal.locator(DESCEND).first.element_handle()
            way_down.click()
            # The level below replaces this listing, way down included.
            way_down.wait_for_element_state("hidden")
            continue
        text = choice.inner_text().strip()
        choice.click()
        expect(modal).to_be_hidden()
        return text
    raise AssertionError("the chooser offered nothing to choose")


# -- The admin's forms ------------------------------------------------------------------


@dataclass(frozen=True)
class AdminForm:
    """One admin form; ``url_for(user)`` is None where the user's role may not use it."""

    key: str
    url_for: Callable[[object], str | None]


def _page_create_url(model) -> Callable:
    meta = model._meta

    def url_for(user) -> str | None:
        for parent in Page.objects.order_by("path").specific():
            if (
                model in parent.specific_class.allowed_subpage_models()
                and model.can_create_at(parent)
                and parent.permissions_for_user(user).can_add_subpage()
            ):
                return reverse(
                    "wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk]
                )
        return None

    return url_for


def _page_edit_url(model) -> Callable:
    def url_for(user) -> str | None:
        pages = model.objects.order_by("path")
        # The user's own page first: a contributor may edit only theirs.
        for page in [*pages.filter(owner=user), *pages.exclude(owner=user)]:
            if page.permissions_for_user(user).can_edit():
                return reverse("wagtailadmin_pages:edit", args=[page.pk])
        return None

    return url_for


def _snippet_url(model, action: str) -> Callable:
    meta = model._meta

    def url_for(user) -> str | None:
        codename = "add" if action == "add" else "change"
        if not user.has_perm(f"{meta.app_label}.{codename}_{meta.model_name}"):
            return None
        viewset = model.snippet_viewset
        if action == "add":
            return reverse(viewset.get_url_name("add"))
        instance = model.objects.order_by("pk").first()
        if instance is None:
            return None
        return reverse(viewset.get_url_name("edit"), args=[quote(instance.pk)])

    return url_for


def _media_urls(model, policy, namespace: str) -> list[AdminForm]:
    label = model._meta.label_lower

    def upload(user) -> str | None:
        if not policy.user_has_permission(user, "add"):
            return None
        return reverse(f"{namespace}:add_multiple")

    def edit(user) -> str | None:
        for item in model.objects.order_by("pk"):
            if policy.user_has_permission_for_instance(user, "change", item):
                return reverse(f"{namespace}:edit", args=[item.pk])
        return None

    return [AdminForm(f"{label}:upload", upload), AdminForm(f"{label}:edit", edit)]


def _setting_url(model) -> Callable:
    meta = model._meta

    def url_for(user) -> str | None:
        if not user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
            return None
        # Redirects to the current site's (or the one generic) instance.
        return reverse("wagtailsettings:edit", args=[meta.app_label, meta.model_name])

    return url_for


def registered_model_admins() -> list[ModelAdmin]:
    """The wagtail-modeladmin ModelAdmins in use.

    wagtail-modeladmin keeps no registry: each ModelAdmin adds its URLs through a
    ``register_admin_urls`` hook that closes over it, so that is where it is found.
    """
    found: list[ModelAdmin] = []
    for hook in hooks.get_hooks("register_admin_urls"):
        for cell in getattr(hook, "__closure__", None) or ():
            owner = cell.cell_contents
            if isinstance(owner, ModelAdmin) and owner not in found:
                found.append(owner)
    return found


def _model_admin_forms(model_admin: ModelAdmin) -> list[AdminForm]:
    """Its listing, create form (where it has one), edit form and inspect view."""
    label = model_admin.model._meta.label_lower
    urls = model_admin.url_helper
    may = model_admin.permission_helper

    def listing(user) -> str | None:
        return urls.index_url if may.user_can_list(user) else None

    def create(user) -> str | None:
        return urls.create_url if may.user_can_create(user) else None

    def on_first(action: str, allowed: Callable) -> Callable:
        def url_for(user) -> str | None:
            instance = model_admin.model.objects.order_by("pk").first()
            if instance is None or not allowed(user, instance):
                return None
            return urls.get_action_url(action, quote(instance.pk))

        return url_for

    forms = [
        AdminForm(f"modeladmin {label}:index", listing),
        AdminForm(f"modeladmin {label}:create", create),
        AdminForm(f"modeladmin {label}:edit", on_first("edit", may.user_can_edit_obj)),
    ]
    if model_admin.inspect_view_enabled:
        forms.append(
            AdminForm(f"modeladmin {label}:inspect", on_first("inspect", may.user_can_inspect_obj))
        )
    return forms


def admin_forms() -> list[AdminForm]:
    """Every create and edit form of every page type and snippet, media and settings,
    and the ModelAdmin listings, forms and inspect views."""
    forms = []
    for model in get_page_models():
        if model is Page:
            continue
        label = model._meta.label_lower
        if model.is_creatable:
            forms.append(AdminForm(f"page {label}:create", _page_create_url(model)))
        forms.append(AdminForm(f"page {label}:edit", _page_edit_url(model)))
    for model in get_snippet_models():
        label = model._meta.label_lower
        forms.append(AdminForm(f"snippet {label}:create", _snippet_url(model, "add")))
        forms.append(AdminForm(f"snippet {label}:edit", _snippet_url(model, "edit")))
    for model, namespace in (
        (get_image_model(), "wagtailimages"),
        (get_document_model(), "wagtaildocs"),
    ):
        forms += _media_urls(model, policy_registry.get_by_type(model), namespace)
    for model in settings_registry:
        forms.append(AdminForm(f"setting {model._meta.label_lower}:edit", _setting_url(model)))
    for model_admin in registered_model_admins():
        forms += _model_admin_forms(model_admin)
    return forms


# -- Walking one form --------------------------------------------------------------------


@dataclass
class FormWalk:
    """What happened on one form: the problems found and what was exercised."""

    url: str | None
    problems: list[str] = field(default_factory=list)
    choosers: list[str] = field(default_factory=list)
    inline_rows: list[str] = field(default_factory=list)
    date_fields: list[str] = field(default_factory=list)
    seconds: float = 0.0


def add_inline_rows(page, walk: FormWalk) -> None:
    """Press every inline panel's "Add …" once; its formset must grow by a row."""
    buttons = page.locator("button[id^='id_'][id$='-ADD']")
    for index in range(buttons.count()):
        button = buttons.nth(index)
        if not button.is_visible():
            continue
        prefix = button.get_attribute("id")[len("id_") : -len("-ADD")]
        total = page.locator(f"input[name='{prefix}-TOTAL_FORMS']")
        before = int(total.input_value())
        label = button.inner_text().strip()
        button.click()
        try:
            expect(total).to_have_value(str(before + 1), timeout=5_000)
            walk.inline_rows.append(label)
        except AssertionError:
            walk.problems.append(f"inline panel: {label!r} added no row")


def check_date_pickers(page, walk: FormWalk) -> None:
    """Every date field declared is started, and focusing a visible one opens its picker."""
    found = page.evaluate(DATE_FIELDS_JS)
    not_started = sorted(set(found["declared"]) - set(found["started"]))
    if not_started:
        walk.problems.append(f"date fields without their picker: {not_started}")
    for field_id in found["started"]:
        field_input = page.locator(f"[id='{field_id}']")
        if not field_input.is_visible():
            continue  # e.g. the publishing schedule, inside a closed dialog
        field_input.click()
        picker = page.locator(".xdsoft_datetimepicker:visible")
        try:
            expect(picker).to_have_count(1, timeout=5_000)
            walk.date_fields.append(field_id)
        except AssertionError:
            walk.problems.append(f"date field {field_id}: no picker on focus")
        page.keyboard.press("Escape")
        field_input.evaluate("el => el.blur()")


def check_choosers(page, walk: FormWalk) -> None:
    """Open every chooser ("Choose …", or "Choose another …" once chosen) and pick."""
    choosers = page.locator(".chooser")
    for index in range(choosers.count()):
        chooser = choosers.nth(index)
        if not chooser.is_visible():
            continue
        blank = "blank" in (chooser.get_attribute("class") or "")
        if blank:
            button = chooser.locator(".unchosen [data-chooser-action-choose]")
        else:
            chooser.locator(".chosen .w-dropdown__toggle").click()
            button = chooser.locator(".chosen [data-chooser-action-choose]")
        label = button.inner_text().strip()
        try:
            button.click()
            chosen = choose_in_modal(page)
            expect(chooser).not_to_have_class("blank", timeout=5_000)
            # Long titles are cut short ("…") in the modal's listing.
            expect(chooser.locator("[data-chooser-title]")).to_contain_text(
                chosen.rstrip("…")[:30], timeout=5_000
            )
            walk.choosers.append(label)
        except Exception as error:  # noqa: BLE001 - recorded, the walk goes on
            walk.problems.append(f"chooser {label!r}: {str(error).splitlines()[0]}")
            page.keyboard.press("Escape")


def walk_form(page, recorder, base_url: str, url: str) -> FormWalk:
    started = time.monotonic()
    walk = _walk_form(page, recorder, base_url, url)
    walk.seconds = time.monotonic() - started
    return walk


def _walk_form(page, recorder, base_url: str, url: str) -> FormWalk:
    recorder.reset()
    walk = FormWalk(url=url)
    response = page.goto(base_url + url, wait_until="load")
    if response is None or response.status != 200:
        walk.problems.append(f"answered {response.status if response else 'nothing'}")
        return walk
    add_inline_rows(page, walk)
    check_date_pickers(page, walk)
    check_choosers(page, walk)
    if walk.choosers or walk.inline_rows:
        # Let what the clicks started finish (chooser requests, new rows' widgets).
        page.wait_for_load_state("networkidle")
    walk.problems += [f"console: {error}" for error in recorder.console_errors]
    return walk
