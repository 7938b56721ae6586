"""/feeds/: the list of feeds, then one document per scope and format."""

from django.urls import path, re_path

from . import views

FORMAT = r"(?P<fmt>rss|atom|json)"

urlpatterns = [
    path("", views.feed_index, name="feed_index"),
    re_path(
        rf"^(?P<section>all|issues|insights|videos)\.{FORMAT}$",
        views.section_feed,
        name="feed_section",
    ),
    re_path(rf"^topics/(?P<slug>[-\w]+)\.{FORMAT}$", views.topic_feed, name="feed_topic"),
    re_path(rf"^authors/(?P<slug>[-\w]+)\.{FORMAT}$", views.author_feed, name="feed_author"),
]
