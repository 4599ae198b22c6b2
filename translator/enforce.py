"""Protect -> translate -> restore -> verify -> repair: approved terms in every translation.

Before translation each glossary term (and each source variant of it) and each span that must
not change (inline code, URLs, e-mail addresses, amounts with a currency sign or unit) is swapped
for a placeholder the model copies through. Afterwards every placeholder is replaced by what the
target must say: the approved rendering, the source term for do-not-translate terms, the original
text for verbatim spans. Then every term occurrence is verified, and what the model broke is
repaired from a second, unprotected translation of the sentence or flagged for a reviewer.

Every term occurrence ends in exactly one state:

* ``enforced``: its placeholder came back once and now holds the approved rendering;
* ``repaired``: the placeholder was lost or duplicated, and the unprotected translation was fixed
  (the model wrote the approved rendering itself, or a forbidden rendering or the English term was
  replaced by the approved one);
* ``flagged``: no safe repair exists; the best output is kept and a reviewer is told why.

Glossary entries that are only proposals (fuzzy) or have no rendering for the target are
reported (``proposal``/``no-rendering``) but never enforced and not counted as occurrences.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from glossary.checks import contains, find

from . import inline

if TYPE_CHECKING:
    from glossary.match import Matcher

ENFORCED, REPAIRED, FLAGGED = "enforced", "repaired", "flagged"
STATES = (ENFORCED, REPAIRED, FLAGGED)
# How a repaired occurrence was put right: the model wrote the rendering itself when asked
# without placeholders; it was asked again with the wrong spelling banned; text was replaced.
BY_MODEL, BY_BAN, BY_REPLACEMENT = "model", "ban", "replacement"
REPAIR_PATHS = (BY_MODEL, BY_BAN, BY_REPLACEMENT)
PROPOSAL, NO_RENDERING = "proposal", "no-rendering"

# Square-bracketed numbers are copied by most translation models (citations like "[3]" are all
# over their training data); `translator.calibrate` picks another form for a model that does not.
DEFAULT_FORM = "[{n}]"

_VERBATIM = re.compile(
    r"(?P<tag></?\d{1,4}/?>)"  # an inline-markup marker (translator.inline)
    r"|(?P<code>(?P<ticks>`+)[^`\n]+?(?P=ticks))"
    r"|(?P<url>\b(?:https?|ftp)://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]"
    r"|\bwww\.[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}])"
    r"|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b)"
    r"|(?P<amount>(?:[€$£¥₹]|US\$|R\$)\s?\d[\d,.]*\d|(?:[€$£¥₹]|US\$|R\$)\s?\d"
    r"|\b\d[\d,.]*\s?(?:%|€|km²|km|kg|°C|°F|mph)(?![\w]))"
)
# printf and Python format strings of gettext catalogs ("% s" is not one: it is prose).
_FORMAT = re.compile(
    r"%\([A-Za-z_]\w*\)[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:l{0,2}|h{0,2})[diouxXeEfFgGcspa%]"
    r"|\{[A-Za-z_]?[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}"
)


def has_format_strings(text: str) -> bool:
    """Does protecting format strings (`Protector.protect(formats=True)`) change `text`?"""
    return _FORMAT.search(text) is not None


_SENTENCE_START = re.compile(r"^[\s\"'“‘«¿¡(\[—–-]*$")


@dataclass(frozen=True, slots=True)
class Slot:
    """One protected span: what the model saw, what it replaced, what goes back."""

    token: str
    kind: str  # "term", "code", "url", "email" or "amount"
    source: str  # the text in the source sentence
    value: str  # what the target text must hold in its place
    concept: object | None = None  # glossary.model.Concept for terms
    forbidden: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return getattr(self.concept, "label", self.source)


@dataclass(frozen=True, slots=True)
class Masked:
    """A source sentence as sent to the model."""

    source: str
    text: str
    slots: tuple[Slot, ...] = ()
    unenforced: tuple[tuple[str, str, str], ...] = ()  # (term, state, source text) not protected


@dataclass(frozen=True, slots=True)
class TermOutcome:
    """What became of one term occurrence."""

    term: str  # the concept's label
    source: str  # as written in the source
    rendering: str
    state: str  # enforced, repaired, flagged (or proposal / no-rendering: not enforced)
    reason: str = ""
    repaired_by: str = ""  # for repaired ones: one of REPAIR_PATHS


@dataclass(slots=True)
class Result:
    """One translated sentence after restore, verify and repair."""

    text: str
    terms: list[TermOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lost verbatim spans and other notes
    model_text: str = ""  # the model's own words (placeholders removed): what QA checks judge


class Protector:
    """Masks the spans of one target language's translations; build once per language pair."""

    def __init__(self, lang: str, matcher: Matcher | None = None, form: str | None = DEFAULT_FORM):
        self.lang = lang
        self.matcher = matcher
        self.form = form  # None: the model copies no placeholder; spans are found, not sent

    @property
    def _token(self) -> str:
        return self.form or DEFAULT_FORM

    def _first_free(self, text: str, count: int) -> int:
        start = 0
        while any(self._token.format(n=k) in text for k in range(start, start + count)):
            start += count
        return start

    def spans(self, text: str, *, terms: bool = True,
              formats: bool = False) -> tuple[list[tuple[int, int, Slot]], list]:
        """Non-overlapping (start, end, slot without its token), and the terms not enforced."""
        found = [
            (m.start(), m.end(), Slot("", m.lastgroup or "code", m.group(0), m.group(0)))
            for m in _VERBATIM.finditer(text)
        ]
        if formats:
            taken = [(s, e) for s, e, _ in found]
            found += [(m.start(), m.end(), Slot("", "format", m.group(0), m.group(0)))
                      for m in _FORMAT.finditer(text)
                      if not any(s < m.end() and m.start() < e for s, e in taken)]
        unenforced: list[tuple[str, str, str]] = []
        if terms and self.matcher is not None:
            verbatim = [(s, e) for s, e, _ in found]  # verbatim and format spans
            for match in self.matcher.find(text):
                if any(s < match.end and match.start < e for s, e in verbatim):
                    continue  # inside a URL or code: the verbatim span wins
                rendering = match.concept.rendering(self.lang)
                if rendering is None or not rendering.text:
                    unenforced.append((match.concept.label, NO_RENDERING, match.text))
                elif not rendering.approved:
                    unenforced.append((match.concept.label, PROPOSAL, match.text))
                else:
                    value = match.concept.expected(rendering)
                    found.append((match.start, match.end, Slot(
                        "", "term", match.text, value, match.concept, rendering.forbidden)))
        found.sort(key=lambda item: item[0])
        return found, unenforced

    def protect(self, text: str, *, terms: bool = True, formats: bool = False) -> Masked:
        """The sentence with every protected span replaced by a numbered placeholder."""
        spans, unenforced = self.spans(text, terms=terms, formats=formats)
        if not spans:
            return Masked(text, text, (), tuple(unenforced))
        first = self._first_free(text, len(spans))
        pieces, slots, last = [], [], 0
        for k, (start, end, slot) in enumerate(spans):
            token = self._token.format(n=first + k)
            pieces.append(text[last:start])
            pieces.append(token)
            slots.append(Slot(token, slot.kind, slot.source, slot.value, slot.concept, slot.forbidden))
            last = end
        pieces.append(text[last:])
        return Masked(text, "".join(pieces), tuple(slots), tuple(unenforced))


