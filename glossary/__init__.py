"""The glossary: approved renderings of key terms, kept in PO files and matched in English text.

It stands alone (it never imports `translator`), so a PO editor's companion or another pipeline
can use it. The parts, one module each:

- `glossary.model`: `Concept`, `Rendering`, `Termbase` (the data, no files)
- `glossary.po`: the one way PO files are read (as strict as msgfmt, file:line errors, raw entry
  text) and written (atomically, under a lock), and each language's plural forms
- `glossary.storage`: `load`, `save`, `edit` (directories), `read_po`/`write_po` (file objects)
- `glossary.match`: `Matcher`, `Match` (find terms in text)
- `glossary.lint`, `glossary.changes`, `glossary.cli` (commands)
- `glossary.exchange` (import and export), with one module per format: `glossary.exchange_csv`
  (CSV/TSV term lists), `glossary.exchange_tbx` (TBX), and what they share, `glossary.exchange_common`
- `glossary.cli_common`: what the glossary commands share with `translator`'s (errors, options)
- `glossary.errors`: `GlossaryError` and its subclasses

The names below are importable from `glossary` directly; each loads its module on first use, so
importing the package (or `glossary.cli` for `--help`) costs nothing.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Concept": "model", "Rendering": "model", "Termbase": "model",
    "Match": "match", "Matcher": "match",
    "load": "storage", "save": "storage", "edit": "storage",
    "GlossaryError": "errors",
}

__all__ = ["Concept", "GlossaryError", "Match", "Matcher", "Rendering", "Termbase", "edit", "load", "save"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'glossary' has no attribute {name!r}")
