"""A site in several languages in the browser: search in each language (Pagefind's index of
each language apart, picked by the page's <html lang>), and the Nu Html Checker and axe-core on
its pages in Urdu and Persian, translated and not."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import serving
from test_accessibility import AXE_OPTIONS, RUN_AXE, format_violations
from test_validation import report, run_vnu
from tests.helpers import PLACE, PYPROJECT, URDU_AND_PERSIAN, build_site, event

LANGUAGES = PYPROJECT + URDU_AND_PERSIAN
SITE = {
    "content/kerman.md": event(title="Kerman bombing", date="2024-01-03", place=PLACE, body="Two blasts in Kerman.\n"),
    "content/kerman.ur.md": "---\ntitle: کرمان دھماکے\n---\nکرمان میں دو دھماکے ہوئے۔\n",
    "content/kerman.fa.md": "---\ntitle: انفجار کرمان\n---\nدو انفجار در کرمان رخ داد.\n",
    "content/panjgur.md": event(title="Panjgur strikes", date="2024-01-16", place=PLACE, body="Strikes.\n"),
}


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory):
    result = build_site(tmp_path_factory.mktemp("languages-search"), SITE, pyproject=LANGUAGES)
    assert result.exit_code == 0, result
    return result.out_dir


@pytest.fixture(scope="module")
def languages_server(languages_site):
    with serving(languages_site) as url:
        yield url


def test_vnu_html_in_every_language(vnu, languages_site):
    pages = sorted(languages_site.rglob("*.html"))
    errors = run_vnu(vnu, list(map(str, pages)), languages_site)
    assert not errors, report("HTML", errors, len(pages))


@pytest.mark.parametrize("path", ["/ur/", "/ur/events/kerman/", "/ur/events/panjgur/", "/fa/events/kerman/",
                                  "/fa/tags/", "/fa/search/"])
def test_axe_in_urdu_and_persian(new_page, languages_server, axe_source, path):
    page = new_page(bypass_csp=True, base_url=languages_server + "/")
    page.goto(languages_server + path, wait_until="networkidle")
    page.add_script_tag(path=str(axe_source))
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, f"axe on {path}:\n" + format_violations(violations)


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
