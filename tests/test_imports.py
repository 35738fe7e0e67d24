"""Every module imports on its own, in a fresh interpreter: a circular import hides in a full
test run (whatever loaded first broke the cycle) and shows only to whoever imports that module
first, such as a plugin, a script or a test file run alone."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import dateline

MODULES = sorted(m.name for m in pkgutil.walk_packages(dateline.__path__, "dateline."))


def test_every_module_is_listed():
    assert {"dateline.link", "dateline.routes", "dateline.outputs.sitemap", "dateline.importers.command"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_first(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
