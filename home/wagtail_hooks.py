"""Admin and serving hooks for the editions."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import escape
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from home import admin_views
from home.blocks.base import page_pool
from home.editions import localize_pages
from home.feeds.richtext import PrefetchedPageLinkHandler
from home.traditional_drafts import SIMPLIFIED, TRADITIONAL, is_convertible, unreviewed_segments


@hooks.register("before_serve_page")
def read_in_page_edition(page, request, serve_args, serve_kwargs):
    # Blocks and rich text loaded while this page renders link to the pages of
    # its edition (see home.editions.localize_pages).
    page_pool.reading_locale = page.locale_id


class EditionPageLinkHandler(PrefetchedPageLinkHandler):
    """Rich text page links, pointed at the reader's edition in one query.

    Wagtail's own handler localises each link on its own (two queries a link).
    Builds on the feeds' handler, which loads the links' pages in bulk.
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        pages = localize_pages(list(cls.get_many(attrs_list)), page_pool.reading_locale)
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
    # The translation editor posts action=publish; Wagtail's editor action-publish.
    return request.POST.get("action") == "publish" or "action-publish" in request.POST


# Before wagtail-localize's own hook, which takes over the editing of translations.
@hooks.register("before_edit_page", order=-10)
def refuse_unreviewed_machine_draft(request, page):
    if request.method != "POST" or not _is_publish(request):
        return None
    pending = unreviewed_segments(page).count()
    if not pending:
        return None
    messages.error(
        request,
        f"Not published: {pending} segment{'s' if pending != 1 else ''} converted by OpenCC "
        "still need review. Edit them in the translation editor, or mark the draft reviewed.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
