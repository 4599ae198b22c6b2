"""Gettext catalogs (.po, .pot) as input: every msgid pre-translated into a target catalog.

A catalog is not poured back into a document: its output *is* a catalog, one entry per message
with reviewed entries of an earlier output kept (see `translator.pofiles`). So this adapter
only reads (strictly, as msgfmt does: `glossary.po`); the pipeline treats it as a catalog source.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import polib

from ..files import decode_po


class GettextCatalog:
    name = "po"
    suffixes = (".po", ".pot")
    kind: Literal["catalog"] = "catalog"

    def read(self, data: bytes, path: Path) -> polib.POFile:
        """The catalog, strictly parsed; InputError with file and line when it is malformed."""
        return decode_po(data, path).catalog


ADAPTER = GettextCatalog()
