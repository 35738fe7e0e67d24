"""The search index's program, Pagefind, missing or failing: `build` says so in one line, with what
to do, exits 2 (cli.py), writes nothing (the previous site stays byte for byte), and the next
build with a working Pagefind is fine. Real builds in a subprocess, the program chosen as pagefind
lets one choose it (PAGEFIND_BINARY_PATH)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BUILD_PY, PLACE, REPO, event, write_files
from dateline.outputs import search

SITE = {"content/rain.md": event(title="Heavy rain", date="2024-01-01", place=PLACE, body="Rain on the levee.")}
VERSION = 'if [ "$1" = "--version" ]; then echo "pagefind 1.5.2"; exit 0; fi\n'
PROGRAMS = {   # name -> (script, or None for no file at all; what the error says)
    "missing": (None, "Pagefind could not run (No such file or directory: PAGEFIND_BINARY_PATH="),
    "not a program": ("this is not a program\n", "Pagefind could not run (Permission denied: PAGEFIND_BINARY_PATH="),
    "failing": ("#!/bin/sh\n" + VERSION + "echo 'Error: no space left on device' >&2\n"
                "echo \"thread 'main' panicked at src/output.rs\" >&2\nexit 101\n",
                "Pagefind failed (exit 101: Error: no space left on device / thread 'main' panicked at "
                "src/output.rs); if it fails again, reinstall it"),
    "no version": ("#!/bin/sh\necho 'cannot execute: required file not found' >&2\nexit 127\n",
                   "'pagefind --version' failed (exit 127: cannot execute: required file not found); reinstall it"),
    "garbage": ("#!/bin/sh\n" + VERSION + 'while [ $# -gt 0 ]; do [ "$1" = --output-path ] && out=$2; shift; done\n'
                'mkdir -p "$out" && echo "<html>not an index" > "$out/pagefind-entry.json"\n',
                "Pagefind wrote an entry file dateline does not know; use Pagefind 1.5"),
    "silent": ("#!/bin/sh\n" + VERSION + "exit 0\n", "Pagefind ended as if it had succeeded but wrote no index"),
}


def build(root: Path, program: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PAGEFIND_BINARY_PATH", None)
    if program is not None:
        env["PAGEFIND_BINARY_PATH"] = str(program)
    return subprocess.run([sys.executable, str(BUILD_PY), "build"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)


def bad_program(tmp_path: Path, kind: str) -> Path:
    script, _ = PROGRAMS[kind]
    program = tmp_path / "bin" / "pagefind"
    if script is not None:
        program.parent.mkdir()
        program.write_text(script)
        program.chmod(0o755 if script.startswith("#!") else 0o644)
    return program


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_line_error(proc: subprocess.CompletedProcess, expected: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("error: search index: ") and expected in lines[0], lines[0]


@pytest.mark.parametrize("kind", PROGRAMS)
def test_a_broken_pagefind_stops_the_build_in_one_line_and_the_site_stays(tmp_path, kind):
    root = write_files(tmp_path / "project", SITE)
    assert build(root).returncode == 0
    before = files_of(root / "site")
    assert any(path.startswith("pagefind/") for path in before)
    entry = root / "content/rain.md"
    entry.write_text(entry.read_text().replace("Rain on the levee.", "Rain over the weir."))

    failed = build(root, bad_program(tmp_path, kind))
    assert_one_line_error(failed, PROGRAMS[kind][1])
    assert "nothing was written (the previous site is untouched)" in failed.stderr
    assert "pip install" in failed.stderr or "point PAGEFIND_BINARY_PATH at" in failed.stderr   # what to do
    assert files_of(root / "site") == before

    again = build(root)
    assert again.returncode == 0, again.stderr
    assert "Rain over the weir." in (root / "site/events/rain/index.html").read_text()
    assert (root / "site/pagefind/pagefind-entry.json").is_file()


def test_a_first_build_with_a_broken_pagefind_writes_no_site(tmp_path):
    root = write_files(tmp_path / "project", SITE)
    assert_one_line_error(build(root, bad_program(tmp_path, "failing")), "Pagefind failed (exit 101")
    assert not (root / "site").exists() or not any((root / "site").iterdir())
    assert build(root).returncode == 0 and (root / "site/pagefind/pagefind-entry.json").is_file()


def test_a_site_without_search_needs_no_pagefind(tmp_path):
    root = write_files(tmp_path / "project", SITE)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PAGEFIND_BINARY_PATH": str(tmp_path / "nowhere")}
    proc = subprocess.run([sys.executable, str(BUILD_PY), "build", "--no-search"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert not (root / "site/pagefind").exists()


def test_pagefind_installed_without_its_program(monkeypatch):
    """pagefind_bin raises FileNotFoundError when its program is not beside it."""
    import pagefind.service

    def gone():
        raise FileNotFoundError("Could not find any of [.../pagefind_bin/pagefind]")
    monkeypatch.setattr(pagefind.service, "get_executable", gone)
    with pytest.raises(search.SearchIndexError, match=r"the Pagefind program is missing \(Could not find any of .*"
                                                      r"reinstall it \(pip install .*--no-search"):
        search.pagefind_version()
