"""Head tags, JSON-LD, sitemap.xml and robots.txt."""

from __future__ import annotations

import json
import re
from datetime import date
from xml.etree import ElementTree

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from home.structured_data import to_script
from insights.models import InsightArticlePage
from tests.factories import (
    build_site,
    make_article,
    make_author,
    make_image,
    make_issue,
    make_question,
    make_topic,
    make_video,
)

# The schema.org properties each type may carry here (from schema.org's
# definitions, inherited ones included) and those search engines require.
SCHEMA = {
    "Organization": ({"name", "url", "logo", "sameAs"}, {"name"}),
    "WebSite": (
        {"name", "url", "description", "publisher", "potentialAction", "inLanguage"},
        {"name", "url", "potentialAction"},
    ),
    "SearchAction": ({"target", "query-input"}, {"target", "query-input"}),
    "EntryPoint": ({"urlTemplate"}, {"urlTemplate"}),
    "ImageObject": ({"url"}, {"url"}),
    "BreadcrumbList": ({"itemListElement"}, {"itemListElement"}),
    "ListItem": ({"position", "name", "item"}, {"position", "name", "item"}),
    "Person": ({"name", "url", "affiliation", "description"}, {"name"}),
    "VideoObject": (
        {
            "name",
            "description",
            "url",
            "thumbnailUrl",
            "uploadDate",
            "embedUrl",
            "duration",
            "isPartOf",
            "inLanguage",
        },
        {"name", "thumbnailUrl", "uploadDate"},
    ),
    "CreativeWorkSeries": ({"name"}, {"name"}),
    "PublicationIssue": (
        {
            "name",
            "url",
            "description",
            "datePublished",
            "dateModified",
            "isPartOf",
            "issueNumber",
            "inLanguage",
        },
        {"datePublished", "isPartOf"},
    ),
    "Periodical": ({"name", "url", "publisher"}, {"name"}),
    "WebPage": ({"name", "url", "description", "inLanguage"}, {"name", "url"}),
    "CollectionPage": ({"name", "url", "description", "inLanguage"}, {"name", "url"}),
}
ARTICLE_PROPERTIES = {
    "headline",
    "description",
    "url",
    "mainEntityOfPage",
    "datePublished",
    "dateModified",
    "image",
    "author",
    "publisher",
    "isAccessibleForFree",
    "articleSection",
    "keywords",
    "inLanguage",
}
for article_type in ("AnalysisNewsArticle", "OpinionNewsArticle"):
    SCHEMA[article_type] = (ARTICLE_PROPERTIES, {"headline", "datePublished", "author", "image"})


def check_schema(test: TestCase, node, path: str = "$") -> None:
    """Every typed node uses a known type, only its properties, and the required ones."""
    if isinstance(node, list):
        for position, item in enumerate(node):
            check_schema(test, item, f"{path}[{position}]")
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    if kind is not None:
        test.assertIn(kind, SCHEMA, f"{path}: unknown type {kind}")
        allowed, required = SCHEMA[kind]
        properties = set(node) - {"@type", "@id"}
        test.assertLessEqual(properties, allowed, f"{path}: {kind} has {properties - allowed}")
        test.assertLessEqual(required, properties, f"{path}: {kind} lacks {required - properties}")
        for name in required:
            test.assertTrue(node[name], f"{path}.{name} is empty")
    elif set(node) != {"@id"}:
        test.fail(f"{path}: an untyped node {node}")
    for name, value in node.items():
        check_schema(test, value, f"{path}.{name}")


class HeadTagsMixin:
    def head(self, url: str) -> dict:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        html = response.content.decode()
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        self.assertEqual(len(scripts), 1, url)
        data = json.loads(scripts[0])
        self.assertEqual(data["@context"], "https://schema.org")
        check_schema(self, data["@graph"])

        def meta(attribute: str, name: str) -> str:
            found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
            self.assertEqual(len(found), 1, f"{url}: {name}")
            return found[0]

        canonical = re.findall(r'<link rel="canonical" href="([^"]*)"', html)
        self.assertEqual(len(canonical), 1, url)
        tags = {
            "canonical": canonical[0],
            "description": meta("name", "description"),
            "types": [node["@type"] for node in data["@graph"]],
            "graph": data["@graph"],
            "html": html,
        }
        for name in ("og:title", "og:description", "og:url", "og:image", "og:type"):
            tags[name] = meta("property", name)
        for name in ("twitter:card", "twitter:title", "twitter:image"):
            tags[name] = meta("name", name)
        self.assertTrue(tags["description"], url)
        self.assertTrue(tags["og:image"].startswith("http://testserver/"), url)
        self.assertEqual(tags["og:url"], tags["canonical"])
        self.assertEqual(tags["twitter:card"], "summary_large_image")
        return tags


