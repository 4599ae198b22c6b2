"""Installing, listing, choosing and removing Argos packages, without Argos's import costs."""
import json
import os
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import BPE_ES, FIXTURE_MODELS, SP_ES

from translator import packages
from translator.errors import ModelError


def make_archive(path: Path, root: str = "translate-en_es-1_0", *, from_code="en", to_code="es",
                 version="1.0", tokenizer="sentencepiece.model", extra=None) -> Path:
    """A usable .argosmodel with the metadata asked for: the copy model's real files inside."""
    real = FIXTURE_MODELS / (BPE_ES if tokenizer == "bpe.model" else SP_ES)
    with zipfile.ZipFile(real) as fixture, zipfile.ZipFile(path, "w") as archive:
        real_root = fixture.namelist()[0].split("/")[0]
        for member in ("model/model.bin", "model/config.json", "model/shared_vocabulary.json", tokenizer):
            name = f"{real_root}/{member}"
            if name in fixture.namelist():
                archive.writestr(f"{root}/{member}", fixture.read(name))
        archive.writestr(f"{root}/metadata.json", json.dumps({
            "package_version": version, "argos_version": "1.9", "from_code": from_code,
            "to_code": to_code, "from_name": "English", "to_name": "Spanish", "type": "translate",
        }))
        archive.writestr(f"{root}/README.md", "# A test package\n\nMore.\n")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def test_install_lists_and_describes_a_package(tmp_path):
    dest = tmp_path / "pkgs"
    pkg = packages.install_file(make_archive(tmp_path / "a.argosmodel"), dest)
    assert (pkg.from_code, pkg.to_code, pkg.version, pkg.tokenizer) == ("en", "es", "1.0", "sentencepiece")
    assert pkg.description == "A test package"
    assert [p.name for p in packages.installed_packages(dest)] == ["translate-en_es-1_0"]
    assert sorted(p.name for p in dest.iterdir()) == ["translate-en_es-1_0"]  # no staging left


def test_bpe_package_is_recognised(tmp_path):
    pkg = packages.install_file(make_archive(tmp_path / "b.argosmodel", tokenizer="bpe.model"), tmp_path / "p")
    assert pkg.tokenizer == "bpe"


def test_reinstall_replaces_the_old_package(tmp_path):
    dest = tmp_path / "pkgs"
    packages.install_file(make_archive(tmp_path / "a.argosmodel", version="1.0"), dest)
    packages.install_file(make_archive(tmp_path / "b.argosmodel", version="1.1"), dest)
    assert [p.version for p in packages.installed_packages(dest)] == ["1.1"]


@pytest.mark.parametrize(
    "builder, message",
    [
        (lambda p: p.write_text("not a zip"), "is not an Argos package (.argosmodel files are zip archives)"),
        (lambda p: make_archive(p, extra={"../evil.txt": "x"}), "unsafe path"),
        (lambda p: make_archive(p, extra={"second/x": "x"}), "exactly one top-level folder"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("pkg/model/model.bin", b"x"), "metadata.json is missing"),
        (lambda p: make_archive(p, tokenizer="vocab.txt"), "neither sentencepiece.model nor bpe.model"),
    ],
    ids=["not-a-zip", "zip-slip", "two-roots", "no-metadata", "no-tokenizer"],
)
def test_invalid_archives_are_refused_and_leave_nothing_behind(tmp_path, builder, message):
    archive = tmp_path / "bad.argosmodel"
    builder(archive)
    dest = tmp_path / "pkgs"
    with pytest.raises(ModelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        packages.install_file(archive, dest)
    assert not dest.exists() or list(dest.iterdir()) == []
    assert not (tmp_path / "evil.txt").exists()


def test_missing_archive_is_reported(tmp_path):
    with pytest.raises(ModelError, match="no such file"):
        packages.install_file(tmp_path / "none.argosmodel", tmp_path / "pkgs")


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        ("{not json", "unreadable metadata.json"),
        ("[]", "metadata.json is not an object"),
        ('{"from_code": 123, "to_code": "fr"}', "from_code must be a language code, not 123"),
        ('{"from_code": "en", "to_code": ["fr"]}', "to_code must be a language code, not ['fr']"),
    ],
    ids=["not-json", "a-list", "number-code", "list-code"],
)
def test_a_broken_package_is_skipped_with_a_line_that_names_the_fix(tmp_path, metadata, reason):
    dest = tmp_path / "pkgs"
    packages.install_file(make_archive(tmp_path / "a.argosmodel"), dest)
    broken = dest / "translate-en_fr-1_0"
    broken.mkdir()
    (broken / "metadata.json").write_text(metadata)
    problems: list[str] = []

    found = packages.installed_packages(dest, problems)

    assert [p.name for p in found] == ["translate-en_es-1_0"]  # the good one still works
    [problem] = problems
    assert reason in problem and problem.endswith("translator models remove translate-en_fr-1_0")
    assert [p.name for p in packages.remove(["translate-en_fr-1_0"], dest)] == []
    assert not broken.exists()


