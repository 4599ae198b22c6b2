"""Translating a set of distinct sentences: protect, translate, ban, restore, repair, verify, check.

This is the work that needs a model, cut out of the run so that it can happen where the model is:
in this process for a local run (`translator.pipeline`), or in a worker of a Ray cluster
(`translator.distributed`), which gets its share of the sentences and returns their results. The
same code in both places is what makes a distributed run's outputs those of a local one.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from .enforce import (
    Masked,
    Protector,
    after_bans,
    ban_spellings,
    needs_repair,
    offending,
    post_edit,
    repair,
    restore,
    verify,
)
from .enforce import Result as EnforceResult
from .engine import Translator, hit_bound
from .qa import Segment as QaSegment
from .qa import run_checks
from .results import Progress
from .typography import fit_to_target
from .units import SentenceResult

__all__ = ["add_time", "translate_sentences"]


def add_time(timings: dict[str, float], stage: str, since: float) -> None:
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - since


@dataclass(slots=True)
class _Sentence:
    """One distinct sentence inside `_translate_pair`: what was sent, what came back."""

    source: str
    masked: Masked  # with term and verbatim placeholders (what verification checks against)
    sent: Masked  # what the model got: `masked`, or the plain sentence when no form survives
    output: str = ""  # the model's answer
    banned: dict[int, list[str]] = field(default_factory=dict)  # what the first answer wrongly wrote
    second: str | None = None  # the answer to the sentence sent again with `banned` forbidden
    result: EnforceResult | None = None  # after restore / repair / post-edit
    cut_short: bool = False  # an answer it came from stopped at the decoding bound


def translate_sentences(
    pending: dict[str, bool],
    src: str,
    tgt: str,
    translator: Translator,
    protector: Protector,
    timings: dict[str, float],
    progress: Progress | None,
) -> dict[str, SentenceResult]:
    """Protect, translate (one call), restore, repair (one more call if needed), verify, check.

    `pending` maps each sentence to whether its `%s`/`{name}` are protected (gettext messages).
    """
    t0 = time.perf_counter()
    work = []
    for text, formats in pending.items():
        masked = protector.protect(text, formats=formats)
        # A model that copies no placeholder gets the sentences as written, enforced afterwards.
        work.append(_Sentence(text, masked, masked if protector.form is not None else Masked(text, text)))
    add_time(timings, "protect", t0)

    t0 = time.perf_counter()
    if progress is not None:
        progress.start(f"{src} -> {tgt}", len(work))
    try:
        answers = translator.translate([w.sent.text for w in work],
                                       progress.advance if progress is not None else None)
    finally:
        if progress is not None:
            progress.finish()
    for w, answer in zip(work, answers, strict=True):
        w.output, w.cut_short = answer, hit_bound(answer)
    add_time(timings, "translate", t0)

    if protector.form is not None:  # restored once, here: the ban check and repair read it
        t0 = time.perf_counter()
        for w in work:
            w.result = restore(w.output, w.masked, tgt)
        add_time(timings, "repair", t0)

    t0 = time.perf_counter()
    _translate_with_bans(work, translator)
    add_time(timings, "bans", t0)

    t0 = time.perf_counter()
    if protector.form is None:
        for w in work:
            w.result = post_edit(w.output, w.masked, tgt)
        add_time(timings, "post-edit", t0)
    else:
        broken = [w for w in work if w.result is not None and needs_repair(w.result)]
        if broken:
            plain = [protector.protect(w.source, terms=False, formats=pending[w.source]) for w in broken]
            for w, p, answer in zip(broken, plain, translator.translate([m.text for m in plain]), strict=True):
                assert w.result is not None
                w.result = repair(w.result, w.masked, p, answer, tgt)
                w.cut_short = w.cut_short or hit_bound(answer)
        add_time(timings, "repair", t0)
    _prefer_banned(work, protector, tgt)
    return _checked(work, src, tgt, timings)


def _translate_with_bans(work: Sequence[_Sentence], translator: Translator) -> None:
    """Send again, once, each sentence whose translation holds a forbidden rendering or an
    English term, with those spellings banned from decoding (CTranslate2's suppress_sequences):
    the model then has to find another wording, most often the approved one."""
    ban = getattr(translator, "translate_with_bans", None)
    if ban is None:
        return  # a translator that cannot ban (a test double) goes straight to text repair
    for w in work:  # the restored sentence where placeholders were sent, else the raw answer
        w.banned = offending(w.result.text if w.result is not None else w.output, w.masked)
    again = [w for w in work if w.banned]
    if again:
        answers = ban([w.sent.text for w in again], [ban_spellings(w.banned, w.masked) for w in again])
        for w, answer in zip(again, answers, strict=True):
            w.second = answer


def _prefer_banned(work: Sequence[_Sentence], protector: Protector, tgt: str) -> None:
    """Take the translation made with bans where every term in it verifies; elsewhere keep the
    first one, repaired by replacing text (or flagged)."""
    for w in work:
        if w.second is None:
            continue
        first = restore(w.second, w.masked, tgt) if protector.form is not None else \
            post_edit(w.second, w.masked, tgt)
        if protector.form is not None and needs_repair(first):
            continue
        better = after_bans(verify(first, w.masked), w.banned)
        if better is not None:
            w.result, w.output = better, w.second
            w.cut_short = hit_bound(w.second)


def _checked(work: Sequence[_Sentence], src: str, tgt: str,
             timings: dict[str, float]) -> dict[str, SentenceResult]:
    """Verify every term and run the QA checks: the last stage of `_translate_pair`."""
    t0 = time.perf_counter()
    done: dict[str, SentenceResult] = {}
    for w in work:
        assert w.result is not None
        r = verify(w.result, w.masked)
        text = fit_to_target(r.text, tgt)
        unchanged = w.output.strip() == w.sent.text.strip()
        findings = run_checks(QaSegment(w.source, text, r.model_text, src, tgt, unchanged, w.cut_short))
        # A plain str: the engine's `Translation` carries a dict per object (hit_bound, read
        # above), and a long run keeps every distinct sentence's result (`translator.chunks`).
        done[w.source] = SentenceResult(w.source, str(text), r.terms, findings, r.problems)
    add_time(timings, "verify", t0)
    return done
