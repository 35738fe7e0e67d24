"""No silent skip on CI: with CI=true, a test that skips (pytest.skip, skipif, importorskip, a
fixture that skips, a module skipped whole) is reported as failed, naming what skipped and why.
A missing tool or a fixture without what a test needs must fail there, not pass unnoticed.
Expected failures (xfail) are not skips and stay as they are. Locally a skip is still a skip,
listed by -ra."""

from __future__ import annotations

import os

import pytest

ON_CI = os.environ.get("CI") == "true"


def _failed_instead(report, what: str):
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    # a plain string: pytest-xdist sends it from the worker as it is
    report.longrepr = (f"{what} skipped ({reason.removeprefix('Skipped: ')}) under CI=true: CI must not "
                       "skip. Install what it needs, or give the fixtures what it tests.")
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        return _failed_instead(report, item.nodeid)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A module that skips as it is imported (importorskip, pytest.skip(allow_module_level=True))."""
    report = yield
    if ON_CI and report.skipped:
        return _failed_instead(report, collector.nodeid)
    return report
