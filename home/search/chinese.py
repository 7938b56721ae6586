"""Chinese text as the full-text index and queries see it.

Chinese is written without spaces, so SQLite's FTS5 tokenizer and
PostgreSQL's parser take a whole clause for one "word" and a two-character
query never matches. Every run of Han characters is therefore rewritten
before it is indexed or searched:

1. the script is normalised to Simplified with OpenCC (Taiwan and Hong Kong
   variants included), so 繁體 text and 简体 queries meet, and the reverse;
2. the run is segmented into words with jieba (its Rust binding, rjieba).

Documents are segmented in jieba's *search* mode, which adds the shorter words
inside long ones (中美关系 also gives 中美 and 关系); queries in its precise
mode, so a query word matches whenever the document holds it, however the
document's sentence was cut. Text without Han characters comes back as it
went in, so English indexing and search are untouched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc
import rjieba

# CJK Unified Ideographs with extensions A-F and the compatibility block.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RUN = re.compile(f"[{HAN}]+")
HAS_HAN = re.compile(f"[{HAN}]")
# The orders OpenCC is applied in: Taiwan variants, then Hong Kong ones; each
# also converts standard Traditional characters to Simplified.
NORMALISERS = ("tw2s", "hk2s")
# The publication's own words, added to jieba's dictionary (see the file).
WORDS_FILE = Path(__file__).with_name("words_zh.txt")


@lru_cache(maxsize=1)
def _converters() -> tuple[opencc.OpenCC, ...]:
    return tuple(opencc.OpenCC(config) for config in NORMALISERS)


def has_han(text: str) -> bool:
    return bool(text) and HAS_HAN.search(text) is not None


def to_simplified(text: str) -> str:
    """The text in Simplified characters (only Han characters change)."""
    if not has_han(text):
        return text
    for converter in _converters():
        text = converter.convert(text)
    return text


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
    # A segmenter of our own, so the added words change nothing else in the process.
    segmenter = rjieba.Jieba()
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            segmenter.add_word(word, None, None)
    return segmenter


def _words(run: str, *, for_query: bool) -> list[str]:
    segmenter = _segmenter()
    words = segmenter.cut(run) if for_query else segmenter.cut_for_search(run)
    return [word for word in words if word.strip()]


def _without_punctuation(text: str) -> str:
    # Full-width and CJK punctuation (，。「」《》、…) is a word character to
    # PostgreSQL under the C locale; it would stick to the words beside it.
    return "".join(
        " " if ord(char) > 127 and unicodedata.category(char)[0] in "PSZ" else char for char in text
    )


def _segment(text: str, *, for_query: bool) -> str:
    if not has_han(text):
        return text
    text = _without_punctuation(to_simplified(text))
    return HAN_RUN.sub(lambda run: f" {' '.join(_words(run[0], for_query=for_query))} ", text)


def index_text(text: str) -> str:
    """Text as it is stored in the search index: Chinese normalised and cut into words."""
    return " ".join(_segment(text, for_query=False).split()) if has_han(text) else text


def query_text(text: str) -> str:
    """A query as it is matched against the index: the same normalising, precise cut."""
    return " ".join(_segment(text, for_query=True).split()) if has_han(text) else text


def query_variants(term: str) -> set[str]:
    """A query word in every script a page may use, for marking it in result snippets."""
    if not has_han(term):
        return {term}
    simplified = to_simplified(term)
    variants = {term, simplified}
    for config in ("s2t", "s2hk", "s2tw"):
        variants.add(script_converter(config).convert(simplified))
    return variants


@lru_cache(maxsize=4)
def script_converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)
