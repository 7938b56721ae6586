"""Every admin form as the editor role, walked in Chromium (see admin_form_walk)."""

from __future__ import annotations

import pytest

from tests.browser.admin_form_walk import FORM_KEYS, assert_form_works, walk_fixture

# The tests only read what the module's walk recorded: no database of their own
# (and no flush after each of them).
pytestmark = [pytest.mark.browser]

walks = walk_fixture("editor")


@pytest.mark.parametrize("form_key", FORM_KEYS)
def test_admin_form_works(walks, form_key):
    assert_form_works(walks, "editor", form_key)


def test_the_walk_exercised_the_choosers_already_chosen(walks):
    """Guards the walk itself: on a video's edit form it reopened the choosers already chosen."""
    video = walks["page issues.videopage:edit"]
    assert len(video.choosers) >= 2  # its series and its poster, already chosen
