"""`translator models list | install | remove | ensure` over a temporary ARGOS_PACKAGES_DIR."""
import errno

import pytest
from click.testing import CliRunner
from helpers import FIXTURE_MODELS, SP_ES, SP_ZH

from translator.cli import main


@pytest.fixture
def argos_dir(tmp_path, monkeypatch):
    folder = tmp_path / "argos"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_list_with_nothing_installed_says_how_to_install(argos_dir):
    result = invoke("models", "list")
    assert result.exit_code == 0
    assert result.output == f"No models installed in {argos_dir}; install one with: translator models install en es\n"


def test_install_from_file_then_list_then_remove(argos_dir):
    result = invoke("models", "install", str(FIXTURE_MODELS / SP_ES), str(FIXTURE_MODELS / SP_ZH))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Installed en -> es: translate-en_es-copytest")
    listing = invoke("models", "list").output.splitlines()
    assert [line.split("  ")[0] for line in listing] == ["en -> es", "en -> zh"]
    assert "[sentencepiece]" in listing[0] and "does not translate" in listing[0]
    assert invoke("models", "remove", "en", "zh").exit_code == 0
    assert [line.split("  ")[0] for line in invoke("models", "list").output.splitlines()] == ["en -> es"]


def test_install_of_a_non_package_is_one_line_error(argos_dir, tmp_path):
    bogus = tmp_path / "x.argosmodel"
    bogus.write_text("hello")
    result = invoke("models", "install", str(bogus))
    assert result.exit_code == 1
    assert result.stderr == f"translator: error: {bogus} is not an Argos package (.argosmodel files are zip archives)\n"


def test_install_with_unknown_language_is_a_usage_error(argos_dir):
    result = invoke("models", "install", "en", "klingon")
    assert result.exit_code == 2
    assert "unknown language code 'klingon'" in result.stderr


def test_install_from_index_offline_says_what_to_do(argos_dir, monkeypatch):
    import urllib.request

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    result = invoke("models", "install", "en", "es")
    assert result.exit_code == 1
    assert "cannot reach the Argos package index (offline?)" in result.stderr
    assert "translator models install FILE.argosmodel" in result.stderr


def test_remove_unknown_package(argos_dir):
    result = invoke("models", "remove", "translate-xx_yy")
    assert (result.exit_code, result.stderr) == (
        1, "translator: error: no installed package named 'translate-xx_yy'; see translator models list\n")


def test_ensure_falls_back_to_the_bundled_copy_model_with_a_banner(argos_dir, tmp_path):
    result = invoke("models", "ensure", "--to", "es,zh", "--local", str(tmp_path / "none"), "--offline",
                    "--fallback", str(FIXTURE_MODELS / SP_ES), "--fallback", str(FIXTURE_MODELS / SP_ZH))
    assert result.exit_code == 0, result.output
    assert "en -> es: translate-en_es-copytest 1.0 (installed from the fallback packages)" in result.stdout
    assert "en -> zh: translate-en_zh-copytest 1.0 (installed from the fallback packages)" in result.stdout
    assert "NOT a translation" in result.stderr
    again = invoke("models", "ensure", "--to", "es", "--offline", "--fallback", str(FIXTURE_MODELS / SP_ES))
    assert "(already installed)" in again.stdout and again.stderr == ""


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "out/es/a.po"),
         "translator: error: out/es/a.po: No space left on device; free some space and run again\n"),
        (OSError(errno.ENAMETOOLONG, "File name too long", "x" * 300),
         f"translator: error: {'x' * 300}: File name too long; use a shorter file or folder name\n"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "a/b"),
         "translator: error: a/b: Not a directory; check the path and run again\n"),
    ],
    ids=["disk-full", "name-too-long", "not-a-directory"],
)
def test_an_operating_system_failure_is_one_line_and_exit_1(monkeypatch, capsys, error, line):
    from translator import cli

    def fail(**kwargs):
        raise error

    monkeypatch.setattr(cli, "main", fail)
    with pytest.raises(SystemExit) as exit_info:
        cli.run()
    assert exit_info.value.code == 1
    assert capsys.readouterr().err == line


def test_models_list_warns_about_a_broken_package_and_lists_the_rest(with_models, tmp_path, monkeypatch):
    import shutil

    dest = tmp_path / "pkgs"
    shutil.copytree(with_models, dest)
    (dest / "translate-en_fr-broken").mkdir()
    (dest / "translate-en_fr-broken" / "metadata.json").write_text("[]")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(dest))

    result = CliRunner().invoke(main, ["models", "list"])

    assert result.exit_code == 0
    assert result.stdout.count("en -> ") == 2
    assert result.stderr == (
        f"translator: warning: skipped a broken package: {dest / 'translate-en_fr-broken'} is not a valid "
        "Argos package (metadata.json is not an object); remove it with: translator models remove "
        "translate-en_fr-broken\n")
