"""A site in several languages: the configuration, translation files, every page and export in
each language under /<code>/, the fallback for what is not translated, hreflang alternates and
the language switcher (issue 20)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest

from tests.helpers import PLACE, PYPROJECT, assert_error, build_site, event, page, source

BASE = "https://example.org/t/"
MULTI = PYPROJECT.replace('base_url = "/"', f'base_url = "{BASE}"') + """
[tool.dateline.languages.en]
name = "English"

[tool.dateline.languages.ur]
name = "اردو"
direction = "rtl"
title = "ٹائم لائن"

[tool.dateline.languages.fa]
name = "فارسی"
direction = "rtl"
"""

KERMAN = event(title="Kerman bombing", date="2024-01-03", summary="Two blasts in Kerman.", place=PLACE,
               tags=["bombing"], sources=[source("ap", note="First report.")],
               discrepancies=["Tolls differ."], body="Two blasts. See [Panjgur](panjgur.md).\n")
KERMAN_UR = """---
title: کرمان دھماکے
summary: کرمان میں دو دھماکے۔
place: {name: کرمان}
sources:
  - {id: ap, note: "پہلی خبر۔"}
discrepancies:
  - "تعداد مختلف ہے۔"
---
دو دھماکے۔ دیکھیے [پنجگور](panjgur.md)۔
"""
PANJGUR = event(title="Panjgur strikes", date="2024-01-16", place=PLACE, tags=["strike"],
                aliases=["/old-panjgur/"])
ABOUT = page(title="About", body="About us.\n")
ABOUT_FA = "---\ntitle: درباره\n---\nدربارهٔ ما.\n"
TERMS_UR = 'tags:\n  bombing: "دھماکا"\n'

SITE = {"content/kerman.md": KERMAN, "content/kerman.ur.md": KERMAN_UR, "content/panjgur.md": PANJGUR,
        "content/pages/about.md": ABOUT, "content/pages/about.fa.md": ABOUT_FA,
        "content/terms.ur.yaml": TERMS_UR}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_site(tmp_path_factory.mktemp("multi"), SITE, pyproject=MULTI)
    assert result.exit_code == 0, result
    return result


class _Page(HTMLParser):
    """<html lang dir>, the hreflang alternates, the switcher's links and every element's lang."""

    def __init__(self):
        super().__init__()
        self.html: dict = {}
        self.alternates: dict[str, str] = {}
        self.switcher: list[dict] = []
        self.langs: list[tuple[str, str]] = []   # (tag, lang) of elements inside the body

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html = a
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "a" and "hreflang" in a:
            self.switcher.append(a)
        elif "lang" in a:
            self.langs.append((tag, a["lang"]))


def parsed(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    return p


def _file(url: str) -> str:
    path = url.removeprefix(BASE)
    return path + "index.html" if not path or path.endswith("/") else path


# -- the configuration ---------------------------------------------------------------------------

@pytest.mark.parametrize("table, line, fragment", [
    ('[tool.dateline.languages.UR]\nname = "x"\n', 7, "'UR' in [tool.dateline.languages] is not a language code"),
    ('[tool.dateline.languages.ur]\ndirection = "right"\n', 8, "must be \"ltr\" or \"rtl\", not 'right'"),
    ('[tool.dateline.languages.ur]\nnmae = "x"\n', 8, "unknown setting 'nmae' in [tool.dateline.languages.ur] — did you mean 'name'?"),
    ('[tool.dateline.languages.ur]\nname = 3\n', 8, "setting 'name' of language 'ur' must be text, not 3"),
])
def test_a_bad_language_setting_is_an_error_at_its_line(tmp_path, table, line, fragment):
    result = build_site(tmp_path, {"content/a.md": event(title="A", date="2024-01-02")},
                        pyproject=PYPROJECT + "\n" + table)
    assert result.exit_code == 2, result
    assert f"pyproject.toml:{line}: " in result.stderr and fragment in result.stderr, result


def test_a_table_for_the_default_language_alone_keeps_the_site_in_one_language(tmp_path):
    files = {"content/a.md": event(title="A", date="2024-01-02", place=PLACE)}
    plain = build_site(tmp_path / "plain", files)
    named = build_site(tmp_path / "named", files, pyproject=PYPROJECT + '\n[tool.dateline.languages.en]\n'
                                                                         'name = "English"\n')
    assert plain.exit_code == named.exit_code == 0
    assert plain.files() == named.files()
    for rel in plain.files():
        assert (plain.out_dir / rel).read_bytes() == (named.out_dir / rel).read_bytes(), rel
    assert "hreflang" not in plain.read("events/a/index.html")
    assert "Not yet translated" not in plain.output


# -- addresses per language ----------------------------------------------------------------------

def test_every_page_kind_is_made_in_each_language_under_its_folder(built):
    files = set(built.files())
    for rel in ["index.html", "events/kerman/index.html", "events/panjgur/index.html", "about/index.html",
                "2024/index.html", "2024/01/index.html", "tags/index.html", "tags/bombing/index.html",
                "places/index.html", "map/index.html", "search/index.html", "404.html",
                "feed.xml", "feed.json", "events.ics", "timeline.json"]:
        assert rel in files
        for code in ("ur", "fa"):
            assert f"{code}/{rel}" in files, f"{code}/{rel}"
    # made once: the theme, the data files, the redirects of aliases (default language only)
    assert "old-panjgur/index.html" in files
    assert not any(f.startswith(("ur/static/", "ur/maps/", "ur/old-panjgur/")) for f in files)
    assert "ur/events.csv" not in files and "ur/events.geojson" not in files


def test_a_page_in_a_language_links_to_that_languages_pages(built):
    html = built.read("ur/events/kerman/index.html")
    body = re.search(r'<div class="event-body prose">(.*?)</div>', html, re.S).group(1)
    assert 'href="../panjgur/"' in body and "پنجگور" in body        # the body's link, in Urdu
    assert 'href="../../tags/bombing/"' in html                        # /ur/tags/bombing/
    assert 'href="../../../static/dateline.css"' in html               # the theme's, once for all
    home = built.read("fa/index.html")
    assert 'href="events/kerman/"' in home and 'href="about/"' in home


def test_html_lang_and_dir_come_from_the_pages_language(built):
    # left to right is every page's direction unless said: only right-to-left pages carry dir, so
    # a site in one left-to-right language stays byte for byte what it was
    assert parsed(built.read("index.html")).html == {"lang": "en"}
    assert parsed(built.read("ur/index.html")).html == {"lang": "ur", "dir": "rtl"}
    assert parsed(built.read("fa/tags/bombing/index.html")).html == {"lang": "fa", "dir": "rtl"}
    assert "<title>ٹائم لائن</title>" in built.read("ur/index.html")     # the language's own title


# -- translations --------------------------------------------------------------------------------

def test_a_translation_shows_its_words_on_its_languages_pages(built):
    html = built.read("ur/events/kerman/index.html")
    for words in ("کرمان دھماکے", "کرمان میں دو دھماکے۔", "پہلی خبر۔", "تعداد مختلف ہے۔", ">کرمان<"):
        assert words in html
    assert "Kerman bombing" not in html and "Not yet translated" not in html
    assert "درباره" in built.read("fa/about/index.html")
    assert "دھماکا" in built.read("ur/tags/bombing/index.html")   # terms.ur.yaml
    english = built.read("events/kerman/index.html")
    assert "Kerman bombing" in english and "کرمان" not in english


def test_an_untranslated_entry_is_shown_in_the_default_language_marked_and_with_its_lang(built):
    html = built.read("ur/events/panjgur/index.html")
    assert "Panjgur strikes" in html
    note = re.search(r'<p class="untranslated-note">([^<]*)</p>', html)
    assert note and note.group(1) == "ابھی ترجمہ نہیں ہوا: اصل زبان میں دکھایا گیا ہے۔"   # in the page's language
    page = parsed(html)
    assert ("h1", "en") in page.langs and ("div", "en") in page.langs   # the title and the body
    home = built.read("fa/index.html")
    card = re.search(r'<article class="event" id="e-kerman".*?</article>', home, re.S).group(0)
    assert 'lang="en"' in card and 'class="untranslated-note" lang="fa"' in card
    about = built.read("ur/about/index.html")
    assert '<article class="page prose" data-pagefind-body lang="en">' in about
    translated = re.search(r'<article class="event" id="e-kerman".*?</article>',
                           built.read("ur/index.html"), re.S).group(0)
    assert 'lang="en"' not in translated and "untranslated-note" not in translated


def test_a_file_named_like_a_translation_is_not_an_event(built):
    assert not any("kerman.ur" in f for f in built.files())


def test_a_fact_field_in_a_translation_is_an_error_at_its_line(tmp_path):
    text = "---\ntitle: کرمان\ndate: 2024-01-04\ntags: [x]\n---\nمتن\n"
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/kerman.ur.md": text}, pyproject=MULTI)
    assert_error(result, "content/kerman.ur.md", 3, "'date' cannot be set in a translation", count=2)
    assert_error(result, "content/kerman.ur.md", 4, "facts are written once, in kerman.md", count=2)


@pytest.mark.parametrize("front, line, fragment", [
    ("place: {name: x, lat: 3}", 3, "'lat' is a fact, written in kerman.md"),
    ("sources:\n  - {id: ap, url: 'https://x.org'}", 4, "'url' is a fact of the source"),
    ("sources:\n  - {id: bbc, note: x}", 4, "no source 'bbc' in kerman.md"),
    ("discrepancies: [a, b]", 3, "2 discrepancies, but kerman.md has 1"),
    ("reports:\n  - {note: x, killed: {civilians: 3}}", 4, "'killed' is a fact of the report"),
])
def test_a_translations_words_must_match_its_entry(tmp_path, front, line, fragment):
    text = f"---\ntitle: کرمان\n{front}\n---\n"
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/kerman.ur.md": text}, pyproject=MULTI)
    assert_error(result, "content/kerman.ur.md", line, fragment)


def test_a_translation_into_a_language_the_site_has_not_is_an_error(tmp_path):
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/kerman.ps.md": "---\ntitle: x\n---\n"}, pyproject=MULTI)
    assert_error(result, "content/kerman.ps.md", 1, "add a [languages.ps] table to the settings, or rename")


def test_a_translation_of_no_entry_is_an_error(tmp_path):
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/kermn.ur.md": "---\ntitle: x\n---\n"}, pyproject=MULTI)
    assert_error(result, "content/kermn.ur.md", 1, "a translation of kermn.md, which does not exist")


def test_a_term_name_for_no_term_is_an_error_at_its_line(tmp_path):
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/terms.ur.yaml": "tags:\n  bombing: x\n  bombng: y\n"}, pyproject=MULTI)
    assert_error(result, "content/terms.ur.yaml", 3, "no tag 'bombng' in the site — did you mean 'bombing'?")


def test_a_term_named_only_by_an_entry_with_errors_is_not_an_error_too(tmp_path):
    """The entry with errors is left out, and with it the only tag 'strike': its error is the
    one to fix, and the terms file is checked again once it is fixed."""
    broken = PANJGUR.replace('title: "Panjgur strikes"', 'title: "\u202ePanjgur strikes"')
    assert broken != PANJGUR
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": broken,
                                   "content/terms.ur.yaml": "tags:\n  strike: x\n"}, pyproject=MULTI)
    assert [path for path, _, _ in result.errors()] == ["content/panjgur.md"], result


ERAS = "- slug: crisis\n  title: Border crisis\n  start: 2024-01-01\n  end: 2024-01-31\n  summary: A month.\n"


@pytest.mark.parametrize("name,text,line,fragment", [
    ("kerman.ur.md", KERMAN_UR.replace("کرمان میں", "\u202bکرمان میں"), 3,
     "'summary' opens a right-to-left embedding (U+202B) and never closes it"),
    ("kerman.ur.md", KERMAN_UR.replace("دو دھماکے۔ دیکھیے", "دو \x1b دھماکے۔"), 10, "this line holds U+001B (ESCAPE)"),
    ("terms.ur.yaml", 'tags:\n  bombing: "دھماکا\\u2069"\n', 2,
     "'tags' 'bombing' has U+2069 (pop directional isolate) with nothing open to close"),
    ("eras.ur.yaml", 'crisis:\n  title: "بحران\\x07"\n', 2, "'crisis' 'title' holds U+0007, a control character"),
])
def test_a_translation_with_a_character_no_output_can_carry(tmp_path, name, text, line, fragment):
    files = {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR, "content/eras.yaml": ERAS,
             f"content/{name}": text}
    assert_error(build_site(tmp_path, files, "check", pyproject=MULTI), f"content/{name}", line, fragment)


def test_an_era_is_shown_in_its_translation_or_marked_as_the_default_languages_words(tmp_path):
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/eras.yaml": ERAS,
                                   "content/eras.ur.yaml": 'crisis:\n  title: "سرحدی بحران"\n  summary: "ایک مہینہ۔"\n'},
                        pyproject=MULTI)
    assert result.exit_code == 0, result
    urdu = result.read("ur/index.html")
    assert '<span class="era-label">دور</span> سرحدی بحران: <span class="era-summary">ایک مہینہ۔</span>' in urdu
    assert "Border crisis" not in urdu
    assert "<strong>سرحدی بحران</strong>" in result.read("ur/events/kerman/index.html")
    persian = result.read("fa/index.html")       # no eras.fa.yaml: English, said to be
    assert '<span lang="en" dir="auto">Border crisis: <span class="era-summary">A month.</span></span>' in persian
    assert '<strong><span lang="en" dir="auto">Border crisis</span></strong>' in result.read("fa/events/kerman/index.html")
    assert '<span class="era-label">Era</span> Border crisis: ' in result.read("index.html")
    assert [era["text"]["headline"] for era in json.loads(result.read("ur/timeline.json"))["eras"]] == ["سرحدی بحران"]


@pytest.mark.parametrize("text, line, message", [
    ("crisis:\n  title: x\n  start: 2024-01-02\n", 3,
     "'start' cannot be set in a translation: an era's dates are written once, in eras.yaml"),
    ("crisis:\n  titel: x\n", 2, "'titel' cannot be set in a translation: an era's words are title and summary"
                                  " — did you mean 'title'?"),
    ("crisis:\n  title: x\ncrisys:\n  title: y\n", 3, "no era 'crisys' in eras.yaml — did you mean 'crisis'?"),
    ("crisis: Border crisis\n", 1, "'crisis' must hold its words: {title: …, summary: …}"),
    ("- crisis\n", 1, "must be each era's slug and its words"),
])
def test_a_fact_or_an_unknown_era_in_an_eras_translation_is_an_error_at_its_line(tmp_path, text, line, message):
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/eras.yaml": ERAS, "content/eras.ur.yaml": text}, pyproject=MULTI)
    assert_error(result, "content/eras.ur.yaml", line, message)


def test_an_eras_translation_into_a_language_the_site_has_not_is_an_error(tmp_path):
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/eras.yaml": ERAS, "content/eras.ps.yaml": "crisis: {title: x}\n"},
                        pyproject=MULTI)
    assert_error(result, "content/eras.ps.yaml", 1, "add a [languages.ps] table to the settings, or rename")


# -- alternates, switcher, sitemap ---------------------------------------------------------------

def test_hreflang_alternates_are_symmetric_on_every_page(built):
    pages = [f for f in built.files() if f.endswith(".html") and not f.startswith("old-panjgur/")]
    seen = 0
    for rel in pages:
        if rel.rpartition("/")[2] == "404.html":
            continue
        page = parsed(built.read(rel))
        alternates = page.alternates
        assert set(alternates) == {"en", "ur", "fa", "x-default"}, rel
        assert alternates["x-default"] == alternates["en"]
        assert _file(alternates[page.html["lang"]]) == rel, rel        # itself among them
        for code in ("en", "ur", "fa"):
            other = parsed(built.read(_file(alternates[code])))
            assert other.alternates == alternates, (rel, code)
            assert other.html["lang"] == code
        seen += 1
    assert seen > 30


def test_the_language_switcher_links_to_the_same_page_in_each_language(built):
    page = parsed(built.read("fa/events/kerman/index.html"))
    links = {a["hreflang"]: a for a in page.switcher}
    assert [a["hreflang"] for a in page.switcher] == ["en", "ur", "fa"]
    assert links["en"]["href"] == BASE + "events/kerman/" and links["ur"]["href"] == BASE + "ur/events/kerman/"
    assert links["fa"].get("aria-current") == "page" and "aria-current" not in links["ur"]
    assert all(a["lang"] == a["hreflang"] for a in page.switcher)
    html = built.read("fa/events/kerman/index.html")
    assert '<nav class="language-switcher" aria-label="زبان‌ها">' in html   # "Languages", in Persian
    assert ">English</a>" in html and ">اردو</a>" in html


def test_the_sitemap_gives_each_pages_versions(built):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(built.read("sitemap.xml"))
    entries = {u.find("s:loc", ns).text: {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)}
               for u in root.findall("s:url", ns)}
    assert entries[BASE + "ur/events/kerman/"] == {"en": BASE + "events/kerman/", "ur": BASE + "ur/events/kerman/",
                                                   "fa": BASE + "fa/events/kerman/", "x-default": BASE + "events/kerman/"}
    for loc, links in entries.items():
        for code, href in links.items():
            assert entries[href] == links, (loc, code)
    assert BASE + "ur/404.html" not in entries


# -- exports -------------------------------------------------------------------------------------

def test_feeds_are_made_in_each_language(built):
    atom = feedparser.parse(built.read("ur/feed.xml"))
    assert not atom.bozo, atom.bozo_exception
    assert atom.feed.language == "ur" and atom.feed.title == "ٹائم لائن"
    assert atom.feed.link == BASE + "ur/"
    titles = {e.title: e for e in atom.entries}
    assert titles["کرمان دھماکے"].link == BASE + "ur/events/kerman/"
    assert '<entry xml:lang="en">' in built.read("ur/feed.xml")      # Panjgur, untranslated
    feed = json.loads(built.read("fa/feed.json"))
    assert feed["language"] == "fa" and feed["home_page_url"] == BASE + "fa/"
    assert {i["url"]: i.get("language") for i in feed["items"]} == {
        BASE + "fa/events/kerman/": "en", BASE + "fa/events/panjgur/": "en"}
    assert json.loads(built.read("feed.json"))["language"] == "en"
    assert "URL:" + BASE + "ur/events/kerman/" in built.read("ur/events.ics")
    assert "کرمان دھماکے" in built.read("ur/timeline.json")
    assert '"inLanguage":"ur"' in built.read("ur/events/kerman/index.html")
    assert '"inLanguage":"en"' in built.read("ur/events/panjgur/index.html")


# -- what is untranslated ------------------------------------------------------------------------

def test_a_build_counts_the_untranslated_entries_by_language_and_check_lists_them(tmp_path, built):
    assert "Not yet translated: 2 entries into ur, 2 into fa" in built.stdout
    result = build_site(tmp_path, SITE, "check", "--untranslated", pyproject=MULTI)
    assert result.exit_code == 0, result
    lines = [line for line in result.stdout.splitlines() if "not translated into" in line]
    assert lines == ["content/kerman.md:1: not translated into fa",
                     "content/pages/about.md:1: not translated into ur",
                     "content/panjgur.md:1: not translated into ur, fa"]


def test_untranslated_is_only_for_check(tmp_path):
    result = build_site(tmp_path, {"content/a.md": event(title="A", date="2024-01-02")}, "build", "--untranslated")
    assert result.exit_code == 2 and "--untranslated is only for 'check'" in result.stderr


# -- incremental builds --------------------------------------------------------------------------

def test_a_build_after_editing_translations_equals_a_clean_build(tmp_path):
    from dateline.config import load_config
    from dateline.pipeline import build
    from tests.helpers import list_files

    root = tmp_path / "site"
    assert build_site(root, SITE, pyproject=MULTI).exit_code == 0
    edits = [{"content/kerman.ur.md": KERMAN_UR.replace("کرمان دھماکے", "کرمان میں دھماکے")},
             {"content/panjgur.fa.md": "---\ntitle: حمله پنجگور\n---\nحمله.\n"},
             {"content/terms.ur.yaml": 'tags:\n  bombing: "بم دھماکا"\n'}]
    for edit in edits:
        result = build_site(root, {**SITE, **edit}, pyproject=MULTI)
        assert result.exit_code == 0, result
        clean = tmp_path / "clean"
        fresh = build(load_config(root, {"output": str(clean)}), cache=False)
        assert not fresh.errors
        assert list_files(result.out_dir) == list_files(clean)
        differing = [rel for rel in list_files(clean)
                     if (result.out_dir / rel).read_bytes() != (clean / rel).read_bytes()]
        assert not differing, differing
    assert "حمله پنجگور" in result.read("fa/index.html")
    assert "بم دھماکا" in result.read("ur/tags/bombing/index.html")


def test_serve_after_editing_translations_equals_a_clean_build(tmp_path):
    from dateline.config import load_config
    from dateline.live import LiveSite
    from dateline.pipeline import build
    from tests.helpers import list_files, write_files

    root = write_files(tmp_path / "site", SITE, MULTI)
    live = LiveSite(load_config(root))
    assert not live.full().errors
    edits = [{"content/kerman.ur.md": KERMAN_UR.replace("دو دھماکے۔ دیکھیے", "دو بڑے دھماکے۔ دیکھیے")},  # body only
             {"content/kerman.ur.md": KERMAN_UR.replace("کرمان دھماکے", "کرمان میں دھماکے")},
             {"content/terms.ur.yaml": 'tags:\n  bombing: "بم دھماکا"\n'}]
    for edit in edits:
        write_files(root, edit, None)
        changed = {root / rel for rel in edit}
        assert live.patchable(changed)
        patched = live.patch(changed)
        assert not patched.errors, patched.errors
        assert live.finish(lambda: False) is not None
        clean = tmp_path / "clean"
        assert not build(load_config(root, {"output": str(clean)}), cache=False).errors
        out = root / "site"
        # serve makes the search index later, when the editor pauses (live.search_due)
        files = [rel for rel in list_files(clean) if not rel.startswith("pagefind/")]
        assert [rel for rel in list_files(out) if not rel.startswith("pagefind/")] == files
        differing = [rel for rel in files if (out / rel).read_bytes() != (clean / rel).read_bytes()]
        assert not differing, differing
        if edit is edits[0]:
            assert "دو بڑے دھماکے" in (out / "ur/events/kerman/index.html").read_text()
    assert "کرمان میں دھماکے" in (root / "site" / "ur/events/kerman/index.html").read_text()


def test_an_alias_or_a_page_slug_in_a_languages_folder_is_an_error(tmp_path):
    result = build_site(tmp_path / "alias", {"content/kerman.md": KERMAN,
                                             "content/panjgur.md": event(title="P", date="2024-01-16",
                                                                         aliases=["/ur/old/"])}, pyproject=MULTI)
    assert_error(result, "content/panjgur.md", 4, "alias /ur/old/ is in the folder of the site's language 'ur'")
    result = build_site(tmp_path / "page", {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                            "content/pages/fa.md": page(title="Fa")}, pyproject=MULTI)
    assert_error(result, "content/pages/fa.md", 1, "the page slug 'fa' is the folder of the site's language 'fa'")


def test_a_translation_into_the_default_language_is_an_error(tmp_path):
    result = build_site(tmp_path, {"content/kerman.md": KERMAN, "content/panjgur.md": PANJGUR,
                                   "content/kerman.en.md": "---\ntitle: x\n---\n"}, pyproject=MULTI)
    assert_error(result, "content/kerman.en.md", 1, "merge this file's words into kerman.md and delete it")
