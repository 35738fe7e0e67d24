"""The settings a site sets in [tool.dateline] (logo, accent, nav, nav_labels, footer, static),
a site's templates extending the default theme's, `extra:` fields on events and pages, and the
configuration's errors: each named by file and line, with the fix."""

from __future__ import annotations

import hashlib
import base64
import re

import pytest

from dateline import colours
from dateline.cache import BuildCache
from dateline.config import load_config
from dateline.theme import THEME
from helpers import PLACE, PYPROJECT, assert_error, build_site, event, page, write_files

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18"/></svg>\n'
SITE = {"content/a.md": event(title="Levee breach", place=PLACE, tags=["flood"], actors=["River Authority"]),
        "content/pages/about.md": page(title="About this site", slug="about"),
        "content/pages/method.md": page(title="Method", slug="method")}


def settings(text: str) -> str:
    return PYPROJECT + text


def header(html: str) -> str:
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">'):html.index("</footer>")]


def nav_labels(html: str) -> list[str]:
    nav = html[html.index('<nav aria-label="Site">'):html.index("</nav>")]
    return re.findall(r">([^<>]+)</a>", nav)


def config_error(result, line: int | None, fragment: str) -> None:
    """The run stopped at the configuration (exit 2) with `pyproject.toml:<line>: …fragment…`."""
    assert result.exit_code == 2, result
    assert "Traceback" not in result.output, result
    where = f"error: pyproject.toml:{line}: " if line else "error: pyproject.toml: "
    assert result.stderr.startswith(where), result
    assert fragment in result.stderr, result


# -- logo ---------------------------------------------------------------------------------------

def test_a_logo_shows_in_the_header_instead_of_the_title(tmp_path):
    result = build_site(tmp_path, {**SITE, "static/logo.svg": LOGO},
                        pyproject=settings('logo = "logo.svg"\nstatic = "static"\n'))
    assert result.exit_code == 0, result
    top = header(result.read("events/a/index.html"))
    assert '<img class="site-logo" src="../../static/logo.svg" alt="Test timeline">' in top
    assert ">Test timeline<" not in top     # the alt text names the site, once
    assert result.read("static/logo.svg") == LOGO


def test_a_logo_in_the_templates_static_folder(tmp_path):
    result = build_site(tmp_path, {**SITE, "templates/static/img/mark.png": b"\x89PNG\r\n\x1a\n"},
                        pyproject=settings('logo = "img/mark.png"\n'))
    assert result.exit_code == 0, result
    assert 'src="static/img/mark.png"' in header(result.read("index.html"))


@pytest.mark.parametrize("value,files,fragment", [
    ('"logo.svg"', {"static/other.svg": LOGO}, "setting 'logo': no file logo.svg in"),
    ('"static/logo.svg"', {"static/logo.svg": LOGO}, "did you mean 'logo.svg'? (the path is inside the static folder)"),
    ('"logo.txt"', {"static/logo.txt": "x"}, "setting 'logo': 'logo.txt' is not an image"),
    ('"../logo.svg"', {"logo.svg": LOGO, "static/other.svg": LOGO}, "must be a path inside the static folder"),
    ('"my logo.svg"', {"static/my logo.svg": LOGO}, "rename the file"),
    ("3", {}, "setting 'logo' must be text, not 3"),
])
def test_logo_errors(tmp_path, value, files, fragment):
    result = build_site(tmp_path, {**SITE, **files}, "check",
                        pyproject=settings(f'static = "static"\nlogo = {value}\n'))
    config_error(result, 7, fragment)


# -- accent -------------------------------------------------------------------------------------

def test_an_accent_colour_is_set_by_a_style_the_content_security_policy_allows(tmp_path):
    result = build_site(tmp_path, SITE, pyproject=settings('accent = "#1D6B3A"\n'))
    assert result.exit_code == 0, result
    html = result.read("index.html")
    style = re.search(r"<style>(.*?)</style>", html).group(1)
    assert style.startswith(":root{--accent:#1d6b3a;--accent-soft:#")
    dark = re.search(r"prefers-color-scheme: dark\)\{:root\{--accent:(#[0-9a-f]{6})", style).group(1)
    # derived, and readable to AAA's enhanced contrast (axe's color-contrast-enhanced) on both
    assert all(colours.contrast(dark, bg) >= 7 for bg in colours.DARK_BACKGROUNDS), dark
    assert colours.contrast("#1d6b3a", colours.LIGHT_BACKGROUND) >= 4.5
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert f"style-src 'self' &#39;sha256-{digest}&#39;;" in csp
    assert style in result.read("events/a/index.html")