def test_reading_packages_creates_no_folder_and_imports_no_argos(tmp_path):
    """A read-only home must not stop a run: listing packages touches nothing outside them."""
    import subprocess

    dest = tmp_path / "pkgs"
    packages.install_file(make_archive(tmp_path / "a.argosmodel"), dest)
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    code = ("import sys; from translator import packages; "
            "print([p.name for p in packages.installed_packages()]); "
            "print(any(m.startswith('argostranslate') for m in sys.modules))")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "ARGOS_PACKAGES_DIR": str(dest),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_CONFIG_HOME": str(home / "config")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['translate-en_es-1_0']", "False"]
    assert list(home.iterdir()) == []


@pytest.mark.parametrize(
    ("member", "data", "reason"),
    [
        ("sentencepiece.model", b"garbage", "its tokenizer does not load"),
        ("model/model.bin", b"garbage", "its model does not load"),
    ],
    ids=["garbage-tokenizer", "garbage-model"],
)
def test_install_refuses_a_package_that_would_not_load(tmp_path, member, data, reason):
    archive = tmp_path / "a.argosmodel"
    make_archive(archive)
    with zipfile.ZipFile(archive) as old:
        files = {name: old.read(name) for name in old.namelist()}
    files[f"translate-en_es-1_0/{member}"] = data
    with zipfile.ZipFile(archive, "w") as new:
        for name, content in files.items():
            new.writestr(name, content)
    dest = tmp_path / "pkgs"

    with pytest.raises(ModelError) as error:
        packages.install_file(archive, dest)

    message = str(error.value)
    assert message.startswith(f"{archive} is not a usable Argos package: {reason}")
    assert ".installing" not in message and "models remove" not in message
    assert list(dest.iterdir()) == []


def test_install_refuses_a_zip_bomb_before_writing(tmp_path):
    archive = tmp_path / "bomb.argosmodel"
    make_archive(archive)
    with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("translate-en_es-1_0/zeros.bin", b"\0" * (80 * 2**20))
    dest = tmp_path / "pkgs"

    with pytest.raises(ModelError, match=r"would unpack to 81 MiB, more than 10 times its size"):
        packages.install_file(archive, dest)
    assert list(dest.iterdir()) == []


def test_install_clears_what_a_killed_install_left_behind(tmp_path):
    dest = tmp_path / "pkgs"
    dest.mkdir()
    dead = dest / ".installing-999999999-abc"  # no such process
    (dead / "translate-x").mkdir(parents=True)
    alive = dest / f".installing-{os.getpid()}-def"  # an install still running here
    alive.mkdir()

    packages.install_file(make_archive(tmp_path / "a.argosmodel"), dest)

    assert not dead.exists() and alive.exists()


