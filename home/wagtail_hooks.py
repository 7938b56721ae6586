"""Admin and serving hooks for every page type: drafts save with warnings,
publishing refuses, and the editions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from home import admin_views
from home.blocks.base import page_pool
from home.feeds.richtext import PrefetchedPageLinkHandler
from home.feeds.richtext import _prefetched as _feed_pages
from home.publishing import publishing_problems
from home.scheduling import REFUSED_ACTION
from home.traditional_drafts import (
    REVIEW_REFUSED_ACTION,
    SIMPLIFIED,
    TRADITIONAL,
    is_convertible,
    review_problems,
    unreviewed_segments,
)

# The POST keys of the editor's buttons that publish or submit; anything else is a draft save.
STRICT_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")


def is_draft_save(request) -> bool:
    # Autosave asks for JSON and shows its own indicator: no message to pile up.
    return (
        request.method == "POST"
        and request.accepts("text/html")
        and not any(request.POST.get(action) for action in STRICT_ACTIONS)
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_draft_gaps(request, page):
    """A draft saved with gaps says what publishing will refuse, while the editor is there."""
    if not is_draft_save(request):
        return None
    problems = publishing_problems(page)
    if problems:
        messages.warning(
            request,
            format_html(
                "Saved as a draft. It cannot be published or submitted for approval until "
                "these are fixed: <ul>{}</ul>",
                format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
            ),
        )
    return None


@hooks.register("register_log_actions")
def register_refused_schedule(actions):
    actions.register_action(
        REFUSED_ACTION,
        "Scheduled publishing refused",
        "Not published at its go-live time: it no longer passed the publishing checks",
    )


@hooks.register("register_log_actions")
def register_refused_unreviewed(actions):
    actions.register_action(
        REVIEW_REFUSED_ACTION,
        "Publishing refused",
        "Not published: its 繁體 text converted by OpenCC was not reviewed yet",
    )


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_failing_pages(request, action_type, objects, action):
    """The listing's bulk Publish runs the editor's checks too: no back door for a draft."""
    if action_type != "publish":
        return None
    refused = []
    for page in objects:
        if not isinstance(page, Page):
            continue
        problems = publishing_problems(page.specific.get_latest_revision_as_object())
        if problems:
            refused.append((page.get_admin_display_title(), problems))
    if not refused:
        return None
    messages.error(
        request,
        format_html(
            "Nothing was published: {}",
            format_html_join(
                " ",
                "“{}” cannot be published yet ({}).",
                ((title, "; ".join(problems)) for title, problems in refused),
            ),
        ),
    )
    return redirect(action.next_url)


@hooks.register("before_serve_page")
def read_in_page_edition(page, request, serve_args, serve_kwargs):
    # Blocks and rich text loaded while this page renders link to the pages of
    # its edition (see page_pool in home.blocks.base).
    page_pool.read_in(page.locale_id)


class EditionPageLinkHandler(PrefetchedPageLinkHandler):
    """Rich text page links, pointed at the reader's edition in one query.

    Wagtail's own handler localises each link on its own (two queries a link).
    Builds on the feeds' handler, which loads the links' pages in bulk.
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        if _feed_pages.get() is not None:
            # A feed: its gathering looked up every link and its translation
            # in the feed's edition at once (home.feeds.richtext).
            return super().expand_db_attributes_many(attrs_list)
        if page_pool.reading_locale is None:
            # Outside a page, an email or a feed: the links as stored.
            pages = list(cls.get_many(attrs_list))
        else:
            # Serving a page (or an email): the linked pages and their translations
            # in the edition being read come in one query, as chosen pages do.
            ids = [str(attrs.get("id", "")) for attrs in attrs_list]
            found = page_pool.fetch(
                "rich text links", Page.objects.all(), [int(pk) for pk in ids if pk.isdigit()]
            )
            pages = [found.get(int(pk)) if pk.isdigit() else None for pk in ids]
        return [f'<a href="{escape(page.url)}">' if page else "<a>" for page in pages]


# After Wagtail's (order 0) and the feeds' (100) registrations, so this one replaces them.
@hooks.register("register_rich_text_features", order=110)
def register_edition_page_links(features):
    features.register_link_type(EditionPageLinkHandler)


@hooks.register("register_admin_urls")
def register_edition_admin_urls():
    return [
        path(
            "editions/<int:page_id>/traditional-draft/",
            admin_views.TraditionalDraftView.as_view(),
            name="edition_traditional_draft",
        ),
        path(
            "editions/<int:page_id>/traditional-reviewed/",
            admin_views.mark_traditional_reviewed,
            name="edition_traditional_reviewed",
        ),
    ]


class TraditionalDraftButton(PageMenuItem):
    label = "Make 繁體 draft (OpenCC)"
    icon_name = "globe"
    priority = 60

    @property
    def url(self):
        return reverse("edition_traditional_draft", args=[self.page.pk])

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


class TraditionalReviewedButton(TraditionalDraftButton):
    label = "Mark OpenCC draft reviewed"
    icon_name = "check"

    @property
    def url(self):
        return reverse("edition_traditional_reviewed", args=[self.page.pk])


def _edition_buttons(page, user, next_url=None):
    code = page.locale.language_code
    if code == SIMPLIFIED and is_convertible(page):
        yield TraditionalDraftButton(page=page, next_url=next_url)
    elif code == TRADITIONAL and unreviewed_segments(page).exists():
        yield TraditionalReviewedButton(page=page, next_url=next_url)


@hooks.register("register_page_listing_more_buttons")
def page_listing_edition_buttons(page, user, next_url=None):
    yield from _edition_buttons(page, user, next_url)


@hooks.register("register_page_header_buttons")
def page_header_edition_buttons(page, user, view_name, next_url=None):
    yield from _edition_buttons(page, user, next_url)


def _is_publish(request) -> bool:
    # The translation editor posts action=publish; Wagtail's editor action-publish,
    # or action-workflow-action with the approve action (approving publishes).
    return (
        request.POST.get("action") == "publish"
        or "action-publish" in request.POST
        or (
            "action-workflow-action" in request.POST
            and request.POST.get("workflow-action-name") == "approve"
        )
    )


# Before wagtail-localize's own hook, which takes over the editing of translations.
@hooks.register("before_edit_page", order=-10)
def refuse_unreviewed_machine_draft(request, page):
    if request.method != "POST" or not _is_publish(request):
        return None
    problems = review_problems(page)
    if not problems:
        return None
    messages.error(request, f"Not published: {problems[0]}")
    return redirect("wagtailadmin_pages:edit", page.pk)