def test_accent_dark_is_used_as_given(tmp_path):
    result = build_site(tmp_path, SITE, pyproject=settings('accent = "#1d6b3a"\naccent_dark = "#8fd6a8"\n'))
    assert result.exit_code == 0, result
    assert "prefers-color-scheme: dark){:root{--accent:#8fd6a8;" in result.read("index.html")


def test_without_an_accent_there_is_no_inline_style(tmp_path):
    result = build_site(tmp_path, SITE)
    html = result.read("index.html")
    assert "<style>" not in html and "style-src 'self';" in html


@pytest.mark.parametrize("line,fragment", [
    ('accent = "red"', "setting 'accent' must be a colour written #rrggbb or #rgb"),
    ('accent = "#ffcc00"', "accent #ffcc00 is too light to read on the light background (contrast 1.5:1"),
    ('accent_dark = "#402020"', "accent_dark #402020 is too dark to read on the dark background"),
    ('accent = "#12345"', "must be a colour written #rrggbb or #rgb"),
    ("accent = 0x123456", "must be a colour"),
    ("accent_dark = true", "setting 'accent_dark' must be a colour written #rrggbb or #rgb"),
])
def test_accent_errors(tmp_path, line, fragment):
    config_error(build_site(tmp_path, SITE, "check", pyproject=settings(line + "\n")), 6, fragment)


# -- navigation ---------------------------------------------------------------------------------

def test_the_default_navigation(tmp_path):
    result = build_site(tmp_path, SITE)
    assert nav_labels(result.read("index.html")) == ["Timeline", "Map", "Tags", "Actors", "Places",
                                                      "About this site", "Method"]


def test_navigation_order_and_labels(tmp_path):
    result = build_site(tmp_path, SITE, pyproject=settings(
        'nav = ["timeline", "about", "map", "search", "pages"]\n'
        "[tool.dateline.nav_labels]\ntimeline = \"Home\"\nabout = \"Who we are\"\n"))
    assert result.exit_code == 0, result
    html = result.read("index.html")
    assert nav_labels(html) == ["Home", "Who we are", "Map", "Search", "Method"]
    assert '<a href="search/">Search</a>' in html
    assert 'href="./" aria-current="page">Home</a>' in html


def test_empty_sections_are_hidden(tmp_path):
    # no place, tag or actor anywhere, no standalone page, search off
    result = build_site(tmp_path, {"content/a.md": event(title="A")},
                        pyproject=settings('search = false\nnav = ["timeline", "map", "tags", "actors", "places", '
                                           '"search", "pages"]\n'))
    assert result.exit_code == 0, result
    assert nav_labels(result.read("index.html")) == ["Timeline"]


@pytest.mark.parametrize("toml,line,fragment", [
    ('nav = ["timeline", "mpa"]', 6, "setting 'nav': no section or page named 'mpa' — did you mean 'map'?"),
    ('nav = ["timeline", "abuot"]', 6, "no section or page named 'abuot' — did you mean 'about'?"),
    ('nav = ["timeline", "zzz"]', 6, "no section or page named 'zzz' (there are: timeline, map, tags, actors, "
                                     "places, search, pages, about, method)"),
    ('[tool.dateline.nav_labels]\nmpa = "Karte"', 7, "setting 'nav_labels': no section or page named 'mpa' — "
                                                      "did you mean 'map'?"),
])
def test_unknown_navigation_names(tmp_path, toml, line, fragment):
    result = build_site(tmp_path, SITE, "check", pyproject=settings(toml + "\n"))
    assert_error(result, "pyproject.toml", line, fragment)


