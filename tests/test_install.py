"""dateline as people install it: a wheel built from this source, installed (not editable) into a
fresh virtual environment outside the repository, then `dateline init`, `new`, `check` and
`build` run there, with nothing of the repository on the path. The default theme must come
from inside the wheel."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# What a build of the wheel reads; copied, so the build's own build/ and *.egg-info are made in a
# temporary folder rather than in the checkout (where a stale build/lib would go into the wheel).
SOURCES = ("pyproject.toml", "README.md", "dateline", "templates")


def _run(args, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{args}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(REPO / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", work / "dist", source],
         cwd=work)
    [built] = (work / "dist").glob("dateline-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment holding the wheel; its dependencies (and pip) are those of the
    running environment, reached through a .pth file rather than downloaded again. Only paths
    are added: the running environment's own .pth files (the editable install of this checkout)
    are not run, so the only dateline the new environment can import is the wheel's."""
    env = tmp_path_factory.mktemp("env") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", env], cwd=env.parent)
    python = env / "bin" / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=env.parent).stdout.strip()
    Path(purelib, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", wheel],
         cwd=env.parent)
    return env


def _clean_env(venv: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_wheel_holds_the_package_and_the_theme_and_nothing_else(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"dateline", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}, tops
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "/.cache/" in n]
    # every module of the package: a subpackage missing from pyproject.toml's list fails here
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "dateline").rglob("*.py")
               if "__pycache__" not in p.parts and "starter" not in p.parts}
    assert modules <= set(names), sorted(modules - set(names))
    theme = {"dateline/_theme/" + p.relative_to(REPO / "templates").as_posix()
             for p in (REPO / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert theme <= set(names), sorted(theme - set(names))
    starter = {"dateline/starter/" + p.relative_to(REPO / "dateline/starter").as_posix()
               for p in (REPO / "dateline/starter").rglob("*") if p.is_file()}
    assert {"dateline/starter/.gitignore", "dateline/starter/.github/workflows/pages.yml"} <= starter
    assert starter <= set(names), sorted(starter - set(names))


def test_an_installed_dateline_starts_checks_and_builds_a_site(installed, tmp_path):
    env = _clean_env(installed)
    python, dateline = installed / "bin" / "python", installed / "bin" / "dateline"
    where = _run([python, "-c", "import dateline, dateline.theme as t; print(dateline.__file__); print(t.THEME)"],
                 cwd=tmp_path, env=env).stdout.split("\n")
    assert Path(where[0]).is_relative_to(installed), where     # the wheel's, not this checkout's
    assert Path(where[1]) == Path(where[0]).parent / "_theme", where

    started = _run([dateline, "init", "mysite"], cwd=tmp_path, env=env)
    assert "cd mysite" in started.stdout and "dateline serve" in started.stdout
    project = tmp_path / "mysite"
    new = _run([dateline, "new", "The weir is rebuilt", "--date", "2025-06-01"], cwd=project / "content", env=env)
    assert "content/the-weir-is-rebuilt.md" not in new.stdout    # run inside content/: no content/content/
    assert (project / "content/the-weir-is-rebuilt.md").is_file()
    assert not (project / "content/content").exists()
    checked = _run([dateline, "check"], cwd=project, env=env)
    assert checked.stdout == "Checked 2 events, 1 page: no errors\n"
    built = _run([dateline, "build"], cwd=project, env=env)
    assert built.stdout.startswith("Built 2 events, "), built.stdout

    site_dir = project / "site"
    for name in ("static/dateline.css", "static/dateline.js", "index.html", "about/index.html",
                 "events/river-floods-lower-town/index.html", "events/the-weir-is-rebuilt/index.html"):
        assert (site_dir / name).is_file(), name
    assert (site_dir / "static/dateline.css").stat().st_size > 1000
    page = (site_dir / "events/river-floods-lower-town/index.html").read_text(encoding="utf-8")
    assert "The river floods the lower town" in page and "Millbrook" in page
    assert not (REPO / "mysite").exists()
