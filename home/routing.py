"""Route a URL to its page in two queries instead of two per path segment."""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Lookup, Q, Subquery
from django.http import Http404
from django.urls import get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.contrib.routable_page.models import RoutablePageMixin
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
        # The slug is indexed and url_path is not: each candidate's slug is its
        # last path segment, so naming the slugs lets the database find the
        # candidates through the index instead of reading every page.
        on_path = Q(
            slug__in=set(path_components), url_path__in=candidates, path__startswith=self.path
        )
        # The same query brings the live translations of every page on the
        # path (and of this home): the edition switcher needs no query of its own.
        keys = Page.objects.filter(on_path).values("translation_key")
        elsewhere = Q(live=True) & ~Q(locale_id=self.locale_id)
        rows = list(
            # One flat OR whose every branch has an indexed condition (slug,
            # translation key): a nested OR made SQLite scan the whole table.
            Page.objects.filter(
                on_path
                | (elsewhere & _translation_key_in(keys))
                | (elsewhere & Q(translation_key=self.translation_key))
            )
            .select_related("locale")
            .order_by("depth")
        )
        found = [row for row in rows if row.locale_id == self.locale_id]
        if not found:
            raise Http404
        position = _routing_page(found, path_components, self.depth)
        target = found[position].specific
        # The pages above it are its ancestors: breadcrumbs reuse them.
        target._focus_route_ancestors = [self, *found[:position]]
        target._focus_translations = [row for row in rows if row.locale_id != self.locale_id]
        target._cached_parent_obj = found[position - 1] if position > 0 else self
        remaining = path_components[target.depth - self.depth :]
        return target.route(request, remaining)


class _EqualsAny(Lookup):
    """``lhs = ANY(rhs)``: a column equal to any element of an array."""

    lookup_name = "equals_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _translation_key_in(keys) -> Q | Lookup:
    """Pages whose translation key is one of ``keys`` (a subquery), by the key's index.

    PostgreSQL runs ``IN (subquery)`` inside an OR as a filter on every row,
    so the routing query read the whole page table (2.7 ms at 10,000
    articles); compared with ``ANY`` of the subquery's array, computed once,
    the branch becomes an index scan like the others (0.1 ms). SQLite uses
    its index for the plain ``IN``.
    """
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        return _EqualsAny(F("translation_key"), ArraySubquery(keys))
    return Q(translation_key__in=keys)


def _routing_page(found: list[Page], path_components: list[str], home_depth: int) -> int:
    """Which page on the path routes it: the first whose routes claim the rest, else the deepest.

    Wagtail's RoutablePageMixin tries its routes before its child pages, so a
    child page whose slug begins a route (an article called "topics") never
    hides the route's pages (/insights/topics/<slug>/); the child still
    answers at its own address, which no route claims. The check reads the
    class's routes, so it costs no query.
    """
    for position, row in enumerate(found[:-1]):
        if row.live and claims_path(row.specific_class, path_components[row.depth - home_depth :]):
            return position
    return len(found) - 1


def claims_path(page_class: type | None, components: list[str]) -> bool:
    """Whether a routable page type's own routes answer these path components."""
    if page_class is None or not issubclass(page_class, RoutablePageMixin):
        return False
    try:
        page_class.get_resolver().resolve("/" + "".join(f"{part}/" for part in components))
    except Resolver404:
        return False
    return True


# A route's first path segment, when it is spelled out ("topics" in "topics/<slug:slug>/").
_LITERAL_SEGMENT = re.compile(r"[-\w.]+")


def _first_literal_segment(pattern) -> str | None:
    first = str(pattern.pattern).lstrip("^").split("/", 1)[0]
    return first if _LITERAL_SEGMENT.fullmatch(first) else None


def route_prefixes(page_class: type) -> set[str]:
    """The first path segments a routable page type's own routes spell out."""
    if not issubclass(page_class, RoutablePageMixin):
        return set()
    found = (_first_literal_segment(pattern) for pattern in page_class.get_subpage_urls())
    return {segment for segment in found if segment}


@cache
def site_prefixes() -> frozenset[str]:
    """First path segments Django answers before the page tree: /authors/, /feeds/, /zh-hans/..."""
    prefixes = {code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}

    def walk(patterns) -> None:
        for pattern in patterns:
            if isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern):
                walk(pattern.url_patterns)
            elif getattr(pattern, "name", None) != "wagtail_serve":
                prefixes.add(_first_literal_segment(pattern))

    walk(get_resolver().url_patterns)
    prefixes.discard(None)
    return frozenset(prefixes)


def slug_refusal(parent: Page | None, slug: str) -> str | None:
    """Why a child of ``parent`` may not take ``slug``; None when it may.

    Addresses under a routable page that its routes begin (/insights/topics/...,
    /this-week/2026/) and, under the site's home page, those Django answers
    first (/authors/, /feeds/, /search/, an edition's /zh-hans/) belong to
    those pages: a child page there would be hidden by them or, being found
    first, hide them.
    """
    if parent is None or not slug:
        return None
    page_class = parent.specific_class
    if page_class is None:
        return None
    reserved = route_prefixes(page_class)
    if issubclass(page_class, FastRoutingMixin):
        reserved |= site_prefixes()
    if slug in reserved or claims_path(page_class, [slug]):
        return (
            f"The address “{slug}” is reserved under “{parent.title}”: the site uses it for "
            "pages of its own (topics, years, authors, feeds and the like). Choose another slug."
        )
    return None


def own_address_refusal(page: Page, parent: Page | None, slug: str) -> str | None:
    """Why ``page`` may not take ``slug`` under ``parent``; None when it may."""
    refusal = slug_refusal(parent, slug)
    # A page given the slug before the rule keeps it (routing still reaches
    # it, and its scheduled revisions must publish); changing to it is refused.
    if refusal and page.pk and Page.objects.filter(pk=page.pk, slug=slug).exists():
        return None
    return refusal


class OwnAddressPageForm(WagtailAdminPageForm):
    """The page editor's form: refuses a new page's reserved slug on the slug field."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        # A page being created has no place in the tree yet, so its model
        # cannot find its parent (OwnAddressMixin); the form knows it.
        if slug and not self.instance.path and "slug" not in self.errors:
            refusal = own_address_refusal(self.instance, self.parent_page, slug)
            if refusal:
                self.add_error("slug", refusal)
        return cleaned_data


class OwnAddressMixin:
    """Page types mix this in: a slug must give the page an address of its own (see slug_refusal).

    Checked where Wagtail checks that the slug is unique among siblings, so
    the editor shows the message on the slug field, and any save refuses it.
    """

    base_form_class = OwnAddressPageForm

    def _check_slug_is_unique(self):
        super()._check_slug_is_unique()
        refusal = own_address_refusal(self, self.get_parent(), self.slug)
        if refusal:
            raise ValidationError({"slug": refusal})


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