class PageHeadTests(HeadTagsMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Foreign Policy")
        cls.author = make_author("Sajjad Ashraf", "Independent Scholar")
        cls.analysis = make_article(
            cls.tree.insights,
            title="Is the American Empire Following a Historic Life Cycle?",
            authors=[cls.author],
            topics=[cls.topic],
            standfirst="Empires rise and fall.",
            lead_image=make_image("Lead"),
            slug="empire",
        )
        cls.opinion = make_article(
            cls.tree.insights,
            title="An opinion",
            kind=InsightArticlePage.OPINION,
            authors=[cls.author],
            slug="opinion",
        )
        cls.video = make_video(cls.tree.videos)
        cls.question = make_question(cls.tree.questions, prompted_by=cls.analysis)
        cls.issue = make_issue(
            cls.tree.issues, issue_number=12, summary="Xi and Trump's call, two readouts."
        )

    def test_home_page_names_the_organisation_and_site_search(self):
        tags = self.head("/")
        self.assertEqual(tags["types"], ["Organization", "WebSite", "BreadcrumbList"])
        website = tags["graph"][1]
        target = website["potentialAction"]["target"]["urlTemplate"]
        self.assertEqual(target, "http://testserver/search/?q={search_term_string}")
        self.assertEqual(tags["canonical"], "http://testserver/")

    def test_articles_are_analysis_or_opinion_news_articles(self):
        tags = self.head(self.analysis.url)
        self.assertEqual(tags["types"], ["AnalysisNewsArticle", "BreadcrumbList"])
        article = tags["graph"][0]
        self.assertEqual(article["author"][0]["name"], "Sajjad Ashraf")
        self.assertEqual(article["author"][0]["affiliation"]["name"], "Independent Scholar")
        self.assertEqual(article["articleSection"], ["Foreign Policy"])
        self.assertEqual(tags["description"], "Empires rise and fall.")
        self.assertEqual(tags["og:type"], "article")
        self.assertIn("/media/", tags["og:image"])
        self.assertEqual(article["image"], [tags["og:image"]])
        self.assertEqual(tags["canonical"], "http://testserver/insights/empire/")
        opinion = self.head(self.opinion.url)
        self.assertEqual(opinion["types"], ["OpinionNewsArticle", "BreadcrumbList"])
        self.assertIn("/static/img/share-default.png", opinion["og:image"])

    def test_a_lost_lead_image_falls_back_to_the_default_share_image(self):
        # An original file lost from storage, with no share rendition made yet:
        # the page renders (Wagtail's "not-found" image in the body), not a 500.
        image = make_image("Lost")
        lost = make_article(
            self.tree.insights, title="Lost", authors=[self.author], lead_image=image, slug="lost"
        )
        image.renditions.all().delete()
        image.file.storage.delete(image.file.name)
        tags = self.head(lost.url)
        self.assertIn("/static/img/share-default.png", tags["og:image"])
        self.assertIn("/media/not-found", self.client.get(lost.url).content.decode())

    def test_breadcrumbs_follow_the_page_tree(self):
        crumbs = self.head(self.analysis.url)["graph"][-1]["itemListElement"]
        self.assertEqual(
            [(crumb["position"], crumb["name"], crumb["item"]) for crumb in crumbs],
            [
                (1, "Home", "http://testserver/"),
                (2, "Focus Insights", "http://testserver/insights/"),
                (3, self.analysis.title, "http://testserver/insights/empire/"),
            ],
        )

    def test_a_year_and_a_topic_end_the_breadcrumb_trail(self):
        origin = "http://testserver"
        routes = [
            ("/this-week/2026/", self.tree.issues, "2026"),
            (f"/insights/topics/{self.topic.slug}/", self.tree.insights, "Foreign Policy"),
        ]
        for url, section, last in routes:
            with self.subTest(url=url):
                crumbs = self.head(url)["graph"][-1]["itemListElement"]
                self.assertEqual(
                    [(crumb["name"], crumb["item"]) for crumb in crumbs],
                    [
                        ("Home", f"{origin}/"),
                        (section.title, f"{origin}{section.url}"),
                        (last, f"{origin}{url}"),
                    ],
                )

    def test_videos_are_video_objects(self):
        tags = self.head(self.video.url)
        self.assertEqual(tags["types"], ["VideoObject", "BreadcrumbList"])
        video = tags["graph"][0]
        self.assertEqual(video["duration"], "PT15M12S")
        self.assertEqual(video["thumbnailUrl"], [tags["og:image"]])
        self.assertEqual(tags["og:type"], "video.other")

    def test_issues_are_publication_issues_of_the_periodical(self):
        tags = self.head(self.issue.url)
        self.assertEqual(tags["types"], ["PublicationIssue", "BreadcrumbList"])
        issue = tags["graph"][0]
        self.assertEqual(issue["issueNumber"], "12")
        self.assertEqual(issue["datePublished"], "2026-02-06")
        self.assertEqual(issue["isPartOf"]["@type"], "Periodical")
        self.assertEqual(issue["isPartOf"]["name"], "Focus This Week")
        self.assertEqual(tags["description"], "Xi and Trump&#x27;s call, two readouts.")

    def test_an_editors_search_description_wins(self):
        self.analysis.search_description = "Chosen by the editor."
        self.analysis.save_revision().publish()
        self.assertEqual(self.head(self.analysis.url)["description"], "Chosen by the editor.")

    def test_other_pages_describe_themselves(self):
        expected = {
            self.tree.issues.url: "CollectionPage",
            self.tree.insights.url: "CollectionPage",
            self.tree.videos.url: "CollectionPage",
            self.tree.questions.url: "CollectionPage",
            self.question.url: "WebPage",
            "/insights/topics/foreign-policy/": "CollectionPage",
            reverse("author_list"): "CollectionPage",
            reverse("author_detail", args=["sajjad-ashraf"]): "Person",
        }
        for url, kind in expected.items():
            with self.subTest(url=url):
                tags = self.head(url)
                self.assertEqual(tags["types"], [kind, "BreadcrumbList"])
                self.assertEqual(tags["canonical"], f"http://testserver{url}")
        question = self.head(self.question.url)
        self.assertEqual(
            question["description"], "How should middle powers navigate relations with China?"
        )

    def test_search_page_is_described_but_not_indexed(self):
        tags = self.head(reverse("search") + "?q=china&page=2")
        self.assertEqual(tags["canonical"], "http://testserver/search/")
        self.assertIn('<meta name="robots" content="noindex, follow">', tags["html"])

    def test_structured_data_cannot_close_its_script_element(self):
        script = to_script([{"@type": "WebPage", "name": "</script><script>alert(1)</script>&"}])
        self.assertEqual(script.count("</script>"), 1)
        self.assertIn("\\u003C/script\\u003E", script)
        self.assertIn("\\u0026", script)
        hostile = make_article(self.tree.insights, title="</script><script>alert(1)</script>")
        html = self.client.get(hostile.url).content.decode()
        self.assertNotIn("<script>alert(1)", html)


def local_day(moment) -> str:
    # The sitemap writes dates in the site's time zone, which may be a day ahead of UTC.
    return timezone.localtime(moment).date().isoformat()


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        topic = make_topic("Peace & Security", slug="peace-security")
        cls.author = make_author("Ann Writer")
        cls.article = make_article(cls.tree.insights, authors=[cls.author], topics=[topic])
        cls.draft = make_article(cls.tree.insights, title="Draft", slug="a-draft")
        cls.draft.unpublish()
        make_video(cls.tree.videos)
        make_question(cls.tree.questions)
        make_issue(cls.tree.issues, day=date(2026, 2, 6))

    def locations(self) -> dict[str, str | None]:
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        root = ElementTree.fromstring(response.content)
        return {
            url.findtext("sm:loc", namespaces=namespace): url.findtext(
                "sm:lastmod", namespaces=namespace
            )
            for url in root.findall("sm:url", namespace)
        }

    def test_lists_every_live_page_with_its_last_modification(self):
        locations = self.locations()
        live = Page.objects.live().descendant_of(self.tree.home, inclusive=True)
        self.assertEqual(live.count(), 9)
        for page in live:
            url = f"http://testserver{page.url}"
            self.assertIn(url, locations)
            self.assertEqual(locations[url], local_day(page.last_published_at))
        self.assertNotIn(f"http://testserver{self.draft.url}", locations)

    def test_lists_topic_and_author_pages(self):
        locations = self.locations()
        topic_url = "http://testserver/insights/topics/peace-security/"
        author_url = "http://testserver/authors/ann-writer/"
        self.assertEqual(locations[topic_url], local_day(self.article.last_published_at))
        self.assertEqual(locations[author_url], local_day(self.article.last_published_at))
        # Nine pages, the issue archive's one year, a topic and an author.
        self.assertEqual(len(locations), 9 + 1 + 2)

    def test_robots_txt_names_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        body = response.content.decode()
        self.assertIn("Sitemap: http://testserver/sitemap.xml", body)
        self.assertIn("Disallow: /admin/", body)
        self.assertEqual(self.client.post("/robots.txt").status_code, 405)


class PreviewTests(WagtailPageTestCase):
    """Head tags are built for the admin's previews too, saved or not."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, authors=[make_author()], slug="previewed")

    def setUp(self):
        self.login()

    def test_an_edited_page_previews(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:preview_on_edit", args=[self.article.pk]),
            self.article_form_data(),
        )
        self.assertEqual(response.json(), {"is_valid": True, "is_available": True})
        response = self.client.get(
            reverse("wagtailadmin_pages:preview_on_edit", args=[self.article.pk])
        )
        self.assertContains(
            response, '<link rel="canonical" href="http://testserver/insights/previewed/">'
        )

    def test_a_new_page_previews_before_it_is_saved(self):
        url = reverse(
            "wagtailadmin_pages:preview_on_add",
            args=["insights", "insightarticlepage", self.tree.insights.pk],
        )
        response = self.client.post(url, self.article_form_data(slug="brand-new"))
        self.assertEqual(response.json(), {"is_valid": True, "is_available": True})
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "AnalysisNewsArticle")

    def article_form_data(self, slug: str = "previewed") -> dict:
        return nested_form_data(
            {
                "title": "A previewed article",
                "slug": slug,
                "standfirst": "Seen before it is published.",
                "date": "2026-02-03",
                "kind": "analysis",
                "article_authors": inline_formset(
                    [{"author": self.article.bylines()[0].author.pk}]
                ),
                "related_articles": inline_formset([]),
                "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
            }
        )
