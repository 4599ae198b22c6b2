"""Sentence translation with CTranslate2: the one place the model runs.

The pipeline hands a translator every pending sentence of every file at once; the translator
tokenizes them, translates each distinct sentence once, sorts them by length and cuts them into
batches bounded in padded source tokens and in hypotheses (sentences x beam), so padding is small,
the model is loaded once per run, and decoding memory does not depend on how many short sentences
a corpus has. A small window of batches is in flight at a time and finished ones are decoded as
they arrive, and a sentence is tokenized for its batch when the batch is submitted (only its
number of tokens is kept for sorting), so memory stays flat however many sentences there are.
Anything with a `translate` method of the same shape can stand in for it (tests wrap it to
record and alter batches).

No output is cut short in silence. Decoding is bounded per batch by its longest source
(`bound_for`: twice its tokens and a margin, within `max_decoding_length`), so a runaway loop
stops early while a long sentence has room; a sentence longer than `max_source_tokens` is split
at clause marks (else spaces) and its pieces translated and joined; and a translation that still
reached the bound comes back as a `Translation` whose `hit_bound` is set, which the QA checks
report as an error.

On the CPU the cores run separate batches (`inter_threads` = threads, one thread each) instead of
splitting every matrix product of one batch across them: beam search is full of small steps that
a second thread cannot share, and a core taken by another program stalls a split batch at every
step but only slows one of the parallel ones. `max_batch_tokens` is the budget of all the batches
in flight together (each gets its share). benchmarks/ablations.py measures these choices.

On a GPU one batch runs at a time and a bigger one fills the device: `gpu_batch_tokens` and
`gpu_batch_hypotheses` replace the CPU budgets there. Their values come from a sweep on an NVIDIA
H200 (benchmarks/gpu.sh, README "GPU"): 1,725 sentences in 6.3 s at the CPU budgets (2,048
tokens, 128 hypotheses), 1.7 s at 8,192 tokens and 2,048 hypotheses; larger budgets were no faster.
"""
from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from glossary.text import CJK

from .packages import ModelPackage, load_tokenizer

ProgressFn = Callable[[int], None]


class Translation(str):
    """A translated sentence that knows whether decoding stopped at its length bound (the text
    is then probably cut short). A plain `str` from any other translator means it did not.

    The flag is the class, not an attribute of each string: a run holds hundreds of thousands
    of translations, and an instance dictionary would cost more than most of their texts."""

    __slots__ = ()
    hit_bound: bool = False

    @classmethod
    def of(cls, text: str, hit_bound: bool) -> Translation:
        return _CutShort(text) if hit_bound else Translation(text)


class _CutShort(Translation):
    """A `Translation` whose decoding stopped at its length bound."""

    __slots__ = ()
    hit_bound = True


def hit_bound(text: str) -> bool:
    return bool(getattr(text, "hit_bound", False))


