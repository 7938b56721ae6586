from datetime import date

from django.test import TestCase
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage
from issues.models import IssueIndexPage, IssuePage
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_issue,
    make_question,
    make_video,
    stream,
)
from tests.query_budget import assert_query_budget, queries_of


def full_body(tree, copies: int = 1) -> str:
    """A body holding every issue block type, repeated ``copies`` times."""
    article = make_article(tree.insights, authors=[make_author(f"Author {copies}")])
    video = make_video(tree.videos)
    question = make_question(tree.questions, prompted_by=article)
    blocks = []
    for _ in range(copies):
        blocks += [
            ("heading", {"text": "Section", "level": "h2"}),
            ("paragraph", "<p>Paragraph.</p>"),
            ("pull_quote", {"quote": "Quoted words.", "source_page": article.pk}),
            (
                "chart_callout",
                {
                    "headline": "Debt",
                    "data": list_items(
                        [{"label": "A", "value": "1"}, {"label": "B", "value": "2"}]
                    ),
                    "source_note": "FRED",
                    "article": article.pk,
                },
            ),
            ("video_feature", {"video": video.pk, "blurb": "Watch this.", "cta_label": "Watch"}),
            ("question_of_the_week", {"question": question.pk}),
            ("reader_responses", {"question": question.pk, "count": 3}),
            ("related_links", {"heading": "More", "links": list_items([{"page": article.pk}])}),
            ("embed", {"url": "https://youtu.be/abcDEF12345", "title": "Clip"}),
        ]
    return stream(*blocks)


class IssuePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def setUp(self):
        self.login()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(IssuePage, {IssueIndexPage})
        self.assertAllowedSubpageTypes(IssuePage, set())
        self.assertAllowedParentPageTypes(IssueIndexPage, {HomePage})
        self.assertEqual(IssueIndexPage.max_count, 1)

    def test_renderable_with_every_block(self):
        issue = make_issue(self.tree.issues, body=full_body(self.tree))
        self.assertPageIsRenderable(issue)
        response = self.client.get(issue.url)
        self.assertContains(response, "Dear Focus reader,")
        self.assertContains(response, "Team Focus")
        self.assertContains(response, 'class="pull-quote"')
        self.assertContains(response, 'class="chart-callout"')
        self.assertContains(response, 'class="video-feature"')
        self.assertContains(response, 'class="question-panel"')
        self.assertContains(response, 'class="related-links"')

    def test_slug_is_the_issue_date(self):
        issue = make_issue(self.tree.issues, day=date(2026, 2, 13))
        self.assertEqual(issue.slug, "2026-02-13")
        self.assertEqual(issue.url, "/this-week/2026-02-13/")

    def test_can_create_in_the_admin_with_blocks(self):
        article = make_article(self.tree.insights, authors=[make_author()])
        video = make_video(self.tree.videos)
        question = make_question(self.tree.questions)
        self.assertCanCreate(
            self.tree.issues,
            IssuePage,
            nested_form_data(
                {
                    "title": "Created in the admin",
                    "slug": "ignored",
                    "issue_date": "2026-03-06",
                    "greeting": "Dear Focus reader,",
                    "letter": rich_text("<p>The week.</p>"),
                    "sign_off": "Team Focus",
                    "body": streamfield(
                        [
                            ("pull_quote", {"quote": "Words.", "speaker": "", "affiliation": ""}),
                            (
                                "chart_callout",
                                {
                                    "headline": "Debt",
                                    "data": streamfield(
                                        [
                                            ("item", {"label": "A", "value": "1"}),
                                            ("item", {"label": "B", "value": "2"}),
                                        ]
                                    ),
                                    "source_note": "FRED",
                                    "article": article.pk,
                                },
                            ),
                            ("video_feature", {"video": video.pk, "cta_label": "Watch"}),
                            (
                                "question_of_the_week",
                                {
                                    "question": question.pk,
                                    "heading": "Question of the Week",
                                    "invitation": "We want to hear from you!",
                                },
                            ),
                            (
                                "related_links",
                                {
                                    "heading": "More",
                                    "links": streamfield([("item", {"page": article.pk})]),
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        created = IssuePage.objects.get(title="Created in the admin")
        self.assertEqual(created.slug, "2026-03-06")
        self.assertEqual(
            [block.block_type for block in created.body],
            [
                "pull_quote",
                "chart_callout",
                "video_feature",
                "question_of_the_week",
                "related_links",
            ],
        )

    def test_admin_shows_field_errors_for_bad_blocks_and_duplicate_dates(self):
        make_issue(self.tree.issues, day=date(2026, 2, 6))
        response = self.client.post(
            f"/admin/pages/add/issues/issuepage/{self.tree.issues.pk}/",
            nested_form_data(
                {
                    # Publishing checks the blocks; a draft would save half a chart.
                    "action-publish": "action-publish",
                    "title": "Duplicate",
                    "slug": "duplicate",
                    "issue_date": "2026-02-06",
                    "greeting": "Dear Focus reader,",
                    "letter": rich_text("<p>Letter.</p>"),
                    "sign_off": "Team Focus",
                    "body": streamfield(
                        [
                            (
                                "chart_callout",
                                {
                                    "headline": "Debt",
                                    "data": streamfield([]),
                                    "source_note": "FRED",
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is already an issue dated 6 February 2026.")
        self.assertContains(response, "Add at least two data points")
        self.assertEqual(IssuePage.objects.count(), 1)

    def test_previous_and_next_issue_links(self):
        older = make_issue(self.tree.issues, day=date(2026, 1, 30))
        current = make_issue(self.tree.issues, day=date(2026, 2, 6))
        newer = make_issue(self.tree.issues, day=date(2026, 2, 13))
        self.assertEqual(current.previous_issue().pk, older.pk)
        self.assertEqual(current.next_issue().pk, newer.pk)
        response = self.client.get(current.url)
        self.assertContains(response, f'href="{older.url}" rel="prev"')
        self.assertContains(response, f'href="{newer.url}" rel="next"')


class IssuePageQueryTests(TestCase):
    """The issue page's SQL query count is fixed, whatever its blocks hold."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.small = make_issue(cls.tree.issues, day=date(2026, 2, 6), body=full_body(cls.tree, 1))
        cls.large = make_issue(cls.tree.issues, day=date(2026, 2, 13), body=full_body(cls.tree, 20))

    def test_query_count_does_not_grow_with_blocks(self):
        # Warm what is created once and reused: image renditions, site root paths.
        self.client.get(self.small.url)
        self.client.get(self.large.url)
        few = queries_of(lambda: self.client.get(self.small.url))
        many = queries_of(lambda: self.client.get(self.large.url))
        assert_query_budget(self, few, many, ISSUE_PAGE_QUERIES, "issue page")
        small, large = self.client.get(self.small.url), self.client.get(self.large.url)
        self.assertEqual(small.status_code, 200)
        self.assertEqual(large.content.count(b'class="chart-callout"'), 20)


# The query budget (15) holds with every block type on the page, twenty times over.
# A ceiling: the page with one of each block and with twenty must cost the same.
ISSUE_PAGE_QUERIES = 15
