"""The admin's page chooser, opened where the form's own edition keeps the pages it may choose.

A page field restricted to one type (a question's article, an issue's video)
opens Wagtail's chooser at the first common ancestor of every page of that
type. With three editions that is the root of the tree, two levels above any
choosable page, where the listing also offers sections that hold none (an
editor browsing from there meets dead ends). Wagtail already sends the form's
edition as ``locale``; here the common ancestor is taken within that edition,
so the chooser opens on, say, the Chinese Insights index for a Chinese
question. Everything else (browsing on, other editions through the locale
switcher, search) is Wagtail's own view.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.admin.views.chooser import BrowseView
from wagtail.coreutils import resolve_model_string
from wagtail.models import Locale, Page

# Wagtail's own route for the chooser's first step; ours is routed before it.
PAGE_CHOOSER_PATH = "admin/choose-page/"


def edition_start_page(page_type: str, language_code: str) -> Page | None:
    """Where a chooser for ``page_type`` (Wagtail's "app.model,app.model") opens in an edition.

    None leaves it to Wagtail: no restriction, an unknown type or edition (its
    view answers 404 for a bad type), or an edition without such pages.
    """
    if not page_type or not language_code or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    try:
        models = [resolve_model_string(name) for name in page_type.split(",")]
    except (ValueError, LookupError):
        return None
    if Page in models or not all(issubclass(model, Page) for model in models):
        return None
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        return None
    pages = Page.objects.type(*models).filter(locale=locale)
    if not pages.exists():
        return None
    return pages.first_common_ancestor()


class EditionPageBrowseView(BrowseView):
    def get(self, request, parent_page_id=None):
        if parent_page_id is None:
            query = request.GET
            start = edition_start_page(query.get("page_type", ""), query.get("locale", ""))
            if start is not None:
                parent_page_id = start.pk
        return super().get(request, parent_page_id)
