"""The article's admin form offers the topics of the article's own edition."""

from django.test import TestCase

from insights.models import InsightArticlePage
from tests.factories import build_site, make_article, make_topic, translate_page, translate_snippet


class ArticleFormTopicsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Peace & Security", "peace-security")
        cls.topic_hans = translate_snippet(cls.topic, "zh-hans", name="和平与安全")
        cls.article = make_article(cls.tree.insights, title="Arms control", slug="arms")
        cls.article_hans = translate_page(cls.article, "zh-hans", title="军控")

    def form_for(self, page, parent):
        form_class = InsightArticlePage.get_edit_handler().get_form_class()
        return form_class(instance=page, parent_page=parent, for_user=None)

    def test_an_english_article_offers_english_topics_only(self):
        form = self.form_for(self.article, self.tree.insights)
        self.assertEqual(list(form.fields["topics"].queryset), [self.topic])

    def test_a_translation_offers_its_edition_topics(self):
        form = self.form_for(self.article_hans, self.article_hans.get_parent())
        self.assertEqual(list(form.fields["topics"].queryset), [self.topic_hans])

    def test_a_new_article_takes_the_edition_of_its_section(self):
        form = self.form_for(InsightArticlePage(), self.tree.insights)
        self.assertEqual(list(form.fields["topics"].queryset), [self.topic])
