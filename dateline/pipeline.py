"""The build as one flow:

    site   = load(config)                       site.py: discover, parse, link, route, Markdown
    keys   = {route: what it reads}             pages.py, render.Renderer.key
    todo   = routes whose keys changed          (all of them without a last build to compare)
    files  = render(todo)                       render.py: (path, bytes), no I/O
    write(files)                                write.py: the one writer
    search, sitemap                             from what was rendered, and recorded

Each stage returns values and errors; nothing is written unless every stage before it
succeeded. The build cache (cache.py) carries what the last build knew into the next process:
parsed entries, rendered Markdown, and each route's key."""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from collections.abc import Mapping
from typing import NamedTuple

import jinja2

from .cache import BuildCache, ContentState, file_digest
from .config import Config
from .errors import ContentError, error
from .graphics.topology import load_boundaries
from .outputs import search
from .parallel import ordered_map
from .outputs.sitemap import lastmod, listed, sitemap
from .progress import Progress
from .render import Renderer
from .routes import MADE_AFTER, Route, url_of
from .site import Site, load
from .theme import THEME, Theme
from .translations import untranslated
from .write import Patch, Staging, WriteStats, tidy


@dataclass
class BuildResult:
    site: Site | None
    errors: list[ContentError]
    files: dict[str, bytes]
    stats: WriteStats | None = None
    seconds: float = 0.0
    # a build that found its inputs and the written site as the last build left them: nothing
    # was rendered or written (site is None, files empty); the counts come from the cache
    unchanged: bool = False
    events: int = 0
    pages: int = 0
    file_count: int = 0
    rendered: int = 0                 # routes rendered (the rest were as the last build left them)
    routes: int = 0
    renderer: Renderer | None = None
    untranslated: dict[str, int] | None = None   # language -> entries not translated into it (several languages)

    @property
    def timeline(self):
        return self.site.timeline if self.site else None


class Sent(NamedTuple):
    """What the build keeps of a rendered file once it is written: its route's record."""
    key: str
    new: bool                  # not the same bytes as in the previous site
    listed: bool               # a page the sitemap lists
    indexed: bytes | None      # the digest of what Pagefind reads of it, if search indexes it


