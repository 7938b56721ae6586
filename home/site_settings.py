"""Site-wide settings editors change in the admin (Settings → Focus site)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from home.caching.fragments import site_fragment


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    tagline = models.CharField(
        max_length=200,
        default="A community space to discuss the China-U.S. relationship and beyond.",
    )
    organisation = models.CharField(
        max_length=200, default="China-United States Exchange Foundation"
    )
    footer_text = models.TextField(
        max_length=800,
        default=(
            "Prepared by China-US Focus editorial teams in Hong Kong and New York, this weekly "
            "newsletter offers you snap shots of latest trends and developments emerging from "
            "China and the U.S. every week. It is a community space to exchange thoughts and "
            "ideas about the China-U.S. relationship and beyond."
        ),
        help_text="Closes every issue and the site footer.",
    )
    newsletter_email = models.EmailField(
        default="USeditor@chinausfocus.com",
        help_text="Where readers send answers to the Question of the Week.",
    )
    x_url = models.URLField("X (Twitter) profile", blank=True)
    facebook_url = models.URLField(blank=True)
    linkedin_url = models.URLField("LinkedIn page", blank=True)
    youtube_url = models.URLField("YouTube channel", blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("tagline"), FieldPanel("organisation"), FieldPanel("footer_text")],
            heading="Publication",
        ),
        FieldPanel("newsletter_email"),
        MultiFieldPanel(
            [
                FieldPanel("x_url"),
                FieldPanel("facebook_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("youtube_url"),
            ],
            heading="Social links",
        ),
    ]

    class Meta:
        verbose_name = "Focus site settings"

    @classmethod
    def for_site(cls, site):
        # Every page shows these; the site tag clears the copy when they are saved.
        if site is None:
            return super().for_site(site)
        return site_fragment(f"site-settings:{site.pk}", lambda: super(cls, cls).for_site(site))

    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("X", self.x_url),
            ("Facebook", self.facebook_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in links if url]
