"""The maps of a dense site: bounded pages, cluster links that lead somewhere, every event
reached from the map page, tiles that stand alone."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from dateline.graphics.clusters import NEAREST
from dateline.graphics.maps import Marker, locator_map
from dateline.graphics.topology import default_boundaries_path, load_boundaries
from helpers import build_site, event

SVG = "{http://www.w3.org/2000/svg}"
BUDGET = 60_000


def _dense_site() -> dict[str, str]:
    """400 events, each at a point of its own in a box of two degrees, and 40 at one town."""
    rng = random.Random(16)
    files = {}
    for i in range(400):
        lat, lon = round(29 + rng.random() * 2, 5), round(66 + rng.random() * 2, 5)
        files[f"content/e{i}.md"] = event(title=f"Attack {i} near Killi {i}", date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                          place={"name": f"Killi {i}, Kech", "country": "Pakistan", "lat": lat,
                                                 "lon": lon, "precision": "town"})
    for i in range(40):
        files[f"content/q{i}.md"] = event(title=f"Quetta event {i}", date=f"2025-{1 + i % 12:02d}-10",
                                          place={"name": "Quetta", "country": "Pakistan", "lat": 30.19,
                                                 "lon": 67.01, "precision": "town"})
    return files


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    result = build_site(tmp_path_factory.mktemp("dense"), _dense_site(), "build", "--no-search", "--no-cache")
    assert result.exit_code == 0, result
    return result.out_dir


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _links(out, page: str) -> list[str]:
    """The links of a page, as site paths (folder/ of index.html pages)."""
    parser = _Links()
    parser.feed((out / page).read_text(encoding="utf-8"))
    here = page.rsplit("/", 1)[0] if "/" in page else ""
    found = []
    for href in parser.links:
        if href.startswith(("#", "http")):
            continue
        parts = [p for p in here.split("/") if p]
        for step in href.split("#")[0].split("/"):
            if step == "..":
                parts.pop()
            elif step not in ("", "."):
                parts.append(step)
        path = "/".join(parts)
        found.append((path + "/index.html" if path else "index.html") if href.endswith("/") or not href else path)
    return found


def test_locator_is_bounded_however_many_events_share_its_view():
    boundaries = load_boundaries(default_boundaries_path())
    rng = random.Random(2)
    crowd = [Marker(29.8 + rng.uniform(-0.03, 0.03), 66.85 + rng.uniform(-0.03, 0.03), f"Event {i}",
                    f"/events/e{i}/", place=f"Village {i}") for i in range(2000)]
    wide = [Marker(25 + rng.random() * 6, 61 + rng.random() * 9, f"Far {i}", f"/events/f{i}/", place=f"Far {i}")
            for i in range(2000)]
    for others in (crowd[1:], crowd[1:] + wide):
        svg = locator_map(crowd[0], boundaries, title="Where", others=others)
        root = ET.fromstring(svg)
        markers = [c for c in root.iter(SVG + "circle") if "map-marker" in c.get("class", "")]
        counts = [c for c in root.iter(SVG + "circle") if "map-cluster" in c.get("class", "")]
        assert len(markers) <= NEAREST + 1 + len(counts) + 30
        assert len(counts) <= 30                       # the cells of one view, at most
        assert len(list(root.iter(SVG + "a"))) <= NEAREST + 60
        assert len(svg.encode("utf-8")) <= 12_000


def test_map_pages_are_within_budget_and_every_cluster_link_leads_to_a_page(dense):
    pages = sorted(p.relative_to(dense).as_posix() for p in (dense / "map").rglob("index.html"))
    assert len(pages) > 1, "a dense site has zoom pages"
    for page in pages:
        assert (dense / page).stat().st_size <= BUDGET, page
        svg = (dense / page).read_text(encoding="utf-8")
        assert re.search(r'class="map-cluster-link"', svg) or page != "map/index.html"
        for link in _links(dense, page):
            assert (dense / link).is_file(), f"{page} links to {link}, which was not written"
    for page in sorted(dense.glob("events/*/index.html")):
        rel = page.relative_to(dense).as_posix()
        for link in _links(dense, rel):
            assert (dense / link).is_file(), f"{rel} links to {link}, which was not written"


def test_every_located_event_is_reached_from_the_map_page(dense):
    events = {p.relative_to(dense).as_posix() for p in dense.glob("events/*/index.html")}
    seen, todo, reached = set(), ["map/index.html"], set()
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        for link in _links(dense, page):
            if link.startswith("events/"):
                reached.add(link)
            elif link.startswith(("map/", "places/")) and link != "places/index.html" and page.startswith("map/"):
                todo.append(link)
            elif page.startswith("places/") and link.startswith(page.split("/page/")[0].removesuffix("index.html")) \
                    and "/page/" in link:
                todo.append(link)              # the place's other pages (a long list is paged)
    assert reached == events


def test_tiles_are_standalone_svg(dense):
    tiles = sorted((dense / "maps" / "tiles").rglob("*.svg"))
    assert tiles
    for tile in tiles:
        text = tile.read_text(encoding="utf-8")
        root = ET.fromstring(text)
        assert root.tag == SVG + "svg" and root.find(SVG + "style") is not None
        assert "prefers-color-scheme:dark" in text
        # nothing in a tile loads anything
        assert not re.search(r"href|url\(|@import|<script|<image|<use", text, re.I), tile
    # every tile a page shows is written, and every written tile is shown somewhere
    shown = set()
    for page in dense.rglob("*.html"):
        shown.update(re.findall(r'<image href="[./]*(maps/tiles/[0-9/]+\.svg)"', page.read_text(encoding="utf-8")))
    assert shown == {t.relative_to(dense).as_posix() for t in tiles}


def test_zoom_pages_have_breadcrumbs_back_up(dense):
    deep = max((p for p in (dense / "map").rglob("index.html")), key=lambda p: len(p.parts))
    html = deep.read_text(encoding="utf-8")
    crumbs = re.search(r'<p class="breadcrumbs">(.*?)</p>', html)
    assert crumbs and ">Map</a>" in crumbs.group(1)
