"""What the benchmark runs on: a benchmark-size Argos package and a corpus of articles.

Both are built once, from a fixed random seed, and cached under `benchmarks/.cache/` (the folder
is git-ignored; delete it to rebuild):

* the model: a standard transformer-base (6 + 6 layers, d_model 512, 8 heads, FFN 2048) with
  *random* weights, the same shape and cost as Argos Translate's en->es model, built as a
  CTranslate2 model spec (`ctranslate2.specs`) from numpy random arrays, quantised to int8 by
  CTranslate2's own converter (no torch, no transformers) and zipped as a real `.argosmodel`
  (metadata.json, model/, sentencepiece.model, README.md), so both this project and Argos
  Translate install and load it. Its SentencePiece vocabulary (up to 32,000 unigram pieces) is
  trained on the seed articles and the fixture corpus (weighted up, so news words are whole pieces)
  plus English prose taken from the comments and docstrings of the installed Python packages:
  about 1.3-1.4 pieces per word on the seeds, as a real news vocabulary gives. How many pieces
  that prose yields depends on what is installed (28,626 beside the runtime and test extra), so
  the model's vocabulary is filled up to exactly 32,000 entries with word-like filler pieces
  that SentencePiece never produces: the output layer, which decoding pays for at every step,
  has the same size whatever the environment. The model never emits `</s>`
  (its output bias forbids it), so every system decodes every sentence to the same
  `max_decoding_length`.
* the corpus: article-sized English documents (headline, dateline, paragraphs of one to four
  sentences) made from the sentences of `seeds/`: each sentence is a seed sentence with about a
  third of its words swapped for other seed words and its numbers redrawn, so lengths follow real
  news and nearly every sentence is distinct. A stated share of sentences repeats an earlier one
  (quotes and boilerplate recur across real articles), which the pipeline translates once.

Nothing here pretends to translate: the model's output is random tokens. It measures speed only.
"""
from __future__ import annotations

import hashlib
import io
import json
import random
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "benchmarks" / ".cache"
BUILDER_VERSION = 3  # bump when the way models or corpora are built changes

_WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?")


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# Model
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelSpec:
    """The shape of the benchmark model. `full` is transformer-base, Argos en->es's shape."""

    name: str
    layers: int
    d_model: int
    heads: int
    ffn: int
    vocab: int  # SentencePiece pieces asked for (the text decides the final count)
    text: str  # "packages": docstrings of installed packages; "stdlib"; "seeds": seeds only
    seed: int = 0

    @property
    def label(self) -> str:
        return (f"{self.layers}+{self.layers} layers, d_model {self.d_model}, {self.heads} heads, "
                f"FFN {self.ffn}, int8")

    def key(self) -> str:
        blob = json.dumps({**asdict(self), "v": BUILDER_VERSION}, sort_keys=True)
        return f"{self.name}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"


MODELS = {
    "full": ModelSpec("full", layers=6, d_model=512, heads=8, ffn=2048, vocab=32000, text="packages"),
    "quick": ModelSpec("quick", layers=3, d_model=256, heads=4, ffn=1024, vocab=8000, text="stdlib"),
    "smoke": ModelSpec("smoke", layers=1, d_model=64, heads=2, ffn=128, vocab=1000, text="seeds"),
}


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    return paragraphs


def _fixture_lines() -> list[str]:
    path = REPO / "tests" / "fixtures" / "corpus.txt"
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _prose_lines(root: Path, skip_site_packages: bool) -> list[str]:
    """English-looking comment and docstring lines from the .py files under `root` (sorted)."""
    out: list[str] = []
    seen: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        if skip_site_packages and "site-packages" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line in text.splitlines():
            s = line.strip().lstrip("#").strip()
            if len(s) < 30 or s in seen:
                continue
            words = s.split()
            if len(words) < 6:
                continue
            if sum(1 for w in words if _WORD.fullmatch(w.strip(".,;:()\"'"))) < 0.8 * len(words):
                continue
            seen.add(s)
            out.append(s)
    return out


def _training_text(spec: ModelSpec) -> list[str]:
    import sysconfig

    news = seed_paragraphs() + _fixture_lines()
    if spec.text == "seeds":
        import pydoc_data.topics

        prose = [line.strip() for v in pydoc_data.topics.topics.values() for line in v.splitlines()
                 if len(line.split()) > 3]
        return news * 5 + prose
    if spec.text == "stdlib":
        prose = _prose_lines(Path(sysconfig.get_paths()["stdlib"]), skip_site_packages=True)
    else:
        prose = _prose_lines(Path(sysconfig.get_paths()["purelib"]), skip_site_packages=False)
        prose += _prose_lines(Path(sysconfig.get_paths()["stdlib"]), skip_site_packages=True)
    return news * 50 + prose


