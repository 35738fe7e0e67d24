"""Raw HTML in Markdown bodies and notes goes through the allow-list (dateline/sanitize.py):
what news text needs survives, script, handlers, javascript:/data: URLs and iframes do not."""

from __future__ import annotations

import pytest

from dateline.markdown import MarkdownRenderer
from dateline.sanitize import Sanitizer
from helpers import PLACE, build_site, event, source

CLEAN = Sanitizer()


def body(markdown: str, sanitizer: Sanitizer = CLEAN) -> str:
    html, errors = MarkdownRenderer({}, sanitizer=sanitizer).render("a.md", markdown, 5)
    assert not errors
    return html


@pytest.mark.parametrize("hostile,kept", [
    ("<script>alert(1)</script>Text", "Text"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>Text", "Text"),
    ("<style>body{display:none}</style>Text", "Text"),
    ('<img src="x.png" onerror="alert(1)" alt="A">', '<img src="x.png" alt="A">'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="JaVaScRiPt&#x3a;alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "<a>x</a>"),
    ('<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="d">', '<img alt="d">'),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>Text', "Text"),
    ('<object data="x.swf"></object><embed src="x.swf">Text', "Text"),
    ('<form action="https://evil.example/"><input name="q"><button>Go</button></form>', "Go"),
    ('<p style="position:fixed" onclick="alert(1)" onmouseover="x()">Text</p>', "<p>Text</p>"),
    ('<div role="button" tabindex="0">Text</div>', "<div>Text</div>"),
    ("<svg><script>alert(1)</script></svg>Text", "Text"),
    ('<math><mtext><img src=x onerror=alert(1)></mtext></math>Text', "Text"),
    ("<!-- <script>alert(1)</script> -->Text", "Text"),
    ('<a href="https://example.org/" target="_blank">x</a>', '<a href="https://example.org/">x</a>'),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">'
     "Text", "Text"),
])
def test_hostile_html_is_neutralised(hostile, kept):
    assert CLEAN.clean(hostile) == kept


@pytest.mark.parametrize("html", [
    '<p>A <a href="https://example.org/a?b=1&amp;c=2" title="t">link</a>, <a href="../x/">relative</a>, '
    '<a href="#fn-1">anchor</a>, <a href="mailto:desk@example.org">mail</a>.</p>',
    '<figure><img src="photo.jpg" alt="The levee" title="t" width="640" height="480" loading="lazy">'
    "<figcaption>The levee.</figcaption></figure>",
    '<table><caption>C</caption><thead><tr><th scope="col" colspan="2">H</th></tr></thead>'
    '<tbody><tr><td rowspan="2">1</td><td>2</td></tr></tbody></table>',
    '<dl><dt>Term</dt><dd>Definition</dd></dl><hr><blockquote><p>Quote</p></blockquote>',
    '<p><abbr title="Vale Emergency Agency">VEA</abbr> H<sub>2</sub>O x<sup>2</sup> <code>x</code></p>'
    "<pre><code>code</code></pre>",
    '<p dir="rtl" lang="ur">بلوچستان میں سیلاب</p><h2 id="why" class="note">Why</h2>',
    '<ol start="3"><li>Three</li></ol><ul><li><em>a</em> <strong>b</strong></li></ul>',
])
def test_what_news_text_needs_survives(html):
    assert CLEAN.clean(html) == html


def test_footnotes_survive_sanitizing():
    html = body("A claim.[^1]\n\n[^1]: The note.\n")
    assert '<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup>' in html
    assert '<div class="footnotes">' in html and '<li id="fn-1">' in html and "<section" not in html
    assert '<a href="#fnref-1" class="footnote-backref" aria-label="Back to reference 1">' in html
    assert CLEAN.clean('<a role="doc-backlink" href="#x">x</a>') == '<a role="doc-backlink" href="#x">x</a>'


def test_markdown_links_with_hostile_urls_lose_their_href():
    html = body("[x](javascript:alert(1)) [y](data:text/html;base64,PHNjcmlwdD4=) "
                "![z](javascript:alert(1)) [ok](https://example.org/)\n")
    assert "javascript:" not in html and "data:" not in html
    assert '<a href="https://example.org/">ok</a>' in html


def test_inline_notes_are_sanitized_too():
    renderer = MarkdownRenderer({})
    html, errors = renderer.render_inline("a.md", 'Said <b onclick="x()">so</b><script>alert(1)</script>', 3)
    assert html == "Said <b>so</b>" and not errors


def test_iframes_only_from_configured_origins():
    allow = Sanitizer(("https://www.youtube-nocookie.com",))
    kept = '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video" width="560"></iframe>'
    assert allow.clean(kept) == kept
    assert allow.clean('<iframe src="https://www.youtube-nocookie.com/embed/abc" onload="x()"></iframe>') == \
        '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>'
    for other in ("https://www.youtube-nocookie.com.evil.example/embed/x", "https://evil.example/",
                  "http://www.youtube-nocookie.com/embed/x", "javascript:alert(1)", "data:text/html,x"):
        assert allow.clean(f'<iframe src="{other}"></iframe>') == "<iframe></iframe>", other


CONFIGURED = """\
[tool.dateline]
title = "Embeds"
allow_iframes_from = ["https://www.youtube-nocookie.com/"]
"""
EMBED = '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>\n'


def test_allow_iframes_from_setting_keeps_embeds_and_opens_the_csp(tmp_path):
    result = build_site(tmp_path, {"content/a.md": event(place=PLACE, body=EMBED)}, pyproject=CONFIGURED)
    assert result.exit_code == 0, result
    page = result.read("events/a/index.html")
    assert EMBED.strip() in page
    assert "frame-src https://www.youtube-nocookie.com;" in page


def test_iframes_are_dropped_and_framing_refused_by_default(tmp_path):
    result = build_site(tmp_path, {"content/a.md": event(place=PLACE, body=EMBED)})
    assert result.exit_code == 0, result
    page = result.read("events/a/index.html")
    assert "<iframe" not in page and "frame-src 'none';" in page


@pytest.mark.parametrize("value", ['["http://www.youtube-nocookie.com"]', '["https://*.example.org"]',
                                   '["https://example.org/embed/"]', '"https://example.org"', "[1]"])
def test_allow_iframes_from_must_be_https_origins(tmp_path, value):
    pyproject = f'[tool.dateline]\ntitle = "Embeds"\nallow_iframes_from = {value}\n'
    result = build_site(tmp_path, {"content/a.md": event()}, "check", pyproject=pyproject)
    assert result.exit_code == 2 and "allow_iframes_from" in result.stderr, result
    assert "Traceback" not in result.output


def test_source_urls_must_be_http(tmp_path):
    for url in ("javascript:alert(1)", "data:text/html,x", "ftp://example.org/x", "//example.org/x",
                "https:/example.org", "file:///etc/passwd"):
        result = build_site(tmp_path, {"content/a.md": event(sources=[source(url=url)])}, "check")
        assert result.exit_code == 1 and "must start with http:// or https://" in result.stderr, (url, result)