@pytest.mark.parametrize("toml,line,fragment", [
    ('nav = "timeline"', 6, "setting 'nav' must be a list of section names"),
    ('nav = ["map", "map"]', 6, "setting 'nav' names 'map' twice"),
    ('nav_labels = "Home"', 6, "setting 'nav_labels' must be a table of labels, [tool.dateline.nav_labels]"),
    ('[tool.dateline.nav_labels]\nmap = 3', 7, "the label of 'map' in [tool.dateline.nav_labels] must be text"),
    # a label written in [tool.dateline], and a setting written after the [nav_labels] header
    ('map = "Karte"', 6, "'map' is not a setting: a navigation label goes in a [tool.dateline.nav_labels] table"),
    ('[tool.dateline.nav_labels]\nmap = "Karte"\nfooter = "Ours"', 8,
     "'footer' is a setting of [tool.dateline], but it is in [tool.dateline.nav_labels] (in TOML every key "
     "after a [table] header belongs to that table): move it above the [tool.dateline.nav_labels] header"),
    ('[tool.dateline.navlabels]\nmap = "Karte"', 6,
     "unknown table [tool.dateline.navlabels] — did you mean 'nav_labels'?"),
])
def test_navigation_setting_errors(tmp_path, toml, line, fragment):
    config_error(build_site(tmp_path, SITE, "check", pyproject=settings(toml + "\n")), line, fragment)


@pytest.mark.parametrize("toml,line,fragment", [
    ('author = "Desk\\u001b[0m"', 6, "setting 'author' holds U+001B (ESCAPE), a control character, which a page "
                                      "or a feed cannot show, at character 5: delete it"),
    # TOML itself refuses a surrogate
    ('[tool.dateline.languages.fa]\nname = "فارسی"\ndescription = "A \\uffff"', 8,
     "setting 'description' of language 'fa' holds U+FFFF, a noncharacter"),
    ('[tool.dateline.nav_labels]\nmap = "\\u202eKarte"', 7,
     "the label of 'map' in [tool.dateline.nav_labels] opens a right-to-left override (U+202E) and never closes it"),
    ('[tool.dateline.languages.ur]\nname = "اردو"\ntitle = "\\u2067ٹائم لائن"', 8,
     "setting 'title' of language 'ur' opens a right-to-left isolate (U+2067) and never closes it"),
])
def test_a_text_setting_with_a_character_no_output_can_carry(tmp_path, toml, line, fragment):
    """As in the entries (dateline/characters.py): the site's title, description and author are in
    every page and feed."""
    config_error(build_site(tmp_path, SITE, "check", pyproject=settings(toml + "\n")), line, fragment)


# -- footer -------------------------------------------------------------------------------------

def test_the_default_footer_is_the_sentence_about_figures(tmp_path):
    assert "Every casualty figure is a dated claim" in footer(build_site(tmp_path, SITE).read("index.html"))


def test_a_footer_in_markdown_replaces_it(tmp_path):
    result = build_site(tmp_path, SITE, pyproject=settings(
        'footer = "Written by *the Aldwater desk*; see [our method](pages/method.md)."\n'))
    assert result.exit_code == 0, result
    bottom = footer(result.read("events/a/index.html"))
    assert "<p>Written by <em>the Aldwater desk</em>; see <a href=\"../../method/\">our method</a>.\n" in bottom
    assert "casualty figure" not in bottom
    assert '<a href="../../about/">About this site</a>' in bottom    # the pages' links stay


def test_a_footer_that_starts_with_emphasis_is_still_one_paragraph(tmp_path):
    result = build_site(tmp_path, SITE, pyproject=settings('footer = "*Aldwater* desk."\n'))
    assert "<p><em>Aldwater</em> desk.\n<a href=\"about/\">" in footer(result.read("index.html"))


def test_a_footer_of_several_paragraphs_and_an_empty_one(tmp_path):
    result = build_site(tmp_path, SITE, pyproject=settings('footer = """One.\n\nTwo."""\n'))
    assert result.exit_code == 0, result
    bottom = footer(result.read("index.html"))
    assert "<p>One.</p>\n<p>Two.</p>" in bottom and "<p><a href=\"about/\">" in bottom
    result = build_site(tmp_path / "empty", SITE, pyproject=settings('footer = ""\n'))
    assert "casualty" not in footer(result.read("index.html"))
    result = build_site(tmp_path / "nothing", {"content/a.md": event(title="A")}, pyproject=settings('footer = ""\n'))
    assert footer(result.read("index.html")).count("<p>") == 1        # the description's; no empty one


def test_a_footer_may_link_a_file_beside_the_entries(tmp_path):
    result = build_site(tmp_path, {**SITE, "content/press/kit.pdf": b"%PDF-1.4\n"},
                        pyproject=settings('footer = "[Press kit](press/kit.pdf)"\n'))
    assert result.exit_code == 0, result
    assert 'href="media/press/kit.pdf"' in footer(result.read("index.html")), footer(result.read("index.html"))
    assert result.exists("media/press/kit.pdf")


