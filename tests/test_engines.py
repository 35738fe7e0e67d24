"""The two Markdown engines (`markdown = "commonmark"` or `"python-markdown"`, with MkDocs'
`markdown_extensions`): the same fixture site built with each, the same link resolution, checks
and sanitizer around both, their configuration errors, and the cache emptied when they change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dateline.cache import settings_fingerprint
from dateline.config import ConfigError, load_config
from dateline.engines import CommonMark, PythonMarkdown, engine_for
from dateline.markdown import MarkdownRenderer
from helpers import PYPROJECT, REPO, build_site, event

FIXTURE = Path(__file__).parent / "data" / "markdown-site" / "content"
EXTENSIONS = '["admonition", "footnotes", "attr_list", "abbr", "def_list", "smarty", {toc = {permalink = true}}]'
SETTINGS = {
    "commonmark": PYPROJECT + 'markdown = "commonmark"\n',
    "python-markdown": PYPROJECT + f'markdown = "python-markdown"\nmarkdown_extensions = {EXTENSIONS}\n',
}
ENGINES = list(SETTINGS)


def fixture_site(tmp_path: Path, engine: str, *args: str):
    shutil.copytree(FIXTURE, tmp_path / "content")
    return build_site(tmp_path, {}, *args, pyproject=SETTINGS[engine])


# -- the fixture site under each engine ---------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_the_fixture_site_builds_with_each_engine(tmp_path, engine):
    result = fixture_site(tmp_path, engine)
    assert result.exit_code == 0, result
    flood = result.read("events/flood/index.html")
    assert "<table>" in flood and "<td>4.2 m</td>" in flood
    assert 'href="../dam/"' in flood                                           # the link to dam.md
    assert 'src="../../media/bridge.png"' in flood and result.exists("media/bridge.png")
    assert '<div class="footnotes">' in flood and "read at noon" in flood
    assert "<section" not in flood.split('<div class="footnotes">')[1].split("</div>")[0]
    # the note of two paragraphs, inside the source's line: no <p> in a <span>
    note = flood.split('<span class="source-note">')[1].split("</span>")[0]
    assert note.startswith("The first paragraph of the note.<br>A second paragraph")
    assert "<p>" not in note and "</p>" not in note


def test_python_markdown_extensions_render_and_survive_the_sanitizer(tmp_path):
    result = fixture_site(tmp_path, "python-markdown")
    assert result.exit_code == 0, result
    dam = result.read("events/dam/index.html")
    assert '<div class="admonition note">' in dam and '<p class="admonition-title">Inspection</p>' in dam
    assert '<h2 id="findings">Findings<a class="headerlink" href="#findings" title="Permanent link">¶</a></h2>' in dam
    assert "<dl>\n<dt>Spillway</dt>\n<dd>The channel" in dam
    assert '<abbr title="World Health Organization">WHO</abbr>' in dam
    assert "“engineers” – and a report" in dam                               # smarty
    flood = result.read("events/flood/index.html")
    assert 'href="#fn:gauge"' in flood and 'id="fn:gauge"' in flood
    assert '<div class="footnote">' not in flood and "<hr>" not in flood.split('<div class="footnotes">')[1]


def test_the_same_fixture_under_commonmark_has_no_python_markdown_syntax(tmp_path):
    result = fixture_site(tmp_path, "commonmark")
    dam = result.read("events/dam/index.html")
    assert "admonition" not in dam and "<abbr" not in dam and "!!! note" in dam


# -- the same checks, at the same lines ---------------------------------------------------------

BROKEN = event(body="First line.\n\nSee [the report](missing.md).\n\n![A photo](nowhere.jpg)\n\n"
                    "![Outside](https://example.org/x.png)\n")


@pytest.mark.parametrize("engine", ENGINES)
def test_errors_at_their_body_lines_with_each_engine(tmp_path, engine):
    result = build_site(tmp_path, {"content/a.md": BROKEN}, pyproject=SETTINGS[engine])
    assert result.exit_code == 1
    errors = {(line, message.split(",")[0]) for path, line, message in result.errors() if path == "content/a.md"}
    assert errors == {(7, "link to 'missing.md'"), (9, "image 'nowhere.jpg'"),
                      (11, "image https://example.org/x.png is on another site")}, result


@pytest.mark.parametrize("engine", ENGINES)
def test_a_note_that_makes_a_list_is_an_error_at_its_line(tmp_path, engine):
    text = "---\ntitle: An event\ndate: 2024-01-15\ndiscrepancies:\n  - |\n    - one count\n    - another\n---\nBody.\n"
    result = build_site(tmp_path, {"content/a.md": text}, pyproject=SETTINGS[engine])
    assert result.exit_code == 1
    [(path, line, message)] = result.errors()
    assert (path, line) == ("content/a.md", 5) and message.startswith("this text makes a list")


@pytest.mark.parametrize("engine", ENGINES)
def test_raw_html_is_sanitized_with_each_engine(tmp_path, engine):
    body = ('Text <script>alert(1)</script><img src="x.png" onerror="alert(2)">'
            '<a href="javascript:alert(3)">x</a>\n\n<div class="admonition note" onclick="alert(4)">Kept</div>\n')
    renderer = MarkdownRenderer({"x.png": "/media/x.png"}, files={"x.png": 10},
                                engine=engine_for(engine, (("admonition", {}),) if engine == "python-markdown" else ()))
    html, _ = renderer.render("a.md", body, 5)
    assert "alert" not in html and "<script" not in html and "javascript:" not in html
    assert '<div class="admonition note">Kept</div>' in html


def test_a_python_markdown_instance_is_reused_and_reset_between_bodies():
    engine = engine_for("python-markdown", (("footnotes", {}), ("abbr", {})))
    assert engine is engine_for("python-markdown", (("footnotes", {}), ("abbr", {})))
    assert isinstance(engine, PythonMarkdown) and isinstance(engine_for(), CommonMark)
    first = engine.to_html("A note[^1] on the WHO.\n\n[^1]: Here.\n\n*[WHO]: World Health Organization\n")
    assert '<div class="footnotes">' in first and "<abbr" in first
    second = engine.to_html("The WHO again.\n")
    assert "footnote" not in second and "<abbr" not in second      # nothing left from the last body


def test_a_third_party_extension_by_its_module_path(tmp_path, monkeypatch):
    (tmp_path / "ext").mkdir()
    (tmp_path / "ext" / "shout_ext.py").write_text('''
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

class Shout(Postprocessor):
    def __init__(self, md, word):
        super().__init__(md)
        self.word = word
    def run(self, text):
        return text.replace(self.word, self.word.upper())

class ShoutExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"word": ["flood", "the word to shout"]}
        super().__init__(**kwargs)
    def extendMarkdown(self, md):
        md.postprocessors.register(Shout(md, self.getConfig("word")), "shout", 1)

def makeExtension(**kwargs):
    return ShoutExtension(**kwargs)
''')
    monkeypatch.syspath_prepend(str(tmp_path / "ext"))
    settings = PYPROJECT + 'markdown = "python-markdown"\nmarkdown_extensions = [{shout_ext = {word = "river"}}]\n'
    result = build_site(tmp_path / "site", {"content/a.md": event(body="The river rose.\n")}, pyproject=settings)
    assert result.exit_code == 0, result
    assert "The RIVER rose." in result.read("events/a/index.html")


# -- configuration ------------------------------------------------------------------------------

def config_error(tmp_path: Path, settings: str, monkeypatch) -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dateline.toml").write_text('title = "T"\n' + settings, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    return str(caught.value)


@pytest.mark.parametrize("settings, line, expected", [
    ('markdown = "python_markdown"\n', 2, "setting 'markdown' must be one of 'commonmark', 'python-markdown', "
                                          "not 'python_markdown' — did you mean 'python-markdown'?"),
    ('markdown = true\n', 2, "setting 'markdown' must be one of"),
    ('markdown_extensions = ["footnotes"]\n', 2, "setting 'markdown_extensions' configures Python-Markdown, but "
                                                 "the site's Markdown is 'commonmark': set markdown = \"python-markdown\""),
    ('markdown = "python-markdown"\nmarkdown_extensions = ["pymdownx.tilde"]\n', 3,
     "no Markdown extension 'pymdownx.tilde' is installed: install the package that provides it "
     "(pip install pymdown-extensions)"),
    ('markdown = "python-markdown"\nmarkdown_extensions = ["mdx_nothing_here"]\n', 3,
     "no Markdown extension 'mdx_nothing_here' is installed: install the package that provides it "
     "(pip install mdx-nothing-here)"),
    ('markdown = "python-markdown"\nmarkdown_extensions = ["admonitions"]\n', 3,
     "no Markdown extension 'admonitions' is installed — did you mean 'admonition'?"),
    ('markdown = "python-markdown"\nmarkdown_extensions = [{toc = {permalnk = true}}]\n', 3,
     "Markdown extension 'toc' has no option 'permalnk'"),
    ('markdown = "python-markdown"\nmarkdown_extensions = [{toc = {permalink = true}, abbr = {}}]\n', 3,
     "has a table with 2 keys (toc, abbr)"),
    ('markdown = "python-markdown"\nmarkdown_extensions = [{toc = true}]\n', 3,
     "has options for 'toc' that are not a table: write {toc = {option = value}}, not True"),
    ('markdown = "python-markdown"\nmarkdown_extensions = "toc"\n', 3, "must be a list of Markdown extensions"),
    ('markdown = "python-markdown"\nmarkdown_extensions = ["os"]\n', 3, "Markdown extension 'os' cannot be loaded"),
])
def test_configuration_errors_name_the_line_and_the_fix(tmp_path, monkeypatch, settings, line, expected):
    message = config_error(tmp_path, settings, monkeypatch)
    assert message.startswith(f"dateline.toml:{line}: ") and expected in message, message


def test_extensions_read_as_mkdocs_writes_them(tmp_path):
    (tmp_path / "dateline.toml").write_text(
        'markdown = "python-markdown"\nmarkdown_extensions = ["admonition", {toc = {permalink = true}}, "abbr"]\n')
    config = load_config(tmp_path)
    assert config.markdown == "python-markdown"
    assert config.markdown_extensions == (("admonition", {}), ("toc", {"permalink": True}), ("abbr", {}))
    (tmp_path / "dateline.toml").write_text(
        'markdown = "python-markdown"\n[markdown_extensions]\nadmonition = {}\ntoc = {permalink = true}\n')
    assert load_config(tmp_path).markdown_extensions == (("admonition", {}), ("toc", {"permalink": True}))


def test_the_engine_and_its_extensions_are_part_of_the_cache_fingerprint(tmp_path):
    prints = set()
    for settings in ('', 'markdown = "python-markdown"\n',
                     'markdown = "python-markdown"\nmarkdown_extensions = ["toc"]\n',
                     'markdown = "python-markdown"\nmarkdown_extensions = [{toc = {permalink = true}}]\n'):
        (tmp_path / "dateline.toml").write_text('title = "T"\n' + settings)
        prints.add(settings_fingerprint(load_config(tmp_path), REPO / "templates"))
    assert len(prints) == 4


def test_switching_the_engine_renders_the_bodies_again(tmp_path):
    body = event(body='!!! note "Careful"\n    Kept apart.\n')
    first = build_site(tmp_path, {"content/a.md": body}, pyproject=SETTINGS["commonmark"])
    assert first.exit_code == 0 and "admonition" not in first.read("events/a/index.html")
    second = build_site(tmp_path, {}, pyproject=SETTINGS["python-markdown"])     # same cache folder
    assert second.exit_code == 0, second
    assert '<div class="admonition note">' in second.read("events/a/index.html")
    third = build_site(tmp_path, {}, pyproject=SETTINGS["commonmark"])
    assert "admonition" not in third.read("events/a/index.html")
