"""The build as one flow: load -> parse -> link -> render -> write. Each stage returns values
and errors; nothing is written unless every stage before it succeeded."""

from __future__ import annotations

import gc
import os
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path, PurePosixPath

import jinja2

from .cache import BuildCache, content_fingerprint, digest, file_digest, file_digests, files_under
from .config import Config
from .errors import ContentError, error
from .link import link
from .load import PAGES_DIR, decode, discover, load_eras, load_text, read_bytes
from .markdown import MarkdownRenderer
from .model import Event, Page, Timeline
from .parallel import ordered_map
from .parse import normalise_slug, parse_eras, parse_event, parse_page, share_paths
from .progress import Progress
from .outputs import maps
from .render import THEME, Renderer, map_data, render_site, stream_site
from .sanitize import Sanitizer
from .write import Staging, WriteStats, write_site


@dataclass
class BuildResult:
    timeline: Timeline | None
    errors: list[ContentError]
    files: dict[str, bytes]
    stats: WriteStats | None = None
    seconds: float = 0.0
    # a build that found its inputs and the written site as the last build left them: nothing
    # was rendered or written (timeline is None, files empty); the counts come from the cache
    unchanged: bool = False
    events: int = 0
    pages: int = 0
    file_count: int = 0
    model: "Model | None" = None


class Parsed(NamedTuple):
    """One content file as read and parsed: the cache's key for its text (None if it could not
    be read), the Event or Page (None if it has errors that stop it), and the errors. The text
    itself is not kept: the item holds what is needed of it."""
    rel: str                          # path relative to the content folder
    key: str | None
    item: Event | Page | None
    errors: list[ContentError]
    raw: bytes | None = None          # the digest of the bytes read (cache.file_digest)


@dataclass
class Model:
    """What a build knew before its pages were rendered, kept by `serve` (live.py) so that an
    edit re-renders only what it changed."""
    found: list[tuple[Path, str]]     # the content files and their kinds
    parsed: list[Parsed]              # in the same order
    timeline: Timeline
    bodies: dict[str, str]            # content path -> sanitized HTML
    markdown: MarkdownRenderer
    renderer: Renderer


def _load_one(job: tuple) -> Parsed:
    """One content file: read (unless its bytes are given), load and parse."""
    path, kind, content, data, folders = job
    rel = path.relative_to(content).as_posix()
    errors: list[ContentError] = []
    if data is None:
        data, errors = read_bytes(path, rel, content, folders)
    if data is None:
        return Parsed(rel, None, None, errors)
    raw = file_digest(data)
    text, errors = decode(data, rel)
    if text is None:
        return Parsed(rel, None, None, errors, raw)
    key = digest(kind, rel, text)
    entry, errors = load_text(rel, kind, text)
    if entry is None:
        return Parsed(rel, key, None, errors, raw)
    item, errors = (parse_event if kind == "event" else parse_page)(entry)
    return Parsed(rel, key, item, errors, raw)


def load_timeline(content: Path, cache: BuildCache | None = None,
                  progress: Progress | None = None) -> tuple[Timeline | None, list[ContentError]]:
    """Load, parse and link the content folder: the model, or every error found. Entries whose
    text is in `cache` are not parsed again; the others are parsed on every core."""
    _, _, timeline, errors = _read_content(Path(content), cache, progress)
    return timeline, errors


def _read_content(content: Path, cache: BuildCache | None, progress: Progress | None,
                  ) -> tuple[list[tuple[Path, str]], list[Parsed], Timeline | None, list[ContentError]]:
    """The content files found, each parsed, and the timeline they make or every error."""
    if not content.is_dir():
        return [], [], None, [error(str(content), 1, "content folder not found")]
    found = discover(content)
    parsed = parse_files(content, found, cache, progress)
    return (found, parsed, *assemble(content, found, parsed))


def parse_one(content: Path, path: Path, kind: str) -> Parsed:
    """One content file read and parsed again (`serve`, after an edit)."""
    return _load_one((path, kind, content, None, {}))