def _train_sentencepiece(spec: ModelSpec) -> bytes:
    import sentencepiece as spm

    lines = _training_text(spec)
    log(f"training SentencePiece ({spec.vocab} pieces asked) on {len(lines):,} lines")
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        model_type="unigram",
        vocab_size=spec.vocab,
        hard_vocab_limit=False,  # as many pieces as the text allows, up to `vocab`
        character_coverage=1.0,
        byte_fallback=True,
        input_sentence_size=400_000,
        shuffle_input_sentence=True,
        seed_sentencepiece_size=1_000_000,
        num_threads=2,
        minloglevel=2,
    )
    return buf.getvalue()


def _convert(spec: ModelSpec, pieces: list[str], out_dir: Path) -> None:
    """A transformer of `spec`'s shape with random weights -> CTranslate2 int8 in out_dir.

    Built directly as a CTranslate2 model spec (`ctranslate2.specs.TransformerSpec`, the layout of
    Argos Translate's OpenNMT-py models: pre-norm, ReLU, sinusoidal positions, embeddings shared
    by encoder, decoder and output projection) filled with numpy random weights, and quantised by
    CTranslate2's own converter: no torch, no transformers. The output bias of `</s>` is set far
    below every other logit so the model never stops: every sentence decodes to the same bound
    (`max_decoding_length`) in every system.
    """
    import numpy as np
    from ctranslate2.converters.converter import Converter
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(spec.seed)
    d, ffn = spec.d_model, spec.ffn

    def weight(rows: int, cols: int) -> np.ndarray:
        return rng.normal(0.0, 0.02, size=(rows, cols)).astype(np.float32)

    def bias(size: int) -> np.ndarray:
        return rng.normal(0.0, 0.02, size=size).astype(np.float32)

    def linear(target, rows: int, cols: int) -> None:  # type: ignore[no-untyped-def]
        target.weight, target.bias = weight(rows, cols), bias(rows)

    def norm(target) -> None:  # type: ignore[no-untyped-def]
        target.gamma, target.beta = np.ones(d, np.float32), np.zeros(d, np.float32)

    def attention(target, fused_qkv: bool) -> None:  # type: ignore[no-untyped-def]
        norm(target.layer_norm)
        if fused_qkv:  # self-attention: queries, keys and values in one matrix
            linear(target.linear[0], 3 * d, d)
        else:  # encoder-decoder attention: queries, then keys and values
            linear(target.linear[0], d, d)
            linear(target.linear[1], 2 * d, d)
        linear(target.linear[-1], d, d)

    def feed_forward(target) -> None:  # type: ignore[no-untyped-def]
        norm(target.layer_norm)
        linear(target.linear_0, ffn, d)
        linear(target.linear_1, d, ffn)

    class _RandomTransformer(Converter):
        def _load(self):  # type: ignore[no-untyped-def]
            model = transformer_spec.TransformerSpec.from_config((spec.layers, spec.layers), spec.heads)
            embeddings = weight(len(pieces), d)
            model.encoder.embeddings[0].weight = embeddings
            model.decoder.embeddings.weight = embeddings
            model.decoder.projection.weight = embeddings
            output_bias = np.zeros(len(pieces), np.float32)
            output_bias[pieces.index("</s>")] = -1e4  # never stops: every system decodes the bound
            model.decoder.projection.bias = output_bias
            norm(model.encoder.layer_norm)
            norm(model.decoder.layer_norm)
            for layer in model.encoder.layer:
                attention(layer.self_attention, fused_qkv=True)
                feed_forward(layer.ffn)
            for layer in model.decoder.layer:
                attention(layer.self_attention, fused_qkv=True)
                attention(layer.attention, fused_qkv=False)
                feed_forward(layer.ffn)
            model.register_source_vocabulary(pieces)
            model.register_target_vocabulary(pieces)
            return model

    _RandomTransformer().convert(str(out_dir), quantization="int8", force=True)


