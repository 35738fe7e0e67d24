"""Long lists cut into numbered pages (dateline/paging.py): every event of a list on exactly
one of its pages, rows never cut, pages linked both ways, the first page at the list's own
address, and every page within the page budget on a dense generated site."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from dateline.paging import Pager, page_url, split_events

from helpers import REPO, build_site

sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402  (bench/corpus.py: the benchmark's generated timelines)

BUDGET = 60_000          # bytes an HTML page may weigh, before compression (60 KB)


def event(slug, part_of=None):
    return SimpleNamespace(slug=slug, part_of=part_of)


def test_rows_are_never_cut_and_pages_hold_at_most_the_size():
    events = [event("a"), event("b"), event("b1", "b"), event("b2", "b"), event("c"), event("d"),
              event("e"), event("e1", "e")]
    children = {"b": ("b1", "b2"), "e": ("e1",)}
    assert split_events(events, children, 3) == [("a",), ("b", "b1", "b2"), ("c", "d"), ("e", "e1")]
    assert split_events(events, children, 100) == [tuple(e.slug for e in events)]
    # a row longer than a page is a page of its own, not cut
    assert split_events(events, children, 1) == [("a",), ("b", "b1", "b2"), ("c",), ("d",), ("e", "e1")]


def test_a_sub_event_whose_parent_is_not_in_the_list_is_a_row_of_its_own():
    events = [event("b1", "b"), event("c")]
    assert split_events(events, {"b": ("b1",)}, 1) == [("b1",), ("c",)]


def test_the_pager_names_the_first_the_last_and_the_pages_around():
    pager = Pager(7, 20, "/tags/x/", 500)
    numbers = [link[0] if link else None for link in pager.links()]
    assert numbers == [1, None, 5, 6, 7, 8, 9, None, 20]
    assert pager.previous == "/tags/x/page/6/" and pager.next == "/tags/x/page/8/"
    assert Pager(1, 1, "/", 3).links() == [(1, "/")] and Pager(1, 1, "/", 3).next is None
    assert page_url("/", 1) == "/" and page_url("/", 2) == "/page/2/"


# -- a built site ------------------------------------------------------------------------------

ARTICLE = re.compile(r'<article class="event[^"]*" id="e-[^"]*" data-slug="([^"]+)"')
REL = re.compile(r'<link rel="(prev|next)" href="([^"]+)">')


def page_file(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on `page` leads to."""
    target = (page.parent / href).resolve()
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


def walk(site: Path, first: Path) -> list[Path]:
    """A list's pages, from its first page along rel="next", checking rel="prev" on the way."""
    pages, previous = [first], None
    while True:
        html = pages[-1].read_text(encoding="utf-8")
        rels = dict(REL.findall(html))
        if previous is None:
            assert "prev" not in rels, f"{pages[-1]} is a first page but links back"
        else:
            assert page_file(site, pages[-1], rels["prev"]) == previous
        if "next" not in rels:
            return pages
        following = page_file(site, pages[-1], rels["next"])
        assert following.is_file(), f"{pages[-1]}: rel=next leads nowhere ({rels['next']})"
        assert following not in pages
        previous = pages[-1]
        pages.append(following)


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    """The bundled timeline with three events a page."""
    root = tmp_path_factory.mktemp("paged")
    content = (REPO / "content").resolve()
    result = build_site(root, {}, "build", "--no-search", "--no-cache", "--page-size", "3",
                        "--root", str(REPO), "--content", str(content), "--out", str(root / "site"))
    assert result.exit_code == 0, result
    return root / "site"


def test_every_list_reaches_each_of_its_events_exactly_once(paged):
    home_total = int(re.search(r"of the (\d+) events since", (paged / "index.html").read_text()).group(1))
    lists = [paged / "index.html", *sorted(paged.glob("tags/*/index.html")), *sorted(paged.glob("places/*/index.html")),
             *sorted(paged.glob("actors/*/index.html")), *sorted(paged.glob("2*/index.html")),
             *sorted(paged.glob("2*/[01]*/index.html"))]
    lists = [first for first in lists if first.parent.name != "page" and first.parent.parent.name != "page"]
    assert len(lists) > 20
    longest = 0
    for first in lists:
        pages = walk(paged, first)
        longest = max(longest, len(pages))
        slugs = [slug for page in pages for slug in ARTICLE.findall(page.read_text(encoding="utf-8"))]
        assert len(slugs) == len(set(slugs)), f"{first}: an event listed twice"
        stated = re.search(r'<p class="lede">(\d+) event', first.read_text(encoding="utf-8"))
        if first == paged / "index.html":
            assert len(slugs) == home_total
        elif stated:
            assert len(slugs) == int(stated.group(1)), first
        for page in pages[1:]:
            assert "/page/" in page.as_posix()
    assert longest >= 4


def test_paged_list_links_resolve_and_say_where_they_are(paged):
    second = paged / "page" / "2" / "index.html"
    html = second.read_text(encoding="utf-8")
    assert "(page 2 of" in html.split("</title>")[0]
    assert '<a href="./" aria-current="page">2</a>' in html
    nav = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert len(hrefs) >= 4
    for href in hrefs:
        assert page_file(paged, second, href).is_file(), href


def test_terms_indexes_page_too(tmp_path):
    files = {f"content/e{i}.md": "---\n" f"title: Event {i}\ndate: 2024-01-{i + 1:02d}\n"
             f"tags: [tag {i}]\n---\nBody.\n" for i in range(25)}
    result = build_site(tmp_path, files, "build", "--no-search", "--no-cache", "--page-size", "1")
    assert result.exit_code == 0, result
    pages = walk(result.out_dir, result.out_dir / "tags" / "index.html")
    assert len(pages) == 3                      # ten terms a page for one event a page
    names = [name for page in pages for name in re.findall(r'<li><a href="[^"]+" dir="auto">(tag \d+)</a>',
                                                            page.read_text(encoding="utf-8"))]
    assert sorted(names) == sorted(f"tag {i}" for i in range(25))


def test_page_size_must_be_positive(tmp_path):
    result = build_site(tmp_path, {}, "build", "--page-size", "0")
    assert result.exit_code != 0 and "page_size" in result.stderr


# -- a dense site: the page budget ---------------------------------------------------------------

@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    """1,200 events, each at a point of its own, most in one province, one in ten with a long tag
    list (bench/corpus.py --places distinct), built with the default settings."""
    root = tmp_path_factory.mktemp("dense")
    corpus.write(corpus.generate(1200, places="distinct"), root / "corpus")
    result = build_site(root, {}, "build", "--no-search", "--no-cache",
                        "--content", str(root / "corpus" / "dateline" / "content"), "--out", str(root / "site"))
    assert result.exit_code == 0, result
    return root / "site"


def test_every_page_of_a_dense_site_is_within_the_budget(dense):
    pages = list(dense.rglob("*.html"))
    assert len(pages) > 2400
    heavy = sorted(((p.stat().st_size, p.relative_to(dense).as_posix()) for p in pages), reverse=True)
    over = [(size, rel) for size, rel in heavy if size > BUDGET]
    assert not over, f"{len(over)} pages over {BUDGET} bytes, the heaviest: {over[:5]}"
    assert any("/page/" in rel for _, rel in heavy)