def test_a_broken_link_in_the_footer_is_an_error_at_its_line(tmp_path):
    result = build_site(tmp_path, SITE, "check", pyproject=settings('footer = "See [x](pages/nope.md)."\n'))
    assert_error(result, "pyproject.toml", 6, "setting 'footer': link to 'pages/nope.md', but there is no such "
                                              "content file")


def test_a_footer_must_be_text(tmp_path):
    config_error(build_site(tmp_path, SITE, "check", pyproject=settings("footer = [1]\n")), 6,
                 "setting 'footer' must be text")


# -- the site's static folder ---------------------------------------------------------------------

def test_the_static_folder_is_published_over_the_themes(tmp_path):
    result = build_site(tmp_path, {**SITE, "assets/favicon.svg": LOGO, "assets/fonts/x.woff2": b"wOF2"},
                        pyproject=settings('static = "assets"\n'))
    assert result.exit_code == 0, result
    assert result.read("static/favicon.svg") == LOGO
    assert (result.out_dir / "static/fonts/x.woff2").read_bytes() == b"wOF2"
    assert "static/dateline.css" in result.files()       # the theme's others are still there


@pytest.mark.parametrize("value,fragment", [('"nowhere"', "setting 'static': folder"), ("3", "must be a folder")])
def test_static_errors(tmp_path, value, fragment):
    config_error(build_site(tmp_path, SITE, "check", pyproject=settings(f"static = {value}\n")), 6, fragment)


# -- a site's template extends the default one ----------------------------------------------------

def test_a_sites_base_html_extends_the_default_and_overrides_one_block(tmp_path):
    own = ('{% extends "default/base.html" %}\n'
           '{% block footer %}<footer class="site-footer"><p>Our own footer</p></footer>{% endblock %}\n')
    result = build_site(tmp_path, {**SITE, "templates/base.html": own})
    assert result.exit_code == 0, result
    for path in ("index.html", "events/a/index.html", "about/index.html", "map/index.html"):
        html = result.read(path)
        assert '<footer class="site-footer"><p>Our own footer</p></footer>' in html
        assert "casualty figure" not in html
        assert nav_labels(html)[:2] == ["Timeline", "Map"]           # the rest is the default's
        assert '<main id="main" tabindex="-1">' in html


def test_a_sites_event_template_extends_the_default_and_reads_extra(tmp_path):
    own = ('{% extends "default/event.html" %}\n'
           '{% block head %}{{ super() }}<meta name="photo-credit" content="{{ e.extra.credit }}">{% endblock %}\n')
    files = {**SITE, "content/a.md": event(title="Levee breach", place=PLACE,
                                           extra={"credit": "R. Vale", "rank": [1, {"x": None}]}),
             "templates/event.html": own}
    result = build_site(tmp_path, files)
    assert result.exit_code == 0, result
    html = result.read("events/a/index.html")
    assert '<meta name="photo-credit" content="R. Vale">' in html
    assert '<meta property="og:type" content="article">' in html          # the default's head is kept


def test_every_block_worth_overriding_is_in_base_html():
    text = (THEME / "base.html").read_text(encoding="utf-8")
    for block in ("title", "description", "head", "body_class", "header", "site_title", "nav", "content", "main",
                  "footer"):
        assert f"{{% block {block} %}}" in text, block


# -- extra ----------------------------------------------------------------------------------------

def test_extra_is_carried_on_events_and_pages_and_kept_by_the_cache(tmp_path):
    files = {**SITE, "content/a.md": event(title="A", extra={"credit": "R. Vale", "n": 3}),
             "content/pages/about.md": page(title="About", slug="about", extra={"team": ["x", "y"]}),
             "templates/page.html": '{% extends "default/page.html" %}{% block head %}'
                                    '<meta name="team" content="{{ p.extra.get(\'team\', []) | join(",") }}">{% endblock %}'}
    result = build_site(tmp_path, files)
    assert result.exit_code == 0, result
    assert '<meta name="team" content="x,y">' in result.read("about/index.html")
    store = BuildCache.open(load_config(tmp_path), THEME)
    items = [item for item, _head in store.entries.values()]      # as the next build reads them back
    kept = {item.slug: item.extra for item in items}
    assert kept["a"] == {"credit": "R. Vale", "n": 3} and kept["about"] == {"team": ["x", "y"]}
    # the next build reads them back (a new page changes the navigation: every page is rendered again)
    again = build_site(tmp_path, {**files, "content/pages/zzz.md": page(title="Z", slug="zzz")})
    assert again.exit_code == 0, again
    assert '<meta name="team" content="x,y">' in again.read("about/index.html")


