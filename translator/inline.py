"""Inline markup inside a sentence (a link, bold, a footnote reference, a run of formatting):
kept as numbered markers the model carries, and put back as the format's own markup.

An adapter that finds markup inside a sentence replaces each tag by a marker and records what it
stands for in the segment's `tags`: an opening tag becomes `<N>`, its closing tag `</N>`, a tag
with no content (an image, a line break, a footnote reference) `<N/>`. The sentence goes to the
model as one segment (the markers travel as protected placeholders, like URLs and terms), the
review catalog shows the markers (PO editors and Weblate's checks know `<1>...</1>`, and a `#.`
comment says what each stands for), and the adapter's `render` turns them back into markup.

When the model loses a marker it is put back at the edge of the sentence (an opening one at the
start, any other at the end) and the sentence is flagged, so markup is never dropped in silence;
`check` says what is wrong with a reviewer's text before `build` writes a broken document.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["MARKER", "InlineTag", "check", "fill", "marker", "place_lost", "strip"]

MARKER = re.compile(r"<(/?)(\d{1,4})(/?)>")


@dataclass(frozen=True)
class InlineTag:
    """One inline tag of a segment: its marker's number and kind, and what it stands for."""

    id: int
    kind: Literal["open", "close", "empty"]
    markup: str  # the adapter's own record of the tag (often its source text), to put it back
    about: str = ""  # what a reviewer is told it is ("link to https://...", "bold")


def marker(tag: InlineTag) -> str:
    if tag.kind == "open":
        return f"<{tag.id}>"
    if tag.kind == "close":
        return f"</{tag.id}>"
    return f"<{tag.id}/>"


def strip(text: str) -> str:
    """The words of a text without its markers (what QA checks and term matching read)."""
    return re.sub(r"[ \t]{2,}", " ", MARKER.sub(" ", text)).strip()


def check(text: str, tags: Sequence[InlineTag]) -> list[str]:
    """What is wrong with the markers of a translation, as sentences a reviewer can act on:
    every marker of the source exactly once, no other, each `<N>` closed by `</N>` after it and
    pairs nested, never crossed."""
    expected = {marker(tag) for tag in tags}
    found = [m.group(0) for m in MARKER.finditer(text)]
    problems = [f"the markup {m} is missing" for m in sorted(expected - set(found))]
    problems += [f"the markup {m} is not in the source" for m in sorted(set(found) - expected)]
    problems += [f"the markup {m} appears {found.count(m)} times" for m in sorted(set(found))
                 if found.count(m) > 1]
    if not problems:
        stack: list[str] = []
        for m in MARKER.finditer(text):
            closing, number, empty = m.groups()
            if empty:
                continue
            if not closing:
                stack.append(number)
            elif not stack or stack.pop() != number:
                problems.append(f"the markup <{number}>...</{number}> is crossed with another or "
                                "closed before it opens")
                break
    return problems


def place_lost(text: str, tags: Sequence[InlineTag]) -> tuple[str, list[str]]:
    """Put every marker the model lost back at the sentence's edges; say which ones moved."""
    present = {m.group(0) for m in MARKER.finditer(text)}
    lost = [tag for tag in tags if marker(tag) not in present]
    if not lost:
        return text, []
    opening = "".join(marker(t) for t in lost if t.kind == "open")
    closing = "".join(marker(t) for t in reversed(lost) if t.kind == "close")
    empty = "".join(marker(t) for t in lost if t.kind == "empty")
    placed = f"{opening}{text}{closing}{empty}"
    names = ", ".join(marker(t) for t in lost)
    return placed, [f"the model lost the markup {names}; it was put at the edges of the sentence"]


def fill(text: str, tags: Sequence[InlineTag], render: Callable[[InlineTag], str]) -> str:
    """The text with each marker replaced by its markup (`render` makes it from the tag);
    markers the segment does not have stay as they are."""
    by_marker = {marker(tag): tag for tag in tags}

    def replace(m: re.Match[str]) -> str:
        tag = by_marker.get(m.group(0))
        return render(tag) if tag is not None else m.group(0)

    return MARKER.sub(replace, text)
