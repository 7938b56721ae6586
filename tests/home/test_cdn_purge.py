"""The CDN is asked to purge every URL showing a change, once the change commits."""

from django.test import TestCase, override_settings
from wagtail.models import PageViewRestriction, Site

from home.models import SiteSettings
from issues.models import QuestionResponse, ResponseStatus
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_image,
    make_issue,
    make_question,
    make_response,
    make_topic,
    stream,
)
from tests.home.test_page_cache import PURGED

ROOT = "http://testserver"


FEEDS = [f"{ROOT}/feeds/", f"{ROOT}/feeds/all.rss", f"{ROOT}/feeds/insights.atom"]


@override_settings(
    WAGTAILFRONTENDCACHE={"test": {"BACKEND": "tests.home.test_page_cache.RecordingBackend"}},
    FOCUS_LISTING_PAGE_SIZE=2,
)
class PurgeListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Peace & Security", slug="peace-security")
        cls.author = make_author("Ana Palacio", affiliation="Former Minister")
        cls.image = make_image("Harbour")
        cls.articles = [
            make_article(
                cls.tree.insights,
                title=f"Article {n}",
                authors=[cls.author],
                topics=[cls.topic],
                lead_image=cls.image,
            )
            for n in range(3)
        ]
        cls.article = cls.articles[0]
        cls.issue = make_issue(
            cls.tree.issues,
            body=stream(
                (
                    "chart_callout",
                    {
                        "headline": "Debt",
                        "data": list_items([{"label": "A", "value": "1"}]),
                        "source_note": "FRED",
                        "article": cls.article.pk,
                    },
                )
            ),
        )
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        PURGED.clear()

    def purged_after_commit(self, change) -> list[str]:
        """Run the change; nothing may be purged before its transaction commits."""
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            change()
        self.assertEqual(PURGED, [], "purged before the commit")
        for callback in callbacks:
            callback()
        return list(PURGED)

    def assertPurged(self, purged, *paths):
        for path in paths:
            self.assertIn(path if "://" in path else ROOT + path, purged)

    def test_publishing_a_new_article(self):
        def change():
            make_article(
                self.tree.insights, title="New one", authors=[self.author], topics=[self.topic]
            )

        purged = self.purged_after_commit(change)
        self.assertPurged(
            purged,
            "/",
            "/insights/",
            "/insights/?page=2",  # four articles, two a page
            "/insights/topics/peace-security/",
            "/insights/topics/peace-security/?page=2",
            "/insights/?topic=peace-security",
            "/authors/",
            "/authors/ana-palacio/",
            "/authors/ana-palacio/?page=2",
            "/feeds/authors/ana-palacio.rss",
            "/feeds/topics/peace-security.atom",
            *FEEDS,
        )

    def test_retitling_an_article_purges_the_issue_citing_it(self):
        def change():
            self.article.title = "Retitled"
            self.article.save_revision().publish()

        self.assertPurged(
            self.purged_after_commit(change),
            self.article.url,
            self.issue.url,
            "/insights/",
            "/",
            "/authors/ana-palacio/",
            *FEEDS,
        )

    def test_unpublishing_and_deleting_purge_the_gone_url(self):
        url = self.articles[1].url
        self.assertPurged(self.purged_after_commit(self.articles[1].unpublish), url, "/insights/")
        PURGED.clear()
        url = self.articles[2].url
        self.assertPurged(self.purged_after_commit(self.articles[2].delete), url, "/insights/")

    def test_moving_purges_the_old_address(self):
        old = self.articles[1].url

        def change():
            self.articles[1].move(self.tree.videos, pos="last-child")

        self.assertPurged(self.purged_after_commit(change), old, "/insights/", "/videos/")

    def test_making_a_page_private_purges_it_and_every_listing(self):
        def change():
            PageViewRestriction.objects.create(page=self.article, restriction_type="login")

        self.assertPurged(
            self.purged_after_commit(change), self.article.url, "/", "/insights/", *FEEDS
        )

    def test_editing_an_author_topic_or_image(self):
        def edit_author():
            self.author.name = "Ana P."
            self.author.save()

        self.assertPurged(
            self.purged_after_commit(edit_author),
            "/authors/ana-palacio/",
            "/authors/",
            self.article.url,
            self.issue.url,
            "/feeds/authors/ana-palacio.json",
        )
        PURGED.clear()

        def edit_topic():
            self.topic.name = "Security"
            self.topic.save()

        self.assertPurged(
            self.purged_after_commit(edit_topic),
            "/insights/topics/peace-security/",
            self.article.url,
            "/feeds/topics/peace-security.rss",
        )
        PURGED.clear()

        def edit_image():
            self.image.description = "A harbour at dusk"
            self.image.save()

        self.assertPurged(self.purged_after_commit(edit_image), self.article.url, "/insights/")

    def test_site_settings_purge_every_page(self):
        def change():
            settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
            settings.tagline = "New tagline"
            settings.save()

        self.assertPurged(
            self.purged_after_commit(change),
            "/",
            "/insights/",
            "/this-week/",
            self.issue.url,
            *(article.url for article in self.articles),
        )

    def test_moderating_responses_purges_question_issue_and_feeds(self):
        question = make_question(self.tree.questions)
        answers = [make_response(question, name=f"Reader {n}") for n in range(2)]
        QuestionResponse.objects.filter(pk=answers[0].pk).update(featured_in=self.issue)
        PURGED.clear()

        def change():
            ids = [answer.pk for answer in answers]
            self.assertEqual(
                QuestionResponse.objects.filter(pk__in=ids).moderate(ResponseStatus.FEATURED), 2
            )

        self.assertPurged(
            self.purged_after_commit(change),
            question.url,
            "/questions/",
            self.issue.url,
            "/",
            *FEEDS,
        )

    def test_a_new_pending_answer_purges_nothing(self):
        question = make_question(self.tree.questions)
        PURGED.clear()
        self.assertEqual(self.purged_after_commit(lambda: make_response(question)), [])

    def test_changing_a_charts_data_purges_its_old_and_new_png_addresses(self):
        two_points = [{"label": "A", "value": "1"}, {"label": "B", "value": "2"}]
        self.issue.body = stream(
            (
                "chart_callout",
                {"headline": "Debt", "data": list_items(two_points), "source_note": "FRED"},
            )
        )
        self.issue.save_revision().publish()
        self.issue.refresh_from_db()
        chart = self.issue.body[0]
        old = f"/charts/{self.issue.pk}/{chart.id}/{chart.value.png_version}.png"
        PURGED.clear()

        def change():
            chart.value["data"][1]["value"] = "3"
            self.issue.save_revision().publish()

        purged = self.purged_after_commit(change)
        self.issue.refresh_from_db()
        new = self.issue.body[0].value.png_version
        self.assertPurged(
            purged,
            old,
            f"/charts/{self.issue.pk}/{chart.id}/{new}.png",
            f"/charts/{self.issue.pk}/{chart.id}.png",
            self.issue.url,
        )

    def test_loading_pages_for_the_purge_list_does_not_grow_with_pages(self):
        from home.caching.urls import urls_for

        ids = [article.pk for article in self.articles]
        urls_for(ids[:1])  # the site's root paths are kept after the first call
        with self.assertNumQueries(3):
            urls_for(ids[:1])
        with self.assertNumQueries(3):
            urls_for(ids)
