"""Language codes are checked once, with a message naming real codes."""
import pytest

from translator.errors import LanguageError
from translator.languages import check_code, from_langdetect


@pytest.mark.parametrize("given, code", [("es", "es"), ("ZH", "zh"), (" zh-cn ", "zh"), ("zh_TW", "zt")],
                         ids=["plain", "upper", "langdetect-simplified", "traditional"])
def test_known_codes_are_normalised(given, code):
    assert check_code(given) == code


@pytest.mark.parametrize("given", ["xx", "spanish", ""], ids=["unknown", "a-name", "empty"])
def test_unknown_codes_are_refused(given):
    with pytest.raises(LanguageError, match="unknown language code"):
        check_code(given)


def test_langdetect_codes_map_to_argos_codes():
    assert from_langdetect("zh-cn") == "zh" and from_langdetect("fr") == "fr"