README = """\
BENCHMARK model with RANDOM weights: it does not translate (its output is random tokens).
{label}, a vocabulary of {pieces:,} entries. Built by benchmarks/build.py to measure speed with the
shape and cost of Argos Translate's en->es model (transformer-base). Never use it for real text.
"""


def _zip(src: Path, zip_path: Path) -> None:
    tmp = zip_path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted(src.rglob("*")):
            arc = f"{src.name}/{path.relative_to(src).as_posix()}"
            zf.write(path, arc + ("/" if path.is_dir() else ""))
    tmp.replace(zip_path)


def _publish(work: Path, folder: Path) -> None:
    """Move a finished build into place; a concurrent build that finished first wins."""
    try:
        work.rename(folder)
    except OSError:
        if not folder.exists():
            raise
        shutil.rmtree(work, ignore_errors=True)


def _filled(pieces: list[str], size: int) -> list[str]:
    """`pieces`, then filler entries ("▁zqa", "▁zqb", ... "▁zqba", ...) up to `size` in all."""
    out, taken, n = list(pieces), set(pieces), 0
    while len(out) < size:
        k, letters = n, ""
        while True:
            k, r = divmod(k, 26)
            letters = chr(ord("a") + r) + letters
            if not k:
                break
        n += 1
        piece = "\u2581zq" + letters
        if piece not in taken:
            out.append(piece)
            taken.add(piece)
    return out


@dataclass(frozen=True)
class BuiltModel:
    spec: ModelSpec
    archive: Path  # the .argosmodel
    pieces: int  # SentencePiece vocabulary size
    megabytes: float  # model.bin size
    vocabulary: int = 0  # the model's vocabulary: the pieces, filled up to spec.vocab


