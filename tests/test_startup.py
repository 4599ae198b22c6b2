"""`--help` answers without loading any model library (the reason every command imports lazily)."""
import subprocess
import sys

import pytest

HEAVY = ("ctranslate2", "sentencepiece", "argostranslate", "torch", "stanza", "spacy", "langdetect", "pysbd")

PROBE = """
import sys
from translator.cli import main
try:
    main({args!r}, prog_name="translator")
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r}))
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["translate", "--help"], ["models", "--help"], ["glossary", "--help"]],
    ids=["main", "translate", "models", "glossary"],
)
def test_help_imports_no_model_library(args):
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
                         capture_output=True, text=True, check=True).stdout
    assert "Usage:" in out
    assert out.strip().splitlines()[-1] == "[]"


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "translator", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "translate" in out and "models" in out and "glossary" in out
