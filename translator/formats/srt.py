"""SubRip subtitles (.srt): numbered cues with a timing line; only their text is translated.

How the file is cut into cues (the rest is `translator.formats.subtitles`): blocks of lines
between blank lines; a timing line (`00:00:01,000 --> 00:00:04,000`, read leniently:
`00:00:00,1`, `00:00:04` without milliseconds, `.` for `,`, coordinates after it) starts a cue,
with the number on the line before it if there is one (any number, 0 included), and the lines
after it up to the next blank line, or up to a number followed by a timing line, are its text.
A block with no timing line (a credit after the last cue) is no cue: no player shows it, and it
is kept as it is. A file with no cue at all is refused: it is not SubRip, whatever its name.

SubRip has no standard escaping, but players read `<...>` as a tag: a file that writes `&lt;`
for "<" gets its "<" written that way again (likewise `&gt;`, `&amp;`), and a "<" in a
translation that would start a tag is always written `&lt;`.
"""
from __future__ import annotations

import re

from .subtitles import Line, SubtitleAdapter, refuse

_TIME = r"[0-9]{1,3}(?::[0-9]{1,2}){1,2}(?:[,.:][0-9]{1,3})?"
_TIMING = re.compile(rf"[ \t]*{_TIME}[ \t]*-->[ \t]*{_TIME}(?:[ \t].*)?")
_NUMBER = re.compile(r"[ \t]*[0-9]+[ \t]*")


class SubRip(SubtitleAdapter):
    name = "srt"
    suffixes = (".srt",)

    def payloads(self, text: str, lines: list[Line], name: str) -> list[list[int]]:
        def content(i: int) -> str:
            return text[lines[i].start:lines[i].end].lstrip("\ufeff")

        def timing(i: int) -> bool:
            return i < len(lines) and _TIMING.fullmatch(content(i)) is not None

        cues: list[list[int]] = []
        cue: list[int] | None = None
        for i in range(len(lines)):
            line = content(i)
            if not line.strip():
                cue = None  # a blank line ends the cue
            elif timing(i):
                cue = []
                cues.append(cue)
            elif _NUMBER.fullmatch(line) and timing(i + 1):
                cue = None  # the next cue's number
            elif cue is not None:
                cue.append(i)
        if not cues:
            raise refuse(name, "no subtitle cue found; an SRT file holds numbered cues, each with "
                         "a timing line such as 00:00:01,000 --> 00:00:04,000")
        return cues


ADAPTER = SubRip()
