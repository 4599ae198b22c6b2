"""Which placeholder shape a model copies through intact: probed once, cached per package.

Real Argos models differ: one copies "[0]" but turns "__0__" into "0", another translates
"<0>". So the form is a property of the model. A few short calibration sentences, each holding
one or two placeholders of every candidate form, go through the model in one batch; the first
form whose placeholders all come back exactly once wins. A model that carries no form through
most probes gets None: protecting terms with placeholders it loses would only make every term
sentence go through the model twice (see `enforce.post_edit` for what it gets instead). The answer
is cached under the user's cache folder, keyed by the package folders and their model files' size
and time, so it is probed again only when a model changes.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from .enforce import DEFAULT_FORM
from .engine import Translator
from .files import atomic_write_text
from .packages import ModelPackage

# In order of preference: the first that survives is used.
FORMS = (DEFAULT_FORM, "__{n}__", "<{n}>", "{{{n}}}", "#{n}", "XZ{n}Q")

_PROBES = (
    "The meeting with {a} took place in the capital on Monday.",
    "{a} and {b} signed the agreement after long talks.",
    "According to {a}, trade between the two countries grew last year.",
    "Officials from {b} said that {a} would host the next summit.",
)


def _probe_sentences(form: str) -> list[tuple[str, list[str]]]:
    tokens = [form.format(n=1), form.format(n=2)]
    sentences = []
    for template in _PROBES:
        used = [t for key, t in zip("ab", tokens) if "{" + key + "}" in template]
        sentences.append((template.format(a=tokens[0], b=tokens[1]), used))
    return sentences


def probe(translator: Translator, forms: Sequence[str] = FORMS) -> str | None:
    """The first form the translator copies intact in every probe, else the best-scoring one
    that survives at least half of them, else None (the model carries no placeholder)."""
    batches = {form: _probe_sentences(form) for form in forms}
    flat = [sentence for form in forms for sentence, _ in batches[form]]
    outputs = iter(translator.translate(flat))
    scores = {}
    for form in forms:
        good = 0
        for _, tokens in batches[form]:
            out = next(outputs)
            good += all(out.count(token) == 1 for token in tokens)
        scores[form] = good
        if good == len(batches[form]):
            return form
    best = max(forms, key=lambda f: (scores[f], -forms.index(f)))
    return best if 2 * scores[best] >= len(_PROBES) else None


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "translator" / "placeholder-forms.json"


def route_key(route: Sequence[ModelPackage]) -> str:
    parts = []
    for package in route:
        model = package.model_dir / "model.bin"
        try:
            stat = model.stat()
            parts.append(f"{package.path.resolve()}:{package.version}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{package.path}:{package.version}")
    return "|".join(parts)


def placeholder_form(route: Sequence[ModelPackage], translator: Translator) -> str | None:
    """The cached form for this route of packages, probing the model when there is none."""
    key = route_key(route)
    cache = _cache_file()
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if isinstance(known, dict) and key in known and (known[key] is None or known[key] in FORMS):
        return known[key]
    form = probe(translator)
    known = known if isinstance(known, dict) else {}
    known[key] = form
    try:
        atomic_write_text(cache, json.dumps(known, indent=1, sort_keys=True) + "\n")
    except Exception:  # a cache that cannot be written only costs a re-probe
        pass
    return form
