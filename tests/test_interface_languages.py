"""The interface in the reader's language: gettext catalogs (templates/locale), CLDR plural
forms, dates at every precision and numbers with the language's own digits, and right to left
(dir and lang) on the pages of an Urdu and a Persian site. English stays as it was (the golden
test holds every English byte)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from dateline import catalogs
from dateline.dates import PartialDate as D, human_span, month_name, month_year
from helpers import REPO, build_site, event, source

LOCALE = REPO / "templates" / "locale"
LANGUAGES = ("ur", "fa")
URDU_SITE = REPO / "tests" / "data" / "urdu-site"


def spoken(language, fn, *args):
    with catalogs.speaking(language):
        return fn(*args)


# -- catalogs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(language):
    assert catalogs.missing(language) == []
    assert catalogs.report([language]) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plural_forms_header_is_cldrs(language):
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        read = read_po(f)
    assert read.plural_forms == Catalog(locale=language).plural_forms
    assert read.locale.language == language


def test_the_template_holds_every_string_the_code_and_templates_use(tmp_path):
    """messages.pot is what `make catalogs` extracts now: a string added to a template without
    running it would reach no translator."""
    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "Nn_:1,2", "-o", str(out), "dateline", "templates"], cwd=REPO, check=True)
    ids = lambda path: {m.id for m in read_po(path.open("rb")) if m.id}
    assert ids(out) == ids(LOCALE / "messages.pot")
    assert "not yet translated" in ids(out)          # the i18n engineer's notice


@pytest.mark.parametrize("language, one, two, zero", [
    ("en", "1 event", "2 events", "0 events"),
    ("ur", "1 واقعہ", "2 واقعات", "0 واقعات"),       # CLDR ur: one is exactly 1
    ("fa", "۱ رویداد", "۲ رویداد", "۰ رویداد"),       # CLDR fa: one is 0 and 1; the noun stays singular
])
def test_plural_forms_by_language(language, one, two, zero):
    ng = lambda n: spoken(language, catalogs.ngettext, "%(num)s event", "%(num)s events", n)
    assert (ng(1), ng(2), ng(0)) == (one, two, zero)


@pytest.mark.parametrize("language, choices", [("ur", {0: 1, 1: 0, 2: 1, 11: 1}), ("fa", {0: 0, 1: 0, 2: 1, 11: 1})])
def test_the_compiled_catalog_chooses_the_form_by_the_cldr_rule(language, choices):
    plural = catalogs.translations(language).plural
    assert {n: plural(n) for n in choices} == choices
    urdu_reports = spoken("ur", catalogs.ngettext, "; %(num)s other report", "; %(num)s other reports", 1)
    assert urdu_reports == "؛ مزید 1 رپورٹ"


# -- dates and numbers ---------------------------------------------------------------------------

SPANS = [
    (D(2024, 1, 16), None, False),           # a day
    (D(2024, 1), None, False),               # a month
    (D(2024), None, False),                  # a year
    (D(2024, 1, 16), D(2024, 1, 18), False),  # days within a month
    (D(2024, 1, 16), D(2024, 3, 18), False),  # days within a year
    (D(2024, 12, 30), D(2025, 1, 2), False),  # days across years
    (D(2024, 1), D(2024, 3), False),          # months within a year
    (D(2024), D(2026), False),                # years
    (D(2024, 1), None, True),                 # approximate
    (D(2024, 1, 16), D(2024, 2), False),      # a day to a month
]
EXPECTED = {
    "en": ["16 January 2024", "January 2024", "2024", "16–18 January 2024", "16 January – 18 March 2024",
           "30 December 2024 – 2 January 2025", "January 2024 – March 2024", "2024 – 2026", "c. January 2024",
           "16 January 2024 – February 2024"],
    "ur": ["16 جنوری، 2024", "جنوری 2024", "2024", "16–18 جنوری 2024", "16 جنوری – 18 مارچ، 2024",
           "30 دسمبر، 2024 – 2 جنوری، 2025", "جنوری–مارچ 2024", "2024–2026", "تقریباً جنوری 2024",
           "16 جنوری، 2024 – فروری 2024"],
    "fa": ["۱۶ ژانویه ۲۰۲۴", "ژانویه ۲۰۲۴", "۲۰۲۴", "۱۶ تا ۱۸ ژانویه ۲۰۲۴", "۱۶ ژانویه تا ۱۸ مارس ۲۰۲۴",
           "۳۰ دسامبر ۲۰۲۴ تا ۲ ژانویه ۲۰۲۵", "ژانویه تا مارس ۲۰۲۴", "۲۰۲۴ تا ۲۰۲۶", "حدود ژانویه ۲۰۲۴",
           "۱۶ ژانویه ۲۰۲۴ تا فوریه ۲۰۲۴"],
}


@pytest.mark.parametrize("language", ["en", "ur", "fa"])
def test_dates_at_every_precision(language):
    assert [spoken(language, human_span, *span) for span in SPANS] == EXPECTED[language]
    assert spoken(language, D(2024, 1, 16).human) == EXPECTED[language][0]


def test_digits_follow_cldrs_numbering_system():
    # Persian's default is arabext (Extended Arabic-Indic); Urdu's is latn, in CLDR
    assert catalogs.numbering_system("fa") == "arabext" and catalogs.numbering_system("ur") == "latn"
    assert not re.search(r"[0-9]", "".join(EXPECTED["fa"]))
    assert not re.search(r"[۰-۹]", "".join(EXPECTED["ur"]))
    assert catalogs.number(1234, "fa") == "۱٬۲۳۴"
    assert catalogs.number(1234, "ur") == "1,234"
    assert catalogs.number(1234, "en") == "1234"      # as English pages always wrote counts
    assert catalogs.digits("04:05", "fa") == "۰۴:۰۵"


def test_month_names_standing_alone_and_with_the_year():
    assert [spoken(lang, month_name, 2) for lang in ("en", "ur", "fa")] == ["February", "فروری", "فوریه"]
    assert spoken("fa", month_year, 2024, 2) == "فوریه ۲۰۲۴"
    assert spoken("en", month_year, 2024, 2) == "February 2024"


def test_outside_a_render_everything_is_english():
    """Exports and messages are made outside `speaking`: unchanged."""
    assert catalogs.current() == "en"
    assert D(2024, 1, 16).human() == "16 January 2024"


# -- direction -------------------------------------------------------------------------------------

def test_direction_from_cldr_unless_configured():
    assert [catalogs.direction(code) for code in ("ur", "fa", "ar", "he", "en", "de")] == \
        ["rtl", "rtl", "rtl", "rtl", "ltr", "ltr"]
    assert catalogs.direction("ur", "ltr") == "ltr"


# -- built sites -----------------------------------------------------------------------------------

def _site(tmp_path, language: str):
    files = {
        "content/a.md": event(title="First", date="2024-01-16", sources=[source()],
                              reports=[{"as_of": "2024-01-17", "by": "Officials", "source": "s1",
                                        "killed": {"civilians": 2}},
                                       {"as_of": "2024-01-18", "by": "Officials", "source": "s1",
                                        "killed": {"civilians": 3}}]),
        "content/b.md": event(title="Second", date="2024-03", in_response_to=["a"]),
        "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n",
    }
    return build_site(tmp_path, files, "--language", language)


def _html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_a_right_to_left_site_says_its_language_and_direction(tmp_path, language):
    result = _site(tmp_path, language)
    assert result.exit_code == 0, result
    pages = _html_pages(result.out_dir)
    assert len(pages) > 10
    for page in pages:
        head = page.read_text(encoding="utf-8")[:200]
        assert f'<html lang="{language}" dir="rtl">' in head, page


def test_an_english_site_has_no_dir_and_its_own_lang(tmp_path):
    result = _site(tmp_path, "en")
    assert result.exit_code == 0, result
    for page in _html_pages(result.out_dir):
        assert '<html lang="en">' in page.read_text(encoding="utf-8")[:200], page


def test_an_urdu_event_page_speaks_urdu(tmp_path):
    result = _site(tmp_path, "ur")
    html = result.read("events/a/index.html")
    for urdu in ("جانی نقصان کے اعداد و شمار، جیسے رپورٹ ہوئے", "ماخذ", "ایک نظر میں", "16 جنوری، 2024",
                 "2 شہری", "ٹائم لائن"):
        assert urdu in html, urdu
    for english in ("Casualty figures as reported", "At a glance", "16 January 2024", "2 civilians"):
        assert english not in html, english
    # the date, in a citation that may be in English, is isolated in its own direction
    assert '<time datetime="2024-01-15" dir="rtl">15 جنوری، 2024</time>' in html
    # the response's page: "In response to"; the toll chart drawn right to left
    assert "جس کے جواب میں" in result.read("events/b/index.html")
    assert 'direction="rtl"' in html.split('class="toll-chart"')[1].split("</svg>")[0]


def test_a_persian_page_has_persian_digits_in_its_dates_and_counts(tmp_path):
    result = _site(tmp_path, "fa")
    html = result.read("events/a/index.html")
    times = re.findall(r"<time [^>]*>([^<]*)</time>", html)
    assert times and all(not re.search(r"[0-9]", t) for t in times), times
    assert "۱۶ ژانویه ۲۰۲۴" in html and "۲ غیرنظامی" in html
    archive = result.read("2024/index.html")
    assert "<h1>۲۰۲۴</h1>" in archive and "۲ رویداد." in archive


def test_a_missing_string_falls_back_to_english_and_the_build_says_so(tmp_path):
    """A site's own catalog (templates/locale/) over the theme's: a language the theme has no
    catalog for, translated in part: the rest is English, and the build counts it."""
    po = ('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
          '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
          'msgid "Sources"\nmsgstr "Quellen"\n')
    files = {"content/a.md": event(title="A", sources=[source()]),
             "templates/locale/de/LC_MESSAGES/messages.po": po}
    pyproject = '[tool.dateline]\ntitle = "T"\nlanguage = "de"\ntemplates = "templates"\n'
    result = build_site(tmp_path, files, pyproject=pyproject)
    assert result.exit_code == 0, result
    total = len(catalogs.missing("de", (LOCALE,))) - 1            # all but "Sources"
    assert f"interface: {total} strings not translated into 'de', shown in English (dateline check lists them)" \
        in result.stdout
    html = result.read("events/a/index.html")
    assert '<h2 id="sources-h">Quellen</h2>' in html and "At a glance" in html
    assert '<html lang="de">' in html
    checked = build_site(tmp_path, None, "check", pyproject=None)
    listed = checked.stdout.split("shown in English\n", 1)[1].splitlines()
    assert "  At a glance" in listed and "  Sources" not in listed and len(listed) == total


def test_a_language_with_no_catalog_is_named(tmp_path):
    result = build_site(tmp_path, {"content/a.md": event(title="A")}, "--language", "sw")
    assert result.exit_code == 0, result
    assert "interface: no catalog for 'sw'" in result.stdout
    assert "At a glance" in result.read("events/a/index.html")


def test_the_urdu_fixture_site_builds_in_urdu(tmp_path):
    result = build_site(URDU_SITE, None, "--no-cache", "--out", str(tmp_path / "site"), pyproject=None)
    assert result.exit_code == 0, result
    html = (tmp_path / "site" / "events" / "pakistan-strikes-saravan" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ur" dir="rtl">' in html and "کم از کم 9 افراد" in html


PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?(\w+)")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders_and_tags(language):
    """A translation that drops `%(num)s` or a link's tag would lose a figure or a link (or
    fail to render): every msgstr has its msgid's placeholders and tags (it may add <bdi>)."""
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        read = read_po(f)
    wrong = []
    for message in read:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted_names = set(PLACEHOLDER.findall(ids[-1]))
        wanted_tags = sorted(TAG.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != wanted_names or \
                    sorted(t for t in TAG.findall(string) if t != "bdi") != wanted_tags:
                wrong.append((ids[0], string))
    assert not wrong, wrong
    assert not [m.id for m in read if m.id and m.fuzzy]


# -- the Solar Hijri calendar beside the Gregorian ---------------------------------------------

def test_solar_hijri_dates_at_every_precision():
    from dateline.dates import solar_hijri
    assert [solar_hijri(*span[:2]) for span in SPANS[:6]] == [
        "۲۶ دی ۱۴۰۲", "دی–بهمن ۱۴۰۲", "۱۴۰۲–۱۴۰۳", "۲۶ دی ۱۴۰۲ – ۲۸ دی ۱۴۰۲", "۲۶ دی ۱۴۰۲ – ۲۸ اسفند ۱۴۰۲",
        "۱۰ دی ۱۴۰۳ – ۱۳ دی ۱۴۰۳"]   # 1 Dey 1403 is 21 December 2024
    assert solar_hijri(D(2024, 3)) == "اسفند ۱۴۰۲ – فروردین ۱۴۰۳"   # a Gregorian month across the Persian new year


def test_a_persian_page_shows_the_solar_hijri_date_beside_the_gregorian_when_asked(tmp_path, monkeypatch):
    """`solar_hijri = true` in the language's entry of the `languages` table; the Gregorian
    date keeps CLDR's Gregorian month names (ژانویه), the Solar date its own (دی)."""
    plain = _site(tmp_path / "plain", "fa").read("events/a/index.html")
    assert "solar-hijri" not in plain
    monkeypatch.setattr(catalogs, "language_setting",
                        lambda config, language, name, default=None: language == "fa" and name == "solar_hijri" or default)
    html = _site(tmp_path / "asked", "fa").read("events/a/index.html")
    when = html.split("<dt>زمان</dt>")[1].split("</dd>")[0]
    assert "۱۶ ژانویه ۲۰۲۴" in when and '<span class="muted solar-hijri">(۲۶ دی ۱۴۰۲ هجری خورشیدی)</span>' in when


def test_words_from_the_data_are_escaped_on_a_translated_page(tmp_path):
    """The navigation's labels and the precisions go through `translate`, whose result is
    text: a page's title with markup stays text in an Urdu menu (`_()` trusts its msgid)."""
    files = {"content/a.md": event(title="A"),
             "content/pages/x.md": "---\ntitle: \"<script>alert(1)</script>\"\n---\nText.\n"}
    result = build_site(tmp_path, files, "--language", "ur")
    assert result.exit_code == 0, result
    html = result.read("index.html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
