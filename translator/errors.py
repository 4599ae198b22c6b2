"""Errors a user can act on.

Library code raises these; the CLI turns each into one line on stderr and a non-zero exit. They
are plain exceptions (not click's) so the pipeline stays usable from other Python code.
"""
from __future__ import annotations


class TranslatorError(Exception):
    """Base of every error the translator reports to its user."""


class InputError(TranslatorError):
    """An input file is missing, unreadable, not UTF-8 text, empty or of an unknown kind."""


class LanguageError(TranslatorError):
    """A language code is unknown or a file is not in the language expected."""


class ModelError(TranslatorError):
    """A model is missing, broken, or cannot be installed."""


class OutputError(TranslatorError):
    """An output file cannot be written."""
