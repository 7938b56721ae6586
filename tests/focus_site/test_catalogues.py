"""The 简体 and 繁體 catalogues: complete, and compiled from what is committed."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.test import SimpleTestCase

CATALOGUES = {
    code: Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" for code in ("zh_Hans", "zh_Hant")
}


def entries(po) -> dict:
    return {
        (entry.msgctxt, entry.msgid): (entry.msgstr_plural or {0: entry.msgstr})
        for entry in po
        if entry.msgid
    }


class CatalogueTests(SimpleTestCase):
    def test_every_message_is_translated_in_both_editions(self):
        for code, folder in CATALOGUES.items():
            po = polib.pofile(str(folder / "django.po"))
            with self.subTest(catalogue=code):
                self.assertGreater(len(po), 100)
                untranslated = [entry.msgid for entry in po.untranslated_entries()]
                fuzzy = [entry.msgid for entry in po.fuzzy_entries() if entry.msgid]
                self.assertEqual(untranslated, [], "messages with no translation")
                self.assertEqual(fuzzy, [], "guessed (fuzzy) translations left unreviewed")
                # makemessages turns a message obsolete when no code uses it any more;
                # text the `translated` filter looks up is listed in home.runtime_text.
                self.assertEqual([entry.msgid for entry in po.obsolete_entries()], [])

    def test_both_editions_have_the_same_messages(self):
        hans, hant = (polib.pofile(str(folder / "django.po")) for folder in CATALOGUES.values())
        self.assertEqual(set(entries(hans)), set(entries(hant)))

    def test_the_compiled_catalogues_match_the_sources(self):
        # A .po edited without compilemessages serves the old text (or English).
        for code, folder in CATALOGUES.items():
            with self.subTest(catalogue=code):
                po = entries(polib.pofile(str(folder / "django.po")))
                mo = entries(polib.mofile(str(folder / "django.mo")))
                self.assertEqual(po, mo)

    def test_traditional_text_uses_traditional_words(self):
        # OpenCC converts characters, not vocabulary: these mainland words and
        # quotation marks are what a reviewer replaces (影片, 搜尋, 連結, 字元, 「」).
        po = polib.pofile(str(CATALOGUES["zh_Hant"] / "django.po"))
        translated = [text for value in entries(po).values() for text in value.values()]
        for mainland in ("視頻", "搜索", "鏈接", "字符", "文件夾", "通過電子郵件", "“", "”"):
            with self.subTest(word=mainland):
                self.assertEqual([text for text in translated if mainland in text], [])
