"""schema.org JSON-LD, built as plain dicts: the pieces every page type shares.

One ``@graph`` per page: the page's own entity plus a ``BreadcrumbList``;
the home page adds the ``Organization`` and the ``WebSite`` with its
``SearchAction``. A page type describes itself with its ``structured_data``
method (home/seo/metadata.py calls it), built from these pieces.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from home.rendering import absolute_url, base_url

JsonLd = dict[str, Any]

# The characters that could close the <script> element or start an entity.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

# The schema.org types of works written in a language: they carry ``inLanguage``.
WRITTEN_TYPES = {
    "NewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "VideoObject",
    "PublicationIssue",
    "WebPage",
    "CollectionPage",
    "WebSite",
}


def to_script(graph: list[JsonLd]) -> SafeString:
    """A ``<script type="application/ld+json">`` element, safe inside HTML."""
    data = {"@context": "https://schema.org", "@graph": graph}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def organization_id(request) -> str:
    return f"{base_url(request)}/#organization"


def organization(settings, request, logo_url: str) -> JsonLd:
    data: JsonLd = {
        "@type": "Organization",
        "@id": organization_id(request),
        "name": settings.organisation,
        "url": f"{base_url(request)}/",
        "logo": {"@type": "ImageObject", "url": logo_url},
    }
    same_as = [url for _label, url in settings.social_links()]
    if same_as:
        data["sameAs"] = same_as
    return data


def website(site_name: str, description: str, request, search_path: str) -> JsonLd:
    origin = base_url(request)
    return {
        "@type": "WebSite",
        "@id": f"{origin}/#website",
        "name": site_name,
        "url": f"{origin}/",
        "description": description,
        "publisher": {"@id": organization_id(request)},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{origin}{search_path}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumb_list(trail: list[tuple[str, str]]) -> JsonLd:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def person(author, request, affiliation: str = "") -> JsonLd:
    data: JsonLd = {
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url(), request),
    }
    affiliation = affiliation or author.affiliation
    if affiliation:
        # schema.org's affiliation is an Organization; Focus keeps one line of
        # text such as "Former Adjunct Professor, National University of Singapore".
        data["affiliation"] = {"@type": "Organization", "name": affiliation}
    return data


def dates(page) -> JsonLd:
    data: JsonLd = {}
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    return data


def web_page(kind: str, name: str, url: str, description: str) -> JsonLd:
    return {"@type": kind, "name": name, "url": url, "description": description}
