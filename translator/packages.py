"""Argos packages: where they live, which are installed, installing and removing them, tokenizers.

A model is a standard Argos Translate package (a folder holding `metadata.json`, a CTranslate2
`model/` folder and `sentencepiece.model` or `bpe.model`). Metadata is read through
`argostranslate.package.Package`, so anything Argos accepts is accepted here. Two Argos habits are
avoided on purpose:

* `argostranslate.package.install_from_path`/`uninstall` import `argostranslate.translate` (torch
  and stanza, seconds of start-up) only to clear a cache, and extract archives without checking
  member paths. Installing here validates the archive, extracts it next to its destination and
  renames it into place, so an interrupted install never leaves a half package behind.
* `argostranslate.settings` creates folders in the home directory when imported, so it is
  imported only on the paths that need Argos's defaults (no `ARGOS_PACKAGES_DIR` set, or the
  online index).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, Sequence

from .errors import ModelError

INDEX_TIMEOUT_S = 20


@dataclass(frozen=True)
class ModelPackage:
    """An installed Argos translation package, as far as this tool needs to know it."""

    path: Path
    name: str
    from_code: str
    to_code: str
    version: str
    target_prefix: str
    tokenizer: str  # "sentencepiece" or "bpe"
    description: str  # first line of the package's README, shown wherever the model is named

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}".strip()


def packages_dir() -> Path:
    """The folder Argos installs packages into (ARGOS_PACKAGES_DIR, else Argos's default)."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    from argostranslate import settings  # creates Argos's folders under $HOME: only when needed

    return Path(settings.package_data_dir)


def _version_key(version: str) -> tuple:
    parts = []
    for piece in version.replace("-", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


def _readme_line(path: Path) -> str:
    readme = path / "README.md"
    try:
        for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip().lstrip("#").strip()
            if line:
                return line
    except OSError:
        pass
    return ""


def load_package(path: Path) -> ModelPackage:
    """Read one unpacked package folder; ModelError when it is not a usable Argos package."""
    from argostranslate.package import Package

    try:
        pkg = Package(path)
    except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        raise ModelError(
            f"{path} is not a valid Argos package ({exc}); remove it with: "
            f"translator models remove {path.name}"
        ) from exc
    if (path / "sentencepiece.model").exists():
        tokenizer = "sentencepiece"
    elif (path / "bpe.model").exists():
        tokenizer = "bpe"
    else:
        raise ModelError(
            f"{path} has neither sentencepiece.model nor bpe.model; remove it with: "
            f"translator models remove {path.name}"
        )
    if not (path / "model" / "model.bin").exists():
        raise ModelError(
            f"{path} has no CTranslate2 model (model/model.bin); remove it with: "
            f"translator models remove {path.name}"
        )
    if not pkg.from_code or not pkg.to_code:
        raise ModelError(f"{path}/metadata.json names no from_code/to_code")
    return ModelPackage(
        path=path,
        name=path.name,
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        version=str(pkg.package_version or ""),
        target_prefix=pkg.target_prefix or "",
        tokenizer=tokenizer,
        description=_readme_line(path),
    )


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Every translation package in `directory` (default: packages_dir()), sorted by name.

    Folders without metadata.json are not packages (Argos's own leftovers) and are skipped; a
    folder with broken metadata raises ModelError so the user learns which one to remove.
    """
    directory = packages_dir() if directory is None else directory
    if not directory.is_dir():
        return []
    found = []
    for child in sorted(directory.iterdir()):
        if child.name.startswith(".") or not (child / "metadata.json").is_file():
            continue
        if _package_type(child) != "translate":
            continue
        found.append(load_package(child))
    return found


def _package_type(path: Path) -> str:
    try:
        return json.loads((path / "metadata.json").read_text(encoding="utf-8")).get(
            "type", "translate"
        )
    except (OSError, ValueError):
        return "translate"  # let load_package report it


def best_package(packages: Sequence[ModelPackage], from_code: str, to_code: str) -> ModelPackage | None:
    """The newest installed package for one direction (ties broken by name, so runs repeat)."""
    matching = [p for p in packages if p.from_code == from_code and p.to_code == to_code]
    if not matching:
        return None
    return max(matching, key=lambda p: (_version_key(p.version), p.name))


def find_route(
    packages: Sequence[ModelPackage], from_code: str, to_code: str, pivot: str = "en"
) -> list[ModelPackage]:
    """The packages that take `from_code` to `to_code`: one direct, or two through `pivot`."""
    direct = best_package(packages, from_code, to_code)
    if direct:
        return [direct]
    if pivot not in (from_code, to_code):
        first = best_package(packages, from_code, pivot)
        second = best_package(packages, pivot, to_code)
        if first and second:
            return [first, second]
    raise ModelError(
        f"no model installed for {from_code} -> {to_code}; install one with: "
        f"translator models install {from_code} {to_code}"
    )


def _archive_root(archive: zipfile.ZipFile, source: Path) -> str:
    roots = set()
    for member in archive.namelist():
        pure = PurePosixPath(member)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise ModelError(f"{source} holds an unsafe path {member!r}; it is not an Argos package")
        roots.add(pure.parts[0])
    if len(roots) != 1:
        raise ModelError(
            f"{source} is not an Argos package: it must hold exactly one top-level folder"
        )
    root = roots.pop()
    if f"{root}/metadata.json" not in archive.namelist():
        raise ModelError(f"{source} is not an Argos package: {root}/metadata.json is missing")
    return root


def install_file(archive_path: Path, directory: Path | None = None) -> ModelPackage:
    """Install an `.argosmodel` file; an existing package of the same name is replaced."""
    directory = packages_dir() if directory is None else directory
    if not archive_path.is_file():
        raise ModelError(f"{archive_path}: no such file; give the path of an .argosmodel file")
    if not zipfile.is_zipfile(archive_path):
        raise ModelError(f"{archive_path} is not an Argos package (.argosmodel files are zip archives)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the packages folder {directory}: {exc.strerror}") from exc
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=directory))
    try:
        with zipfile.ZipFile(archive_path) as archive:
            root = _archive_root(archive, archive_path)
            archive.extractall(staging)
        load_package(staging / root)  # refuse anything Argos itself could not use
        target = directory / root
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=".removing-", dir=directory))
            os.replace(target, retired / root)
            os.replace(staging / root, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging / root, target)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{archive_path} is a damaged zip archive ({exc}); download it again") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return load_package(target)


def install_from_index(from_code: str, to_code: str, directory: Path | None = None) -> ModelPackage:
    """Download and install the newest package for a direction from the Argos package index.

    This is the only place the tool reaches the network.
    """
    from argostranslate import package as argos_package
    from argostranslate import settings

    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(INDEX_TIMEOUT_S)
    try:
        _quietly(argos_package.update_package_index)  # prints and returns on failure
        if not Path(settings.local_package_index).exists():
            raise ModelError(
                "cannot reach the Argos package index (offline?); download the .argosmodel file "
                "on another machine and run: translator models install FILE.argosmodel"
            )
        available = [
            p for p in argos_package.get_available_packages()
            if p.from_code == from_code and p.to_code == to_code
        ]
        if not available:
            raise ModelError(
                f"the Argos package index has no {from_code} -> {to_code} model; "
                f"see translator models list --available"
            )
        chosen = max(available, key=lambda p: _version_key(str(p.package_version)))
        try:
            downloaded = Path(chosen.download())
        except Exception as exc:  # argostranslate raises bare Exception on download failure
            raise ModelError(
                f"downloading the {from_code} -> {to_code} model failed ({exc}); "
                "check the connection and try again"
            ) from exc
    finally:
        socket.setdefaulttimeout(previous_timeout)
    try:
        return install_file(downloaded, directory)
    finally:
        downloaded.unlink(missing_ok=True)


def _quietly(function) -> None:  # noqa: ANN001
    """Run an argostranslate call that prints its errors; ours say what to do instead."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        function()


def available_from_index() -> list[tuple[str, str, str]]:
    """(from, to, version) of every package the Argos index offers; needs the network."""
    from argostranslate import package as argos_package
    from argostranslate import settings

    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(INDEX_TIMEOUT_S)
    try:
        _quietly(argos_package.update_package_index)
    finally:
        socket.setdefaulttimeout(previous_timeout)
    if not Path(settings.local_package_index).exists():
        raise ModelError("cannot reach the Argos package index (offline?); try again when online")
    return sorted(
        (p.from_code, p.to_code, str(p.package_version))
        for p in argos_package.get_available_packages()
        if p.type == "translate"
    )


def remove(spec: Sequence[str], directory: Path | None = None) -> list[ModelPackage]:
    """Remove packages named by folder name (one word) or by direction (FROM TO)."""
    directory = packages_dir() if directory is None else directory
    if len(spec) == 1:
        target = directory / spec[0]
        if spec[0] in ("", ".", "..") or "/" in spec[0] or not target.is_dir():
            raise ModelError(
                f"no installed package named {spec[0]!r}; see translator models list"
            )
        chosen = [target]
    elif len(spec) == 2:
        chosen = [
            p.path for p in installed_packages(directory)
            if (p.from_code, p.to_code) == (spec[0], spec[1])
        ]
        if not chosen:
            raise ModelError(
                f"no installed {spec[0]} -> {spec[1]} package; see translator models list"
            )
    else:
        raise ModelError("name one package: translator models remove NAME  or  FROM TO")
    removed = []
    for path in chosen:
        try:
            removed.append(load_package(path))
        except ModelError:
            pass  # a broken package is exactly what people remove
        shutil.rmtree(path)
    return removed


class Tokenizer(Protocol):
    def encode(self, text: str) -> list[str]: ...

    def decode(self, tokens: Sequence[str]) -> str: ...


class SentencePieceTokenizer:
    """SentencePiece both ways; decoding keeps underscores (Argos's decode turns them to spaces)."""

    def __init__(self, model_file: Path):
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, text: str) -> list[str]:
        return self._sp.encode(text, out_type=str)

    def decode(self, tokens: Sequence[str]) -> str:
        return self._sp.decode_pieces(list(tokens))


class BPETokenizer:
    """Moses tokenisation + subword-nmt BPE, the scheme of Argos's older packages."""

    def __init__(self, model_file: Path, from_code: str, to_code: str):
        from argostranslate.apply_bpe import BPE
        from sacremoses.normalize import MosesPunctNormalizer
        from sacremoses.tokenize import MosesDetokenizer, MosesTokenizer

        self._normalizer = MosesPunctNormalizer(from_code)
        self._tokenizer = MosesTokenizer(from_code)
        self._detokenizer = MosesDetokenizer(to_code)
        with open(model_file, encoding="utf-8") as codes:
            self._bpe = BPE(codes)

    def encode(self, text: str) -> list[str]:
        # Exactly Argos's steps (escaping included): the packages were trained on them.
        tokenized = " ".join(self._tokenizer.tokenize(self._normalizer.normalize(text)))
        return self._bpe.segment_tokens(tokenized.strip("\r\n ").split(" "))

    def decode(self, tokens: Sequence[str]) -> str:
        joined = " ".join(tokens).replace("@@ ", "")
        if joined.endswith("@@"):
            joined = joined[:-2]
        return self._detokenizer.detokenize(joined.split(" "))


def load_tokenizer(package: ModelPackage) -> Tokenizer:
    if package.tokenizer == "sentencepiece":
        return SentencePieceTokenizer(package.path / "sentencepiece.model")
    return BPETokenizer(package.path / "bpe.model", package.from_code, package.to_code)


def archive_direction(archive_path: Path) -> tuple[str, str] | None:
    """(from_code, to_code) of an `.argosmodel` file without installing it; None if unreadable."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            root = _archive_root(archive, archive_path)
            metadata = json.loads(archive.read(f"{root}/metadata.json").decode("utf-8"))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ModelError):
        return None
    if metadata.get("type", "translate") != "translate":
        return None
    return metadata.get("from_code"), metadata.get("to_code")


@dataclass(frozen=True)
class Provision:
    """How `ensure_direction` made a direction available."""

    package: ModelPackage
    origin: str  # "installed", "local", "index" or "fallback"
    note: str = ""  # why an earlier source was passed over (e.g. the index was unreachable)


def _archives_for(places: Sequence[Path], from_code: str, to_code: str) -> list[Path]:
    """The `.argosmodel` files for a direction among `places` (files, or folders of them)."""
    candidates: list[Path] = []
    for place in places:
        if place.is_dir():
            candidates += sorted(place.glob("*.argosmodel"))
        elif place.is_file():
            candidates.append(place)
    return [path for path in candidates if archive_direction(path) == (from_code, to_code)]


def ensure_direction(
    from_code: str,
    to_code: str,
    *,
    local_dir: Path | None = None,
    online: bool = True,
    fallback: Sequence[Path] = (),
    directory: Path | None = None,
) -> Provision:
    """Make sure a package for one direction is installed, trying sources in a fixed order.

    Order: already installed; an `.argosmodel` in `local_dir` (files a user dropped there); the
    Argos package index when `online`; an `.argosmodel` among `fallback` (files or folders). The
    origin is returned so the caller can say plainly where the model came from.
    """
    installed = best_package(installed_packages(directory), from_code, to_code)
    if installed:
        return Provision(installed, "installed")
    for archive in _archives_for([local_dir] if local_dir else [], from_code, to_code):
        return Provision(install_file(archive, directory), "local")
    note = ""
    if online:
        try:
            return Provision(install_from_index(from_code, to_code, directory), "index")
        except ModelError as exc:
            note = str(exc)
    for archive in _archives_for(fallback, from_code, to_code):
        return Provision(install_file(archive, directory), "fallback", note)
    raise ModelError(
        note or f"no {from_code} -> {to_code} model found; install one with: "
        f"translator models install {from_code} {to_code}"
    )