def template_error(exc: jinja2.TemplateError) -> ContentError:
    """`templates/page.html:12: template error: …`: Jinja gives the file and line of a syntax
    error; for an error while rendering, they are in the traceback Jinja rewrites to point at
    the template."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not (filename and line):
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    where = os.path.abspath(filename or "templates")
    hint = " (a template named there is missing)" if isinstance(exc, jinja2.TemplateNotFound) else ""
    return error(where, line or 1, f"template error: {exc.message or exc}{hint}")


def renderer_for(site: Site, cache: BuildCache | None = None) -> Renderer:
    return Renderer(site, load_boundaries(site.theme.map_data()), cache=cache)


def render(config: Config, cache: BuildCache | None = None, progress: Progress | None = None) -> BuildResult:
    """The whole site in memory, {path: bytes}, search index and sitemap included, or the
    errors (`check`, `serve`'s first build and the tests)."""
    started = time.perf_counter()
    site, errors = load(config, cache, progress)
    if site is None:
        return BuildResult(None, errors, {}, seconds=time.perf_counter() - started)
    renderer = renderer_for(site, cache)
    routes = [r for r in site.routes.values() if r.kind not in MADE_AFTER]
    try:
        files = renderer.render_all(routes, progress)
    except jinja2.TemplateError as exc:   # the theme is input too: its errors are values
        return BuildResult(site, [template_error(exc)], {}, seconds=time.perf_counter() - started)
    send = _sender(config, lambda path: "", lambda path, data: True)
    sent = {path: send(path, data) for path, data in files.items()}
    files.update(after_pages(config, {p: s for p, (s, _) in sent.items()},
                             {p: cut for p, (_, cut) in sent.items() if cut}, None, site.timeline.events))
    return _result(site, files, None, renderer, len(routes), started)


def _result(site: Site, files: dict, stats: WriteStats | None, renderer: Renderer, rendered: int,
            started: float) -> BuildResult:
    count = len(files) if stats is None else stats.written + stats.unchanged
    return BuildResult(site, [], files, stats, time.perf_counter() - started, events=len(site.timeline.events),
                       pages=len(site.timeline.pages), file_count=count, rendered=rendered,
                       routes=sum(r.kind not in MADE_AFTER for r in site.routes.values()), renderer=renderer,
                       untranslated=untranslated_counts(site))


def untranslated_counts(site: Site) -> dict[str, int] | None:
    """How many entries (events and pages) each language other than the default lacks."""
    config, t = site.config, site.timeline
    if len(config.codes) < 2:
        return None
    return {code: len(untranslated([*t.events, *t.pages], code)) for code in config.codes[1:]}


def build(config: Config, write: bool = True, cache: bool = True, progress: Progress | None = None) -> BuildResult:
    """Render and (unless `write` is false: `check`) write the site. With `cache`, reuse what
    the last build of this project left in .cache/dateline/ (see cache.py): only the routes
    whose reads changed are rendered, and only files whose bytes changed are written. The
    output is the same either way."""
    started = time.perf_counter()
    store = BuildCache.open(config, THEME) if cache else None
    try:
        if not write:
            if store is not None:
                store.writable = False
            return render(config, store, progress)
        return _build(config, store, progress, started)
    finally:
        if store is not None:
            store.discard()   # what a failed build staged for the cache


def _build(config: Config, store: BuildCache | None, progress: Progress | None, started: float) -> BuildResult:
    out = config.output.absolute()
    inputs = ContentState.read(config.content, store)
    last = store.as_left(out) if store is not None else None   # None unless the site is as it left it
    if last is not None and last.get("content") == inputs.fingerprint():
        tidy(out)
        return BuildResult(None, [], {}, WriteStats(0, last["files"]), time.perf_counter() - started,
                           unchanged=True, events=last["events"], pages=last["pages"],
                           file_count=last["files"], routes=len(last["routes"]),
                           untranslated=last.get("untranslated"))
    site, errors = load(config, store, progress, Theme(config, store.folder / "templates" if store else None),
                        unchanged=inputs.unchanged)
    if site is None:
        return BuildResult(None, errors, {}, seconds=time.perf_counter() - started)
    renderer = renderer_for(site, store)
    routes = [r for r in site.routes.values() if r.kind not in MADE_AFTER]
    try:
        if last is None:   # every route is rendered; each one's key is made where it is rendered
            todo = routes
            records, extras, stats, changed = _write_all(config, renderer, todo, store, progress)
        else:
            keys = dict(zip((route.path for route in routes), ordered_map(renderer.key, routes)))
            todo = [route for route in routes if last["routes"].get(route.path, (None,))[0] != keys[route.path]]
            records, extras, stats, changed = _write_changed(config, renderer, todo, keys, last, store, progress)
    except jinja2.TemplateError as exc:   # the theme is input too: its errors are values
        return BuildResult(site, [template_error(exc)], {}, seconds=time.perf_counter() - started)
    result = _result(site, {}, stats, renderer, len(todo), started)
    if store is not None:
        inputs.parsed(site.parsed)
        store.record_site(inputs.fingerprint(), out, {
            "events": result.events, "pages": result.pages, "files": result.file_count, "extras": extras,
            "untranslated": result.untranslated,
            "inputs": inputs.record(), "started": inputs.began,
            "routes": {path: tuple(sent) for path, sent in records.items()}}, changed)
        store.save()
        site.image_store.prune(renderer.stored(site.routes.values()))
    result.seconds = time.perf_counter() - started
    return result


def _sender(config: Config, key_of, put):
    """What the process that rendered a file does with it: write it (`put`, True if its bytes
    are new), and keep its route's record (`key_of(path)`: its key) and what search reads of it."""
    def send(path: str, data: bytes) -> tuple[Sent, bytes | None]:
        cut = search.what_pagefind_reads(data) if config.search and search.indexes(path, data) else None
        return Sent(key_of(path), put(path, data), listed(path, data), file_digest(cut) if cut else None), cut
    return send


def _write_all(config: Config, renderer: Renderer, routes: list[Route], store: BuildCache | None,
               progress: Progress | None) -> tuple[dict, list[str], WriteStats, None]:
    """A build without a last site to compare with: every route rendered and written into a
    new folder, swapped in at once. Each file is written, and its route's key made, by the
    process that rendered it."""
    with Staging(config.output) as staging:
        also = [store.stage_store()] if store is not None else []
        key_of = lambda path: renderer.key(renderer.site.routes[path])   # noqa: E731
        done = renderer.render_all(routes, progress, _sender(config, key_of, staging.put), also)
        records = {path: sent for path, (sent, _) in done.items()}
        cuts = {path: cut for path, (_, cut) in done.items() if cut}
        more = after_pages(config, records, cuts, store, renderer.site.timeline.events)
        written = sum(s.new for s in records.values()) + staging.put_all(more)
        if progress:
            progress.stage("Writing", 0)
        staging.commit()
    return records, sorted(more), WriteStats(written, len(records) + len(more) - written), None


def _write_changed(config: Config, renderer: Renderer, routes: list[Route], keys: dict, last: dict,
                   store: BuildCache | None, progress: Progress | None) -> tuple[dict, list[str], WriteStats, list[str]]:
    """A build after an edit: the routes whose keys changed are rendered, files whose bytes
    changed are written in place (write.Patch: all at once, or not at all), and the files of
    routes that are gone are removed."""
    out = config.output.absolute()
    records = {path: Sent(*record) for path, record in last["routes"].items() if path in keys}
    with Patch(out) as patch:
        done = renderer.render_all(routes, progress, _sender(config, keys.__getitem__, patch.put))
        records.update((path, sent) for path, (sent, _) in done.items())
        cuts = search.CutPages(lambda path: (out / path).read_bytes(),
                               {path: cut for path, (_, cut) in done.items() if cut})
        more = after_pages(config, records, cuts, store, renderer.site.timeline.events)
        written = sum(sent.new for sent, _ in done.values()) + sum(patch.put(p, more[p]) for p in sorted(more))
        gone = [path for path in [*last["routes"], *last["extras"]] if path not in keys and path not in more]
        if progress:
            progress.stage("Writing", 0)
        patch.commit(gone)
    return records, sorted(more), WriteStats(written, len(records) + len(more) - written), patch.changed


def after_pages(config: Config, records: dict[str, Sent], cuts: Mapping[str, bytes],
                store: BuildCache | None, events=()) -> dict[str, bytes]:
    """What is made of the rendered pages: the search index (`cuts`: what it reads of each
    page, fetched only where the index must be made again) and the sitemap (`events`: the
    timeline's, for their pages' lastmod)."""
    files: dict[str, bytes] = {}
    if config.search:
        digests = {path: sent.indexed for path, sent in records.items() if sent.indexed}
        files.update(search.search_index(config, cuts, cut=True, digests=digests,
                                         store=store.folder / "search" if store is not None else None))
    files.update(sitemap(config, [url_of(path) for path, sent in records.items() if sent.listed], lastmod(events)))
    return files


__all__ = ["render", "build", "BuildResult", "template_error", "after_pages"]
