"""What the search index holds for a stream: each block's text, once."""

from __future__ import annotations

from unittest import skipUnless

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from wagtail.search.models import IndexEntry

from home.search.query import SearchRequest, base_queryset
from issues.models import IssuePage
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_issue,
    make_question,
    make_video,
    stream,
)

QUOTE = "Territorial integrity is a non-negotiable baseline for both countries."


def indexed_body(page) -> str:
    """The body text the database backend stored for ``page``."""
    entry = IndexEntry.objects.get(
        content_type=ContentType.objects.get_for_model(page), object_id=str(page.pk)
    )
    # PostgreSQL keeps a tsvector plus a plain-text mirror; SQLite keeps the text.
    return entry.body_text if connection.vendor == "postgresql" else entry.body


class BlockIndexingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(
            cls.tree.insights,
            title="Two readouts of one call",
            body=stream(
                ("heading", {"text": "What was said", "level": "h2"}),
                ("paragraph", f"<p>Beijing's readout was blunt. {QUOTE} Trade came second.</p>"),
                ("pull_quote", {"quote": QUOTE, "speaker": "An analyst"}),
                (
                    "chart_callout",
                    {
                        "headline": "Debt passes GDP",
                        "data": list_items(
                            [{"label": "Q1", "value": "99.5"}, {"label": "Q2", "value": "101"}]
                        ),
                        "source_note": "FRED",
                        "source_url": "https://fred.example/series",
                    },
                ),
            ),
        )

    def body_content(self, page) -> list[str]:
        return type(page)._meta.get_field("body").get_searchable_content(page.body)

    def test_a_pull_quote_repeating_the_body_is_indexed_once(self):
        content = self.body_content(self.article)
        self.assertEqual(" ".join(content).count(QUOTE), 1)
        self.assertEqual(indexed_body(self.article).count(QUOTE), 1)
        self.assertIn("An analyst", content)

    def test_a_pull_quote_of_its_own_is_indexed(self):
        article = make_article(
            self.tree.insights,
            body=stream(
                ("paragraph", "<p>Other words.</p>"),
                ("pull_quote", {"quote": "Words found nowhere else."}),
            ),
        )
        self.assertEqual(self.body_content(article), ["Other words.", "Words found nowhere else."])
        self.assertEqual(indexed_body(article).count("Words found nowhere else."), 1)

    def test_only_reader_visible_text_is_indexed(self):
        content = self.body_content(self.article)
        self.assertEqual(
            content,
            [
                "What was said",
                f"Beijing's readout was blunt. {QUOTE} Trade came second.",
                "An analyst",
                "Debt passes GDP",
                "FRED",
            ],
        )
        for noise in ("None", "h2", "Section (H2)", "https://fred.example/series", "99.5"):
            self.assertNotIn(noise, indexed_body(self.article))

    def test_an_issue_indexes_what_its_chosen_pages_show(self):
        video = make_video(self.tree.videos, title="Perceptions of China | The Fung Bros")
        question = make_question(self.tree.questions, question="Should middle powers hedge?")
        issue = make_issue(
            self.tree.issues,
            body=stream(
                ("video_feature", {"video": video.pk, "blurb": "Watch this.", "cta_label": "Go"}),
                ("question_of_the_week", {"question": question.pk}),
                (
                    "related_links",
                    {"heading": "More", "links": list_items([{"page": self.article.pk}])},
                ),
            ),
        )
        issue = IssuePage.objects.get(pk=issue.pk)
        self.assertEqual(
            self.body_content(issue),
            [
                "Perceptions of China | The Fung Bros",
                "Watch this.",
                "Should middle powers hedge?",
                "More",
                "Two readouts of one call",
            ],
        )

    def test_an_unpublished_chosen_page_adds_nothing(self):
        video = make_video(self.tree.videos, title="Withdrawn video | Guest")
        video.unpublish()
        issue = make_issue(
            self.tree.issues,
            body=stream(("video_feature", {"video": video.pk, "blurb": "", "cta_label": "Go"})),
        )
        self.assertEqual(self.body_content(IssuePage.objects.get(pk=issue.pk)), [])


@skipUnless(connection.vendor == "postgresql", "the expression index is PostgreSQL's")
class MatchIndexTests(TestCase):
    """A search's match is served by an index, not a read of every index entry."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        for number in range(3):
            make_article(cls.tree.insights, title=f"Tariffs and trade {number}")

    MATCHED = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'

    def test_the_backend_matches_on_the_indexed_expression(self):
        search = SearchRequest(raw="tariffs", terms=["tariffs"])
        ranked = base_queryset(search).search("tariffs", operator="and")[:10].get_queryset()
        sql, _params = ranked.query.sql_with_params()
        # If the backend ever matches on another expression, the index serves nothing.
        self.assertIn(self.MATCHED, sql)

    def test_a_match_on_that_expression_is_served_by_the_index(self):
        with connection.cursor() as cursor:
            # A few rows are cheaper to scan: ask whether the index can serve
            # the match, not which plan is cheapest for them.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"EXPLAIN SELECT id FROM wagtailsearch_indexentry WHERE {self.MATCHED} "
                "to_tsquery('english'::regconfig, 'tariff')"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("focus_indexentry_title_body_gin", plan)
