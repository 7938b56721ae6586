"""Stored StreamField data built in code: sample content, bulk content and tests."""

from __future__ import annotations

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder


def stream(*blocks: tuple[str, object]) -> str:
    """Raw StreamField JSON from (block type, value) pairs, each block with its own id."""
    return json.dumps(
        [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks],
        cls=DjangoJSONEncoder,
    )


def list_items(values: list) -> list[dict]:
    """ListBlock items in Wagtail's stored form (each with its own id)."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]
