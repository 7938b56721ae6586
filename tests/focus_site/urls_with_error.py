"""The site's URLs plus one view that fails, to see where an unhandled error is reported."""

from django.urls import path

from focus_site.urls import urlpatterns as site_urlpatterns

ERROR_PATH = "/__test-unhandled-error__/"


def fail(request):
    raise RuntimeError("An unhandled error, raised on purpose by a test")


urlpatterns = [path(ERROR_PATH.strip("/") + "/", fail), *site_urlpatterns]
