"""Tests for the maps (dateline/graphics/): inline SVG, tiles, clusters."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dateline.graphics.maps import Marker, locator_map, overview_map
from dateline.graphics.topology import Boundaries, default_boundaries_path, load_boundaries

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "templates" / "static"

PLACES = {
    "Kerman": (30.28, 57.08),
    "Panjgur": (26.97, 64.09),
    "Saravan": (27.37, 62.33),
    "Islamabad": (33.69, 73.06),
    "Mach": (29.87, 67.33),
    "Sibi": (29.54, 67.88),
    "Rawalpindi": (33.53, 73.04),
    "Harnai": (30.10, 67.94),
    "Quetta": (30.19, 67.01),
    "Mastung": (29.80, 66.85),
    "Nushki": (29.55, 66.02),
    "Dalbandin": (28.89, 64.41),
    "Kharan": (28.58, 65.42),
    "Tump": (26.11, 62.37),
    "Gwadar": (25.13, 62.32),
    "Pasni": (25.26, 63.47),
}


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries(STATIC)


def marker(name: str, *, href: str | None = "auto", emphasis: bool = False, n: int = 0) -> Marker:
    lat, lon = PLACES[name]
    if href == "auto":
        href = f"events/{name.lower()}-{n}/"
    return Marker(lat, lon, f"{name} attack, {n + 1} March 2025", href, emphasis)


def realistic_set() -> list[Marker]:
    """~25 events: several sub-events share a town (identical coordinates)."""
    names = list(PLACES)
    return [marker(names[i % len(names)], n=i) for i in range(25)]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML or this raises
    assert root.tag == SVG + "svg"
    return root


def circles(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(SVG + "circle"))


def check_common(svg: str) -> ET.Element:
    root = parse(svg)
    assert "style=" not in svg
    assert "<script" not in svg.lower()
    assert "<style" not in svg.lower()
    assert root.get("viewBox")
    # a <title> names the map
    title = root.find(SVG + "title")
    assert title is not None and title.text
    assert title.get("id") and root.get("aria-labelledby", "").split()[0] == title.get("id")
    # IDs unique within the SVG
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    # every referenced ID exists
    for el in root.iter():
        for attr in ("aria-labelledby", "aria-describedby"):
            for ref in (el.get(attr) or "").split():
                assert ref in ids
    # links are focusable <a href> with an accessible name (<title> first)
    links = list(root.iter(SVG + "a"))
    if links:
        assert root.get("role") == "group"
    for a in links:
        assert a.get("href")
        first = list(a)[0]
        assert first.tag == SVG + "title" and first.text
    if not links:
        assert root.get("role") == "img"
    return root


def test_boundaries_load_and_cache(boundaries):
    assert boundaries is load_boundaries(STATIC / "map" / "countries-50m.json")
    assert boundaries is load_boundaries(default_boundaries_path())
    names = {c.name for c in boundaries.countries}
    assert {"Pakistan", "Iran", "Afghanistan", "India", "Oman"} <= names
    assert any(boundaries.arc_is_border) and not all(boundaries.arc_is_border)


def test_derived_file_is_small_and_documented():
    data = STATIC / "map" / "countries-50m.json"
    assert data.stat().st_size < 1_000_000
    prov = (STATIC / "map" / "PROVENANCE.md").read_text(encoding="utf-8")
    for word in ("world-atlas", "Natural Earth", "public domain", "1:50m"):
        assert word.lower() in prov.lower()


def test_locator_emphasis_and_relative_position(boundaries):
    current = marker("Gwadar", href=None)
    others = [marker("Panjgur"), marker("Pasni"), marker("Tump")]
    svg = locator_map(current, boundaries, title="Where: Gwadar", others=others)
    root = check_common(svg)
    cur = [c for c in circles(root) if "is-current" in c.get("class", "").split()]
    assert len(cur) == 1
    pos = {}
    for a in root.iter(SVG + "a"):
        name = a.find(SVG + "title").text.split(" ")[0]
        c = a.find(SVG + "circle")
        pos[name] = (float(c.get("cx")), float(c.get("cy")))
    gx, gy = float(cur[0].get("cx")), float(cur[0].get("cy"))
    w, h = (float(v) for v in root.get("viewBox").split()[2:])
    # the current marker sits in the middle of the locator
    assert abs(gx - w / 2) < 1 and abs(gy - h / 2) < 1
    # Panjgur is east (right) and north (up) of Gwadar; Pasni east, Tump north
    assert pos["Panjgur"][0] > gx and pos["Panjgur"][1] < gy
    assert pos["Pasni"][0] > gx
    assert pos["Tump"][1] < gy
    # the current event is labelled
    labels = [t.text for t in root.iter(SVG + "text") if "map-label" in t.get("class", "").split()]
    assert labels == ["Gwadar attack, 1 March 2025"]


def test_locator_projection_keeps_aspect(boundaries):
    # one degree of latitude north and 1/cos(lat) degrees of longitude east
    # cover the same distance (Web Mercator keeps shapes locally)
    lat, lon = 30.0, 66.0
    import math

    east = Marker(lat, lon + 1 / math.cos(math.radians(lat)), "east", "e/")
    north = Marker(lat + 1, lon, "north", "n/")
    svg = locator_map(Marker(lat, lon, "here", None), boundaries, title="t", others=[east, north])
    root = parse(svg)
    pos = {
        a.find(SVG + "title").text: (float(a.find(SVG + "circle").get("cx")), float(a.find(SVG + "circle").get("cy")))
        for a in root.iter(SVG + "a")
    }
    cur = [c for c in circles(root) if "is-current" in c.get("class", "")][0]
    cx, cy = float(cur.get("cx")), float(cur.get("cy"))
    dx = pos["east"][0] - cx
    dy = cy - pos["north"][1]
    assert dx > 0 and dy > 0
    assert abs(dx - dy) / dy < 0.03


def test_markers_with_href_are_links_with_names(boundaries):
    ms = [marker("Quetta", n=1), marker("Mastung", href=None, n=2)]
    svg = overview_map(ms, boundaries, title="Balochistan")
    root = check_common(svg)
    links = list(root.iter(SVG + "a"))
    assert [a.get("href") for a in links] == ["events/quetta-1/"]
    assert links[0].find(SVG + "title").text == "Quetta attack, 2 March 2025"
    # the unlinked marker still has an accessible name
    unlinked = [c for c in circles(root) if c.find(SVG + "title") is not None]
    assert len(unlinked) == 1
    assert unlinked[0].find(SVG + "title").text == "Mastung attack, 3 March 2025"
    assert unlinked[0].get("aria-label") == "Mastung attack, 3 March 2025"


def test_map_without_links_is_an_img_with_description(boundaries):
    ms = [marker("Quetta", href=None), marker("Kerman", href=None)]
    svg = overview_map(ms, boundaries, title="No links here")
    root = check_common(svg)
    assert root.get("role") == "img"
    desc = root.find(SVG + "desc")
    assert desc is not None and "Quetta attack" in desc.text and "Kerman attack" in desc.text
    assert desc.get("id") in root.get("aria-describedby").split()


def test_overlapping_markers_stay_individually_reachable(boundaries):
    ms = [Marker(30.19, 67.01, f"Quetta event {i}", f"e/{i}/") for i in range(5)]
    svg = overview_map(ms, boundaries, title="Quetta")
    root = check_common(svg)
    assert [a.get("href") for a in root.iter(SVG + "a")] == [f"e/{i}/" for i in range(5)]
    # labels do not pile up: at most one drawn at the shared spot
    labels = [t for t in root.iter(SVG + "text") if "map-label" in t.get("class", "").split()]
    assert len(labels) <= 1


def test_labels_do_not_overlap(boundaries):
    ms = [Marker(lat, lon, f"{n} bombing", f"e/{n}/", place=n) for n, (lat, lon) in PLACES.items()]
    svg = overview_map(ms, boundaries, title="Places")
    root = check_common(svg)
    labels = [t for t in root.iter(SVG + "text") if "map-label" in t.get("class", "").split()]
    texts = [t.text for t in labels]
    assert len(texts) == len(set(texts)) and set(texts) <= set(PLACES)
    assert {"Kerman", "Gwadar", "Islamabad"} <= set(texts)
    # approximate text boxes (12 units font, ~0.6 em per glyph) never overlap
    boxes = []
    for t in labels:
        x, y, w = float(t.get("x")), float(t.get("y")), len(t.text) * 12 * 0.58
        anchor = t.get("text-anchor", "start")
        x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        boxes.append((x0, y - 9.6, x0 + w, y + 3))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    # many long labels: none drawn by default (> 12 markers, no short names)
    ov = overview_map(realistic_set(), boundaries, title="many")
    assert 'class="map-label' not in ov


def test_deterministic(boundaries):
    ms = realistic_set()
    a = overview_map(ms, boundaries, title="Events")
    b = overview_map(list(ms), boundaries, title="Events")
    assert a == b
    c = locator_map(ms[0], boundaries, title="Where", others=ms)
    d = locator_map(ms[0], boundaries, title="Where", others=ms)
    assert c == d
    # same geometry from a freshly loaded copy (no hidden state)
    from dateline.graphics import topology

    fresh = topology.boundaries_from_json(
        __import__("json").loads((STATIC / "map" / "countries-50m.json").read_text(encoding="utf-8"))
    )
    assert overview_map(ms, fresh, title="Events") == a


def test_size_limits_for_a_realistic_set(boundaries):
    ms = realistic_set()
    ov = overview_map(ms, boundaries, title="Strikes and insurgency, 2024–2026")
    check_common(ov)
    assert len(ov.encode("utf-8")) <= 60_000
    assert len(list(parse(ov).iter(SVG + "a"))) == 25
    for m in ms[:16]:
        loc = locator_map(m, boundaries, title=f"Where: {m.label}", others=ms)
        check_common(loc)
        assert len(loc.encode("utf-8")) <= 12_000, m.label


def test_no_style_or_script_and_classes(boundaries):
    ms = realistic_set()
    for svg, classes in (
        (overview_map(ms, boundaries, title="x"), ("map-country-label",)),
        (locator_map(ms[3], boundaries, title="y", others=ms), ("map-marker is-current",)),  # inland
        (locator_map(ms[14], boundaries, title="z", others=ms), ("map-label is-current",)),
    ):
        assert "style=" not in svg and "<style" not in svg
        assert "<script" not in svg.lower()
        assert re.search(r" on[a-z]+=", svg) is None
        for cls in ("map-sea", "map-marker", *classes):
            assert f'class="{cls}' in svg
        # the land is the shared tiles, as images
        assert re.search(r'<image href="/maps/tiles/\d+/\d+/\d+\.svg"', svg)


def test_labels_and_titles_are_escaped(boundaries):
    nasty = 'Bombing <script>alert(1)</script> & "quotes"'
    ms = [
        Marker(30.19, 67.01, nasty, 'e/?a=1&b="2"'),
        Marker(25.13, 62.32, nasty, None),
    ]
    for svg in (
        overview_map(ms, boundaries, title=nasty),
        locator_map(ms[0], boundaries, title=nasty, others=ms[1:]),
        locator_map(ms[1], boundaries, title=nasty),
    ):
        assert "<script" not in svg
        root = check_common(svg)
        assert root.find(SVG + "title").text == nasty
        for a in root.iter(SVG + "a"):
            assert a.get("href") == 'e/?a=1&b="2"'
            assert a.find(SVG + "title").text == nasty
    # control characters (invalid in XML) are dropped, not emitted
    svg = overview_map([Marker(30, 60, "bad\x00\x1bname", None)], boundaries, title="t\x0c")
    parse(svg)


def test_far_marker_grows_the_bbox(boundaries):
    ms = realistic_set()
    near = overview_map(ms, boundaries, title="near")
    far = overview_map([*ms, Marker(51.51, -0.13, "London rally", "e/london/")], boundaries, title="far")
    root = check_common(far)
    assert len(list(root.iter(SVG + "a"))) == 26
    w, h = (float(v) for v in root.get("viewBox").split()[2:])
    for c in circles(root):
        assert 0 <= float(c.get("cx")) <= w and 0 <= float(c.get("cy")) <= h
    # the region shrinks on the bigger map: Kerman and Islamabad get closer
    def spread(svg):
        r = parse(svg)
        xs = {
            a.find(SVG + "title").text.split(" ")[0]: float(a.find(SVG + "circle").get("cx"))
            for a in r.iter(SVG + "a")
        }
        return xs["Islamabad"] - xs["Kerman"]

    assert 0 < spread(far) < spread(near) / 2


def test_marker_across_the_antimeridian(boundaries):
    ms = [Marker(64.73, 177.51, "Anadyr", "a/"), Marker(61.22, -149.9, "Anchorage", "b/")]
    svg = overview_map(ms, boundaries, title="Bering")
    root = check_common(svg)
    # the short way round (about 32 degrees of longitude, not 328): the
    # scale stays large, so 3.5 degrees of latitude are well over 100 units
    ys = sorted(float(c.get("cy")) for c in circles(root))
    assert len(ys) == 2 and ys[1] - ys[0] > 100
    assert len(svg) < 60_000


def test_ids_are_prefixed_and_distinct_per_map(boundaries):
    a = overview_map([marker("Quetta")], boundaries, title="Map One")
    b = overview_map([marker("Quetta")], boundaries, title="Map Two")
    c = overview_map([marker("Quetta")], boundaries, title="Map One", id_prefix="second")
    ida = {el.get("id") for el in parse(a).iter() if el.get("id")}
    idb = {el.get("id") for el in parse(b).iter() if el.get("id")}
    idc = {el.get("id") for el in parse(c).iter() if el.get("id")}
    assert ida and not ida & idb and not ida & idc
    assert all(i.startswith("second") for i in idc)


def test_responsive_attributes(boundaries):
    root = parse(locator_map(marker("Quetta"), boundaries, title="t"))
    assert root.get("viewBox") == "0 0 320 220"
    assert "map" in root.get("class").split()


def test_boundaries_path_argument(boundaries):
    # a Path to the static folder works in place of loaded boundaries
    a = locator_map(marker("Quetta"), STATIC, title="t")
    b = locator_map(marker("Quetta"), boundaries, title="t")
    assert a == b


def test_empty_overview_is_a_world_map(boundaries):
    svg = overview_map([], boundaries, title="Nothing yet")
    root = check_common(svg)
    assert root.get("role") == "img"


def test_current_event_is_labelled_even_in_a_crowd(boundaries):
    crowd = [marker(n, n=i) for i, n in enumerate(("Quetta", "Mach", "Sibi", "Harnai", "Nushki", "Kharan"))]
    here = Marker(29.80, 66.85, "Mastung bombing (this event)", None, True, place="Mastung")
    root = check_common(locator_map(here, boundaries, title="Where: Mastung", others=crowd))
    labels = [t for t in root.iter(SVG + "text") if "map-label" in t.get("class", "").split()]
    assert [t.text for t in labels] == ["Mastung"] and "is-current" in labels[0].get("class")
    # labels never take clicks away from the markers under them
    group = [g for g in root.iter(SVG + "g") if g.get("class") == "map-labels"][0]
    assert group.get("pointer-events") == "none" and group.get("aria-hidden") == "true"


def test_the_tiles_drawn_ahead_are_what_drawing_gives():
    """templates/static/map/tiles-0-4.json.gz is current: made from these boundaries with this
    code (`python -m dateline.graphics.tiles` makes it again)."""
    from dateline.graphics import tiles
    b = load_boundaries(default_boundaries_path())
    ahead = tiles.shipped(b)
    assert ahead is not None, "no tiles drawn ahead, or drawn from other boundaries: run python -m dateline.graphics.tiles"
    sample = [tiles.Tile(z, x, y) for z in range(3) for x in range(1 << z) for y in range(1 << z)]
    sample += [tiles.Tile(4, x, y) for x, y in ((10, 6), (11, 6), (12, 7), (4, 8), (0, 0), (15, 15))]
    for tile in sample:
        assert tiles.paths(b, tile) == tiles.drawn(b, tile), tile
    assert len(ahead) > 100 and all(key.count("/") == 2 for key in ahead)
