"""Search in each language of a site in several languages: Pagefind's index of each language
apart (the page's <html lang> picks it), in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import serving
from tests.helpers import PLACE, PYPROJECT, build_site, event

LANGUAGES = PYPROJECT + """
[tool.dateline.languages.ur]
name = "اردو"
direction = "rtl"

[tool.dateline.languages.fa]
name = "فارسی"
direction = "rtl"
"""
SITE = {
    "content/kerman.md": event(title="Kerman bombing", date="2024-01-03", place=PLACE, body="Two blasts in Kerman.\n"),
    "content/kerman.ur.md": "---\ntitle: کرمان دھماکے\n---\nکرمان میں دو دھماکے ہوئے۔\n",
    "content/kerman.fa.md": "---\ntitle: انفجار کرمان\n---\nدو انفجار در کرمان رخ داد.\n",
    "content/panjgur.md": event(title="Panjgur strikes", date="2024-01-16", place=PLACE, body="Strikes.\n"),
}


@pytest.fixture(scope="module")
def languages_server(tmp_path_factory):
    result = build_site(tmp_path_factory.mktemp("languages-search"), SITE, pyproject=LANGUAGES)
    assert result.exit_code == 0, result
    with serving(result.out_dir) as url:
        yield url


@pytest.mark.parametrize("path, words, found, not_found", [
    ("/ur/search/", "دھماکے", "/ur/events/kerman/", "/events/kerman/"),
    ("/fa/search/", "انفجار", "/fa/events/kerman/", "/events/kerman/"),
    ("/search/", "blasts", "/events/kerman/", "/ur/events/kerman/"),
])
def test_search_finds_the_pages_of_the_pages_language(browser, languages_server, path, words, found, not_found):
    page = browser.new_page()
    try:
        page.goto(f"{languages_server}{path}?q={words}")
        results = page.locator("#search-results h2 a")
        expect(results.first).to_be_visible(timeout=15_000)
        hrefs = [a.get_attribute("href") for a in results.all()]
        assert found in hrefs and not_found not in hrefs, hrefs
    finally:
        page.close()
