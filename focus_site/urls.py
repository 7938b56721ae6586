from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from focus_site.security import throttle_password_form
from home import views as home_views
from issues.workflow_admin import WORKFLOW_ACTION_PATH, workflow_action_with_confirmation

urlpatterns = [
    # Wagtail's password forms for private pages and document collections, at
    # their own addresses (so Wagtail's links still reach them), throttled per
    # client; they must come before the includes that also route these paths.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttle_password_form(wagtail_views.authenticate_with_password),
        name="page_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        throttle_password_form(wagtaildocs_serve.authenticate_with_password),
        name="document_password",
    ),
    path("django-admin/", admin.site.urls),
    # Wagtail's own workflow action (approve, request changes), plus a confirmation.
    path(WORKFLOW_ACTION_PATH, workflow_action_with_confirmation),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("authors/", include("insights.urls")),
    path("feeds/", include("home.feeds.urls")),
    path("newsletter/", include("issues.newsletter.urls")),
    path("charts/<int:page_id>/<str:block_id>.png", home_views.chart_png, name="chart_png"),
    path("search/", include("home.search.urls")),
    path("", include("home.seo.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
