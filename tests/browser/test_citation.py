"""The "Cite this page" block in a browser: the script puts the reader's day in the BibTeX's
urldate (no build can know it); without scripts the placeholder stays, plainly a field to fill."""

from __future__ import annotations

import re

import pytest

from conftest import serving
from tests.helpers import PYPROJECT, build_site, event


@pytest.fixture(scope="module")
def cited_server(tmp_path_factory):
    pyproject = PYPROJECT.replace('base_url = "/"', 'base_url = "https://example.org/t/"')
    result = build_site(tmp_path_factory.mktemp("cite"), {"content/a.md": event(title="A")}, pyproject=pyproject)
    assert result.exit_code == 0, result
    with serving(result.out_dir) as url:
        yield url


# At any hour, one of these two is on another day than UTC: the date must be the reader's own.
@pytest.mark.parametrize("scripts, zone", [(True, "Pacific/Kiritimati"), (True, "Pacific/Pago_Pago"),
                                           (False, "Asia/Karachi")])
def test_the_access_date_is_the_readers_day(browser, cited_server, scripts, zone):
    context = browser.new_context(java_script_enabled=scripts, timezone_id=zone)
    try:
        page = context.new_page()
        page.goto(f"{cited_server}/events/a/", wait_until="load")
        bibtex = page.locator("pre.bibtex").inner_text()
        urldate = re.search(r"urldate = \{(.*?)\}", bibtex)[1]
        if scripts:
            today = page.evaluate(f"new Date().toLocaleDateString('en-CA', {{timeZone: '{zone}'}})")
            assert urldate == today
        else:
            assert urldate == "YYYY-MM-DD"
    finally:
        context.close()
