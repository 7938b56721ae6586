"""Text that reaches readers from the database or settings, not from code.

Site settings' defaults (tagline, organisation, footer text), the article
kinds and the video categories are
stored in English and shown through the ``translated`` template filter, which
looks them up in the catalogues at run time. Listing them here is what keeps
``makemessages`` extracting them: without it they would turn obsolete and the
Chinese editions would show them in English.
"""

from django.utils.translation import gettext_noop

RUNTIME_TEXT = (
    gettext_noop("A community space to discuss the China-U.S. relationship and beyond."),
    gettext_noop(
        "Prepared by China-US Focus editorial teams in Hong Kong and New York, this weekly "
        "newsletter offers you snap shots of latest trends and developments emerging from "
        "China and the U.S. every week. It is a community space to exchange thoughts and ideas "
        "about the China-U.S. relationship and beyond."
    ),
    gettext_noop("China-United States Exchange Foundation"),
    gettext_noop("Analysis"),
    gettext_noop("Opinion"),
    gettext_noop("Culture"),
    gettext_noop("Lifestyle"),
    gettext_noop("Innovation"),
    gettext_noop("Social Good"),
)
