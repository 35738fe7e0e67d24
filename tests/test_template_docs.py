"""docs/templates.md lists every variable the templates are given: each page kind's context
(pages.py) and what every page has (the Renderer's globals and filters), so the docs cannot
drift from the code."""

from __future__ import annotations

import re

import jinja2
import pytest

from dateline.config import load_config
from dateline.pages import CONTEXTS
from dateline.render import Renderer
from dateline.site import load
from helpers import REPO

DOCS = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
GOLDEN = REPO / "tests" / "golden"
# Kinds the golden site has no page of (too few events for a crowded map cell), each with the
# kind whose variables it shares (zoom_context and map_context are both Renderer.map_page).
ALIKE = {"zoom": "map"}


@pytest.fixture(scope="module")
def renderer():
    site, errors = load(load_config(GOLDEN))
    assert site is not None, errors
    return Renderer(site)


def _section(title: str) -> str:
    start = DOCS.index(f"## {title}\n")
    end = DOCS.find("\n## ", start + 1)
    return DOCS[start:end if end >= 0 else None]


def _row(template: str) -> str:
    rows = [line for line in _section("By template").splitlines() if line.startswith(f"| `{template}` |")]
    assert rows, f"docs/templates.md has no row for {template}"
    return rows[0]


def test_every_page_kind_is_in_the_golden_site(renderer):
    kinds = {route.kind for route in renderer.site.routes.values()}
    assert set(CONTEXTS) - set(ALIKE) <= kinds, set(CONTEXTS) - set(ALIKE) - kinds


@pytest.mark.parametrize("kind", sorted(CONTEXTS))
def test_every_context_variable_is_documented_with_its_template(renderer, kind):
    route = next(r for r in renderer.site.routes.values() if r.kind == ALIKE.get(kind, kind))
    template, context = CONTEXTS[kind][0](renderer, route)
    row = _row(template)
    everywhere = _section("Everywhere")
    for name in context:
        assert f"`{name}`" in row or f"`{name}`" in everywhere, f"{template}: `{name}` is not in docs/templates.md"


def test_every_global_and_filter_is_documented(renderer):
    everywhere = _section("Everywhere")
    builtin = jinja2.Environment()
    names = [n for n in renderer.env.globals if n not in builtin.globals]
    names += [n for n in renderer.env.filters if n not in builtin.filters]
    names += ["canonical", "page_path", "page_lang", "page_dir"]   # given to every page by Renderer.render
    for name in names:
        assert re.search(rf"`{re.escape(name)}[`(]", everywhere), f"`{name}` is not in docs/templates.md"
