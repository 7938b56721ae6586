"""OpenCC conversion of Simplified Chinese drafts into Traditional Chinese."""

from django.test import SimpleTestCase

from home.script_conversion import VARIANTS, to_traditional, tool_name


class ToTraditionalTests(SimpleTestCase):
    def test_characters_are_converted(self):
        self.assertEqual(to_traditional("中美关系", "s2t"), "中美關係")
        self.assertEqual(to_traditional("习近平与特朗普通话", "s2t"), "習近平與特朗普通話")

    def test_one_simplified_character_maps_by_meaning(self):
        # 发 is 髮 in hair and 發 in "issue": OpenCC picks by the phrase.
        self.assertEqual(to_traditional("头发", "s2t"), "頭髮")
        self.assertEqual(to_traditional("发表", "s2t"), "發表")

    def test_regional_variants_differ(self):
        self.assertEqual(to_traditional("台湾", "s2t"), "臺灣")
        self.assertEqual(to_traditional("台湾", "s2hk"), "台灣")
        self.assertEqual(to_traditional("台湾", "s2tw"), "臺灣")

    def test_taiwan_phrases_replace_words(self):
        self.assertEqual(to_traditional("软件和信息", "s2tw"), "軟件和信息")
        self.assertEqual(to_traditional("软件和信息", "s2twp"), "軟體和資訊")

    def test_markup_and_latin_text_pass_through(self):
        source = '关于<a id="a1">中英外交</a>的文章（Focus，2026年）'
        self.assertEqual(
            to_traditional(source, "s2hk"), '關於<a id="a1">中英外交</a>的文章（Focus，2026年）'
        )

    def test_empty_text(self):
        self.assertEqual(to_traditional("", "s2t"), "")

    def test_unknown_variant_is_refused(self):
        with self.assertRaisesMessage(ValueError, "Unknown OpenCC variant 't2s'"):
            to_traditional("中国", "t2s")

    def test_every_variant_loads(self):
        for variant in VARIANTS:
            with self.subTest(variant=variant):
                self.assertEqual(to_traditional("国", variant), "國")

    def test_tool_name_names_the_variant(self):
        self.assertEqual(tool_name("s2hk"), "OpenCC s2hk")