def parse_files(content: Path, found: list[tuple[Path, str]], cache: BuildCache | None = None,
                progress: Progress | None = None) -> list[Parsed]:
    """Each of the `found` files read and parsed, in order."""
    parsed: dict[int, Parsed] = {}
    todo: list[tuple] = []
    folders: dict[Path, Path] = {}
    # An empty cache (a first or clean build) can hold none of them: the workers read the files
    lookup = cache is not None and bool(cache.entries)
    for index, (path, kind) in enumerate(found):
        data = None
        if lookup:
            rel = path.relative_to(content).as_posix()
            data, _ = read_bytes(path, rel, content, folders)
            text = decode(data, rel)[0] if data is not None else None
            key = digest(kind, rel, text) if text is not None else None
            hit = cache.entry(key) if key is not None else None
            if hit is not None:
                parsed[index] = Parsed(rel, key, hit, [], file_digest(data))
                continue
        todo.append((index, (path, kind, content, data, folders)))
    if progress:
        progress.stage("Parsing", len(todo))
    for (index, _), result in zip(todo, ordered_map(_load_one, [job for _, job in todo],
                                                          advance=progress and progress.advance)):
        if result.item is not None:
            share_paths(result.item.lines)       # unpickled from a worker: copies of them
        parsed[index] = result
        if cache is not None and result.item is not None and not result.errors:
            cache.keep_entry(result.key, result.item)
    return [parsed[index] for index in range(len(found))]


def assemble(content: Path, found: list[tuple[Path, str]], parsed: list[Parsed],
             ) -> tuple[Timeline | None, list[ContentError]]:
    """The parsed files (and the eras file) linked into the timeline, or every error found."""
    errors: list[ContentError] = []
    events, pages, broken = [], [], set()
    for (path, kind), (rel, _, item, problems, _) in zip(found, parsed):
        errors += problems
        if item is None:
            # links to an entry that failed, even one that could not be read at all, are not
            # reported again as "no such event": its own errors say what is wrong
            broken.add(normalise_slug(PurePosixPath(rel).stem))
        elif kind == "event":
            events.append(item)
        else:
            pages.append(item)
    raw_eras, problems = load_eras(content)
    errors += problems
    eras, problems = parse_eras(raw_eras)
    errors += problems
    timeline, problems = link(events, pages, eras, broken)
    errors += problems
    if errors:
        return None, sorted(set(errors))
    return timeline, []


def page_urls(timeline: Timeline) -> dict[str, str]:
    """Content path -> the address of its page: what links between bodies resolve to."""
    urls = {e.path: f"/events/{e.slug}/" for e in timeline.events}
    urls.update({p.path: f"/{p.slug}/" for p in timeline.pages})
    return urls


def _renderer(timeline: Timeline, iframes_from: tuple[str, ...] = ()) -> MarkdownRenderer:
    return MarkdownRenderer(page_urls(timeline), timeline.drafts, Sanitizer(iframes_from))


def render_bodies(timeline: Timeline, cache: BuildCache | None = None, progress: Progress | None = None,
                  iframes_from: tuple[str, ...] = ()) -> tuple[dict[str, str], MarkdownRenderer, list[ContentError]]:
    """Every body as HTML, sanitized: from `cache` when its text and link targets are unchanged
    (the cache is salted with the configuration, allowed iframes included), the others on every core."""
    renderer = _renderer(timeline, iframes_from)
    items = [*timeline.events, *timeline.pages]
    bodies: dict[str, str] = {}
    todo = []
    for item in items:
        html = cache.body(digest(item.path, item.body), renderer.urls_by_file) if cache is not None else None
        if html is None:
            todo.append(item)
        else:
            bodies[item.path] = html

    def convert(item) -> tuple[str, list[ContentError], dict[str, str]]:
        html, problems = renderer.render(item.path, item.body, item.body_line)
        return html, problems, renderer.links

    if progress:
        progress.stage("Rendering Markdown", len(todo))
    errors: list[ContentError] = []
    for item, (html, problems, links) in zip(todo, ordered_map(convert, todo,
                                                                    advance=progress and progress.advance)):
        bodies[item.path] = html
        errors += problems
        if cache is not None and not problems:
            cache.keep_body(digest(item.path, item.body), html, sorted(links.items()))
    return {item.path: bodies[item.path] for item in items}, renderer, errors


