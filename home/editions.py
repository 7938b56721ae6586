"""The publication's editions: English, Simplified and Traditional Chinese.

Each edition is a Wagtail locale with its own page tree (a home page that is a
translation of the English one). Readers reach an edition by its URL prefix;
the active language is the edition being read.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q, Subquery
from django.utils import translation
from django.utils.translation import get_supported_language_variant

from home.privacy import public_only

# BCP 47 tags for <html lang> and hreflang: the script, not the region, is
# what tells 简体 from 繁體.
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def active_code() -> str:
    """The edition being read (a code from settings.LANGUAGES)."""
    try:
        return get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def html_lang(code: str | None = None) -> str:
    code = code or active_code()
    return HTML_LANG.get(code, code)


def edition_q(field: str = "locale") -> Q:
    """Rows of the edition being read: a join on the locale, no extra query."""
    return Q(**{f"{field}__language_code": active_code()})


def in_edition_by_scan(queryset, field: str = "locale"):
    """``queryset`` limited to the edition being read, without the locale index on SQLite.

    For a query that reads a table in another index's order until it has
    enough rows (the newest twenty pages by date, the one index page of a
    section): the locale index matches a whole edition, a third of the page
    table, yet SQLite prefers it and then reads and sorts every page of the
    edition (6 ms at 10,000 articles, against 1). Comparing ``locale_id + 0``,
    with the locale's id from a subquery run once, lets it start from the
    index that narrows. PostgreSQL plans the plain join well from its
    statistics and would misjudge the sum instead, so it gets the join.
    """
    from django.db import connections
    from wagtail.models import Locale

    if connections[queryset.db].vendor != "sqlite":
        return queryset.filter(edition_q(field))
    edition = Locale.objects.filter(language_code=active_code()).values("pk")[:1]
    return queryset.alias(_edition_locale=F(f"{field}_id") + 0).filter(
        _edition_locale=Subquery(edition)
    )


def edition_names() -> dict[str, str]:
    return dict(settings.LANGUAGES)


def localize_pages(pages: list, locale_id: int | None, queryset=None) -> list:
    """Each page swapped for its live translation in ``locale_id``, where there is one.

    Links chosen in the English original (page choosers, rich text) point at
    English pages; a translation shows its own edition's pages. One query for
    all of them; a page without a translation stays as it is. ``queryset``
    says what to load with them (a chooser's prefetches); plain pages otherwise.
    """
    if locale_id is None:
        return pages
    foreign = [page for page in pages if page is not None and page.locale_id != locale_id]
    if not foreign:
        return pages
    if queryset is None:
        from wagtail.models import Page

        queryset = Page.objects.all()
    found = {
        page.translation_key: page
        for page in public_only(queryset.live()).filter(
            translation_key__in={page.translation_key for page in foreign}, locale_id=locale_id
        )
    }
    return [
        found.get(page.translation_key, page)
        if page is not None and page.locale_id != locale_id
        else page
        for page in pages
    ]


def declare_equivalents(request, urls: dict[str, str], fallback: str) -> None:
    """What a view outside the page tree shows in each edition, for the switcher.

    Most such views (search, the author list) answer at the same path in every
    edition; one whose content may be missing from an edition, or spelled
    differently there (an author's page: a translation may have its own slug),
    calls this. ``urls`` maps edition codes to the address of the same thing
    there (see ``edition_reverse``); every other edition gets the page named
    ``fallback`` (a URL name), which is no exact equivalent, so no hreflang
    alternate claims it. The view tags its response with what the answer
    depends on, as it does for what it shows.
    """
    request._focus_edition_equivalents = (urls, fallback)


def edition_reverse(code: str, name: str, *args, **kwargs) -> str:
    """A named URL's address in edition ``code`` (with its prefix)."""
    from django.urls import reverse

    with translation.override(code):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def in_every_edition(queryset):
    """Every edition's version of the rows in ``queryset`` (translatable models:
    snippets or pages), themselves included, in one query."""
    from django.db.models import Subquery

    keys = queryset.values("translation_key")
    return queryset.model.objects.filter(translation_key__in=Subquery(keys))


def switcher_links(request, page=None) -> list[dict]:
    """The same page in every edition, for the language switcher and hreflang.

    Each entry: code, name, html_lang, url, current (the edition being read)
    and exact (the page itself, not the section or home it falls back to).
    Every link answers: what an edition lacks falls back to what it has.
    For a Wagtail page, one query finds the translations of it and of its
    ancestors; a routable page's sub-route (a topic, a year) is kept where
    the page says it answers in that edition. Other views exist in every
    edition at the same path unless they declared otherwise
    (``declare_equivalents``).
    """
    from django.urls import translate_url

    current = active_code()
    names = edition_names()
    links = []
    if page is not None and getattr(page, "pk", None) and getattr(page, "translation_key", None):
        found = _page_translations(page)
        page_url = page.get_url(request) or ""
        tail = request.path[len(page_url) :] if request.path.startswith(page_url) else ""
        tails = _sub_routes(request, page, tail, found)
        for code, name in names.items():
            if code == current:
                links.append(_link(code, name, request.get_full_path(), True, True))
                continue
            target, exact = found.get(code, (None, False))
            url = target.get_url(request) if target is not None else None
            if url is None:
                url = _home_url(code)
                exact = False
            if exact and tail:
                # Without the sub-route there, the page itself is the nearest.
                exact = code in tails
                url += tails.get(code, "")
            links.append(_link(code, name, url, False, exact))
        return links
    path = request.get_full_path()
    declared = getattr(request, "_focus_edition_equivalents", None)
    for code, name in names.items():
        if code == current:
            links.append(_link(code, name, path, True, True))
        elif declared is not None:
            urls, fallback = declared
            url = urls.get(code)
            exact = url is not None
            links.append(_link(code, name, url or edition_reverse(code, fallback), False, exact))
        else:
            links.append(_link(code, name, translate_url(path, code), False, True))
    return links


def _sub_routes(request, page, tail: str, found: dict) -> dict[str, str]:
    """code -> the sub-route to append to the page's translation there.

    A routable page type knows whether its sub-route (a year, a topic) has
    anything in another edition, and under which address, through
    ``edition_sub_routes(request, translations)``; it answers for every
    edition at once, so the switcher costs one query at most. A page type
    that does not say keeps the tail in every edition.
    """
    translations = {code: target for code, (target, exact) in found.items() if exact}
    if not tail or not translations:
        return {}
    ask = getattr(page, "edition_sub_routes", None)
    if ask is None:
        return dict.fromkeys(translations, tail)
    return ask(request, translations)


def _link(code, name, url, current, exact) -> dict:
    return {
        "code": code,
        "name": name,
        "html_lang": html_lang(code),
        "url": url,
        "current": current,
        "exact": exact,
    }


def _home_url(code: str) -> str:
    return edition_reverse(code, "wagtail_serve", "")


def _page_translations(page) -> dict:
    """code -> (the nearest live translation of the page or an ancestor, is it the page)."""
    from wagtail.models import Page

    ancestors = getattr(page, "_focus_route_ancestors", None)
    if ancestors is None:
        ancestors = list(page.get_ancestors().filter(depth__gt=1))
    chain = [page, *reversed(ancestors)]
    keys = [item.translation_key for item in chain if getattr(item, "translation_key", None)]
    # Routing found them already (home.routing); otherwise one query.
    rows = getattr(page, "_focus_translations", None)
    if rows is None:
        rows = (
            public_only(Page.objects.live())
            .filter(translation_key__in=keys)
            .exclude(locale_id=page.locale_id)
            .select_related("locale")
            .only("id", "url_path", "translation_key", "depth", "path", "locale__language_code")
        )
    rank = {key: position for position, key in enumerate(keys)}
    best: dict[str, tuple] = {}
    for row in rows:
        code = row.locale.language_code
        position = rank.get(row.translation_key)
        if position is None:
            continue
        if code not in best or position < best[code][0]:
            best[code] = (position, row)
    return {code: (row, position == 0) for code, (position, row) in best.items()}
