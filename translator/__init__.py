"""Offline article translation with Argos Translate models and an enforced PO glossary.

The command line lives in `translator.cli`; the pipeline (`translator.pipeline.translate_files`)
is the API it wraps. Nothing heavy is imported here so `translator --help` stays fast.
"""

__version__ = "0.1.0"