def test_an_encrypted_archive_is_refused_in_one_line(tmp_path):
    archive = make_archive(tmp_path / "a.argosmodel")
    data = bytearray(archive.read_bytes())
    # Set the "encrypted" bit in every local and central header: zipfile then asks for a password.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset] |= 1
            start += 4
    archive.write_bytes(bytes(data))

    with pytest.raises(ModelError, match=r"cannot be unpacked \(.*encrypted.*\); Argos packages are plain zip"):
        packages.install_file(archive, tmp_path / "pkgs")


def test_missing_folder_means_no_packages(tmp_path):
    assert packages.installed_packages(tmp_path / "absent") == []


def test_remove_by_name_and_by_direction(tmp_path):
    dest = tmp_path / "pkgs"
    packages.install_file(make_archive(tmp_path / "a.argosmodel"), dest)
    packages.install_file(make_archive(tmp_path / "b.argosmodel", root="translate-en_zh-1_0", to_code="zh"), dest)
    assert [p.to_code for p in packages.remove(["translate-en_es-1_0"], dest)] == ["es"]
    assert [p.to_code for p in packages.remove(["en", "zh"], dest)] == ["zh"]
    assert packages.installed_packages(dest) == []
    with pytest.raises(ModelError, match="no installed package named 'nothing'"):
        packages.remove(["nothing"], dest)
    with pytest.raises(ModelError, match="no installed en -> es package"):
        packages.remove(["en", "es"], dest)


def _pkg(from_code, to_code, version="1.0", name=None):
    return packages.ModelPackage(Path("/x"), name or f"{from_code}_{to_code}_{version}", from_code,
                                 to_code, version, "", "sentencepiece", "")


def test_route_prefers_the_newest_direct_package():
    installed = [_pkg("en", "es", "1.0"), _pkg("en", "es", "1.10"), _pkg("en", "es", "1.9")]
    assert [p.version for p in packages.find_route(installed, "en", "es")] == ["1.10"]


def test_route_pivots_through_english_when_no_direct_model():
    installed = [_pkg("fr", "en"), _pkg("en", "zh")]
    route = packages.find_route(installed, "fr", "zh")
    assert [(p.from_code, p.to_code) for p in route] == [("fr", "en"), ("en", "zh")]


def test_missing_route_names_the_install_command():
    with pytest.raises(ModelError, match="install one with: translator models install en zh"):
        packages.find_route([_pkg("en", "es")], "en", "zh")


def test_ensure_prefers_installed_then_local_then_fallback(tmp_path):
    dest, local, fallback = tmp_path / "pkgs", tmp_path / "local", tmp_path / "fallback"
    local.mkdir()
    fallback.mkdir()
    make_archive(local / "es.argosmodel", root="translate-en_es-real")
    make_archive(fallback / "es.argosmodel", root="translate-en_es-copy")
    make_archive(fallback / "zh.argosmodel", root="translate-en_zh-copy", to_code="zh")
    got = packages.ensure_direction("en", "es", local_dir=local, online=False, fallback=[fallback], directory=dest)
    assert (got.origin, got.package.name) == ("local", "translate-en_es-real")
    got = packages.ensure_direction("en", "es", local_dir=local, online=False, fallback=[fallback], directory=dest)
    assert got.origin == "installed"
    got = packages.ensure_direction("en", "zh", local_dir=local, online=False, fallback=[fallback], directory=dest)
    assert (got.origin, got.package.name) == ("fallback", "translate-en_zh-copy")
    with pytest.raises(ModelError, match="translator models install en fr"):
        packages.ensure_direction("en", "fr", local_dir=local, online=False, fallback=[fallback], directory=dest)


def test_listing_and_installing_never_import_argos_translate_module(tmp_path):
    packages.install_file(make_archive(tmp_path / "a.argosmodel"), tmp_path / "pkgs")
    packages.installed_packages(tmp_path / "pkgs")
    assert "argostranslate.translate" not in sys.modules
    assert "torch" not in sys.modules
