"""Test-wide isolation: no test touches the home directory, the network or the shipped glossary.

argostranslate reads ARGOS_PACKAGES_DIR and the XDG folders once, when `argostranslate.settings`
is first imported, and creates folders there. So the environment is pointed at a throw-away
directory here, at conftest import time, before any test module can import it.

Tests use their own glossary, tests/data/glossary (`helpers.TEST_GLOSSARY`), never the shipped
locales/: adding a term there must not break a test. A command that names no glossary gets a
throw-away copy of it through TRANSLATOR_GLOSSARY (so nothing falls back to ./locales, and an
accidental write cannot reach the repository); a test that changes the glossary asks for its own
copy with the `glossary_copy` fixture. Only tests/test_glossary_lint.py reads locales/.
"""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

_SANDBOX = Path(tempfile.mkdtemp(prefix="translator-tests-"))
atexit.register(shutil.rmtree, _SANDBOX, True)
for _var, _sub in {
    "HOME": "home",
    "XDG_DATA_HOME": "xdg-data",
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_CACHE_HOME": "xdg-cache",
    "ARGOS_PACKAGES_DIR": "argos-packages",
}.items():
    (_SANDBOX / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_var] = str(_SANDBOX / _sub)
os.environ.pop("TRANSLATOR_DEBUG", None)

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).parent))  # for tests/helpers.py

from helpers import copy_test_glossary  # noqa: E402

os.environ["TRANSLATOR_GLOSSARY"] = str(copy_test_glossary(_SANDBOX / "glossary"))


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def packages_dir(tmp_path_factory):
    """An Argos packages folder holding the en->es and en->zh copy packages (SentencePiece)."""
    from helpers import SP_ES, SP_ZH, unpack

    dest = tmp_path_factory.mktemp("argos-packages")
    unpack(SP_ES, dest)
    unpack(SP_ZH, dest)
    return dest


@pytest.fixture
def with_models(packages_dir, monkeypatch):
    """Point ARGOS_PACKAGES_DIR at the copy packages for one test."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    return packages_dir


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    empty = tmp_path / "no-packages"
    empty.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(empty))
    return empty


@pytest.fixture
def glossary_copy(tmp_path):
    """A fresh copy of the test glossary that the test may change (tmp_path/glossary)."""
    from helpers import copy_test_glossary

    return copy_test_glossary(tmp_path / "glossary")
