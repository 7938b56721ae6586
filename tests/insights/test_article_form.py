"""The Insights article form as editors and contributors use it."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import build_site, make_article, make_topic
from tests.issues.editorial_helpers import make_staff


class TopicsFieldTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.topics = [make_topic("Foreign Policy"), make_topic("Trade")]
        cls.article = make_article(cls.tree.insights, topics=cls.topics[:1])

    def test_topics_are_checkboxes_with_the_chosen_ones_ticked(self):
        self.client.force_login(self.staff["editor"])
        page = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.article.pk]))
        html = page.content.decode()
        for topic in self.topics:
            self.assertIn(f'type="checkbox" name="topics" value="{topic.pk}"', html)
        self.assertNotIn('<select name="topics"', html)
        boxes = {
            topic.pk: html[html.index(f'name="topics" value="{topic.pk}"') :].split(">")[0]
            for topic in self.topics
        }
        self.assertIn("checked", boxes[self.topics[0].pk])
        self.assertNotIn("checked", boxes[self.topics[1].pk])
