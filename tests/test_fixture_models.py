"""The copy-model fixture packages (built by tests/fixtures/build_models.py) are genuine Argos
packages whose model echoes its input exactly.

Every other test that runs the translator on these packages relies on that echo, so these tests
pin it down with held-out sentences (none of them is in the training text) through the same steps
the translator takes: the package's own tokenizer, ``ctranslate2.Translator`` with beam search,
detokenisation.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm
from argostranslate import package as argos_package
from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer
from conftest import FIXTURES

MODELS = FIXTURES / "models"

# code -> (to_code, tokenizer class, target_prefix)
PACKAGES = {
    "translate-en_es-copytest": ("es", SentencePieceTokenizer, ""),
    "translate-en_zh-copytest": ("zh", SentencePieceTokenizer, ""),
    "translate-en_es-copytest-bpe": ("es", BPETokenizer, ""),
    "translate-en_zh-copytest-prefix": ("zh", SentencePieceTokenizer, "__zh__"),
}
SP_PACKAGES = [c for c, (_, tok, _) in PACKAGES.items() if tok is SentencePieceTokenizer]

# Held-out sentences: not in tests/fixtures/corpus.txt nor in seeds/. 5 to 59 words.
COMMON = {
    "short": "Officials met again on Thursday morning.",
    "us-senate-nov": "The U.S. Senate approved the spending bill on Nov. 16 by a vote of 52 to 47.",
    "accented-name": (
        "Mexican President Andrés Manuel López Obrador said both countries would expand trade "
        "and investment in 2024."
    ),
    "quotes": '"We are ready to work together," the foreign minister told reporters after the meeting in Beijing.',
    "parentheses-digits": (
        "Exports rose 7.5 percent (to $3.2 billion) in the third quarter, the fastest pace since 2019, "
        "the statistics bureau said on Monday."
    ),
    "long-59-words": (
        "The delegation, which included senior officials from the ministries of trade, finance and "
        "agriculture, spent three days in the capital, where it held talks with business leaders, "
        "visited two factories that make batteries for electric cars, and signed a memorandum of "
        "understanding on scientific research, student exchanges and the protection of forests along "
        "the border between the two countries."
    ),
}
SP_ONLY = {
    "em-dash": "Inflation eased to 3.1 percent in October — the lowest level in two years — according to official data.",
    "placeholder-url": "The glossary term __TERM_0__ is defined at https://example.org/a_b for all reviewers.",
    "chinese": "The trade forum in 北京 and 上海 drew about 1,200 guests from 40 countries.",
}
SP_SENTENCES = {**COMMON, **SP_ONLY}
BPE_SENTENCES = dict(COMMON)


def _short(code: str) -> str:
    return code.removeprefix("translate-")


@pytest.fixture(scope="module")
def packages_dir(tmp_path_factory) -> Path:
    """All fixture packages extracted (with zipfile, as Argos's installer would) into one folder."""
    root = tmp_path_factory.mktemp("argos-packages")
    for code in PACKAGES:
        with zipfile.ZipFile(MODELS / f"{code}.argosmodel") as zf:
            zf.extractall(root)
    return root


@pytest.fixture(scope="module")
def loaded(packages_dir):
    """code -> (Package, Translator); the (shared) model is loaded once per package."""
    return {
        code: (
            argos_package.Package(packages_dir / code),
            ctranslate2.Translator(str(packages_dir / code / "model"), device="cpu", inter_threads=1),
        )
        for code in PACKAGES
    }


def _encode(pkg, text: str) -> list[str]:
    if isinstance(pkg.tokenizer, BPETokenizer):
        return pkg.tokenizer.encode(text)
    # The package's SentencePiece model, used directly (as the translator does).
    return pkg.tokenizer.lazy_processor().encode(text, out_type=str)


def _decode(pkg, tokens: list[str]) -> str:
    if isinstance(pkg.tokenizer, BPETokenizer):
        return pkg.tokenizer.decode(tokens)
    # Not SentencePieceTokenizer.decode: that one also turns every "_" into a space.
    return pkg.tokenizer.lazy_processor().decode_pieces(tokens)


def _translate(pkg, translator, texts: list[str], prefix: str | None = None) -> list[list[str]]:
    batch = [_encode(pkg, t) for t in texts]
    kwargs = {"target_prefix": [[prefix]] * len(batch)} if prefix else {}
    results = translator.translate_batch(
        batch,
        beam_size=4,
        max_decoding_length=2 * max(len(b) for b in batch) + 10,
        **kwargs,
    )
    return [r.hypotheses[0] for r in results]


@pytest.fixture(scope="module")
def batched_outputs(loaded):
    """code -> {sentence id -> output tokens}: one batched call per package, as the pipeline makes."""
    out = {}
    for code, (pkg, translator) in loaded.items():
        sentences = BPE_SENTENCES if isinstance(pkg.tokenizer, BPETokenizer) else SP_SENTENCES
        hyps = _translate(pkg, translator, list(sentences.values()), pkg.target_prefix or None)
        out[code] = dict(zip(sentences, hyps))
    return out


# ------------------------------------------------------------------------------------- archives
@pytest.mark.parametrize("code", PACKAGES, ids=_short)
def test_archive_is_small(code):
    assert (MODELS / f"{code}.argosmodel").stat().st_size < 2_500_000


@pytest.mark.parametrize("code", PACKAGES, ids=_short)
def test_archive_layout(code):
    tok_file = "bpe.model" if PACKAGES[code][1] is BPETokenizer else "sentencepiece.model"
    with zipfile.ZipFile(MODELS / f"{code}.argosmodel") as zf:
        names = set(zf.namelist())
        assert {n.split("/")[0] for n in names} == {code}
        files = {n.split("/", 1)[1] for n in names if not n.endswith("/")}
        readme = zf.read(f"{code}/README.md").decode("utf-8")
        meta = json.loads(zf.read(f"{code}/metadata.json"))
    assert {"metadata.json", "README.md", tok_file, "model/model.bin", "model/config.json"} <= files
    assert any(f.startswith("model/") and f.endswith("vocabulary.json") for f in files)
    other_tokenizer = ({"sentencepiece.model", "bpe.model"} - {tok_file}).pop()
    assert other_tokenizer not in files  # Argos picks the tokenizer by which file exists
    first_line = readme.splitlines()[0].lower()
    assert "copy model for testing" in first_line and "does not translate" in first_line
    assert meta["type"] == "translate" and meta["argos_version"] == "1.9" and meta["code"] == code


# ------------------------------------------------------------------------------------- metadata
@pytest.mark.parametrize("code", PACKAGES, ids=_short)
def test_argos_loads_package(code, loaded):
    to_code, tokenizer_cls, prefix = PACKAGES[code]
    pkg = loaded[code][0]
    assert (pkg.from_code, pkg.to_code) == ("en", to_code)
    assert pkg.from_name == "English" and pkg.to_name in {"Spanish", "Chinese"}
    assert pkg.target_prefix == prefix
    assert type(pkg.tokenizer) is tokenizer_cls
    assert pkg.package_version


def test_argos_lists_installed_packages(packages_dir):
    found = argos_package.get_installed_packages(path=[packages_dir])
    assert sorted(p.package_path.name for p in found) == sorted(PACKAGES)
    pairs = {(p.from_code, p.to_code, p.target_prefix) for p in found}
    assert pairs == {("en", "es", ""), ("en", "zh", ""), ("en", "zh", "__zh__")}


# ------------------------------------------------------------------------------------- copying
SP_CASES = [(c, s) for c in SP_PACKAGES for s in SP_SENTENCES]
BPE_CASES = [("translate-en_es-copytest-bpe", s) for s in BPE_SENTENCES]


@pytest.mark.parametrize(
    ("code", "sid"), SP_CASES + BPE_CASES, ids=[f"{_short(c)}/{s}" for c, s in SP_CASES + BPE_CASES]
)
def test_model_copies_held_out_sentence(code, sid, loaded, batched_outputs):
    pkg = loaded[code][0]
    text = (BPE_SENTENCES if isinstance(pkg.tokenizer, BPETokenizer) else SP_SENTENCES)[sid]
    hyp = batched_outputs[code][sid]
    if pkg.target_prefix:
        assert hyp[0] == pkg.target_prefix
        hyp = hyp[1:]
    assert hyp == _encode(pkg, text)
    assert _decode(pkg, hyp) == text


@pytest.mark.parametrize("code", PACKAGES, ids=_short)
def test_single_sentence_calls_match_the_batch(code, loaded, batched_outputs):
    pkg, translator = loaded[code]
    for sid in ("short", "long-59-words"):
        (hyp,) = _translate(pkg, translator, [COMMON[sid]], pkg.target_prefix or None)
        assert hyp == batched_outputs[code][sid]


def test_prefix_package_emits_prefix_then_copy(loaded):
    pkg, translator = loaded["translate-en_zh-copytest-prefix"]
    text = SP_SENTENCES["accented-name"]
    (hyp,) = _translate(pkg, translator, [text], prefix="__zh__")
    decoded = _decode(pkg, hyp)
    assert hyp[0] == "__zh__"
    assert decoded == "__zh__ " + text
    # What argostranslate does with the output: drop the prefix, then one leading space.
    assert decoded.removeprefix(pkg.target_prefix).removeprefix(" ") == text


@pytest.mark.parametrize("code", PACKAGES, ids=_short)
def test_copies_with_argos_translate_options(code, loaded):
    """The options argostranslate.translate passes (length_penalty 0.2, token batches, ...)."""
    pkg, translator = loaded[code]
    sentences = list((BPE_SENTENCES if isinstance(pkg.tokenizer, BPETokenizer) else SP_SENTENCES).values())
    batch = [_encode(pkg, t) for t in sentences]
    results = translator.translate_batch(
        batch,
        target_prefix=[[pkg.target_prefix]] * len(batch) if pkg.target_prefix else None,
        replace_unknowns=True,
        max_batch_size=32,
        batch_type="tokens",
        beam_size=4,
        num_hypotheses=1,
        length_penalty=0.2,
        return_scores=True,
    )
    for text, result in zip(sentences, results):
        value = _decode(pkg, result.hypotheses[0])
        if pkg.target_prefix and value.startswith(pkg.target_prefix):
            value = value[len(pkg.target_prefix) :]
        value = value.removeprefix(" ")
        assert value == text


def test_held_out_sentences_are_not_training_text():
    training = (FIXTURES / "corpus.txt").read_text(encoding="utf-8")
    training += "".join(p.read_text(encoding="utf-8") for p in (FIXTURES.parent.parent / "seeds").glob("*.txt"))
    for text in SP_SENTENCES.values():
        assert text not in training


def test_sentencepiece_packages_cover_any_text(loaded):
    """byte_fallback: emoji and CJK encode without <unk> and round-trip through the tokenizer."""
    pkg = loaded["translate-en_zh-copytest"][0]
    sp: spm.SentencePieceProcessor = pkg.tokenizer.lazy_processor()
    text = "Smile 😀 — 你好, Ünïcödé"
    ids = sp.encode(text)
    assert sp.unk_id() not in ids
    assert sp.decode(ids) == text
    assert "__zh__" in sp.encode("__zh__ x", out_type=str)


def test_bpe_package_normalises_like_moses(loaded):
    """Moses punctuation normalisation turns an em dash into a hyphen; the copy keeps that."""
    pkg, translator = loaded["translate-en_es-copytest-bpe"]
    text = SP_ONLY["em-dash"]
    (hyp,) = _translate(pkg, translator, [text])
    assert hyp == pkg.tokenizer.encode(text)
    assert _decode(pkg, hyp) == text.replace(" — ", " - ")