def _fit_value(value: str, output: str, at: int, lang: str) -> str:
    """A rendering as it must appear at `at` in `output` (capitalised at a sentence start)."""
    if lang in ("zh", "zt", "ja") or not value or not value[0].islower():
        return value
    if _SENTENCE_START.match(output[:at]):
        return value[0].upper() + value[1:]
    return value


def _substitute(output: str, token: str, value: str, lang: str) -> str:
    position = output.find(token)
    return output[:position] + _fit_value(value, output, position, lang) + output[position + len(token):]


def _strip_tokens(text: str, slots: Sequence[Slot]) -> str:
    for slot in slots:
        text = text.replace(slot.token, " ")
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def restore(output: str, masked: Masked, lang: str) -> Result:
    """First pass: put every value back where its placeholder came back exactly once."""
    result = Result(output, model_text=_strip_tokens(output, masked.slots))
    for slot in masked.slots:
        count = result.text.count(slot.token)
        if slot.kind != "term":
            if count == 0:
                if slot.kind != "tag":  # a lost markup marker is put back by `verify`
                    result.problems.append(f"lost protected {slot.kind}: {slot.source}")
                continue
            result.text = result.text.replace(slot.token, slot.value)
            continue
        if count == 1:
            result.text = _substitute(result.text, slot.token, slot.value, lang)
            result.terms.append(TermOutcome(slot.label, slot.source, slot.value, ENFORCED))
        else:
            what = "lost" if count == 0 else f"duplicated ({count} times)"
            result.terms.append(TermOutcome(slot.label, slot.source, slot.value, FLAGGED,
                                            f"the model {what} the term's placeholder"))
            if count > 1:
                result.text = result.text.replace(slot.token, slot.value)
    result.terms.extend(TermOutcome(term, source, "", state) for term, state, source in masked.unenforced)
    return result