def build_model(spec: ModelSpec, cache: Path = CACHE) -> BuiltModel:
    """The `.argosmodel` for `spec`, built on first use and cached."""
    folder = cache / f"model-{spec.key()}"
    archive = folder / "translate-en_es-bench.argosmodel"
    info_file = folder / "info.json"
    if archive.exists() and info_file.exists():
        info = json.loads(info_file.read_text())
        return BuiltModel(spec, archive, info["pieces"], info["megabytes"], info["vocabulary"])
    started = time.perf_counter()
    log(f"building the {spec.name} benchmark model ({spec.label}); cached in {folder}")
    cache.mkdir(parents=True, exist_ok=True)
    if folder.exists():  # an unfinished copy from an interrupted run
        shutil.rmtree(folder, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".build-{spec.name}-", dir=cache))
    package = work / "build" / "translate-en_es-bench"
    package.mkdir(parents=True)
    # The tokenizer is kept beside the model folder: its training text is read from the
    # installed packages, so another machine (a GPU box) rebuilds the same model only from it.
    sp_file = cache / f"sentencepiece-{spec.key()}.model"
    if sp_file.exists():
        sp_model = sp_file.read_bytes()
        log(f"SentencePiece model from {sp_file}")
    else:
        sp_model = _train_sentencepiece(spec)
        sp_file.write_bytes(sp_model)
    (package / "sentencepiece.model").write_bytes(sp_model)
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocabulary = _filled(pieces, spec.vocab)
    log(f"{len(pieces):,} pieces, vocabulary filled to {len(vocabulary):,}; converting a random "
        f"{spec.label} model")
    _convert(spec, vocabulary, package / "model")
    metadata = {
        "package_version": "1.0", "argos_version": "1.9", "code": "translate-en_es-bench",
        "type": "translate", "from_code": "en", "from_name": "English",
        "to_code": "es", "to_name": "Spanish", "links": [],
    }
    (package / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    (package / "README.md").write_text(README.format(label=spec.label, pieces=len(vocabulary)))
    megabytes = (package / "model" / "model.bin").stat().st_size / 1e6
    _zip(package, work / archive.name)
    shutil.rmtree(work / "build")
    (work / info_file.name).write_text(json.dumps({"pieces": len(pieces), "megabytes": round(megabytes, 1),
                                                   "vocabulary": len(vocabulary)}))
    _publish(work, folder)
    log(f"model built in {time.perf_counter() - started:.0f} s ({megabytes:.0f} MB model.bin)")
    return BuiltModel(spec, archive, len(pieces), round(megabytes, 1), len(vocabulary))


# ------------------------------------------------------------------------------------------
# The peer: Argos Translate as its users install it
# ------------------------------------------------------------------------------------------
# The distribution users of Argos Translate install (`pip install argostranslate`): it depends on
# stanza (and so torch) and spaCy. Pinned so that reruns measure the same peer; torch is pinned
# to its CPU build by constraints.txt.
ARGOS_REQUIREMENT = "argostranslate==1.11.0"
ARGOS_ENV_VERSION = 1  # bump when the way the peer's virtualenv is made changes


@dataclass(frozen=True)
class ArgosEnv:
    """A virtualenv of its own holding the `argostranslate` distribution and its dependencies."""

    folder: Path
    python: Path
    requirement: str
    versions: dict  # distribution -> version, for the ones that matter to the comparison
    megabytes: float  # the virtualenv's size on disk
    install_s: float  # how long `python -m venv` + `pip install` took (once, when it was built)

    @property
    def bin(self) -> Path:
        return self.python.parent

    def describe(self) -> str:
        v = self.versions
        return (f"{self.requirement.split('==')[0]} {v.get('argostranslate', '?')} in its own "
                f"virtualenv, with " + ", ".join(f"{name} {v[name]}" for name in
                                                  ("torch", "stanza", "spacy", "ctranslate2")
                                                  if name in v)
                + f" ({self.megabytes:,.0f} MB on disk, installed in {self.install_s:.0f} s)")


def _du_mb(folder: Path) -> float:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            pass
    return total / 2**20


def argos_env(cache: Path = CACHE, requirement: str = ARGOS_REQUIREMENT) -> ArgosEnv:
    """The peer's virtualenv, made once (pip, from the package registry) and cached.

    It gets the same ctranslate2 and sentencepiece as this project's environment, so the
    comparison measures Argos Translate and not another CTranslate2 build, plus pysbd for the
    benchmark's splitter patch (benchmarks/workers.py). Everything else is what pip resolves for
    `requirement`, with torch pinned to its CPU build by constraints.txt.
    """
    import subprocess
    from importlib.metadata import version

    pins = [f"{name}=={version(name)}" for name in ("ctranslate2", "sentencepiece", "pysbd")]
    constraints = REPO / "constraints.txt"
    blob = json.dumps({"req": requirement, "pins": pins, "constraints": constraints.read_text(),
                       "python": sys.version, "v": ARGOS_ENV_VERSION}, sort_keys=True)
    folder = cache / f"argos-env-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"
    info_file = folder / "ready.json"
    python = folder / "bin" / "python"
    if not info_file.exists():
        # Built in place (a virtualenv's scripts name its path) and marked ready at the end.
        if folder.exists():
            shutil.rmtree(folder)
        log(f"making the Argos Translate peer's virtualenv ({requirement}, {' '.join(pins)}) "
            f"in {folder}")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             "-c", str(constraints), requirement, *pins],
            capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"installing {requirement} into {folder} failed:\n{done.stderr[-3000:]}")
        install_s = time.perf_counter() - started
        probe = ("import json; from importlib.metadata import version as v, PackageNotFoundError as E\n"
                 "out = {}\n"
                 "for n in ('argostranslate', 'torch', 'stanza', 'spacy', 'ctranslate2', "
                 "'sentencepiece'):\n"
                 "    try: out[n] = v(n)\n"
                 "    except E: pass\n"
                 "print(json.dumps(out))")
        versions = json.loads(subprocess.run([str(python), "-c", probe], check=True,
                                             capture_output=True, text=True).stdout)
        info = {"requirement": requirement, "versions": versions,
                "megabytes": round(_du_mb(folder), 1), "install_s": round(install_s, 1)}
        info_file.write_text(json.dumps(info, indent=2))
        log(f"peer virtualenv ready in {install_s:.0f} s ({info['megabytes']:,.0f} MB)")
    info = json.loads(info_file.read_text())
    return ArgosEnv(folder, python, info["requirement"], info["versions"], info["megabytes"],
                    info["install_s"])


# ------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusSpec:
    documents: int
    min_sentences: int  # per document, headline and dateline included
    max_sentences: int
    repeat_share: float = 0.05  # sentence slots that repeat an earlier sentence
    seed: int = 1

    def key(self) -> str:
        blob = json.dumps({**asdict(self), "v": BUILDER_VERSION}, sort_keys=True)
        return f"corpus-{self.documents}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}"


CORPORA = {
    "full": CorpusSpec(200, 4, 14),
    "quick": CorpusSpec(16, 3, 8),
    "smoke": CorpusSpec(4, 3, 5),
}

