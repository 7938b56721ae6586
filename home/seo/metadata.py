"""The head tags of any page, worked out from what its template has in context.

Wagtail pages bring ``page``; the author views bring ``author``; the topic
route brings ``topic``; search brings ``search``. Nothing needs to be passed
in especially. A page type describes itself (docs/architecture.md): its
summary (``summary_text``), share image (``share_image``), Open Graph type
(``og_type``) and JSON-LD entity (``structured_data``); pages without them
are plain web pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import Truncator
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from home import structured_data as ld
from home.editions import html_lang
from home.images import stored_rendition
from home.models import SiteSettings
from home.page_text import summary_text
from home.rendering import absolute_url, base_url, html_to_text
from insights.models import Author, Topic

DESCRIPTION_CHARS = 160
SHARE_IMAGE_FILTER = "fill-1200x630"
DEFAULT_IMAGE = ("img/share-default.png", 1200, 630)


@dataclass
class ShareImage:
    url: str
    width: int | None
    height: int | None
    alt: str


@dataclass
class SeoInfo:
    title: str
    description: str
    canonical: str
    og_type: str
    image: ShareImage
    site_name: str
    json_ld: list[dict] = field(default_factory=list)
    noindex: bool = False

    @property
    def json_ld_script(self):
        return ld.to_script(with_language(self.json_ld))


def with_language(graph: list[dict]) -> list[dict]:
    """The graph with ``inLanguage`` (the edition being read, e.g. zh-Hant) on each work."""
    language = html_lang()
    return [
        {**entity, "inLanguage": language} if entity.get("@type") in ld.WRITTEN_TYPES else entity
        for entity in graph
    ]


def shorten(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(DESCRIPTION_CHARS)


def page_description(page: Page, fallback: str) -> str:
    """The editor's search description, else one derived from the content."""
    if page.search_description:
        return shorten(page.search_description)
    text = summary_text(page)
    return shorten(text) or fallback


def default_image(request, site_name: str) -> ShareImage:
    path, width, height = DEFAULT_IMAGE
    return ShareImage(absolute_url(static(path), request), width, height, site_name)


def image_share(image, request) -> ShareImage | None:
    try:
        # Not image.get_rendition: it rewrites the rendition to the cache on
        # every view (five SQL statements with the cache in the database).
        rendition = stored_rendition(image, SHARE_IMAGE_FILTER)
    except SourceImageIOError:
        # A lost original: the page still renders, with the default image.
        return None
    return ShareImage(
        absolute_url(rendition.url, request),
        rendition.width,
        rendition.height,
        image.default_alt_text or image.title,
    )


def page_image(page: Page, request) -> ShareImage | None:
    own = getattr(page, "share_image", None)
    image = own() if own is not None else None
    return image_share(image, request) if image is not None else None


def canonical_url(request, page: Page | None) -> str:
    # Previews are served from the admin; their canonical is the page's own address.
    if page is not None and getattr(request, "is_preview", False):
        return absolute_url(page.get_url(request) or "", request)
    return absolute_url(request.path, request)


def page_ancestors(page: Page) -> list[Page]:
    """The pages above ``page`` from the home page down, fetched at most once.

    Routing leaves them on the page (``_focus_route_ancestors``); otherwise
    (previews, pages served another way) they are fetched and left there for
    the breadcrumbs template tag to reuse.
    """
    cached = getattr(page, "_focus_route_ancestors", None)
    if cached is None:
        # The site root's parent is Wagtail's invisible root page (depth 1).
        cached = list(page.get_ancestors().filter(depth__gte=2)) if page.depth > 2 else []
        page._focus_route_ancestors = cached
    return cached


def page_trail(page: Page, request) -> list[tuple[str, str]]:
    """Home, the sections above the page, then the page: as breadcrumbs show it."""
    trail = []
    for ancestor in [*page_ancestors(page), page]:
        name = "Home" if ancestor.depth == 2 else ancestor.title
        trail.append((name, absolute_url(ancestor.get_url(request) or "", request)))
    return trail


def _page_entity(page, request, url, description, image, trail):
    own = getattr(page, "structured_data", None)
    if own is not None:
        return own(request, url, description, image.url, trail)
    kind = "CollectionPage" if getattr(page, "subpage_types", None) else "WebPage"
    return ld.web_page(kind, page.title, url, description)


def for_page(context, page: Page, settings, request) -> SeoInfo:
    site_name = django_settings.WAGTAIL_SITE_NAME
    description = page_description(page, settings.tagline)
    canonical = canonical_url(request, page)
    image = page_image(page, request) or default_image(request, site_name)
    trail = page_trail(page, request)
    graph = []
    # A page type may describe more than itself (the home page: the publisher).
    own_graph = getattr(page, "structured_graph", None)
    if own_graph is not None:
        graph += own_graph(request, settings, description, default_image(request, site_name).url)
    else:
        graph.append(_page_entity(page, request, canonical, description, image, trail))
    # A route below the page (a topic, a year of the archive) is the last
    # step of the trail, as in the breadcrumbs the reader sees.
    topic = context.get("topic")
    year = context.get("archive_year")
    if isinstance(topic, Topic):
        trail.append((topic.name, canonical))
    elif year:
        trail.append((str(year), canonical))
    graph.append(ld.breadcrumb_list(trail))
    og_type = getattr(page, "og_type", "website")
    title = page.seo_title or page.title
    if isinstance(topic, Topic):
        title = topic.name
        description = shorten(topic.description) or description
    if year:
        title = f"{title}: {year}"
    return SeoInfo(title, description, canonical, og_type, image, site_name, graph)


def for_view(context, settings, request) -> SeoInfo:
    """Pages outside the page tree: authors and search."""
    site_name = django_settings.WAGTAIL_SITE_NAME
    home = (base_url(request) + "/", "Home")
    canonical = canonical_url(request, None)
    image = default_image(request, site_name)
    author = context.get("author")
    authors_url = absolute_url(reverse("author_list"), request)
    if isinstance(author, Author):
        description = shorten(
            f"{author.name}{', ' + author.affiliation if author.affiliation else ''}: "
            "articles on Focus Insights."
        )
        if author.photo_id:
            image = image_share(author.photo, request) or image
        trail = [(home[1], home[0]), ("Authors", authors_url), (author.name, canonical)]
        graph = [
            {**ld.person(author, request), "description": html_to_text(author.bio or "")},
            ld.breadcrumb_list(trail),
        ]
        return SeoInfo(author.name, description, canonical, "profile", image, site_name, graph)
    if "search" in context:
        trail = [(home[1], home[0]), ("Search", absolute_url(reverse("search"), request))]
        return SeoInfo(
            "Search",
            shorten(f"Search {site_name}: {settings.tagline}"),
            canonical,
            "website",
            image,
            site_name,
            [ld.breadcrumb_list(trail)],
            noindex=True,
        )
    title = "Authors" if request.path == reverse("author_list") else site_name
    trail = [(home[1], home[0])]
    if title == "Authors":
        trail.append(("Authors", authors_url))
    graph = [ld.web_page("CollectionPage", title, canonical, settings.tagline)]
    graph.append(ld.breadcrumb_list(trail))
    return SeoInfo(title, settings.tagline, canonical, "website", image, site_name, graph)


def seo_info(context) -> SeoInfo | None:
    request = context.get("request")
    if request is None:
        return None
    settings = SiteSettings.for_request(request)
    page = context.get("page")
    if isinstance(page, Page):
        return for_page(context, page, settings, request)
    return for_view(context, settings, request)