def needs_repair(result: Result) -> bool:
    return any(t.state == FLAGGED for t in result.terms)


def repair(first: Result, masked: Masked, plain: Masked, plain_output: str, lang: str) -> Result:
    """Second pass for a sentence whose placeholders broke: fix the unprotected translation.

    `plain` is the sentence protected for verbatim spans only and `plain_output` the model's
    translation of it. Every term must then be found in it (its approved rendering, or a forbidden
    rendering or the English term to replace); when one cannot be, the first result is kept.
    """
    text = plain_output
    for slot in plain.slots:  # verbatim spans: restore as usual
        if slot.token in text:
            text = text.replace(slot.token, slot.value)
    outcomes: list[TermOutcome] = []
    for slot, before in zip((s for s in masked.slots if s.kind == "term"), first.terms):
        if contains(text, slot.value):
            if before.state == FLAGGED:
                outcomes.append(TermOutcome(slot.label, slot.source, slot.value, REPAIRED,
                                            "the model wrote the approved rendering itself", BY_MODEL))
            else:
                outcomes.append(TermOutcome(slot.label, slot.source, slot.value, ENFORCED))
            continue
        # Forbidden renderings are target text (any case); the English spellings keep the
        # term's own case rule.
        english = _case_sensitive(slot)
        candidates = [(f, False) for f in slot.forbidden]
        candidates += [(f, english) for f in (slot.source, *getattr(slot.concept, "forms", ()))]
        wrong, match = next(((f, m) for f, case in candidates if f and (m := find(text, f, case))),
                            (None, None))
        if match is None:
            return first  # no safe repair: keep the protected output with its flags
        text = text[:match.start()] + _fit_value(slot.value, text, match.start(), lang) + text[match.end():]
        outcomes.append(TermOutcome(slot.label, slot.source, slot.value, REPAIRED,
                                    f"replaced {wrong!r} in an unprotected translation", BY_REPLACEMENT))
    unenforced = [t for t in first.terms if t.state not in STATES]
    return Result(text, outcomes + unenforced, first.problems, _strip_tokens(plain_output, plain.slots))


def _case_sensitive(slot: Slot) -> bool:
    """Does the term keep its capitals ("WHO" the organisation, not "who")?"""
    return bool(getattr(slot.concept, "case_sensitive", False))


NO_PLACEHOLDERS = ("the model copies no placeholder form, and its translation has neither the "
                   "approved rendering nor a known wrong one to replace")
_CHECKED_VERBATIM = ("code", "url", "email", "format")


def post_edit(output: str, masked: Masked, lang: str) -> Result:
    """Enforcement for a model that carries no placeholder (`calibrate` found no form it copies).

    The sentence went to the model as written, once; `masked` says where its terms are. Each term
    is then repaired in that translation as in the second pass of `repair` (the approved
    rendering kept, a forbidden rendering or the English term replaced), or flagged. Verbatim
    spans could not be protected, so a URL, e-mail address, inline code or format string (`%s`
    of a gettext catalog) the model changed is reported.
    """
    terms = [TermOutcome(s.label, s.source, s.value, FLAGGED, NO_PLACEHOLDERS)
             for s in masked.slots if s.kind == "term"]
    unenforced = [TermOutcome(term, source, "", state) for term, state, source in masked.unenforced]
    problems = [f"the model changed the {s.kind} {s.source}" for s in masked.slots
                if s.kind in _CHECKED_VERBATIM and s.source not in output]
    first = Result(output, terms + unenforced, problems, output)
    if not terms:
        return first
    return repair(first, masked, Masked(masked.source, masked.source), output, lang)


