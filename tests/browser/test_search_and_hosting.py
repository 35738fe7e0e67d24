"""Search in the browser (Pagefind, under the site's Content-Security-Policy), the same site
published under a subpath with every link followed, and `serve` reloading an open tab."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import DEFAULT_VIEWPORT, LOCAL_HOST, REPO_ROOT, Monitor, QuietServer, StaticHandler

MASTUNG = "/events/coordinated-attacks-2026-mastung/"


# -- search ---------------------------------------------------------------------------------------

def test_the_search_box_finds_mastung(page, goto):
    goto(page, "/")
    box = page.get_by_role("searchbox", name="Search the timeline")
    expect(box).to_be_visible()
    box.fill("Mastung")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Mastung$"))
    results = page.locator("#search-results li")
    expect(results.first).to_be_visible()
    expect(page.locator("#search-status")).to_contain_text("for “Mastung”")
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results h2 a").all()]
    assert MASTUNG in hrefs, hrefs
    expect(page.locator("#search-results mark").first).to_have_text(re.compile("Mastung", re.I))
    page.locator(f'#search-results a[href="{MASTUNG}"]').click()
    page.wait_for_url(re.compile(re.escape(MASTUNG) + "$"))
    page.monitor.assert_clean("search for Mastung")


def test_search_results_filter_by_year_actor_and_tag(page, goto):
    goto(page, "/search/?q=Mastung")
    status = page.locator("#search-status")
    expect(status).to_contain_text("for “Mastung”")
    form = page.locator("#search-form")
    form.get_by_label("Year").select_option("2024")
    expect(status).to_have_text(re.compile(r"^0 results"))
    assert "year=2024" in page.url
    form.get_by_label("Year").select_option("2026")
    expect(page.locator(f'#search-results a[href="{MASTUNG}"]')).to_be_visible()
    # a filter alone, without words, lists every event that has it
    form.get_by_label("Words").fill("")
    form.get_by_label("Year").select_option("")
    form.get_by_label("Tag").select_option("prison attack")
    expect(status).to_have_text(re.compile(r"^\d+ results?\.$"))
    hrefs = {a.get_attribute("href") for a in page.locator("#search-results h2 a").all()}
    assert MASTUNG in hrefs, hrefs
    form.get_by_label("Actor").select_option("Pakistan")
    expect(status).to_have_text(re.compile(r"^0 results"))
    page.monitor.assert_clean("search filters")


def test_search_state_comes_back_from_the_url(page, goto):
    goto(page, "/search/?q=Quetta&year=2026")
    expect(page.locator("#search-form").get_by_label("Words")).to_have_value("Quetta")
    expect(page.locator("#search-form").get_by_label("Year")).to_have_value("2026")
    expect(page.locator("#search-results li").first).to_be_visible()


def test_without_javascript_the_search_box_is_hidden_and_nothing_breaks(new_page, goto):
    page = new_page(java_script_enabled=False)
    goto(page, "/")
    expect(page.locator("form.site-search")).to_be_hidden()
    expect(page.locator("article.event").first).to_be_visible()
    goto(page, "/search/")
    expect(page.locator("#search-form")).to_be_hidden()
    expect(page.locator(".no-js-note")).to_be_visible()
    page.monitor.assert_clean("search page without JavaScript")


# -- the index in shards answers as one index -------------------------------------------------------

SHARD_SITES = ("sharded", "one-shard", "pagefind-alone")

# every result, with its score and URL, and the filter counts, straight from Pagefind's API
SEARCH_JS = """async ([bundle, query, filters]) => {
  const pagefind = await import(bundle + "pagefind.js");
  const search = await pagefind.search(query, { filters });
  const results = [];
  for (const result of search.results) results.push([(await result.data()).url, result.score]);
  return { results, filters: search.filters, totalFilters: search.totalFilters,
           unfiltered: search.unfilteredResultCount };
}"""


@pytest.fixture(scope="module")
def shard_sites(tmp_path_factory):
    """A synthetic timeline of 300 events (bench/corpus.py, the benchmark's generator) rendered
    once and written three times, each with another search index: in 16 shards (at most 20 pages
    a shard), in one shard, and Pagefind's own index of all the pages in one run (the path before
    shards, without dateline's merge). Served at /<name>/ on localhost: (base URL, corpus events)."""
    import dataclasses
    import importlib.util

    from dateline import pipeline
    from dateline.config import load_config
    from dateline.outputs import search

    spec = importlib.util.spec_from_file_location("bench_corpus", REPO_ROOT / "bench" / "corpus.py")
    corpus = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(corpus)
    root = tmp_path_factory.mktemp("shards")
    events = corpus.generate(300, seed=5)
    corpus.write(events, root / "corpus")
    config = dataclasses.replace(load_config(root / "corpus" / "dateline"), title="Shards")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "search_index", lambda *args, **kwargs: {})   # made below, three ways
        rendered = pipeline.render(config)
    assert not rendered.errors, rendered.errors[:5]
    pages = {path: data for path, data in rendered.files.items() if search.indexes(path, data)}
    indexes = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_SHARD", 20)
        assert search.shard_count(len(pages)) == 16
        indexes["sharded"] = search.search_index(config, pages)
        patch.setattr(search, "PAGES_PER_SHARD", 10_000)
        indexes["one-shard"] = search.search_index(config, pages)
    indexes["pagefind-alone"] = {f"pagefind/{name}": data for name, data in search._index(config, pages).items()}
    assert indexes["sharded"] == indexes["one-shard"]            # the same bytes, shards or not
    for name, index in indexes.items():
        for path, data in {**rendered.files, **index}.items():
            target = root / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    httpd = QuietServer((LOCAL_HOST, 0), functools.partial(StaticHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}/", events
    httpd.shutdown()
    httpd.server_close()


def _searches(events) -> list[tuple[str | None, dict]]:
    """Words and filters an editor would try on the corpus: common and rare words, two words, a
    place, filters alone and with words."""
    from collections import Counter

    tags = Counter(tag for e in events for tag in e.tags).most_common()
    actors = Counter(actor for e in events for actor in e.actors).most_common()
    years = Counter(str(e.date.year) for e in events).most_common()
    place = Counter(e.place[0] for e in events if e.place).most_common(3)[-1][0]
    return [("attack", {}), ("court", {}), ("suicide bombing", {}), (place, {}), ("ceasefire talks", {}),
            ("attack", {"year": years[0][0]}), ("police", {"tag": tags[0][0]}),
            (None, {"year": years[1][0]}), (None, {"tag": tags[2][0]}),
            (None, {"actor": actors[0][0], "year": years[0][0]}), ("zzzqx", {})]


def test_an_index_in_shards_answers_as_one_index(browser, shard_sites):
    """Every result in the same order with the same score, and the same filter counts, from the
    index merged from 16 shards as from one shard (the same bytes) and as from Pagefind's own
    index of all the pages in one run; there, pages with equal scores may come in another order
    (Pagefind lists them in the order it numbered the pages, dateline by a hash of their path)."""
    base, events = shard_sites
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    try:
        page = context.new_page()
        answers: dict[str, list] = {name: [] for name in SHARD_SITES}
        for name in SHARD_SITES:
            page.goto(f"{base}{name}/search/", wait_until="networkidle")
            for query, filters in _searches(events):
                answer = page.evaluate(SEARCH_JS, [f"/{name}/pagefind/", query, filters])
                answer["results"] = [[url.removeprefix(f"/{name}"), score] for url, score in answer["results"]]
                answers[name].append(answer)
        searched = 0
        for (query, filters), sharded, one, alone in zip(_searches(events), *answers.values()):
            what = f"{query!r} {filters}"
            assert sharded == one, what
            assert sharded["filters"] == alone["filters"] and sharded["totalFilters"] == alone["totalFilters"], what
            assert sharded["unfiltered"] == alone["unfiltered"], what
            assert sorted(sharded["results"], key=lambda r: (-r[1], r[0])) == \
                sorted(alone["results"], key=lambda r: (-r[1], r[0])), what
            scores = [score for _, score in sharded["results"]]
            assert scores == [score for _, score in alone["results"]], what            # ranked alike
            tied = {score for score in scores if scores.count(score) > 1}
            assert [r for r in sharded["results"] if r[1] not in tied] == \
                [r for r in alone["results"] if r[1] not in tied], what              # in the same order
            searched += bool(sharded["results"])
        assert searched >= 9, "too few searches found anything to compare"
        words = answers["sharded"][0]["results"]
        assert len(words) > 40 and len({score for _, score in words}) > 20, "the corpus is too small to rank"
    finally:
        context.close()


def test_the_search_page_over_shards_lists_and_filters_as_one_index(browser, shard_sites):
    """The search page itself (dateline.js, under the site's Content-Security-Policy, at a
    subpath) shows the same results in the same order from the sharded index as from one shard,
    filters by tag, actor and year alike, and makes no request that fails or leaves the site."""
    base, events = shard_sites
    searches = [("attack", {}), ("court", {}), ("attack", {"year": str(events[0].date.year)}),
                (None, {"tag": events[1].tags[0]}), (None, {"actor": events[2].actors[0]})]
    shown: dict[str, list] = {}
    for name in ("sharded", "one-shard"):
        context = browser.new_context(viewport=DEFAULT_VIEWPORT)
        try:
            page = context.new_page()
            page.monitor = Monitor(page, base.rstrip("/"))
            context.route("**/*", page.monitor.route)
            shown[name] = []
            for query, filters in searches:
                params = {"q": query, **filters} if query else dict(filters)
                page.goto(f"{base}{name}/search/?" + urllib.parse.urlencode(params), wait_until="networkidle")
                status = page.locator("#search-status")
                expect(status).to_have_text(re.compile(r"^\d+ results?"))
                hrefs = [a.get_attribute("href") for a in page.locator("#search-results h2 a").all()]
                assert hrefs and all(h.startswith(f"/{name}/events/") for h in hrefs), hrefs
                shown[name].append((status.text_content(), [h.removeprefix(f"/{name}") for h in hrefs]))
            page.monitor.assert_clean(f"search pages of {name}")
        finally:
            context.close()
    assert shown["sharded"] == shown["one-shard"]


# -- the site under a subpath -----------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)
            if name == "content" and value and "url=" in value:     # meta refresh
                self.urls.append(value.split("url=", 1)[1])


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory):
    """The bundled site built for https://example.org/sub/ and served at /sub/ on localhost."""
    root = tmp_path_factory.mktemp("host")
    out = root / "sub"
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "build.py"), "build", "--out", str(out),
                           "--base-url", "https://example.org/sub/"], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    httpd = QuietServer((LOCAL_HOST, 0), functools.partial(StaticHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}/sub/", out
    httpd.shutdown()
    httpd.server_close()


def test_the_subpath_site_has_no_broken_link(subpath_site):
    """Every page reachable from /sub/, every link and asset in it: same-origin, under /sub/, 200."""
    base, _out = subpath_site
    origin = base[: base.index("/sub/")]
    seen, queue, broken, pages = set(), [base], [], 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read()
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            broken.append(f"{url}: HTTP {exc.code}")
            continue
        if "text/html" not in kind:
            continue
        pages += 1
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.urls:
            target = urljoin(url, link).split("#")[0]
            if not target.startswith(origin):
                continue                                # sources on other sites are not ours to check
            if not urlsplit(target).path.startswith("/sub/"):
                broken.append(f"{url}: links outside the subpath: {link}")
                continue
            if target not in seen:
                queue.append(target)
    assert pages > 50, f"only {pages} pages reached from {base}"
    assert not broken, f"{len(broken)} broken link(s):\n  " + "\n  ".join(sorted(broken)[:40])


def test_the_subpath_site_searches_and_serves_its_feeds(browser, subpath_site):
    base, _out = subpath_site
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    try:
        page = context.new_page()
        page.monitor = Monitor(page, base.rstrip("/").rsplit("/sub", 1)[0])
        context.route("**/*", page.monitor.route)
        page.goto(base, wait_until="networkidle")
        box = page.get_by_role("searchbox", name="Search the timeline")
        box.fill("Mastung")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/sub/search/\?q=Mastung$"))
        link = page.locator(f'#search-results a[href="/sub{MASTUNG}"]')
        expect(link).to_be_visible()
        link.click()
        page.wait_for_url(re.compile(re.escape("/sub" + MASTUNG) + "$"))
        page.monitor.assert_clean("search under /sub/")
        for name, check in (("feed.xml", lambda b: b"<feed" in b), ("feed.json", lambda b: json.loads(b)["items"])):
            response = page.request.get(base + name)
            assert response.ok, f"{name}: HTTP {response.status}"
            assert check(response.body()), name
        feeds = page.locator('link[rel="alternate"]')
        hrefs = [urljoin(page.url, h) for h in (feeds.nth(i).get_attribute("href") for i in range(feeds.count()))]
        assert base + "feed.xml" in hrefs and base + "feed.json" in hrefs, hrefs
    finally:
        context.close()


# -- serve: the open tab reloads itself ------------------------------------------------------------

def test_serve_reloads_the_open_tab_and_shows_errors_in_it(browser, tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[tool.dateline]\ntitle = "Reload test"\n')
    entry = content / "levee.md"
    good = ("---\ntitle: Levee breaks\ndate: 2024-01-03\nplace: {name: Riverton, lat: 46.2, lon: 7.4, "
            "precision: town}\n---\nThe levee breaks.\n")
    entry.write_text(good)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, str(REPO_ROOT / "build.py"), "serve", "--port", "0"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url, printed, deadline = None, [], time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            printed.append(line)
            match = re.search(r"Serving (http://\S+)", line)
            url = match.group(1) if match else None
        assert url, "serve did not start:\n" + "".join(printed)
        page = browser.new_page()
        page.goto(url + "events/levee/", wait_until="networkidle")
        expect(page.locator("h1")).to_have_text("Levee breaks")
        entry.write_text(good.replace("title: Levee breaks", "title: Levee gives way"))
        expect(page.locator("h1")).to_have_text("Levee gives way", timeout=60_000)
        entry.write_text(good.replace("date: 2024-01-03", "date: 2024-13-03"))
        expect(page.locator("h1")).to_have_text("The site could not be built", timeout=60_000)
        expect(page.locator("ol.errors li")).to_contain_text("content/levee.md:3:")
        entry.write_text(good)
        expect(page.locator("h1")).to_have_text("Levee breaks", timeout=60_000)
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_slash_jumps_to_the_search_box(page, goto):
    goto(page, "/")
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search the timeline")).to_be_focused()
    page.keyboard.type("Gwadar")
    page.keyboard.press("Enter")
    expect(page.locator('#search-results a[href="/events/coordinated-attacks-2026-gwadar/"]')).to_be_visible()
