"""Chinese output looks like Chinese text; other targets are left as the model wrote them."""
import pytest

from translator.typography import fit_to_target, normalize_chinese


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("习近平 说 , 中国 将 继续 .", "习近平说，中国将继续。"),
        ("他说(新华社)很好 。", "他说（新华社）很好。"),
        ("真的吗?是的!", "真的吗？是的！"),
        ('他说:"你好"', "他说：“你好”"),
        ("亚太 经合 组织 ; 拉共体", "亚太经合组织；拉共体"),
    ],
    ids=["spaces-and-ascii-comma-period", "parentheses", "question-exclamation", "colon-quotes",
         "semicolon"],
)
def test_chinese_gets_full_width_punctuation_and_no_spaces(raw, expected):
    assert normalize_chinese(raw) == expected


@pytest.mark.parametrize(
    "text",
    ["版本 3.5 很好", "访问 https://example.org/a_b?x=1 了解", "APEC 会议", "Xi said, hello (twice)."],
    ids=["decimal-number", "url", "latin-word-spacing", "english-sentence"],
)
def test_chinese_normalisation_leaves_numbers_urls_and_latin_alone(text):
    assert normalize_chinese(text) == text


def test_spanish_punctuation_is_kept():
    text = "¿Dijo Xi: «cooperación»? ¡Sí!"
    assert fit_to_target(text, "es") == text


def test_fit_to_target_normalises_chinese():
    assert fit_to_target("你好 , 世界 .", "zh") == "你好，世界。"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('He said "hello" to 习近平 and "bye" to 李克强.', 'He said "hello" to 习近平 and "bye" to 李克强。'),
        ('他说"你好"，她说"再见"。', "他说“你好”，她说“再见”。"),
        ('"Hi" 他说"你好"', '"Hi" 他说“你好”'),
        ('他说"你好', '他说"你好'),
    ],
    ids=["latin-quotes-around-chinese-words", "two-chinese-quotations", "latin-then-chinese", "unpaired"],
)
def test_quotes_are_paired_in_order_not_by_their_neighbours(raw, expected):
    assert normalize_chinese(raw) == expected
