"""The subtitle and XLIFF conformance scripts, run on small files written for these tests (never
on copies of the reference corpus): they pass good translations and name what a broken one
changed."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from helpers import load_conformance
from test_subtitles import SRT_DIALOGUE, VTT_FULL
from test_xliff import TERM_12, X2


@pytest.fixture
def subtitles(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return load_conformance("formats_subtitles", monkeypatch)


@pytest.fixture
def xliff(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return load_conformance("formats_xliff", monkeypatch)


def _corpus(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / "formats" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_the_subtitle_suite_passes_kept_cues_and_reports_figures(
        subtitles: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path, {"srt/talks.srt": SRT_DIALOGUE, "vtt/intro.vtt": VTT_FULL})
    assert subtitles.main(["--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("formats_subtitles: 2/2 files keep every cue, timing and block in es "
                          "and zh (") and out.count("\n") == 1
    assert "4/4 outputs rebuilt from their catalogs; 2/2 keep them with every sentence changed; " \
           "largest .srt (0.1 KB): " in out


@pytest.mark.parametrize(
    ("changed", "problem"),
    [
        (VTT_FULL.replace("region:fred", "region:bob"), "a line that is not cue text changed"),
        (VTT_FULL.replace("They <b>order</b> your products,\n", "They <b>order</b> your products, "),
         "cue 2: 1 lines instead of 2"),
        (VTT_FULL.replace("Tom &amp; Jerry", "Tom and Jerry"), "cue 4: its text changed"),
        (VTT_FULL.replace("faceless mass", "faceless\nmass"), "cue 3: 3 lines instead of 2"),
    ],
    ids=["a-setting", "a-joined-line", "a-cue-text", "an-extra-line"],
)
def test_the_subtitle_comparison_names_what_changed(subtitles: ModuleType, changed: str,
                                                    problem: str) -> None:
    assert subtitles.compare(VTT_FULL, changed, "vtt", same_text=True) == [problem]


def test_the_xliff_suite_passes_filled_targets_and_reports_figures(
        xliff: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unapproved = X2.replace('state="final"', "").replace('state="reviewed"', "")
    corpus = _corpus(tmp_path, {"xliff/news.xlf": TERM_12, "xliff/form.xliff": unapproved})
    assert xliff.main(["--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("formats_xliff: 2/2 files have every target filled (5 units and "
                          "segments), inline codes kept and nothing else changed in es and zh (")
    assert out.count("\n") == 1


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda x: x.replace('<segment id="3">', '<segment id="3" extra="1">'),
         "something other than the targets changed"),
        (lambda x: x.replace('<pc id="2" type="fmt" subType="m:b">diseño</pc>', "diseño"),
         "segment 1: inline codes [] instead of [('pc', '2')]"),
        (lambda x: x.replace('<segment id="5"><source>Not', '<segment id="5"><source>Nicht'),
         "something other than the targets changed"),
        (lambda x: x.replace('trgLang="es-419"', 'trgLang="es"'), "trgLang is 'es', not 'es-419'"),
    ],
    ids=["an-attribute", "a-lost-code", "a-translate-no-unit", "the-language"],
)
def test_the_xliff_comparison_names_what_changed(xliff: ModuleType, edit, problem: str) -> None:
    good = (X2.replace("<target></target>", '<target>Calidad del <pc id="2" type="fmt" '
                                            'subType="m:b">diseño</pc>:</target>')
            .replace('<segment id="1" state="initial">', '<segment id="1" state="initial" '
                                                          'subState="translator:mt">'))
    assert problem not in xliff.compare(X2.encode(), good.encode(), "es", same_text=False)
    assert problem in xliff.compare(X2.encode(), edit(good).encode(), "es", same_text=False)
