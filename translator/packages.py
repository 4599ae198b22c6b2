"""Argos packages: where they live, which are installed, installing and removing them, tokenizers.

A model is a standard Argos Translate package (a folder holding `metadata.json`, a CTranslate2
`model/` folder and `sentencepiece.model` or `bpe.model`). Three Argos habits are avoided on
purpose:

* importing `argostranslate.package` imports `argostranslate.settings`, which creates folders
  under $HOME (and fails on a read-only home, even with `ARGOS_PACKAGES_DIR` set). Reading
  installed packages must create nothing, so `metadata.json` is read here, with the fields and
  defaults of Argos's `Package.load_metadata_from_json`, and checked for the types Argos assumes;
  `argostranslate.package` is imported only to reach the online package index.

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
import re
import shutil
import socket
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from .errors import ModelError

INDEX_TIMEOUT_S = 20
# An archive may unpack to at most this many times its own size, plus the slack (model weights
# barely compress: real Argos packages unpack to 1.1-1.4 times their size). A zip bomb (3 GB of
# zeros in a 3 MB archive) is refused before a byte is written.
MAX_EXPANSION = 10
EXPANSION_SLACK = 64 * 1024 * 1024
_STAGING = ".installing-"
_RETIRED = ".removing-"


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


def _metadata(path: Path) -> dict[str, object]:
    """The package's metadata.json as a dict; ModelError when it is not one."""
    try:
        data = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # json.JSONDecodeError and UnicodeDecodeError too
        raise ModelError(
            f"{path} is not a valid Argos package (unreadable metadata.json: {exc}); remove it with: "
            f"translator models remove {path.name}"
        ) from exc
    if not isinstance(data, dict):
        raise ModelError(
            f"{path} is not a valid Argos package (metadata.json is not an object); remove it with: "
            f"translator models remove {path.name}"
        )
    return data


def _text_field(path: Path, metadata: dict[str, object], name: str, required: bool = False) -> str:
    value = metadata.get(name, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "package_version":
        value = str(value)  # "package_version": 1.1 is common enough to accept
    if not isinstance(value, str) or (required and not _LANGUAGE_CODE.fullmatch(value)):
        raise ModelError(
            f"{path}/metadata.json: {name} must be {'a language code' if required else 'text'}, "
            f"not {value!r}; remove it with: translator models remove {path.name}"
        )
    return value


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")


def load_package(path: Path) -> ModelPackage:
    """Read one unpacked package folder; ModelError when it is not a usable Argos package."""
    metadata = _metadata(path)
    from_code = _text_field(path, metadata, "from_code", required=True)
    to_code = _text_field(path, metadata, "to_code", required=True)
    version = _text_field(path, metadata, "package_version")
    target_prefix = _text_field(path, metadata, "target_prefix")
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
    return ModelPackage(
        path=path,
        name=path.name,
        from_code=from_code,
        to_code=to_code,
        version=version,
        target_prefix=target_prefix,
        tokenizer=tokenizer,
        description=_readme_line(path),
    )


def installed_packages(directory: Path | None = None,
                       problems: list[str] | None = None) -> list[ModelPackage]:
    """Every usable translation package in `directory` (default: packages_dir()), by name.

    Folders without metadata.json are not packages (Argos's own leftovers) and are skipped, and
    so is a broken package: one bad folder must not stop every run. What is wrong with it goes
    to `problems` (one line each, saying how to remove it) for the caller to show.
    """
    directory = packages_dir() if directory is None else directory
    if not directory.is_dir():
        return []
    found = []
    for child in sorted(directory.iterdir()):
        if child.name.startswith(".") or not (child / "metadata.json").is_file():
            continue
        try:
            if _metadata(child).get("type", "translate") != "translate":
                continue
            found.append(load_package(child))
        except ModelError as exc:
            if problems is not None:
                problems.append(f"skipped a broken package: {exc}")
    return found


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
    unpacked = sum(info.file_size for info in archive.infolist())
    allowed = MAX_EXPANSION * max(source.stat().st_size, 1) + EXPANSION_SLACK
    if unpacked > allowed:
        raise ModelError(
            f"{source} would unpack to {unpacked / 2**20:,.0f} MiB, more than {MAX_EXPANSION} times "
            "its size; it is not an Argos package (a damaged download, or a zip bomb)"
        )
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
    _remove_stale_staging(directory)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=directory))
    except OSError as exc:
        raise ModelError(f"cannot write to the packages folder {directory}: {exc.strerror}") from exc
    try:
        with zipfile.ZipFile(archive_path) as archive:
            root = _archive_root(archive, archive_path)
            archive.extractall(staging)
        try:
            _check_loads(load_package(staging / root))  # refuse what could never translate
        except ModelError as exc:
            # Name the archive, not the staging folder, and no `models remove` for a package
            # that was never installed.
            reason = str(exc).replace(str(staging / root), root).split("; remove it with")[0]
            raise ModelError(f"{archive_path} is not a usable Argos package: {reason}") from None
        target = directory / root
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f"{_RETIRED}{os.getpid()}-", dir=directory))
            os.replace(target, retired / root)
            os.replace(staging / root, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging / root, target)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{archive_path} is a damaged zip archive ({exc}); download it again") from exc
    except (RuntimeError, NotImplementedError) as exc:  # encrypted members, unknown compression
        raise ModelError(f"{archive_path} cannot be unpacked ({exc}); "
                         "Argos packages are plain zip archives") from exc
    except OSError as exc:
        raise ModelError(f"installing {archive_path.name} into {directory} failed: "
                         f"{exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return load_package(target)


def _check_loads(package: ModelPackage) -> None:
    """Load the tokenizer and the model once: better refused at install than at the first run."""
    def why(exc: Exception) -> str:  # the library's words, without the staging folder's path
        return " ".join(str(exc).replace(str(package.path), package.name).split())[:160]

    try:
        load_tokenizer(package)
    except Exception as exc:  # sentencepiece raises RuntimeError, OSError, ...
        raise ModelError(f"its tokenizer does not load ({why(exc)})") from exc
    import ctranslate2

    try:
        ctranslate2.Translator(str(package.model_dir), device="cpu", inter_threads=1, intra_threads=1)
    except Exception as exc:  # CTranslate2 raises RuntimeError, ValueError, ...
        raise ModelError(f"its model does not load ({why(exc)})") from exc


def _remove_stale_staging(directory: Path) -> None:
    """Delete what an install killed half-way left behind (its process is gone)."""
    from glossary.po import process_alive  # the one liveness probe (safe on Windows too)

    for leftover in directory.glob(".*-*"):
        if not leftover.name.startswith((_STAGING, _RETIRED)) or not leftover.is_dir():
            continue
        pid = leftover.name.split("-")[1]
        # A process that cannot be asked about (None) is taken to be alive: never delete a
        # live install's folder.
        if not pid.isdigit() or process_alive(int(pid)) is False:
            shutil.rmtree(leftover, ignore_errors=True)


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


def _quietly(function) -> None:
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
