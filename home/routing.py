"""Route a URL to its page in two queries instead of two per path segment."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, Subquery
from django.http import Http404
from wagtail.models import Page

from home.editions import active_code


class FastRoutingMixin:
    """For the site root: find the deepest page matching the URL by its url_path.

    Wagtail's default routing fetches each path segment's child and then its
    specific object: ten queries for /insights/topics/<slug>/. The page's
    url_path already spells its URL, so one query finds the deepest page whose
    url_path prefixes the request and that page routes the rest (routable
    pages' sub-routes, or a 404). As in Wagtail, only the final page must be live.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        candidates = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(1, len(path_components) + 1)
        ]
        on_path = Q(url_path__in=candidates, path__startswith=self.path)
        # The same query brings the live translations of every page on the
        # path (and of this home): the edition switcher needs no query of its own.
        keys = Page.objects.filter(on_path).values("translation_key")
        translated = Q(live=True) & (
            Q(translation_key__in=keys) | Q(translation_key=self.translation_key)
        )
        rows = list(
            Page.objects.filter(on_path | (translated & ~Q(locale_id=self.locale_id)))
            .select_related("locale")
            .order_by("depth")
        )
        found = [row for row in rows if row.locale_id == self.locale_id]
        if not found:
            raise Http404
        deepest = found[-1].specific
        # The pages above it are its ancestors: breadcrumbs reuse them.
        deepest._focus_route_ancestors = [self, *found[:-1]]
        deepest._focus_translations = [row for row in rows if row.locale_id != self.locale_id]
        deepest._cached_parent_obj = found[-2] if len(found) > 1 else self
        remaining = path_components[deepest.depth - self.depth :]
        return deepest.route(request, remaining)


def edition_home(site, model: type[Page] = Page) -> Page | None:
    """The site's home page in the edition being read, in one query.

    Wagtail finds it with ``site.root_page.localized.specific``: the root page,
    the active locale, its translation and its specific object are four
    queries. Every edition's home is a translation of the site's root page, so
    one query over the translation key finds it; without a translation the
    root page itself serves, as in Wagtail. ``model`` is the home page's own
    class when its specific object is wanted (routing), else plain pages serve.
    """
    code = active_code()
    root_key = Page.objects.filter(pk=site.root_page_id).values("translation_key")
    homes = {
        home.locale.language_code: home
        for home in model.objects.filter(
            translation_key=Subquery(root_key),
            locale__language_code__in={code, settings.LANGUAGE_CODE},
        ).select_related("locale")
    }
    return homes.get(code) or homes.get(settings.LANGUAGE_CODE)
