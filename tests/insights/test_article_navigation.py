"""Previous and next links between Insights articles."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from tests.factories import build_site, make_article


class ArticleNavigationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.first = make_article(cls.tree.insights, title="First", day=date(2026, 1, 1))
        # Two on one day: the later-created one counts as newer, as in the listing.
        cls.second = make_article(cls.tree.insights, title="Second", day=date(2026, 1, 5))
        cls.third = make_article(cls.tree.insights, title="Third", day=date(2026, 1, 5))
        cls.draft = make_article(cls.tree.insights, title="Draft", day=date(2026, 1, 9))
        cls.draft.unpublish()

    def test_neighbours_follow_the_listing_order(self):
        self.assertIsNone(self.first.previous_article())
        self.assertEqual(self.first.next_article().pk, self.second.pk)
        self.assertEqual(self.second.previous_article().pk, self.first.pk)
        self.assertEqual(self.second.next_article().pk, self.third.pk)
        self.assertEqual(self.third.previous_article().pk, self.second.pk)
        # The unpublished draft is skipped.
        self.assertIsNone(self.third.next_article())

    def test_the_page_links_to_its_neighbours(self):
        response = self.client.get(self.second.url)
        self.assertContains(
            response, f'<a href="{self.first.url}" rel="prev">← Previous: First</a>'
        )
        self.assertContains(response, f'<a href="{self.third.url}" rel="next">Next: Third →</a>')
        self.assertNotContains(self.client.get(self.first.url), 'rel="prev"')
