"""The CTranslate2 engine runs every kind of Argos package, in order, through the real model."""
import pytest
from helpers import BPE_ES, PREFIX_ZH, SP_ES, SP_ZH, relabel, unpack
from hypothesis import given
from hypothesis import strategies as st

from translator import packages
from translator.engine import (
    CTranslate2Translator,
    DecodeOptions,
    ctranslate2_settings,
    load_translator,
    plan_batches,
)

SENTENCES = [
    "Chinese President Xi Jinping met his Mexican counterpart on Thursday.",
    "Both sides agreed to deepen cooperation.",
    "",
    "The forum opened in 2014.",
]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    dest = tmp_path_factory.mktemp("engine-packages")
    return {name: packages.load_package(unpack(name, dest)) for name in (SP_ES, SP_ZH, BPE_ES, PREFIX_ZH)}


@pytest.mark.parametrize("archive", [SP_ES, BPE_ES, PREFIX_ZH], ids=["sentencepiece", "bpe", "target-prefix"])
def test_every_package_kind_translates_in_input_order(unpacked, archive):
    translator = CTranslate2Translator(unpacked[archive], DecodeOptions(beam_size=2))
    assert translator.translate(SENTENCES) == SENTENCES  # the copy model echoes; empty stays empty


def test_target_prefix_is_forced_and_stripped(unpacked):
    package = unpacked[PREFIX_ZH]
    assert package.target_prefix == "__zh__"
    output = CTranslate2Translator(package).translate(["The forum opened in 2014."])
    assert output == ["The forum opened in 2014."]


def test_sentencepiece_detokenising_keeps_underscores(unpacked):
    text = "Open https://example.org/a_b and snake_case_name now."
    assert CTranslate2Translator(unpacked[SP_ES]).translate([text]) == [text]


def test_progress_is_reported_per_sentence(unpacked):
    ticks = []
    CTranslate2Translator(unpacked[SP_ES]).translate(SENTENCES, ticks.append)
    assert sum(ticks) == 3  # the empty sentence never reaches the model


def test_pivot_route_chains_two_models(unpacked, tmp_path):
    fr_en = packages.load_package(relabel(unpacked[SP_ES].path, tmp_path, "fr", "en"))
    route = packages.find_route([fr_en, unpacked[SP_ZH]], "fr", "zh")
    assert [p.name for p in route] == [fr_en.name, unpacked[SP_ZH].name]
    assert load_translator(route).translate(["Both sides agreed."]) == ["Both sides agreed."]


@given(st.lists(st.integers(min_value=1, max_value=300), max_size=200).map(sorted),
       st.integers(min_value=1, max_value=2048), st.integers(min_value=1, max_value=64))
def test_batches_cover_every_sentence_once_in_order_within_both_limits(lengths, max_tokens, max_sentences):
    batches = plan_batches(lengths, max_tokens, max_sentences)
    assert [k for batch in batches for k in batch] == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= max_sentences
        # padded tokens within the budget, unless one sentence alone is longer than it
        assert len(batch) == 1 or len(batch) * max(lengths[k] for k in batch) <= max_tokens


def test_many_short_sentences_are_split_by_the_hypothesis_bound_and_stay_in_order(unpacked):
    sentences = [f"Item {n} was sold." for n in range(40)] + SENTENCES
    capped = CTranslate2Translator(unpacked[SP_ES], DecodeOptions(beam_size=2, max_batch_hypotheses=8))
    seen = []
    submit = capped._model.translate_batch

    def recording(batch, **kwargs):
        seen.append(len(batch))
        return submit(batch, **kwargs)

    capped._model = type("Recording", (), {"translate_batch": staticmethod(recording)})()
    assert capped.translate(sentences) == sentences
    assert max(seen) == 4 and sum(seen) == len(sentences) - 1  # 8 hypotheses / beam 2; "" not sent


def test_token_lists_exist_only_for_the_batches_in_flight(unpacked):
    """The engine sorts every sentence by its length up front but keeps only the number: token
    lists are made when their batch is submitted, so memory does not grow with the run."""
    import weakref

    class Tokens(list):  # a list that can be watched with a weak reference
        pass

    translator = CTranslate2Translator(unpacked[SP_ES], DecodeOptions(beam_size=1, threads=1,
                                                                       max_batch_hypotheses=4))
    encode, submit = translator._tokenizer.encode, translator._model.translate_batch
    made: list[weakref.ref] = []
    alive_at_submit: list[int] = []

    def watched_encode(text):
        tokens = Tokens(encode(text))
        made.append(weakref.ref(tokens))
        return tokens

    def recording(batch, **kwargs):
        alive_at_submit.append(sum(ref() is not None for ref in made))
        return submit(batch, **kwargs)

    translator._tokenizer = type("Watched", (), {"encode": staticmethod(watched_encode),
                                                 "decode": staticmethod(translator._tokenizer.decode)})()
    translator._model = type("Recording", (), {"translate_batch": staticmethod(recording)})()
    sentences = [f"Item number {n} was sold on day {n % 7}." for n in range(120)]
    assert translator.translate(sentences) == sentences
    window = 2 * 1  # batches in flight: two per worker, one worker
    assert len(alive_at_submit) > 10 * window
    assert max(alive_at_submit) <= (window + 1) * 4  # never the whole run's 120


