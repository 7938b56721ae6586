"""Each shared block: clean() catches what an editor gets wrong; each rendering holds the value."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.template.loader import get_template
from django.test import SimpleTestCase, TestCase

from home.blocks import (
    RENDER_MODES,
    BodyStreamBlock,
    ChartCalloutBlock,
    EmbedBlock,
    HeadingBlock,
    PullQuoteBlock,
    RelatedLinkBlock,
    RelatedLinksBlock,
    parse_video_url,
)
from issues.blocks import IssueStreamBlock
from tests.factories import build_site, make_article, make_author, make_image

# Every block carries all four renderings.
REQUIRED_MODES = list(RENDER_MODES)


def block_errors(block, raw):
    try:
        block.clean(block.to_python(raw))
    except ValidationError as error:
        return {name: str(err.messages) for name, err in error.block_errors.items()}
    return {}


class RenderingTemplatesTests(SimpleTestCase):
    def test_every_block_of_every_stream_has_each_rendering(self):
        for stream in (BodyStreamBlock(), IssueStreamBlock()):
            for name, block in stream.child_blocks.items():
                for mode in REQUIRED_MODES:
                    with self.subTest(block=name, mode=mode):
                        get_template(block.template_for(mode))

    def test_unknown_mode_is_refused(self):
        with self.assertRaises(ValueError):
            PullQuoteBlock().template_for("pdf")


class PullQuoteBlockTests(SimpleTestCase):
    def test_affiliation_needs_a_speaker(self):
        errors = block_errors(PullQuoteBlock(), {"quote": "Words.", "affiliation": "Professor"})
        self.assertIn("speaker", errors)

    def test_empty_quote_is_refused(self):
        self.assertIn("quote", block_errors(PullQuoteBlock(), {"quote": ""}))

    def test_renders_quote_speaker_and_outside_source(self):
        block = PullQuoteBlock()
        value = block.to_python(
            {
                "quote": "Territorial integrity is non-negotiable <b>here</b>.",
                "speaker": "Zhao Minghao",
                "affiliation": "Professor, Fudan University",
                "source_url": "https://example.org/essay",
                "source_title": "An essay",
            }
        )
        html = block.render(block.clean(value))
        self.assertInHTML(
            "<blockquote cite='https://example.org/essay'><p>Territorial integrity is "
            "non-negotiable &lt;b&gt;here&lt;/b&gt;.</p></blockquote>",
            html,
        )
        self.assertIn("Zhao Minghao", html)
        self.assertIn('<cite><a href="https://example.org/essay">An essay</a></cite>', html)
        text = block.render_as(value, "text")
        self.assertIn("“Territorial integrity is non-negotiable <b>here</b>.”", text)
        self.assertIn("https://example.org/essay", text)


class HeadingBlockTests(SimpleTestCase):
    def test_renders_chosen_level(self):
        block = HeadingBlock()
        html = block.render(block.to_python({"text": "What changed", "level": "h3"}))
        self.assertInHTML("<h3>What changed</h3>", html)

    def test_text_is_required(self):
        self.assertIn("text", block_errors(HeadingBlock(), {"text": "", "level": "h2"}))


class ChartCalloutBlockTests(SimpleTestCase):
    def raw(self, **overrides):
        raw = {
            "headline": "U.S. debt now exceeds GDP",
            "data_label": "Debt, % of GDP",
            "unit": "%",
            "data": [
                {"label": "Q4 2011", "value": "99.4"},
                {"label": "Q4 2012", "value": "103.7"},
            ],
            "source_note": "FRED, GFDEGDQ188S",
        }
        raw.update(overrides)
        return raw

    def test_needs_two_points_or_an_image(self):
        errors = block_errors(ChartCalloutBlock(), self.raw(data=[{"label": "A", "value": "1"}]))
        self.assertIn("at least two data points", errors["data"])

    def test_source_note_is_required(self):
        self.assertIn("source_note", block_errors(ChartCalloutBlock(), self.raw(source_note="")))

    def test_data_chart_renders_svg_with_text_alternative_and_table(self):
        block = ChartCalloutBlock()
        value = block.clean(block.to_python(self.raw()))
        html = block.render(value)
        self.assertIn('role="img"', html)
        self.assertIn(
            'aria-label="Bar chart of Debt, % of GDP. Q4 2011: 99.4%; Q4 2012: 103.7%."', html
        )
        self.assertEqual(html.count('<rect class="bar"'), 2)
        self.assertInHTML('<tr><th scope="row">Q4 2012</th><td>103.7%</td></tr>', html)
        self.assertIn("Source: FRED, GFDEGDQ188S", html)
        # No article chosen: no dangling "Learn more".
        self.assertNotIn("Learn more", html)

    def test_tallest_bar_fills_the_plot(self):
        value = ChartCalloutBlock().to_python(self.raw())
        bars = value.geometry.bars
        self.assertGreater(bars[1].height, bars[0].height)
        self.assertEqual(bars[1].value, Decimal("103.7"))

    def test_text_rendering_lists_the_numbers(self):
        block = ChartCalloutBlock()
        text = block.render_as(block.to_python(self.raw()), "text")
        self.assertIn("U.S. DEBT NOW EXCEEDS GDP", text)
        self.assertIn("Q4 2012: 103.7%", text)


class ChartCalloutWithImageTests(TestCase):
    def test_uploaded_chart_needs_alt_text_and_no_data(self):
        block = ChartCalloutBlock()
        image = make_image()
        value = block.to_python(
            {
                "headline": "A chart",
                "chart_image": image.pk,
                "data": [{"label": "A", "value": "1"}],
                "source_note": "Somewhere",
            }
        )
        with self.assertRaises(ValidationError) as caught:
            block.clean(value)
        self.assertEqual(set(caught.exception.block_errors), {"data", "alt_text"})

    def test_learn_more_takes_title_and_authors_from_the_article(self):
        tree = build_site()
        article = make_article(
            tree.insights,
            authors=[make_author("Sajjad Ashraf"), make_author("Ma Xue")],
        )
        block = ChartCalloutBlock()
        value = block.to_python(
            {
                "headline": "Debt",
                "data": [{"label": "A", "value": "1"}, {"label": "B", "value": "2"}],
                "source_note": "FRED",
                "article": article.pk,
            }
        )
        html = block.render(value)
        self.assertIn(
            f'Learn more in <a href="{article.url}">“{article.title}”</a> by Sajjad Ashraf and '
            "Ma Xue.",
            html,
        )
        article.unpublish()
        value = block.to_python(block.get_prep_value(value))
        self.assertNotIn("Learn more", block.render(value))


class PullQuoteWithPageTests(TestCase):
    def test_page_and_url_together_are_refused(self):
        tree = build_site()
        errors = block_errors(
            PullQuoteBlock(),
            {"quote": "Words.", "source_page": tree.home.pk, "source_url": "https://example.org/"},
        )
        self.assertIn(
            "Choose a Focus page or enter an outside address, not both.", errors["source_url"]
        )

    def test_source_page_gives_the_citation(self):
        tree = build_site()
        article = make_article(tree.insights, title="The source article")
        block = PullQuoteBlock()
        html = block.render(block.to_python({"quote": "Words.", "source_page": article.pk}))
        self.assertIn(f'<cite><a href="{article.url}">The source article</a></cite>', html)


class RelatedLinksBlockTests(TestCase):
    def test_each_link_is_exactly_one_of_page_or_url(self):
        self.assertIn("url", block_errors(RelatedLinkBlock(), {"label": "Nothing"}))

    def test_outside_link_needs_a_label(self):
        errors = block_errors(RelatedLinkBlock(), {"url": "https://example.org/"})
        self.assertIn("label", errors)

    def test_unpublished_and_deleted_pages_are_left_out(self):
        tree = build_site()
        live = make_article(tree.insights, title="Live article")
        draft = make_article(tree.insights, title="Soon unpublished")
        gone = make_article(tree.insights, title="Soon deleted")
        draft.unpublish()
        gone_id = gone.pk
        gone.delete()
        block = RelatedLinksBlock()
        value = block.to_python(
            {
                "heading": "Latest",
                "links": [
                    {"page": live.pk},
                    {"page": draft.pk},
                    {"page": gone_id},
                    {"url": "https://example.org/", "label": "Outside"},
                ],
            }
        )
        html = block.render(value)
        self.assertIn("Live article", html)
        self.assertNotIn("Soon unpublished", html)
        self.assertIn('<a href="https://example.org/" rel="noopener">Outside</a>', html)
        text = block.render_as(value, "text")
        self.assertIn(f"- Live article: http://testserver{live.url}", text)


class EmbedBlockTests(SimpleTestCase):
    def test_video_urls_are_parsed_without_network(self):
        self.assertEqual(
            parse_video_url("https://youtu.be/abcDEF12345"), ("youtube", "abcDEF12345")
        )
        self.assertEqual(
            parse_video_url("https://www.youtube.com/watch?v=abcDEF12345&t=3"),
            ("youtube", "abcDEF12345"),
        )
        self.assertEqual(parse_video_url("https://vimeo.com/123456789"), ("vimeo", "123456789"))
        self.assertIsNone(parse_video_url("https://example.org/watch?v=abcDEF12345"))
        self.assertIsNone(parse_video_url("javascript:alert(1)"))

    def test_video_renders_click_to_load_player_and_no_iframe(self):
        block = EmbedBlock()
        html = block.render(
            block.to_python({"url": "https://youtu.be/abcDEF12345", "title": "An interview"})
        )
        self.assertNotIn("<iframe", html)
        self.assertIn(
            'data-video-player="https://www.youtube-nocookie.com/embed/abcDEF12345?autoplay=1&amp;rel=0"',
            html,
        )
        self.assertIn('href="https://youtu.be/abcDEF12345"', html)

    def test_other_urls_render_as_a_link(self):
        block = EmbedBlock()
        html = block.render(block.to_python({"url": "https://example.org/map", "title": "A map"}))
        self.assertInHTML('<a href="https://example.org/map">A map</a>', html)


class PagePoolTests(TestCase):
    """Blocks share pages loaded during one rendering, and only during it."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Shared source")

    def lookups(self) -> None:
        """Two block types loading the same page, as a quote and a related link do."""
        PullQuoteBlock().child_blocks["source_page"].bulk_to_python([self.article.pk])
        RelatedLinkBlock().child_blocks["page"].bulk_to_python([self.article.pk])

    def test_pages_are_shared_within_a_rendering_and_fresh_outside(self):
        from home.blocks.base import page_pool

        with page_pool.rendering(), self.assertNumQueries(1):
            self.lookups()
        self.assertFalse(page_pool.active)
        with self.assertNumQueries(2):
            self.lookups()

    def test_a_request_is_one_rendering_that_ends_with_it(self):
        from wagtail import hooks

        from home.blocks.base import page_pool

        seen = []

        def record(page, request, *args):
            seen.append((page_pool.active, page_pool.reading_locale))

        with hooks.register_temporarily("before_serve_page", record, order=100):
            self.assertEqual(self.client.get(self.article.url).status_code, 200)
        # Active while the page was served, in the page's edition; gone afterwards.
        self.assertEqual(seen, [(True, self.article.locale_id)])
        self.assertFalse(page_pool.active)
        self.assertIsNone(page_pool.reading_locale)

    def test_a_rendering_ends_even_when_it_fails(self):
        from home.blocks.base import page_pool

        with self.assertRaises(RuntimeError), page_pool.rendering(self.article.locale_id):
            raise RuntimeError("the template broke")
        self.assertFalse(page_pool.active)
        self.assertIsNone(page_pool.reading_locale)

    def test_concurrent_renderings_do_not_see_each_other(self):
        """Two asyncio tasks on one thread, as an ASGI server runs two requests."""
        import asyncio

        from home.blocks.base import page_pool

        async def first(opened: asyncio.Event, checked: asyncio.Event):
            with page_pool.rendering(self.article.locale_id):
                opened.set()
                await checked.wait()
                return page_pool.active

        async def second(opened: asyncio.Event, checked: asyncio.Event):
            await opened.wait()
            seen = (page_pool.active, page_pool.reading_locale)
            checked.set()
            return seen

        async def both():
            opened, checked = asyncio.Event(), asyncio.Event()
            return await asyncio.gather(first(opened, checked), second(opened, checked))

        still_open, seen_by_other = asyncio.run(both())
        self.assertTrue(still_open)
        self.assertEqual(seen_by_other, (False, None))

    def test_an_email_renders_in_a_rendering_of_its_own(self):
        from home.blocks.base import page_pool

        with page_pool.rendering():
            self.lookups()
            with page_pool.reading(self.article.locale_id), self.assertNumQueries(1):
                # Its own pool: nothing carried over from the request's...
                self.lookups()
            # ...and the request's is back, with its pages and no edition.
            self.assertIsNone(page_pool.reading_locale)
            with self.assertNumQueries(0):
                self.lookups()
