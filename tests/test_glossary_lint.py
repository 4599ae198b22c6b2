"""lint: each kind of problem is found, and a clean termbase has none."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import TEST_GLOSSARY

from glossary.lint import lint
from glossary.model import Concept, Rendering, Termbase
from glossary.storage import load

REPO = Path(__file__).resolve().parent.parent


def _codes(termbase: Termbase) -> list[tuple[str, str, str | None]]:
    return [(p.code, p.term, p.lang) for p in lint(termbase)]


def _both(es: str, zh: str, **kwargs: object) -> tuple[Rendering, Rendering]:
    return (Rendering("es", es, **kwargs), Rendering("zh", zh))  # type: ignore[arg-type]


def test_the_shipped_glossary_lints_clean(tmp_path: Path) -> None:
    # The one test that reads locales/ (every other test uses tests/data/glossary): the data the
    # product ships must have no problem. Read from a copy, so the test leaves no lock file there.
    shipped = shutil.copytree(REPO / "locales", tmp_path / "locales",
                              ignore=shutil.ignore_patterns(".glossary.lock", ".*.tmp"))
    assert lint(load(shipped)) == []


def test_the_test_glossary_is_clean() -> None:
    assert lint(load(TEST_GLOSSARY)) == []


@pytest.mark.parametrize(
    "concepts, expected",
    [
        ([Concept("APEC", renderings=(Rendering("es", "APEC"),)), Concept("Apec", renderings=(Rendering("es", "Apec"),))],
         [("duplicate-term", "Apec", None)]),
        ([Concept("CELAC", renderings=(Rendering("es", "CELAC"),)),
          Concept("Latin American Community", variants=("celac",), renderings=(Rendering("es", "x"),))],
         [("shared-variant", "Latin American Community", None)]),
        ([Concept("APEC", renderings=(Rendering("zh", "亚太经合组织"),))],
         [("missing-rendering", "APEC", "es")]),
        ([Concept("APEC", renderings=_both("APEC", "亚太经合组织", fuzzy=True))],
         [("fuzzy-rendering", "APEC", "es")]),
        ([Concept("APEC", renderings=_both("Apec", "亚太经合组织", forbidden=("apec",)))],
         [("forbidden-rendering", "APEC", "es")]),
        ([Concept("APEC", renderings=_both("A.P.E.C.", "亚太经合组织", keep=True))],
         [("keep-mismatch", "APEC", "es")]),
    ],
    ids=["duplicate-term", "shared-variant", "missing-rendering", "fuzzy-rendering",
         "forbidden-rendering", "keep-mismatch"],
)
def test_lint_finds(concepts: list[Concept], expected: list[tuple[str, str, str | None]]) -> None:
    termbase = Termbase(languages=["es"])
    for concept in concepts:
        termbase.add(concept, allow_conflicts=True)
    assert _codes(termbase) == expected


def test_homographs_and_case_distinct_acronyms_are_not_problems() -> None:
    termbase = Termbase([
        Concept("Forum", context="a", renderings=(Rendering("es", "Foro"),)),
        Concept("Forum", context="b", renderings=(Rendering("es", "Foro"),)),
        Concept("AIDS", case_sensitive=True, renderings=(Rendering("es", "sida"),)),
        Concept("Aids", case_sensitive=True, renderings=(Rendering("es", "Ayudas"),)),
    ])
    assert lint(termbase) == []
