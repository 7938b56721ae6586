"""Production settings for tests that serve the site with gunicorn without collectstatic first.

Everything is production's (database options, security, logging) except the
static-files storage (the manifest storage needs ``collectstatic``, which
takes a minute and plays no part in what these tests look at) and one extra
URL whose view fails, so a test can see where an unhandled error goes.
"""

from focus_site.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ROOT_URLCONF = "tests.focus_site.urls_with_error"
