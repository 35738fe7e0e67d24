"""Drawings made at build time, as SVG: maps, the chain of cause and response, the toll chart,
the time axis.
Standard library only, no network, no JavaScript.

    topology.py     the boundaries (Natural Earth, derived; templates/static/map/) and a grid
                    index of where each arc and polygon lies
    projection.py   Web Mercator, views (a zoom and a corner), simplification
    clip.py         rings and lines clipped to a box
    svg.py          numbers, path data, escaping, id prefixes
    labels.py       label boxes, greedy placement
    tiles.py        land, coasts and borders, drawn once per tile and shared by every map
    clusters.py     which spots a map draws and which it counts: the map page, zoom pages and
                    locator maps (clusters.Atlas)
    maps.py         the maps' markup
    chain.py        the chain of cause and response and the toll chart
    axis.py         the time axis of the home and year pages (laid out, then drawn)

How a map is drawn
------------------
* A map is a View: a Web Mercator zoom (fractional ones too) and a corner, for a width and
  height (a locator map 320 by 220 at zoom 5, centred on its event; the map page fits every
  spot; a zoom page fits its cell).
* Its land is the tiles it shows (``maps/tiles/<z>/<x>/<y>.svg``, one file each in the site),
  placed as ``<image>``s: a tile is drawn once for every map on the site that shows it, and
  the browser fetches it once. Past tiles.MAX_ZOOM a map scales up the deepest tiles.
* In a tile, arcs are projected and simplified once per zoom (Douglas-Peucker in tile units,
  rounded to 0.1), and land rings and lines are built from the same simplified arcs, so land,
  coast and borders meet exactly; rings are clipped to the tile and its margin
  (Sutherland-Hodgman), lines as polylines.
* A map draws at most a bounded number of markers, whatever the number of events it covers:
  the rest are counts (clusters.py), each a link to a zoom page.

Markup
------
No ``style`` attribute and no script anywhere on a page (a Content-Security-Policy can forbid
both). Colours and strokes come from CSS classes the theme styles:

    svg.map (+ map-overview | map-zoom | map-locator)   the map
    rect.map-sea                             the background (water)
    image                                    a tile: land, coast, borders (it styles itself)
    path.map-outside                         on a zoom page, what lies outside its cell (dimmed)
    text.map-country-label                   faint country names
    a.map-marker-link                        a linked marker (focusable)
    circle.map-marker                        a marker
    circle.map-marker.is-current             the current event (emphasis)
    a.map-cluster-link                       a count of spots, linking to a zoom page
    circle.map-cluster, text.map-cluster-count   its disc and number
    g.map-labels                             the marker labels (pointer-events none)
    text.map-label (+ is-current)            a marker's visible label

Label size and anchoring are given as presentation attributes (``font-size`` on the label
groups, ``text-anchor``) because the label placement depends on them, labels carry
``pointer-events="none"`` so markers under them stay clickable, and the dimming path carries
``fill-rule``; these are not inline styles (a CSP allows them) and any CSS rule overrides them.
A tile is an image, which cannot see the page's CSS: it carries its own ``<style>`` with the
theme's land, sea and border colours (light, and dark under prefers-color-scheme), taken from
the theme's stylesheet, and loads nothing.

Accessibility: an SVG with at least one link is ``role="group"`` named by its ``<title>``; each
linked marker or count is an ``<a href>`` (keyboard focusable) whose first child is a
``<title>`` holding its label, its accessible name. A map without links is ``role="img"``,
named by its ``<title>`` and described by a ``<desc>`` listing what is marked. Tiles, lines and
visible text labels are ``aria-hidden`` (the names are already on the markers). The map page
and zoom pages list every marker and count below the map, so every event is reached without
the map.

IDs: every ID starts with ``id_prefix`` (default: ``map-`` + a slug of the title), so output
is deterministic; give distinct prefixes (or titles) to maps that share a page.
"""