def render(config: Config, cache: BuildCache | None = None, progress: Progress | None = None,
           staging: Staging | None = None) -> BuildResult:
    """Everything but the write: the site as {path: bytes}, or the errors. With `staging`, each
    file is written there as soon as it is rendered instead (files stays empty; stats counts
    them): a build that only writes has no use for the whole site in memory."""
    started = time.perf_counter()
    found, parsed, timeline, errors = _read_content(Path(config.content), cache, progress)
    if timeline is None:
        return BuildResult(None, errors, {}, seconds=time.perf_counter() - started)
    bodies, markdown, errors = render_bodies(timeline, cache, progress, config.allow_iframes_from)
    if errors:
        return BuildResult(timeline, sorted(errors), {}, seconds=time.perf_counter() - started)
    boundaries = maps.load_boundaries(map_data(config))
    if cache is not None:
        boundaries.drawn.update(cache.maps)
    files: dict[str, bytes] = {}
    stats = None
    try:
        renderer = Renderer(config, timeline, bodies, markdown.inline)
        if staging is None:
            files = render_site(config, renderer, progress)
        else:
            # the cache's store is written beside the pages, by whichever process is free
            also = [cache.stage_store(boundaries.drawn)] if cache is not None else []
            stats = WriteStats(*stream_site(config, renderer, staging, progress, also))
    except jinja2.TemplateError as exc:   # the theme is input too: its errors are values
        return BuildResult(timeline, [template_error(exc)], {}, seconds=time.perf_counter() - started)
    if cache is not None:
        cache.maps = dict(boundaries.drawn)
    count = len(files) if stats is None else stats.written + stats.unchanged
    return BuildResult(timeline, [], files, stats, seconds=time.perf_counter() - started,
                       events=len(timeline.events), pages=len(timeline.pages), file_count=count,
                       model=Model(found, parsed, timeline, bodies, markdown, renderer))


def _maybe_entry(rel: str) -> bool:
    """Whether content file `rel` may be an entry (the build reads it, and its digest comes with
    it); the others are all read before the build starts."""
    folder, _, name = rel.rpartition("/")
    return name.endswith(".md") and folder in ("", PAGES_DIR)


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


@contextmanager
def _no_full_collections():
    """The garbage collector's young generations only, while a build runs. What a build keeps
    (the model: about a hundred objects per entry) lives until it ends, and holds no garbage
    cycles; yet each time it had grown by a quarter, a full collection walked all of it (at
    10,000 events: 1.1 s in seven collections, each finding nothing)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def build(config: Config, write: bool = True, cache: bool = True, progress: Progress | None = None,
          render_always: bool = False) -> BuildResult:
    """Render and (unless `write` is false) write the site. With `cache`, reuse what the last
    build of this project left in .cache/dateline/ (see cache.py); the output is the same
    either way. A build whose inputs and output are as the last one left them stops early,
    unless `render_always` (serve wants the model in memory)."""
    started = time.perf_counter()
    store = BuildCache.open(config, THEME) if cache else None
    with _no_full_collections():
        try:
            return _build(config, write, store, progress, render_always, started)
        finally:
            if store is not None:
                store.discard()   # what a failed build staged for the cache


def _build(config: Config, write: bool, store: BuildCache | None, progress: Progress | None,
           render_always: bool, started: float) -> BuildResult:
    content, listing, known = None, None, {}
    if store is not None and write:
        if store.site is not None and not render_always:   # there is a last build to compare with
            content = content_fingerprint(config.content)
        else:   # no need to read every file first: the entries' digests come from the parse
            listing = files_under(config.content)
            # now, before the build reads any of them (what cannot be read is left to the end)
            known = file_digests([(rel, path) for rel, path in listing if not _maybe_entry(rel)])
    if content is not None:
        last = store.unchanged(content, config.output.absolute())
        if last is not None:
            return BuildResult(None, [], {}, WriteStats(0, last["files"]), time.perf_counter() - started,
                               unchanged=True, events=last["events"], pages=last["pages"],
                               file_count=last["files"])
    if write and not render_always:   # written as rendered, swapped in if all went well
        with Staging(config.output) as staging:
            result = render(config, store, progress, staging)
            if not result.errors:
                if progress:
                    progress.stage("Writing", 0)
                staging.commit()
    else:
        result = render(config, store, progress)
        if write and not result.errors:
            if progress:
                progress.stage("Writing", 0)
            result.stats = write_site(result.files, config.output)
    if store is not None and write and not result.errors:   # `check` writes nothing, cache included
        if content is None:
            known.update((p.rel, p.raw) for p in result.model.parsed if p.raw is not None)
            content = content_fingerprint(config.content, known, listing)
        store.record_site(content, config.output.absolute(),
                          {"events": result.events, "pages": result.pages,
                           "files": result.stats.written + result.stats.unchanged})
        store.save()
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["load_timeline", "parse_files", "parse_one", "assemble", "page_urls", "render", "build", "BuildResult",
           "Model", "Parsed", "Event"]
