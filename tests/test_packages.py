"""Installing, listing, choosing and removing Argos packages, without Argos's import costs."""
import json
import sys
import zipfile
from pathlib import Path

import pytest

from translator import packages
from translator.errors import ModelError


def make_archive(path: Path, root: str = "translate-en_es-1_0", *, from_code="en", to_code="es",
                 version="1.0", tokenizer="sentencepiece.model", extra=None) -> Path:
    """A structurally valid .argosmodel (the model files are placeholders: nothing loads them)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{root}/metadata.json", json.dumps({
            "package_version": version, "argos_version": "1.9", "from_code": from_code,
            "to_code": to_code, "from_name": "English", "to_name": "Spanish", "type": "translate",
        }))
        archive.writestr(f"{root}/model/model.bin", b"weights")
        archive.writestr(f"{root}/{tokenizer}", b"tokenizer")
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


def test_broken_installed_package_names_the_fix(tmp_path):
    broken = tmp_path / "pkgs" / "translate-en_fr-1_0"
    broken.mkdir(parents=True)
    (broken / "metadata.json").write_text("{not json")
    with pytest.raises(ModelError, match="translator models remove translate-en_fr-1_0"):
        packages.installed_packages(tmp_path / "pkgs")


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