# --- nothing cut short in silence ------------------------------------------------------------

LONG = ", ".join(f"the delegates of region number {n} agreed on the plan" for n in range(30)) + "."


def test_an_over_long_sentence_is_translated_in_pieces_and_comes_back_whole(unpacked):
    translator = CTranslate2Translator(unpacked[SP_ES], DecodeOptions(beam_size=1))
    assert len(translator._tokenizer.encode(LONG)) > 2 * translator.options.max_source_tokens
    [output] = translator.translate([LONG])
    assert output == LONG  # the copy model gives back every piece: nothing lost at the seams
    assert not output.hit_bound


@given(st.lists(st.sampled_from(["trade", "grew,", "and", "the", "forum;", "opened", "—", "2014"]),
                min_size=1, max_size=120).map(" ".join))
def test_split_pieces_fit_the_limit_and_rebuild_the_sentence(sentence):
    translator = _SPLITTER
    pieces, _length = translator._split(sentence)
    assert " ".join(pieces) == " ".join(sentence.split())
    limit = translator.options.max_source_tokens
    assert all(len(translator._tokenizer.encode(p)) <= limit for p in pieces if " " in p)


class _Tokens:
    """One token per character: lets the splitting test run without a model."""

    def encode(self, text):
        return list(text)


_SPLITTER = CTranslate2Translator.__new__(CTranslate2Translator)
_SPLITTER.options = DecodeOptions(max_source_tokens=40)
_SPLITTER._tokenizer = _Tokens()


def test_a_translation_stopped_by_the_bound_says_so(unpacked):
    translator = CTranslate2Translator(unpacked[SP_ES], DecodeOptions(beam_size=1, max_decoding_length=6))
    short, long = translator.translate(["Hi.", SENTENCES[0]])
    assert not short.hit_bound
    assert long.hit_bound and len(long) < len(SENTENCES[0])


def test_the_bound_grows_with_the_source_within_the_cap():
    from translator.engine import bound_for

    assert [bound_for(n, 512) for n in (1, 10, 100, 400)] == [18, 36, 216, 512]


def test_a_pivot_keeps_the_flag_of_its_first_half(unpacked, tmp_path):
    from translator.engine import PivotTranslator, Translation

    class Cut:
        def translate(self, sentences, progress=None):
            return [Translation.of(s[:5], True) for s in sentences]

    second = CTranslate2Translator(unpacked[SP_ES])
    [out] = PivotTranslator(Cut(), second).translate(["Hello world."])
    assert out == "Hello" and out.hit_bound


def test_a_cut_short_translation_is_an_error_in_its_catalog(with_models, tmp_path):
    import polib

    from translator import pipeline

    doc = tmp_path / "a.txt"
    doc.write_text(SENTENCES[0] + "\n", encoding="utf-8")
    pipeline.translate_sources([pipeline.read_source(doc)], ["es"], source_lang="en", out_dir=tmp_path / "out",
                               options=DecodeOptions(beam_size=1, max_decoding_length=6))
    [entry] = polib.pofile(str(tmp_path / "out" / "es" / "a.po"))
    assert "needs review: the model stopped at its length limit" in entry.comment


@pytest.mark.parametrize(
    ("pieces", "unspaced", "expected"),
    [(["In the movie,", "the end."], True, "In the movie, the end."),
     (["他说，", "我们走。"], True, "他说，我们走。"),
     (["Xi said,", "我们走。"], True, "Xi said,我们走。"),
     (["Dijo,", "vamos."], False, "Dijo, vamos.")],
    ids=["latin-in-a-chinese-run", "chinese", "mixed-seam", "spanish"],
)
def test_pieces_of_a_long_sentence_join_with_a_space_except_next_to_chinese(pieces, unspaced, expected):
    from translator.engine import _join

    assert _join(pieces, unspaced) == expected


def test_a_gpu_runs_one_large_batch_and_each_cpu_core_its_own_share():
    options = DecodeOptions(threads=4, max_batch_tokens=2048, max_batch_hypotheses=128,
                            gpu_batch_tokens=8192, gpu_batch_hypotheses=2048)
    cpu = ctranslate2_settings(options)
    gpu = ctranslate2_settings(DecodeOptions(**{**options.__dict__, "device": "cuda"}))
    assert cpu == {"inter_threads": 4, "intra_threads": 1, "max_batch_size": 512, "max_hypotheses": 128}
    assert gpu == {"inter_threads": 1, "intra_threads": 4, "max_batch_size": 8192, "max_hypotheses": 2048}


def test_a_translation_carries_its_flag_without_an_instance_dictionary():
    from translator.engine import Translation

    cut, whole = Translation.of("Hola", True), Translation.of("Hola", False)
    assert (cut, cut.hit_bound, whole.hit_bound) == ("Hola", True, False)
    assert not hasattr(cut, "__dict__") and not hasattr(whole, "__dict__")  # a run holds 100,000s
