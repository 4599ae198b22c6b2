"""Language codes: which ones exist, their names, and how langdetect's codes map onto Argos's."""
from __future__ import annotations

from .errors import LanguageError

# The languages Argos Translate publishes packages for (its index, 2025), by ISO 639-1 code.
# "zt" is Argos's code for Traditional Chinese.
NAMES: dict[str, str] = {
    "ar": "Arabic", "az": "Azerbaijani", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew",
    "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "ky": "Kyrgyz", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
    "nb": "Norwegian Bokmål", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
    "zt": "Chinese (traditional)",
}

# langdetect names a few languages differently from Argos.
_FROM_LANGDETECT = {"zh-cn": "zh", "zh-tw": "zt", "no": "nb"}

CJK_LANGUAGES = frozenset({"zh", "zt", "ja"})


def from_langdetect(code: str) -> str:
    """Map a langdetect code onto the Argos code for the same language."""
    return _FROM_LANGDETECT.get(code, code)


def check_code(code: str) -> str:
    """Return `code` normalised, or raise LanguageError naming the codes that exist."""
    normal = code.strip().lower().replace("_", "-")
    normal = _FROM_LANGDETECT.get(normal, normal)
    if normal not in NAMES:
        raise LanguageError(
            f"unknown language code {code!r}; use an ISO 639-1 code such as es, zh, fr, de"
        )
    return normal


def name(code: str) -> str:
    return NAMES.get(code, code)
