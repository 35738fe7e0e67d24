"""Nothing injected: the golden site plus hostile entries (script, handlers, javascript: and data:
URLs, iframes, markup in every front-matter string), built for real, then every output that a
browser or a feed reader renders as HTML is scanned by an HTML parser. The only scripts are the
theme's (dateline.js, and JSON-LD whose text cannot close its element); no `on…=` attribute, no
javascript:/data: URL, no frame; and every page carries the Content-Security-Policy."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from dateline import early
from dateline.outputs.table import safe_cell
from helpers import REPO, build_site, event, injected_markup, page, source

GOLDEN = REPO / "tests" / "golden"
XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>"\'><svg onload=alert(1)>'

HOSTILE_BODY = """\
A body pasted from who knows where.

<script>alert(1)</script>
<img src=x onerror=alert(1)>
<a href="data:text/html,<script>alert(1)</script>">data link</a>
<iframe src="https://evil.example/"></iframe>
<p onmouseover="alert(1)" style="position:fixed">hover</p>
<svg><script>alert(1)</script></svg>
<object data="x.swf"></object>
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">Go</button></form>

[click](javascript:alert(1)) and [also](JAVASCRIPT:alert(1)) and ![img](javascript:alert(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

Attribute list on a paragraph.
{: onclick="alert(1)" }

Footnote with script.[^x]

[^x]: <script>alert(1)</script> note.
"""

HOSTILE = {
    "content/hostile-entry.md": event(
        title=XSS, date="2024-01-12", summary=XSS, time="10:00",
        place={"name": "Town " + XSS, "country": XSS, "lat": 46.0, "lon": 7.0, "precision": "town"},
        actors=[XSS], tags=["<b>tag</b> onclick=alert(1)"],
        sources=[source("s1", publisher=XSS, title=XSS, author=XSS, note=XSS + " [x](javascript:alert(1))",
                        url='https://example.org/a"onmouseover="alert(1)')],
        reports=[{"as_of": "2024-01-12", "by": XSS, "source": "s1", "killed": {"civilians": 1},
                  "note": XSS}],
        discrepancies=[XSS + " <a href='javascript:alert(1)'>x</a>"],
        aliases=["/old/hostile/"], body=HOSTILE_BODY),
    "content/pages/hostile-page.md": page(title=XSS, summary=XSS, body=HOSTILE_BODY),
    "content/json-ld-breaker.md": event(title="Ends </script><!-- <script>", date="2024-01-13",
                                        summary="</SCRIPT ><script>alert(1)</script>"),
    # a cell of each CSV column that takes text starts as a spreadsheet formula would
    "content/formula-cells.md": event(
        title="=1+1", date="2024-01-14", actors=["+Militia", "@Army"],
        place={"name": "-Town", "country": "=Vale", "lat": 46.0, "lon": 7.0, "precision": "town"},
        sources=[source("s1", publisher="@Press", title="=HYPERLINK(\"http://x\")")],
        reports=[{"as_of": "2024-01-14", "by": "=cmd|' /C calc'!A0", "source": "s1", "killed": {"civilians": 1},
                  "note": "-2+3"}]),
    # the image `<img src=x>` names, beside each entry (a missing image is an error)
    "content/x": b"GIF89a", "content/pages/x": b"GIF89a",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-site")
    shutil.copytree(GOLDEN / "content", root / "content")
    shutil.copy(GOLDEN / "pyproject.toml", root / "pyproject.toml")
    result = build_site(root, HOSTILE, pyproject=None)
    assert result.exit_code == 0, result
    return result


def rendered_html(site) -> dict[str, str]:
    """{where: HTML} for everything rendered as HTML: pages, feed content, TimelineJS text."""
    found = {}
    for name in site.files():
        path = site.out_dir / name
        if name.endswith(".html"):
            found[name] = path.read_text(encoding="utf-8")
        elif name == "feed.xml":
            for index, element in enumerate(ET.parse(path).iter()):
                if element.get("type") == "html" and element.text:
                    found[f"{name} element {index}"] = element.text
        elif name == "feed.json":
            for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
                found[f"{name} {item['id']}"] = item.get("content_html", "")
        elif name == "timeline.json":
            for index, slide in enumerate(json.loads(path.read_text(encoding="utf-8"))["events"]):
                found[f"{name} slide {index}"] = slide["text"]["headline"] + slide["text"].get("text", "")
    return found


def test_the_hostile_entries_are_published(site):
    assert {"events/hostile-entry/index.html", "hostile-page/index.html", "old/hostile/index.html",
            "events/json-ld-breaker/index.html"} <= set(site.files())
    html = site.read("events/hostile-entry/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html   # the title is shown as text
    assert "data link" in html and "hover" in html


def test_no_script_handler_javascript_url_or_frame_anywhere(site):
    found = rendered_html(site)
    assert len([name for name in found if name.endswith(".html")]) > 40
    problems = {where: injected_markup(html) for where, html in found.items()}
    assert not {where: p for where, p in problems.items() if p}


def test_no_javascript_url_in_any_output_file(site):
    """A javascript: or data: URL may appear as escaped text, never as a link target."""
    for name in site.files():
        # static/ is the theme's; pagefind/ is Pagefind's script and a compressed index made
        # from the pages scanned here; cards/ holds the preview cards, PNG images
        if name.startswith(("static/", "pagefind/", "cards/")):
            continue
        text = (site.out_dir / name).read_text(encoding="utf-8")
        assert not re.search(r"""(?:href|src|url)\s*[=:]\s*["']?\s*(?:javascript|data):""", text, re.I), name


def test_json_ld_stays_inside_its_script(site):
    html = site.read("events/json-ld-breaker/index.html")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1 and "<" not in scripts[0]
    data = json.loads(scripts[0])
    assert data["name"] == "Ends </script><!-- <script>"
    assert data["description"] == "</SCRIPT ><script>alert(1)</script>"
    # the theme's early script (dateline/early.py), dateline.js and the JSON-LD
    assert len(re.findall(r"<script\b", html, re.I)) == 3


def test_every_page_carries_the_content_security_policy(site):
    # inline scripts: only the theme's two, by their hashes (dateline/early.py)
    csp = (f"default-src 'self'; script-src 'self' {early.SCRIPT_HASHES} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
           "font-src 'self'; connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; "
           "form-action 'self'")
    for name in site.files():
        if name.endswith(".html"):
            html = site.read(name)
            assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in html, name
            assert not re.search(r"\sstyle=", html), name   # the CSP would refuse inline style


def test_source_urls_are_escaped_in_attributes(site):
    html = site.read("events/hostile-entry/index.html")
    assert 'href="https://example.org/a&#34;onmouseover=&#34;alert(1)"' in html


@pytest.mark.parametrize("cell,shown", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
                                        ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-12.5", "-12.5"), ("a=1", "a=1")])
def test_csv_cells_cannot_start_a_formula(cell, shown):
    assert safe_cell(cell) == shown


def test_no_csv_cell_of_the_hostile_site_starts_a_formula(site):
    events = {row["event_id"]: row for row in csv.DictReader(io.StringIO(site.read("events.csv"), newline=""))}
    formula = events["formula-cells"]
    assert (formula["title"], formula["actor1"], formula["actor2"], formula["location"], formula["country"],
            formula["source"]) == ("'=1+1", "'+Militia", "'@Army", "'-Town", "'=Vale", "'@Press")
    reports = [row for row in csv.DictReader(io.StringIO(site.read("reports.csv"), newline=""))
               if row["event_id"] == "formula-cells"]
    assert [(r["reported_by"], r["source_publisher"], r["source_title"], r["note"]) for r in reports] == \
        [("'=cmd|' /C calc'!A0", "'@Press", "'=HYPERLINK(\"http://x\")", "'-2+3")]
    for name in ("events.csv", "reports.csv"):
        for row in csv.reader(io.StringIO(site.read(name), newline="")):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
                assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), (name, cell)
