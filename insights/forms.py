"""The Insights article's admin form."""

from __future__ import annotations

from home.publishing import PublishingRulesForm


class InsightArticleForm(PublishingRulesForm):
    """Offers only the topics of the article's own edition.

    Topics are translated per edition; ticking another edition's topic would
    file an English article under a Chinese topic page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("topics")
        if field is None:
            return
        locale_id = self.instance.locale_id if self.instance.pk else None
        if locale_id is None and self.parent_page is not None:
            locale_id = self.parent_page.locale_id
        if locale_id is not None:
            field.queryset = field.queryset.filter(locale_id=locale_id)
