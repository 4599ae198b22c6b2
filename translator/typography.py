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
_HAN_CHAR = re.compile(f"[{_HAN}]")


def normalize_chinese(text: str) -> str:
    """Full-width punctuation next to Han characters and no spaces between CJK characters."""
    text = _ASCII_PUNCT_AFTER_HAN.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    text = _PERIOD_AFTER_HAN.sub("。", text)
    text = _PARENS_AROUND_HAN.sub(lambda m: f"（{m.group(1).strip()}）", text)
    text = _curly_quotes(text)
    text = _SPACE_AFTER_FULL_WIDTH.sub("", text)
    text = _SPACE_BEFORE_FULL_WIDTH.sub("", text)
    return _SPACE_BETWEEN_CJK.sub("", text)


def _curly_quotes(text: str) -> str:
    """Straight double quotes around Chinese become “ and ”, paired in order (1st with 2nd, 3rd
    with 4th: what opens a quotation is decided by pairing, never by the neighbouring
    character); a pair around Latin text, or a quote left without a partner, stays as written."""
    marks = [i for i, ch in enumerate(text) if ch == '"']
    if len(marks) < 2:
        return text
    out, done = [], 0
    for opening, closing in zip(marks[::2], marks[1::2]):
        inside = text[opening + 1 : closing]
        if _HAN_CHAR.search(inside):
            out += [text[done:opening], "“", inside.strip(), "”"]
            done = closing + 1
    return "".join(out) + text[done:]


def fit_to_target(text: str, lang: str) -> str:
    """Apply the target language's typography to one translated sentence."""
    if lang in ("zh", "zt"):
        return normalize_chinese(text)
    return text
