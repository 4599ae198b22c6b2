"""The placeholder form is chosen per model by probing it, and cached."""
import json

from translator import calibrate
from translator.enforce import DEFAULT_FORM


class Model:
    """A stand-in model that breaks some placeholder shapes the way real ones do."""

    def __init__(self, breaks):
        self.breaks = breaks
        self.calls = 0

    def translate(self, sentences, progress=None):
        self.calls += 1
        out = []
        for s in sentences:
            for shape in self.breaks:
                s = s.replace(shape, "")
            out.append(s)
        return out


def test_a_model_that_copies_brackets_gets_the_default_form():
    assert calibrate.probe(Model(breaks=[])) == DEFAULT_FORM


def test_a_model_that_drops_brackets_gets_the_next_form_that_survives():
    assert calibrate.probe(Model(breaks=["[", "]"])) == "__{n}__"


def test_a_model_that_copies_no_form_gets_none():
    everything = ["[", "]", "_", "<", ">", "{", "}", "#", "XZ"]
    assert calibrate.probe(Model(breaks=everything)) is None


def test_none_is_cached_too(tmp_path, monkeypatch):
    from helpers import SP_ES, unpack

    from translator.packages import load_package

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    package = load_package(unpack(SP_ES, tmp_path))
    model = Model(breaks=["[", "]", "_", "<", ">", "{", "}", "#", "XZ"])
    assert calibrate.placeholder_form([package], model) is None
    assert calibrate.placeholder_form([package], model) is None
    assert model.calls == 1


def test_the_answer_is_cached_per_package(tmp_path, monkeypatch):
    from helpers import SP_ES, unpack

    from translator.packages import load_package

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    package = load_package(unpack(SP_ES, tmp_path))
    model = Model(breaks=["[", "]"])
    assert calibrate.placeholder_form([package], model) == "__{n}__"
    assert calibrate.placeholder_form([package], model) == "__{n}__"
    assert model.calls == 1
    cached = json.loads((tmp_path / "cache" / "translator" / "placeholder-forms.json").read_text())
    assert list(cached.values()) == ["__{n}__"]
