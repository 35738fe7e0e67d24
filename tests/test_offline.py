"""`build --offline`: a copy that works opened from disk (file://), e.g. from a USB stick.

A browser opening files from disk does not look for a folder's index.html (it lists the folder),
so every link must name a file that exists. The browser half is tests/browser/test_offline.py."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import PLACE, build_site, event

SITE = {
    "content/rain.md": event(title="Rain", date="2024-01-01", place=PLACE, tags=["weather"],
                             body="It rained. See [the flood](flood.md)."),
    "content/flood.md": event(title="Flood", date="2024-01-05", place=PLACE, tags=["weather"],
                              aliases=["/old/flood/"]),
    "content/pages/about.md": "---\ntitle: About\n---\nAbout [the rain](../rain.md#x).\n",
}
_LINK = re.compile(r'(?:href|src|action)="([^"]*)"|url=([^"]*)"')


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    root = tmp_path_factory.mktemp("offline")
    result = build_site(root, SITE, "build", "--offline", "--out", str(root / "usb"))
    assert result.exit_code == 0, result
    return result.out_dir


def local_links(site: Path):
    for page in site.rglob("*.html"):
        for match in _LINK.finditer(page.read_text("utf-8")):
            link = match.group(1) or match.group(2)
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//", "data:")) or not parts.path:
                continue
            yield page, link, (page.parent / unquote(parts.path)).resolve()


def test_every_link_names_a_file_that_is_there(offline):
    links = list(local_links(offline))
    assert len(links) > 100
    broken = [f"{page.relative_to(offline)}: {link}" for page, link, target in links if not target.is_file()]
    assert not broken, broken[:20]
    assert not [link for _, link, _ in links if link.endswith("/")]


def test_an_offline_copy_has_no_search_and_nothing_for_crawlers(offline):
    assert not (offline / "search").exists() and not (offline / "pagefind").exists()
    assert not (offline / "robots.txt").exists() and not (offline / "sitemap.xml").exists()
    assert 'role="search"' not in (offline / "index.html").read_text("utf-8")


def test_an_alias_refreshes_to_a_file(offline):
    html = (offline / "old/flood/index.html").read_text("utf-8")
    assert 'content="0; url=../../events/flood/index.html"' in html


def test_the_published_build_keeps_its_folder_links(tmp_path):
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 0, result
    html = (result.out_dir / "events/rain/index.html").read_text("utf-8")
    assert 'href="../flood/"' in html and "index.html" not in re.sub(r'<link rel="canonical"[^>]*>', "", html)
