"""How term text is normalised and cut into pieces, shared by the matcher, the model and lint.

A text is cut at every character that is not part of a word (letters, digits, combining marks):
``SPLIT.split("CELAC's summit")`` gives ``['CELAC', "'", 's', ' ', 'summit']``: words at even
indices, single separator characters at odd ones, with empty words between two separators. That
regular shape is what makes matching fast (see `glossary.match`): a term is a sequence of such
pieces, and comparing pieces instead of characters gives word boundaries for free ("apex" is never
"APEC", "Celaco" never "CELAC").

Typographic variants are folded before cutting, one character for one character so offsets stay
valid: curly and straight apostrophes are the same, and so are hyphen, non-breaking hyphen, figure
dash, en dash and minus sign. Em dashes stay punctuation of their own. Any run of whitespace counts
as one space.
"""
from __future__ import annotations

import re
import unicodedata

# Word characters plus the combining marks, so "Lo\u0301pez" (decomposed) stays one word.
_WORD_CHARS = r"\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
SPLIT = re.compile(f"([^{_WORD_CHARS}])")

#: One-for-one replacements applied to terms and texts before they are compared.
TYPOGRAPHIC = {
    "\u2019": "'",  # right single quotation mark (the usual curly apostrophe)
    "\u2018": "'",  # left single quotation mark
    "\u02bc": "'",  # modifier letter apostrophe
    "\uff07": "'",  # fullwidth apostrophe
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2212": "-",  # minus sign
    "\ufe63": "-",  # small hyphen-minus
    "\uff0d": "-",  # fullwidth hyphen-minus
}

_SPACES = re.compile(r"\s+")

# The scripts written without spaces between words, as character-class bodies: one definition
# for the term finder, the QA checks and Chinese typography.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs (+ extension A, compatibility)
KANA = "\u3040-\u30ff"  # hiragana and katakana
HANGUL = "\uac00-\ud7af"  # Hangul syllables (Korean separates words, but not inside them)
CJK = KANA + HAN + HANGUL


def fold_typography(text: str) -> str:
    """Replace typographic variants by their plain ASCII form without changing any offset.

    Chained `str.replace` calls, because on a megabyte of text they are an order of magnitude
    faster than `str.translate` with a mapping, and most texts contain none of these characters.
    """
    for fancy, plain in TYPOGRAPHIC.items():
        if fancy in text:
            text = text.replace(fancy, plain)
    return text


def clean(text: str) -> str:
    """The form in which terms, variants and renderings are stored: NFC, single spaces, trimmed.

    Stored text is compared with what users type and with what PO editors write back, so two
    spellings that look the same must also be the same string.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def pieces(text: str) -> list[str]:
    """Cut `text` the way the matcher cuts a document, with each whitespace run as one " "."""
    parts = SPLIT.split(fold_typography(text))
    out: list[str] = []
    for index, part in enumerate(parts):
        if index % 2 and part.isspace():
            # Collapse "a \n b" (pieces " ", "", "\n") into a single space piece.
            if len(out) >= 2 and out[-1] == "" and out[-2] == " ":
                out.pop()
                continue
            part = " "
        out.append(part)
    return out


def form_key(form: str, case_sensitive: bool) -> tuple[str, ...]:
    """The pieces that text must show for `form` to match, after the case rule is applied."""
    key = pieces(unicodedata.normalize("NFC", form).strip())
    if not case_sensitive:
        key = [p.lower() for p in key]
    return tuple(key)


def plural(word: str) -> str | None:
    """The regular English plural of `word`, or None where guessing one would do more harm.

    Only the last word of a term is inflected ("Comprehensive Strategic Partnerships"): -es after
    s, x, z, ch and sh ("viruses", "taxes"), -ies after a consonant + y ("economies"), -s
    otherwise. A word that is already plural ("States") gets a form no text contains, which costs
    nothing. Irregular plurals ("crises", "data") are variants. Words that do not end in a letter
    ("G20") are left alone.
    """
    if not word or not word[-1].isalpha():
        return None
    if word.isupper() and len(word) > 1:
        return word + "s"  # NGOs, SMEs: an acronym keeps its capitals and takes a small s
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"
