from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from focus_site.security import throttle_password_form
from home import serving
from home import views as home_views
from home.page_chooser import PAGE_CHOOSER_PATH, EditionPageBrowseView
from home.seo import views as seo_views
from issues.workflow_admin import WORKFLOW_ACTION_PATH, workflow_action_with_confirmation

# Paths that are the same in every edition: the admin, files, robots.txt.
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
    # The page chooser opens in the form's own edition (before Wagtail's route for it).
    path(
        PAGE_CHOOSER_PATH,
        require_admin_access(never_cache(EditionPageBrowseView.as_view())),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Versioned by the chart's data; the bare address (and any old version)
    # redirects to the current one.
    path(
        "charts/<int:page_id>/<str:block_id>/<str:version>.png",
        home_views.chart_png,
        name="chart_png",
    ),
    path(
        "charts/<int:page_id>/<str:block_id>.png",
        home_views.chart_png,
        name="chart_png_unversioned",
    ),
    path("robots.txt", seo_views.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The reader's site, once per edition: English unprefixed (no published URL
# changes), Simplified and Traditional Chinese under /zh-hans/ and /zh-hant/.
# reverse() and Wagtail's page URLs add the active edition's prefix.
urlpatterns += i18n_patterns(
    path("authors/", include("insights.urls")),
    path("feeds/", include("home.feeds.urls")),
    path("newsletter/", include("issues.newsletter.urls")),
    path("search/", include("home.search.urls")),
    path("sitemap.xml", seo_views.sitemap, name="sitemap"),
    # Wagtail serves every other path from the page tree; it must come last.
    # Its page view is wrapped to find the edition's home page in one query.
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, serving.serve, name="wagtail_serve"),
    prefix_default_language=False,
)
