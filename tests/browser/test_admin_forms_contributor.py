"""Every admin form as the contributor role, walked in Chromium (see admin_form_walk)."""

from __future__ import annotations

import pytest

from tests.browser.admin_form_walk import FORM_KEYS, assert_form_works, walk_fixture

# The tests only read what the module's walk recorded: no database of their own
# (and no flush after each of them).
pytestmark = [pytest.mark.browser]

walks = walk_fixture("contributor")


@pytest.mark.parametrize("form_key", FORM_KEYS)
def test_admin_form_works(walks, form_key):
    assert_form_works(walks, "contributor", form_key)


def test_the_walk_exercised_the_widgets(walks):
    """Guards the walk itself: on the article form it met every kind of widget."""
    article = walks["page insights.insightarticlepage:create"]
    assert {"Add Authors", "Add Related articles"} <= set(article.inline_rows)
    assert {"Choose author", "Choose an image"} <= set(article.choosers)
    assert "id_date" in article.date_fields
