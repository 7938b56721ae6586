"""The project's image tags emit exactly what Wagtail's emit, however the renditions are found.

``{% stored_image %}``, ``{% stored_srcset_image %}`` and ``{% stored_picture %}``
(``home/templatetags/focus_tags.py``) differ from Wagtail's ``{% image %}``,
``{% srcset_image %}`` and ``{% picture %}`` only in not writing back to the
cache a rendition they already hold; the HTML must not change.
"""

from __future__ import annotations

from django.core.cache import caches
from django.template import Context, Template
from django.test import TestCase
from wagtail.images import get_image_model

from tests.factories import make_image

# The arguments the site's templates pass, and the other forms of each tag.
PICTURE = (
    'format-{avif,webp,jpeg} width-{600,1200} sizes="(min-width: 48rem) 45rem, 100vw" '
    'alt=alt loading="lazy" decoding="async"'
)
CALLS = [
    ("picture", PICTURE),
    ("picture", 'format-{avif,webp,jpeg} fill-{320x180,640x360} alt="" fetchpriority="high"'),
    ("picture", 'width-{400,800} class="wide" alt=alt'),
    ("picture", "width-300"),
    ("srcset_image", 'width-{400,800} sizes="100vw" alt=alt loading="lazy"'),
    ("srcset_image", "fill-200x100"),
    ("image", 'fill-1280x720 alt="" loading="lazy" class="poster"'),
    ("image", "width-560 format-jpeg"),
]
AS_CALLS = [
    ("image", "width-560 format-jpeg", "{{ r.url }} {{ r.width }} {{ r.height }} {{ r.alt }}"),
    ("image", "fill-192x192", "{{ r.url }} {{ r.width }}x{{ r.height }}"),
    ("picture", "format-{webp,jpeg} width-{300,600}", "{{ r }}|{{ r.formats|length }}"),
    ("srcset_image", "width-{300,600}", "{{ r }}|{{ r.renditions|length }}"),
]


def render(source: str, **context) -> str:
    return Template("{% load wagtailimages_tags focus_tags %}" + source).render(Context(context))


class StoredImageTagTests(TestCase):
    def assert_same(self, image, alt="A harbour, at dawn & dusk") -> None:
        for tag, arguments in CALLS:
            with self.subTest(tag=tag, arguments=arguments):
                ours = render(f"{{% stored_{tag} image {arguments} %}}", image=image, alt=alt)
                theirs = render(f"{{% {tag} image {arguments} %}}", image=image, alt=alt)
                self.assertEqual(ours, theirs)
                self.assertIn("<img", ours)
        for tag, arguments, shown in AS_CALLS:
            with self.subTest(tag=tag, arguments=arguments, form="as"):
                ours = render(f"{{% stored_{tag} image {arguments} as r %}}{shown}", image=image)
                theirs = render(f"{{% {tag} image {arguments} as r %}}{shown}", image=image)
                self.assertEqual(ours, theirs)

    def test_renditions_made_by_our_tags(self):
        # Ours create the renditions; Wagtail's find them.
        self.assert_same(make_image("Fresh", size=(1600, 900)))

    def test_renditions_made_by_wagtails_tags(self):
        image = make_image("Fresh", size=(1600, 900))
        for tag, arguments in CALLS:
            render(f"{{% {tag} image {arguments} %}}", image=image, alt="")
        self.assert_same(image)

    def test_prefetched_renditions(self):
        image = make_image("Prefetched", size=(1600, 900))
        self.assert_same(image)
        self.assert_same(get_image_model().objects.prefetch_renditions().get(pk=image.pk))

    def test_renditions_from_the_cache_or_the_database(self):
        image = make_image("Stored", size=(1600, 900))
        self.assert_same(image)
        self.assert_same(get_image_model().objects.get(pk=image.pk))
        caches["default"].clear()
        self.assert_same(get_image_model().objects.get(pk=image.pk))

    def test_lost_original_renders_wagtails_not_found(self):
        image = make_image("Lost", size=(1600, 900))
        image.file.storage.delete(image.file.name)
        self.assert_same(image)
        self.assertIn("not-found", render(f"{{% stored_picture image {PICTURE} %}}", image=image))

    def test_lost_original_with_renditions_made_before(self):
        image = make_image("Lost later", size=(1600, 900))
        self.assert_same(image)
        image.file.storage.delete(image.file.name)
        fresh = get_image_model().objects.get(pk=image.pk)
        self.assert_same(fresh)
        self.assertNotIn(
            "not-found", render(f"{{% stored_picture image {PICTURE} %}}", image=fresh)
        )

    def test_no_image(self):
        for tag, arguments in CALLS:
            self.assertEqual(render(f"{{% stored_{tag} image {arguments} %}}", image=None), "")
        self.assertEqual(
            render("{% stored_image image width-560 as r %}{{ r|default:'none' }}", image=None),
            "none",
        )

    def test_prefetched_rendition_is_not_written_back(self):
        image = make_image("Held", size=(1600, 900))
        render(f"{{% stored_picture image {PICTURE} %}}", image=image, alt="")
        render("{% stored_image image fill-1280x720 as r %}", image=image)
        held = get_image_model().objects.prefetch_renditions().get(pk=image.pk)
        caches["default"].clear()
        render(f"{{% stored_picture image {PICTURE} %}}", image=held, alt="")
        render("{% stored_image image fill-1280x720 as r %}", image=held)
        # Nothing was read from or written to the renditions cache.
        self.assertEqual(caches["default"]._cache, {})
