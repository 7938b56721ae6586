"""Simplified → Traditional Chinese with OpenCC, for the 繁體 edition's drafts.

OpenCC converts characters and, in its regional configurations, phrases
(Taiwan: 软件 → 軟體). Its output is a draft for a translator to review, never
finished text: a character can map to several traditional ones by meaning.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

# Configuration -> what an editor sees when choosing one.
VARIANTS: dict[str, str] = {
    "s2t": "Traditional Chinese (OpenCC standard characters)",
    "s2hk": "Traditional Chinese, Hong Kong variant characters",
    "s2tw": "Traditional Chinese, Taiwan variant characters",
    "s2twp": "Traditional Chinese, Taiwan characters and phrases (软件 → 軟體)",
}
DEFAULT_VARIANT = "s2hk"


@lru_cache(maxsize=len(VARIANTS))
def _converter(variant: str) -> opencc.OpenCC:
    # Loading a configuration reads its dictionaries: do it once per process.
    return opencc.OpenCC(variant)


def to_traditional(text: str, variant: str = DEFAULT_VARIANT) -> str:
    """``text`` in Traditional characters. HTML tags and Latin text pass through."""
    if variant not in VARIANTS:
        raise ValueError(
            f"Unknown OpenCC variant {variant!r}; choose one of {', '.join(VARIANTS)}."
        )
    if not text:
        return text
    return _converter(variant).convert(text)


def tool_name(variant: str) -> str:
    """How a converted segment names its origin in the translation editor."""
    return f"OpenCC {variant}"
