"""The Nu Html Checker finds no error in the built HTML, CSS and SVG."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


def run_vnu(vnu: list[str], args: list[str], root: Path) -> list[str]:
    """Run vnu with --format json; return its errors as 'file:line: message' lines."""
    cmd = vnu + ["--errors-only", "--format", "json", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        messages = json.loads(raw)["messages"] if raw else []
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu gave no JSON (exit {proc.returncode}): {' '.join(cmd[:8])} ...\n{raw[:4000]}",
                    pytrace=False)
    errors = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error") and m.get("subType") != "fatal":
            continue
        url = m.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = url
        line = m.get("lastLine") or m.get("firstLine") or "?"
        extract = " ".join((m.get("extract") or "").split())[:120]
        errors.append(f"{name}:{line}: {m.get('message', '').strip()}" + (f"  «{extract}»" if extract else ""))
    if proc.returncode != 0 and not errors:
        pytest.fail(f"vnu exited {proc.returncode} without reporting errors:\n{raw[:4000]}", pytrace=False)
    return errors


def report(kind: str, errors: list[str], checked: int) -> str:
    return f"Nu Html Checker: {len(errors)} {kind} error(s) in {checked} file(s):\n  " + "\n  ".join(errors)


def test_vnu_html(vnu, built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert pages, f"no .html files under {built_site}"
    errors = run_vnu(vnu, ["--skip-non-html", str(built_site)], built_site)
    assert not errors, report("HTML", errors, len(pages))


def test_vnu_html_of_paged_lists(vnu, paged_site):
    pages = [p for p in paged_site.rglob("*.html") if "page" in p.parts]
    assert len(pages) > 10
    errors = run_vnu(vnu, list(map(str, pages)), paged_site)
    assert not errors, report("HTML", errors, len(pages))


def test_vnu_html_with_a_logo_and_an_accent(vnu, styled_site):
    pages = [styled_site / "index.html", styled_site / "map" / "index.html", styled_site / "404.html",
             *sorted(styled_site.glob("events/*/index.html"))[:3], *sorted(styled_site.glob("places/*/index.html"))[:1]]
    assert all(p.is_file() for p in pages) and '<style>' in pages[0].read_text(encoding="utf-8")
    errors = run_vnu(vnu, list(map(str, pages)), styled_site)
    assert not errors, report("HTML", errors, len(pages))


def test_vnu_html_of_the_markdown_fixture(vnu, markdown_site):
    """Under each engine (the fixture's parameter): tables, footnotes, a note of two paragraphs,
    and Python-Markdown's admonition, definition list, abbreviation and permalinks."""
    pages = sorted(markdown_site.glob("events/*/index.html"))
    assert len(pages) == 2
    errors = run_vnu(vnu, list(map(str, pages)), markdown_site)
    assert not errors, report("HTML", errors, len(pages))


def test_vnu_css(vnu, built_site):
    sheets = sorted((built_site / "static").rglob("*.css"))
    assert sheets, f"no .css files under {built_site / 'static'}"
    errors = run_vnu(vnu, ["--css", *map(str, sheets)], built_site)
    assert not errors, report("CSS", errors, len(sheets))


def test_vnu_svg(vnu, built_site):
    images = sorted(p for p in built_site.rglob("*.svg") if "pagefind" not in p.parts)
    assert images, f"the built site has no .svg file outside pagefind/ ({built_site}): the maps and charts are SVG"
    errors = run_vnu(vnu, ["--svg", *map(str, images)], built_site)
    assert not errors, report("SVG", errors, len(images))
