"""generate_bulk_content builds a realistic site that renders, and refuses bad sizes."""

from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import TestCase
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from insights.models import InsightArticlePage
from issues.models import IssuePage
from tests.edition_factories import translate
from tests.factories import build_site
from tests.query_budget import count_queries


class GenerateBulkContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        # As after load_sample_content: each section exists in every edition too.
        for section in (tree.issues, tree.insights, tree.videos, tree.questions):
            translate(section, "zh-hans")
        cls.articles_before = InsightArticlePage.objects.count()
        cls.issues_before = IssuePage.objects.count()
        cls.last_page_before = Page.objects.order_by("-pk").values_list("pk", flat=True)[0]
        cls.output = StringIO()
        call_command(
            "generate_bulk_content",
            articles=30,
            issues=12,
            authors=5,
            no_progress=True,
            stdout=cls.output,
        )

    def test_adds_what_was_asked_and_says_so(self):
        self.assertEqual(InsightArticlePage.objects.count() - self.articles_before, 30)
        self.assertEqual(IssuePage.objects.count() - self.issues_before, 12)
        self.assertIn("Added 30 articles, 12 issues", self.output.getvalue())
        # Generated content is English; the Chinese sections are left as they were.
        self.assertFalse(
            IssuePage.objects.exclude(locale__language_code="en").exists()
            or InsightArticlePage.objects.exclude(locale__language_code="en").exists()
        )

    def test_generated_pages_render_within_the_query_budget(self):
        article = InsightArticlePage.objects.live().order_by("-pk").first()
        issue = IssuePage.objects.live().order_by("-pk").first()
        for url in ("/", "/insights/", "/this-week/", article.url, issue.url):
            with self.subTest(url=url):
                self.assertLessEqual(count_queries(self, url), 15)

    def test_each_generated_page_is_published_with_its_revision(self):
        # As every published page has: page fragments are kept per live revision.
        generated = Page.objects.filter(pk__gt=self.last_page_before)
        # Articles, issues, and one video and one question per ten issues.
        self.assertEqual(generated.count(), 30 + 12 + 1 + 1)
        self.assertFalse(generated.filter(live_revision__isnull=True).exists())
        article = InsightArticlePage.objects.filter(slug__startswith="bulk-").last()
        revision = article.live_revision
        self.assertEqual(revision, article.latest_revision)
        self.assertEqual(revision.object_id, str(article.pk))
        # Saved after the bylines, so the revision holds them.
        as_saved = revision.as_object()
        self.assertEqual(as_saved.title, article.title)
        self.assertEqual(
            [byline.author_id for byline in as_saved.article_authors.all()],
            [byline.author_id for byline in article.article_authors.all()],
        )

    def test_negative_sizes_are_refused(self):
        with self.assertRaisesMessage(CommandError, "--articles cannot be negative."):
            call_command("generate_bulk_content", articles=-1, no_progress=True)


class GenerateBulkContentEditionsTests(TestCase):
    def test_fills_the_english_sections_of_a_three_edition_site_and_indexes_it(self):
        tree = build_site()
        # Each edition has its own section indexes, as on the sample site.
        for code in ("zh-hans", "zh-hant"):
            translate(tree.issues, code)
            translate(tree.questions, code)
        call_command(
            "generate_bulk_content",
            articles=6,
            issues=3,
            authors=2,
            no_progress=True,
            stdout=StringIO(),
        )
        issues = IssuePage.objects.filter(locale__language_code="en")
        self.assertEqual(issues.child_of(tree.issues).count(), 3)
        # Indexed once, at the end: every generated article has its entry.
        articles = InsightArticlePage.objects.filter(slug__startswith="bulk-")
        self.assertEqual(articles.count(), 6)
        indexed = IndexEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(InsightArticlePage),
            object_id__in=[str(pk) for pk in articles.values_list("pk", flat=True)],
        )
        self.assertEqual(indexed.count(), 6)
