"""Target-language typography: make machine output look like text written in that language.

SentencePiece models often put spaces between Chinese characters and use ASCII punctuation next to
them; Chinese text uses neither. Only the target's own conventions are applied: Spanish output
keeps its punctuation (¿ ¡ « ») exactly as the model wrote it.
"""
from __future__ import annotations

import re

from glossary.text import HAN

_HAN = HAN
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u00b7\u2014\u2026"
_CJK = _HAN + _CJK_PUNCT

_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
_FULL_WIDTH = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"}
# ASCII punctuation right after a Han character, not inside a number or a URL ("3.5", "a:b").
_ASCII_PUNCT_AFTER_HAN = re.compile(rf"(?<=[{_HAN}])\s*([,?!:;])(?![0-9A-Za-z/])")
_PERIOD_AFTER_HAN = re.compile(rf"(?<=[{_HAN}])\s*\.(?![0-9A-Za-z.])")
_PARENS_AROUND_HAN = re.compile(rf"\s*\(([^()]*[{_HAN}][^()]*)\)\s*")
_SPACE_AFTER_FULL_WIDTH = re.compile(r"(?<=[，。？！：；、（）])[ \t]+")
_SPACE_BEFORE_FULL_WIDTH = re.compile(r"[ \t]+(?=[，。？！：；、（）])")
_STRAIGHT_QUOTES_AROUND_HAN = re.compile(rf'"([^"]*[{_HAN}][^"]*)"')


def normalize_chinese(text: str) -> str:
    """Full-width punctuation next to Han characters and no spaces between CJK characters."""
    text = _ASCII_PUNCT_AFTER_HAN.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    text = _PERIOD_AFTER_HAN.sub("。", text)
    text = _PARENS_AROUND_HAN.sub(lambda m: f"（{m.group(1).strip()}）", text)
    text = _STRAIGHT_QUOTES_AROUND_HAN.sub(lambda m: f"“{m.group(1).strip()}”", text)
    text = _SPACE_AFTER_FULL_WIDTH.sub("", text)
    text = _SPACE_BEFORE_FULL_WIDTH.sub("", text)
    return _SPACE_BETWEEN_CJK.sub("", text)


def fit_to_target(text: str, lang: str) -> str:
    """Apply the target language's typography to one translated sentence."""
    if lang in ("zh", "zt"):
        return normalize_chinese(text)
    return text
