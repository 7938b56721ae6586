"""What the site-wide floor asks of a page type, and how it finds the types that answer.

Search, feeds and SEO gather every content type without naming one: each page
type offers what it shows there as attributes and methods (the list is in
docs/architecture.md), and the gathering code asks for them by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from wagtail.models import Page


@dataclass(frozen=True)
class ResultType:
    """How search lists a page type: its filter name, labels and editorial date."""

    slug: str
    label: str
    plural: str
    date_field: str
    # Where the type comes in the search form's list of types.
    order: int
    model: type[Page] | None = None


def page_types_offering(name: str) -> list[type[Page]]:
    """Every page model with the attribute ``name``, in the order Django loaded them."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and getattr(model, name, None) is not None
    ]
