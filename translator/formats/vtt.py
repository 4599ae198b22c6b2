"""WebVTT subtitles (.vtt): cues translated; header, NOTE, STYLE and REGION blocks kept.

How the file is cut into cues (the rest is `translator.formats.subtitles`), after the WebVTT
specification's parser: the file must start with `WEBVTT` (refused otherwise); the header runs
to the first blank line (or to a line holding `-->`, which starts a cue); then come blocks of
lines between blank lines. A block that starts with `NOTE`, `STYLE` or `REGION` is kept as it
is. In any other block a line holding `-->` is a
timing line (its settings, `position:10% align:start`, are part of it), the line before it the
cue's identifier, and the lines after it the cue's text, up to a blank line or the next line
holding `-->`. A block with no timing line is kept as it is.

Cue text is written with WebVTT's escapes: `&amp;`, `&lt;` and `&gt;` for "&", "<" and ">" in a
translation (so it can never hold a tag or `-->` by accident).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .subtitles import Line, SubtitleAdapter, refuse

_SIGNATURE = re.compile(r"\ufeff?WEBVTT(?:[ \t].*)?")
_LITERAL_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")


class WebVTT(SubtitleAdapter):
    name = "vtt"
    suffixes = (".vtt",)
    escape_always = frozenset("&<>")

    def payloads(self, text: str, lines: list[Line], name: str) -> list[list[int]]:
        def content(i: int) -> str:
            return text[lines[i].start:lines[i].end]

        if not _SIGNATURE.fullmatch(content(0)):
            raise refuse(name, "not a WebVTT file (it does not start with WEBVTT); "
                         "give a .vtt file, or name an SRT file .srt")
        cues: list[list[int]] = []
        i = 1
        while i < len(lines) and content(i).strip() and "-->" not in content(i):  # the header
            i += 1
        while i < len(lines):
            if not content(i).strip():
                i += 1
                continue
            block_end = i
            while block_end < len(lines) and content(block_end).strip():
                block_end += 1
            if not _LITERAL_BLOCK.fullmatch(content(i)):
                cues += self._cues(content, i, block_end)
            i = block_end
        return cues

    @staticmethod
    def _cues(content: Callable[[int], str], start: int, end: int) -> list[list[int]]:
        """The cue text lines of one block of lines [start, end)."""
        cues: list[list[int]] = []
        cue: list[int] | None = None
        for i in range(start, end):
            if "-->" in content(i):
                cue = []
                cues.append(cue)
            elif cue is not None:
                cue.append(i)
        return cues


ADAPTER = WebVTT()
