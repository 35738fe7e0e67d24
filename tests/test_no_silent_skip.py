"""tests/conftest.py turns every skip into a failure when CI=true (xfail excepted), in one
process and under pytest-xdist as `make test` runs it: a pytest of its own over a few tests that
skip in each way a test can."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")

SKIPPING = '''
import pytest

def test_skips_itself():
    pytest.skip("the widget tool is missing")

@pytest.mark.skipif(True, reason="no libwidget")
def test_skipped_by_a_mark():
    pass

@pytest.fixture
def fixture_that_skips():
    pytest.skip("the fixture site has no widget page")

def test_skipped_by_its_fixture(fixture_that_skips):
    pass

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_expected_to_fail():
    assert False

def test_passes():
    pass
'''
SKIPPED_MODULE = '''
import pytest
pytest.importorskip("a_module_nobody_installed")

def test_never_collected():
    pass
'''


def run_pytest(tmp_path: Path, ci: str | None, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text())
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    (tmp_path / "test_skipped_module.py").write_text(SKIPPED_MODULE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {key: value for key, value in os.environ.items() if key != "CI" and not key.startswith("PYTEST_")}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [(), ("-n", "2")], ids=["one-process", "xdist"])
def test_under_ci_every_skip_fails_and_says_why(tmp_path, args):
    # a module skipped as it is imported is a collection error, which otherwise stops the session
    proc = run_pytest(tmp_path, "true", "--continue-on-collection-errors", *args)
    out = proc.stdout
    assert proc.returncode == 1, out
    for nodeid, reason in [("test_skipping.py::test_skips_itself", "the widget tool is missing"),
                           ("test_skipping.py::test_skipped_by_a_mark", "no libwidget"),
                           ("test_skipping.py::test_skipped_by_its_fixture", "the fixture site has no widget page"),
                           ("test_skipped_module.py", "could not import 'a_module_nobody_installed'")]:
        assert f"{nodeid} skipped ({reason}" in out and "CI must not skip" in out, out
    assert "XFAIL test_skipping.py::test_expected_to_fail" in out, "an expected failure is not a skip"
    assert "PASSED test_skipping.py::test_passes" in out
    assert " skipped" not in out.splitlines()[-1], out.splitlines()[-1]


@pytest.mark.parametrize("ci", [None, "false", ""])
def test_elsewhere_a_skip_is_a_skip(tmp_path, ci):
    proc = run_pytest(tmp_path, ci)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("1 passed, 4 skipped, 1 xfailed"), proc.stdout
    assert "CI must not skip" not in proc.stdout