_CITIES = ["BEIJING", "SAN FRANCISCO", "MEXICO CITY", "BRASILIA", "LIMA", "HAVANA", "SANTIAGO",
           "BUENOS AIRES", "BOGOTA", "QUITO", "CARACAS", "MONTEVIDEO", "PANAMA CITY", "SHANGHAI"]
_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
           "Nov.", "Dec."]


def seed_sentences() -> list[str]:
    """The seed articles' sentences, split the way the pipeline splits them (pysbd)."""
    sys.path.insert(0, str(REPO))
    from translator.segment import split_sentences

    out = []
    for paragraph in seed_paragraphs():
        out += [paragraph[a:b] for a, b in split_sentences(paragraph)]
    return out


class _Sentences:
    """Distinct news-shaped sentences: seed sentences with words swapped and numbers redrawn."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.templates = [s for s in seed_sentences() if len(s.split()) >= 5]
        self.headlines = [s for s in seed_sentences() if 5 <= len(s.split()) <= 16]
        words = [w for s in self.templates for w in re.findall(r"[A-Za-z]{3,}", s)]
        self.lower = sorted({w for w in words if w.islower()})
        self.upper = sorted({w for w in words if w[0].isupper() and not w.isupper()})
        self.used: list[str] = []

    def _vary(self, template: str) -> str:
        rng = self.rng

        def word(m: re.Match[str]) -> str:
            w = m.group(0)
            if rng.random() >= 0.35:
                return w
            if w[0].isupper() and not w.isupper():
                return rng.choice(self.upper)
            return rng.choice(self.lower) if w.islower() else w

        text = re.sub(r"[A-Za-z]{3,}", word, template)
        return re.sub(r"\d+", lambda m: str(rng.randint(1, 10 ** len(m.group(0)) - 1)), text)

    def sentence(self, repeat_share: float) -> str:
        if self.used and self.rng.random() < repeat_share:
            return self.rng.choice(self.used)
        text = self._vary(self.rng.choice(self.templates))
        self.used.append(text)
        return text

    def headline(self) -> str:
        return self._vary(self.rng.choice(self.headlines)).rstrip(".")

    def dateline(self) -> str:
        rng = self.rng
        return (f"{rng.choice(_CITIES)}, {rng.choice(_MONTHS)} {rng.randint(1, 28)} (Xinhua) — "
                + self._vary(rng.choice([t for t in self.templates if "(Xinhua)" not in t])))


@dataclass(frozen=True)
class Corpus:
    spec: CorpusSpec
    folder: Path
    files: list[Path]
    words: int
    sentence_slots: int  # as generated (the pipeline's pysbd split may differ slightly)
    distinct: int


def build_corpus(spec: CorpusSpec, cache: Path = CACHE) -> Corpus:
    """`spec.documents` .txt articles under the cache, generated from the seeds once."""
    folder = cache / spec.key()
    stats_file = folder / "stats.json"
    if not stats_file.exists():
        rng = random.Random(spec.seed)
        gen = _Sentences(rng)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".corpus-", dir=cache))
        slots: list[str] = []
        for n in range(spec.documents):
            target = rng.randint(spec.min_sentences, spec.max_sentences)
            paragraphs = [gen.headline(), gen.dateline()]
            slots += paragraphs
            count = 2
            while count < target:
                size = min(rng.randint(1, 4), target - count)
                sentences = [gen.sentence(spec.repeat_share) for _ in range(size)]
                slots += sentences
                paragraphs.append(" ".join(sentences))
                count += size
            (tmp / f"article_{n:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        words = sum(len(s.split()) for s in slots)
        stats = {"words": words, "sentence_slots": len(slots), "distinct": len(set(slots))}
        (tmp / "stats.json").write_text(json.dumps(stats))
        _publish(tmp, folder)
    stats = json.loads(stats_file.read_text())
    files = sorted(folder.glob("article_*.txt"))
    return Corpus(spec, folder, files, stats["words"], stats["sentence_slots"], stats["distinct"])


if __name__ == "__main__":  # build (or show) the cached inputs: python benchmarks/build.py [full|quick|smoke|argos]
    size = sys.argv[1] if len(sys.argv) > 1 else "full"
    CACHE.mkdir(parents=True, exist_ok=True)
    if size == "argos":
        print(argos_env().describe())
    else:
        print(build_model(MODELS[size]))
        print(build_corpus(CORPORA[size]))
