"""Production settings for tests that serve the site with gunicorn without collectstatic first.

Everything is production's (database options, security, logging) except the
static-files storage: the manifest storage needs ``collectstatic``, which
takes a minute and plays no part in what these tests look at.
"""

from focus_site.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
