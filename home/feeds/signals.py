"""Signal receivers that retire cached feeds when their content changes."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.caching.feeds import invalidate_feeds
from insights.models import Author, Topic
from issues.models import VideoSeries

from . import richtext

SNIPPETS_SHOWN_IN_FEEDS = (Author, Topic, VideoSeries)


def _edition(page) -> str | None:
    """The page's edition; None (every edition) when its locale cannot be read."""
    try:
        return Locale.objects.filter(pk=page.locale_id).values_list("language_code", flat=True)[0]
    except IndexError:
        return None


def _page_changed(sender, instance, **kwargs) -> None:
    # Only the page's own edition shows it: the other editions' feeds stay cached.
    invalidate_feeds(_edition(instance))


def _deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        invalidate_feeds(_edition(instance))
    elif isinstance(instance, SNIPPETS_SHOWN_IN_FEEDS):
        invalidate_feeds()


def _snippet_saved(sender, instance, **kwargs) -> None:
    # An untranslated author or series is shown by every edition's entries.
    invalidate_feeds()


def connect() -> None:
    richtext.register()
    page_published.connect(_page_changed, dispatch_uid="focus_feeds_published")
    page_unpublished.connect(_page_changed, dispatch_uid="focus_feeds_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="focus_feeds_moved")
    post_delete.connect(_deleted, dispatch_uid="focus_feeds_deleted")
    for model in SNIPPETS_SHOWN_IN_FEEDS:
        post_save.connect(
            _snippet_saved, sender=model, dispatch_uid=f"focus_feeds_{model.__name__}"
        )
