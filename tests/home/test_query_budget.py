"""The home page renders in a fixed number of queries, however full the site is."""

from datetime import date, timedelta

from django.test import TestCase

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
from tests.query_budget import assert_fixed_queries


class HomeQueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.author = make_author()
        cls.topic = make_topic()
        make_issue(cls.tree.issues)
        make_video(cls.tree.videos)
        make_question(cls.tree.questions)
        make_article(
            cls.tree.insights, authors=[cls.author], topics=[cls.topic], lead_image=make_image()
        )

    def test_home_page(self):
        def grow():
            for n in range(20):
                make_article(
                    self.tree.insights,
                    title=f"Article {n}",
                    authors=[self.author, make_author(f"Author {n}")],
                    topics=[self.topic],
                    day=date(2026, 1, 1) + timedelta(days=n),
                    lead_image=make_image(f"Lead {n}"),
                )
                make_issue(self.tree.issues, day=date(2025, 1, 3) + timedelta(weeks=n))

        assert_fixed_queries(self, "/", grow, HOME_PAGE_QUERIES)


# One more than before the editions: the switcher looks up the home page's translations.
HOME_PAGE_QUERIES = 13