def verify(result: Result, masked: Masked) -> Result:
    """Check the finished sentence: renderings present, no forbidden one, no English left, and
    every inline-markup marker of the source there once and well nested (a lost one is put at
    the sentence's edges; either way the sentence is flagged)."""
    _check_markup(result, masked.source)
    checked: list[TermOutcome] = []
    slots = [s for s in masked.slots if s.kind == "term"]
    for slot, outcome in zip(slots, result.terms):
        if outcome.state == FLAGGED:
            checked.append(outcome)
            continue
        reason = ""
        if not contains(result.text, slot.value):
            reason = "the approved rendering is missing from the output"
        else:
            bad = next((f for f in slot.forbidden if contains(result.text, f)), None)
            if bad:
                reason = f"the forbidden rendering {bad!r} is in the output"
            else:
                forms = getattr(slot.concept, "forms", (slot.source,))
                case = _case_sensitive(slot)
                left = next((f for f in forms
                             if not contains(slot.value, f, case) and contains(result.text, f, case)), None)
                if left:
                    reason = f"the English term {left!r} is still in the output"
        if reason:
            outcome = TermOutcome(outcome.term, outcome.source, outcome.rendering, FLAGGED, reason)
        checked.append(outcome)
    checked.extend(result.terms[len(slots):])
    result.terms = checked
    return result


def offending(text: str, masked: Masked) -> dict[int, list[str]]:
    """What a translation wrote that it must not, per term slot (by its order among the term
    slots): forbidden renderings, and English spellings of the term (by its case rule) that the
    approved rendering does not account for. These are what a second decoding is told to avoid."""
    found: dict[int, list[str]] = {}
    for index, slot in enumerate(s for s in masked.slots if s.kind == "term"):
        bad = [f for f in slot.forbidden if contains(text, f)]
        case = _case_sensitive(slot)
        bad += [f for f in getattr(slot.concept, "forms", (slot.source,))
                if not contains(slot.value, f, case) and contains(text, f, case)]
        if bad:
            found[index] = list(dict.fromkeys(bad))
    return found


def ban_spellings(found: dict[int, list[str]], masked: Masked) -> list[str]:
    """Every spelling to ban for `found`: as written, and for a term that ignores case also in
    lower case and capitalised (a case-sensitive "WHO" bans only "WHO", never the word "who")."""
    slots = [s for s in masked.slots if s.kind == "term"]
    spellings: list[str] = []
    for index, texts in found.items():
        exact = _case_sensitive(slots[index])
        for text in texts:
            variants = (text,) if exact else (text, text.lower(), text[:1].upper() + text[1:])
            spellings += variants
    return list(dict.fromkeys(spellings))


def after_bans(result: Result, found: dict[int, list[str]]) -> Result | None:
    """`result` (verified, from a translation made with `found` banned) with the outcome of each
    slot that was wrong the first time marked repaired and why; None when it is still not right,
    and the caller falls back to replacing text in the first translation."""
    if any(t.state == FLAGGED for t in result.terms) or result.problems:
        return None
    terms = list(result.terms)
    for index, texts in found.items():
        t = terms[index]
        wrote = ", ".join(repr(x) for x in texts)
        terms[index] = TermOutcome(t.term, t.source, t.rendering, REPAIRED,
                                   f"the first translation wrote {wrote}; translated again with it banned", BY_BAN)
    return Result(result.text, terms, result.problems, result.model_text)


def _check_markup(result: Result, source: str) -> None:
    """Markers the model lost go back at the edges of the sentence; every fault is a problem."""
    tags = [inline.InlineTag(int(m.group(2)), "close" if m.group(1) else "empty" if m.group(3) else "open", "")
            for m in inline.MARKER.finditer(source)]
    if not tags:
        return
    result.text, lost = inline.place_lost(result.text, tags)
    result.problems += [p for p in lost or inline.check(result.text, tags) if p not in result.problems]