@pytest.mark.parametrize("value,kind", [(["a"], "a list"), ("credit", "'credit'"), (3, "the number 3")])
def test_extra_that_is_not_a_mapping_is_an_error(tmp_path, value, kind):
    result = build_site(tmp_path, {"content/a.md": event(title="A", extra=value)}, "check")
    assert_error(result, "content/a.md", 4, f"'extra' must be a mapping of the site's own fields (lines of "
                                            f"'name: value' indented under 'extra:'), not {kind}")


# -- configuration errors --------------------------------------------------------------------------

@pytest.mark.parametrize("pyproject,line,fragment", [
    ('[dateline]\ntitle = "X"\n', 1, "[dateline] is not read: dateline's settings go in a [tool.dateline] table "
                                     "of pyproject.toml — did you mean [tool.dateline]?"),
    ('[project]\nname = "x"\n\n[tool.datline]\ntitle = "X"\n', 4, "[tool.datline] is not read — did you mean "
                                                                  "[tool.dateline]?"),
    ('title = "X"\n[tool.dateline]\n', 1, "setting 'title' is at the top level of pyproject.toml, where dateline "
                                          "does not read it: put it under [tool.dateline]"),
    ('[tool.dateline]\ntitel = "X"\n', 2, "unknown setting 'titel' in [tool.dateline] — did you mean 'title'?"),
    ('[tool.dateline]\ntitle = "X"\nbase_url = "example.org/x/"\n', 3,
     "base_url 'example.org/x/' has no scheme, so it would be read as a path (/example.org/x/) — did you mean "
     "'https://example.org/x/'?"),
    ('[tool.dateline]\nbase_url = "localhost:8000/"\n', 2, "did you mean 'https://localhost:8000/'?"),
    ('[tool.dateline]\npage_size = 0\n', 2, "setting 'page_size' must be 1 or more, not 0"),
    ('[tool.dateline]\ntitle = "X\n', 2, "pyproject.toml:2: "),                # not TOML: tomllib's line
    ('[tool.dateline]\ntitle = "X"\npage_size = [\n', 3,                      # tomllib says no line at the end
     "pyproject.toml:3: Invalid value at the end of the file: a value left unfinished?"),
])
def test_configuration_errors_name_the_file_and_line(tmp_path, pyproject, line, fragment):
    config_error(build_site(tmp_path, SITE, "check", pyproject=pyproject), line, fragment)


@pytest.mark.parametrize("base_url,expected", [("/x/", "/x/"), ("/example.org/x", "/example.org/x/"),
                                               ("https://example.org/x", "https://example.org/x/")])
def test_base_urls_that_stay_valid(tmp_path, base_url, expected):
    root = write_files(tmp_path, {}, f'[tool.dateline]\nbase_url = "{base_url}"\n')
    assert load_config(root).base_url == expected


def test_the_settings_check_is_a_function_of_the_mapping_and_the_file(tmp_path):
    """The same checks for any file of settings: here, top-level keys of another file."""
    from dateline.config import ConfigError, SettingsFile, check_settings
    file = SettingsFile(tmp_path / "dateline.toml", 'title = "X"\nnav = "map"\n', "")
    with pytest.raises(ConfigError, match=r"dateline.toml:2: setting 'nav' must be a list"):
        check_settings({"title": "X", "nav": "map"}, file, tmp_path)
    with pytest.raises(ConfigError, match=r"dateline.toml:1: unknown setting 'titel' in dateline.toml — did you mean 'title'\?"):
        check_settings({"titel": "X"}, SettingsFile(tmp_path / "dateline.toml", 'titel = "X"\n', ""), tmp_path)
    assert check_settings({"nav": ["map"], "accent": "#ABC"}, file, tmp_path) == {"nav": ("map",),
                                                                                 "accent": "#aabbcc"}