class Translator(Protocol):
    """What the pipeline needs from a model: sentences in, sentences out, same order."""

    def translate(self, sentences: Sequence[str], progress: ProgressFn | None = None) -> list[str]: ...


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings, explicit so a run can say what it did (and benchmarks can match them)."""

    beam_size: int = 4
    max_batch_tokens: int = 2048  # source tokens in flight at once, over all parallel batches
    max_batch_hypotheses: int = 128  # sentences x beam per batch: bounds decoding memory
    gpu_batch_tokens: int = 8192  # the two budgets above, on a GPU (one batch at a time)
    gpu_batch_hypotheses: int = 2048
    max_decoding_length: int = 512  # the most target tokens any sentence may get
    max_source_tokens: int = 200  # longer sentences are translated in pieces split at clauses
    # Bound each batch by its longest source (`bound_for`) within max_decoding_length. The
    # benchmark turns it off so that every system it compares decodes to the same fixed bound.
    relative_bound: bool = True
    length_penalty: float = 0.2  # Argos Translate's value: same output as Argos for the same model
    device: str = "cpu"
    threads: int = 0  # 0: CTranslate2 picks (all cores)
    compute_type: str = "auto"


def resolve_device(device: str) -> str:
    """`auto` means CUDA when CTranslate2 sees a GPU, else the CPU."""
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def ctranslate2_settings(options: DecodeOptions) -> dict[str, int]:
    """The CTranslate2 thread and batch settings a translator uses for `options`.

    CPU: one batch per core (`inter_threads` = threads, `intra_threads` 1), each batch a share
    of `max_batch_tokens`. CUDA: one batch at a time of `gpu_batch_tokens`. `max_hypotheses`
    caps sentences x beam in one batch.
    """
    if resolve_device(options.device) != "cpu":
        return {"inter_threads": 1, "intra_threads": options.threads,
                "max_batch_size": options.gpu_batch_tokens,
                "max_hypotheses": options.gpu_batch_hypotheses}
    threads = options.threads or _cpu_count()
    return {"inter_threads": threads, "intra_threads": 1,
            "max_batch_size": max(1, options.max_batch_tokens // threads),
            "max_hypotheses": options.max_batch_hypotheses}


class CTranslate2Translator:
    """One Argos package loaded into CTranslate2, with its tokenizer."""

    def __init__(self, package: ModelPackage, options: DecodeOptions = DecodeOptions()):
        import ctranslate2

        self.package = package
        self.options = options
        self._tokenizer = load_tokenizer(package)
        self._settings = ctranslate2_settings(options)
        self._model = ctranslate2.Translator(
            str(package.model_dir),
            device=resolve_device(options.device),
            compute_type=options.compute_type,
            inter_threads=self._settings["inter_threads"],
            intra_threads=self._settings["intra_threads"],
        )

    def translate_with_bans(self, sentences: Sequence[str], bans: Sequence[Sequence[str]]) -> list[str]:
        """Translate again, each sentence with the texts in its `bans` forbidden to the decoder
        (CTranslate2's `suppress_sequences`): a forbidden rendering or an English term the first
        translation wrote. Sentences with the same bans share a batch."""
        results: list[str] = [""] * len(sentences)
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, banned in enumerate(bans):
            groups.setdefault(tuple(banned), []).append(i)
        for banned, where in groups.items():
            sequences = self._ban_sequences(banned)
            done = self.translate([sentences[i] for i in where], suppress=sequences)
            for i, text in zip(where, done):
                results[i] = text
        return results

    def _ban_sequences(self, banned: Sequence[str]) -> list[list[str]]:
        """The token sequences that spell each banned text (the caller gives every spelling to
        ban: letter case is its business, since "WHO" may be banned where "who" is not)."""
        sequences: list[list[str]] = []
        for text in banned:
            tokens = self._tokenizer.encode(text)
            if tokens and tokens not in sequences:
                sequences.append(tokens)
        return sequences

    def translate(self, sentences: Sequence[str], progress: ProgressFn | None = None,
                  suppress: list[list[str]] | None = None) -> list[str]:
        """Every sentence's translation, over-long ones translated piece by piece."""
        pieces: list[str] = []
        lengths: list[int] = []  # each piece's number of tokens (its token list is not kept)
        spans: list[tuple[int, int]] = []  # each sentence's pieces, as a range of `pieces`
        for sentence in sentences:
            parts, length = self._split(sentence)
            spans.append((len(pieces), len(pieces) + len(parts)))
            pieces += parts
            lengths += [length] if length is not None else [len(self._tokenizer.encode(p)) for p in parts]
        done = self._translate_pieces(pieces, lengths, progress if len(pieces) == len(sentences) else None,
                                      suppress)
        unspaced = self.package.to_code in _UNSPACED_TARGETS
        results: list[str] = []
        for start, end in spans:
            parts = done[start:end]
            text = _join([p for p in parts if p], unspaced)
            results.append(Translation.of(text, any(hit_bound(p) for p in parts)))
        if progress is not None and len(pieces) != len(sentences):
            progress(len(sentences))
        return results

    def _split(self, sentence: str) -> tuple[list[str], int | None]:
        """The sentence and its number of tokens, or its pieces (and None) when it has more
        tokens than the model is given at once: whole clauses (cut after , ; : and dashes)
        packed up to `max_source_tokens`, a clause that is too long by itself cut between words."""
        limit = self.options.max_source_tokens

        def fits(text: str) -> bool:
            return len(self._tokenizer.encode(text)) <= limit

        length = len(self._tokenizer.encode(sentence)) if sentence.strip() else 0
        if limit <= 0 or length <= limit:
            return [sentence], length
        units: list[str] = []
        for clause in _AFTER_CLAUSE.split(sentence):
            units += [clause] if fits(clause) else clause.split()
        pieces: list[str] = []
        for unit in units:
            if pieces and fits(f"{pieces[-1]} {unit}"):
                pieces[-1] = f"{pieces[-1]} {unit}"
            else:
                pieces.append(unit)
        return pieces, None

    def _translate_pieces(self, sentences: Sequence[str], lengths: Sequence[int], progress: ProgressFn | None,
                          suppress: list[list[str]] | None = None) -> list[str]:
        """Translate `sentences`, whose numbers of tokens are `lengths`. Only the sentences of
        the batches in flight are tokenized (again) at a time: a token list costs far more than
        its sentence, and a run may have hundreds of thousands of sentences."""
        results: list[str] = [""] * len(sentences)
        # Each distinct sentence goes to the model once; its copies share the translation.
        copies: dict[str, list[int]] = {}
        for i, sentence in enumerate(sentences):
            if sentence.strip():
                copies.setdefault(sentence, []).append(i)
        if not copies:
            return results
        distinct = list(copies)
        counts = [lengths[where[0]] for where in copies.values()]
        order = sorted((i for i, n in enumerate(counts) if n), key=counts.__getitem__)
        if not order:
            return results
        prefix = self.package.target_prefix
        options = self.options
        workers = self._settings["inter_threads"]
        # Enough batches to keep every parallel worker busy, even for a handful of sentences.
        total = sum(counts[i] for i in order)
        budget = max(1, min(self._settings["max_batch_size"], -(-total // workers)))
        sentences_cap = max(1, self._settings["max_hypotheses"] // max(1, options.beam_size))
        batches = plan_batches([counts[i] for i in order], budget, sentences_cap)
        decode = dict(beam_size=options.beam_size, length_penalty=options.length_penalty,
                      replace_unknowns=True, max_input_length=0, suppress_sequences=suppress or None)

        def submit(batch: range) -> tuple[range, int, list]:
            ids = [order[k] for k in batch]
            bound = (bound_for(max(counts[i] for i in ids), options.max_decoding_length)
                     if options.relative_bound else options.max_decoding_length)
            return batch, bound, self._model.translate_batch(
                [self._tokenizer.encode(distinct[i]) for i in ids],
                target_prefix=[[prefix]] * len(ids) if prefix else None,
                max_batch_size=0, asynchronous=True, max_decoding_length=bound, **decode)

        # A bounded window of batches in flight: every worker has the next batch waiting, and
        # finished translations are decoded and released as they come, so memory does not grow
        # with the number of sentences (CTranslate2's translate_iterable submits them all).
        pending = iter(batches)
        window = deque(submit(b) for b in islice(pending, 2 * workers))
        while window:
            batch, bound, handles = window.popleft()
            for k, handle in zip(batch, handles):
                hypothesis = handle.result().hypotheses[0]
                reached = len(hypothesis) >= bound
                if prefix and hypothesis and hypothesis[0] == prefix:
                    hypothesis = hypothesis[1:]
                where = copies[distinct[order[k]]]
                text = Translation.of(self._tokenizer.decode(hypothesis).strip(), reached)
                for i in where:
                    results[i] = text
                if progress is not None:
                    progress(len(where))
            following = next(pending, None)
            if following is not None:
                window.append(submit(following))
        return results


def bound_for(source_tokens: int, cap: int) -> int:
    """Target tokens a batch may decode: room for a translation twice as long as its longest
    source (Chinese and Spanish stay well within), never more than `cap`."""
    return max(1, min(cap, 2 * source_tokens + 16))


# Where an over-long sentence is cut first: the spaces after a clause mark.
_AFTER_CLAUSE = re.compile(r"(?<=[,;:\u2013\u2014])\s+")
_UNSPACED_TARGETS = frozenset({"zh", "zt", "ja"})
_NO_SPACE_SIDE = re.compile(f"[{CJK}\u3000-\u303f\uff00-\uffef]")


def _join(pieces: Sequence[str], unspaced: bool) -> str:
    """The translations of a sentence's pieces as one sentence: a space between them, except
    next to Chinese or Japanese text in a language written without spaces."""
    text = ""
    for piece in pieces:
        if text and not (unspaced and (_NO_SPACE_SIDE.match(text[-1]) or _NO_SPACE_SIDE.match(piece[0]))):
            text += " "
        text += piece
    return text


def plan_batches(lengths: Sequence[int], max_tokens: int, max_sentences: int) -> list[range]:
    """Consecutive batches of sentences sorted by length, each within both limits.

    Tokens are counted padded (sentences x the longest), as CTranslate2 pads a batch. The
    sentence limit matters for short sentences: decoding memory and time grow with the number of
    hypotheses (sentences x beam x decoded length), which a source-token budget alone does not
    bound: 1,024 tokens of five-token datelines would be a batch of 200 sentences.
    """
    batches: list[range] = []
    start, longest = 0, 0
    for k, length in enumerate(lengths):
        longest_with = max(longest, length)
        size = k - start + 1
        if k > start and (size * longest_with > max_tokens or size > max_sentences):
            batches.append(range(start, k))
            start, longest_with = k, length
        longest = longest_with
    if lengths:
        batches.append(range(start, len(lengths)))
    return batches


class PivotTranslator:
    """Two models in a row (source -> English -> target) where no direct model is installed."""

    def __init__(self, first: Translator, second: Translator):
        self.first = first
        self.second = second

    def translate_with_bans(self, sentences: Sequence[str], bans: Sequence[Sequence[str]]) -> list[str]:
        """Bans are target-language text: they apply to the second model only."""
        middle = self.first.translate(sentences)
        second = getattr(self.second, "translate_with_bans", None)
        final = second(middle, bans) if second is not None else self.second.translate(middle)
        return [Translation.of(out, hit_bound(out) or hit_bound(mid)) for mid, out in zip(middle, final)]

    def translate(self, sentences: Sequence[str], progress: ProgressFn | None = None) -> list[str]:
        middle = self.first.translate(sentences)
        final = self.second.translate(middle, progress)
        # A sentence cut short on its way through English stays cut short.
        return [Translation.of(out, hit_bound(out) or hit_bound(mid)) for mid, out in zip(middle, final)]


def load_translator(route: Sequence[ModelPackage], options: DecodeOptions = DecodeOptions()) -> Translator:
    """A translator for a route from `packages.find_route`."""
    models = [CTranslate2Translator(p, options) for p in route]
    translator: Translator = models[0]
    for model in models[1:]:
        translator = PivotTranslator(translator, model)
    return translator
