"""Offline article translation with Argos Translate models and an enforced PO glossary.

The command line lives in `translator.cli`, a thin layer over the Python API it wraps: the
pipeline (`translator.pipeline.read_source` and `translate_sources`), `build`, `check` and
`packages`. Nothing heavy is imported here so `translator --help` stays fast.
"""

__version__ = "0.1.0"
