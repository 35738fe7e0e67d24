"""The site `serve` keeps in memory between edits: the same build as `build.py build`, with the
last Site, its route keys and the build cache kept in memory instead of on disk.

After a save of content files:

1. the content folder is listed again and the saved files parsed (the others are as they were);
2. the site is assembled again (site.assemble: link, routes, Markdown from the cache);
3. the saved entries' own pages are rendered and written at once: the page the editor is
   looking at is on disk now;
4. the rest, "the tail", follows: every route whose key (what it reads, pages.py) differs from
   the key of the file on disk is rendered again and written where its bytes changed, the files
   of routes that are gone removed; then the sitemap, and the search index on a thread of its own.

The tail runs in slices and gives way to the next save; the tail after it covers both, since it
compares keys with what is on disk. A change to a template or the configuration is a full build.
Either way, once the tail and the search index are done, the site on disk is byte for byte what
`build` writes.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .cache import BuildCache, file_digest
from .config import Config
from .entries import parse_one
from .errors import ContentError
from .load import Listing, is_input, scan
from .model import Translation
from . import media
from .markdown import media_in
from .outputs import search
from .outputs.sitemap import lastmod, listed, sitemap
from . import pipeline
from .pipeline import BuildResult
from .render import Renderer
from .routes import MADE_AFTER, Route, url_of
from .site import Site, assemble, markdown_renderer
from .theme import THEME
from .write import write_in_place, write_site

def _relative(path: Path, content: Path) -> str:
    """A content file's path relative to the content folder, as entries name them."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(content)).replace(os.sep, "/")


SLICE = 500            # pages rendered between two looks at whether a new save arrived
SEARCH = "pagefind/"   # the search index's folder in the output


@dataclass
class Patched:
    """What a patch did: the errors (nothing written), or the pages written at once."""
    errors: list[ContentError]
    written: int = 0
    seconds: float = 0.0


class LiveSite:
    def __init__(self, config: Config):
        self.config = config
        self.site: Site | None = None
        self.renderer: Renderer | None = None
        self.cache: BuildCache | None = None
        self.files: dict[str, bytes] = {}    # the site on disk, as the last write left it
        self.keys: dict[str, str] = {}       # route -> key of the file on disk
        self.tail: list[Route] | None = None  # routes the patches left to render
        self.pending: set[Path] = set()      # files saved since the last good state (while broken)
        self.version = 0                     # of the site in memory; a search of an older one is stale
        self.search_version = 0              # of the site the search index on disk was made from
        self.searching = False
        self.rendered: list[Route] = []      # what the last finish() rendered
        self.indexed: dict[str, bytes] = {}  # page -> digest of what search reads of it

    # -- full builds ---------------------------------------------------------------------------
    def full(self) -> BuildResult:
        """A build of the whole site as `build.py build` makes it (with the cache), kept in
        memory. Until one succeeds, every save is a full build: a patch would hide what is
        broken."""
        self.site = self.renderer = None
        gc.unfreeze()    # the last site, cycles included, can be collected now
        self.cache = BuildCache.open(self.config, THEME)
        result = pipeline.render(self.config, self.cache)
        if result.errors:
            return result
        result.stats = write_site(result.files, self.config.output)
        self.cache.save()
        self.cache.remember()
        self.site, self.renderer, self.files = result.site, result.renderer, dict(result.files)
        self.indexed = {}
        for path, data in self.files.items():
            self._index_digest(path, data)
        self.keys = {path: self.renderer.key(route) for path, route in self.site.routes.items()
                     if route.kind not in MADE_AFTER}
        self.pending, self.tail = set(), None
        self.version += 1
        self.search_version = self.version
        # The site stays for the whole session: frozen, the garbage collector no longer walks
        # its millions of objects (a full collection took 0.3-0.4 s, and happened during saves)
        gc.collect()
        gc.freeze()
        return result

    @property
    def model(self) -> Site | None:
        return self.site

    # -- edits ---------------------------------------------------------------------------------
    def patchable(self, paths: set[Path]) -> bool:
        """Whether a save of `paths` can be patched in: content only (a template or the
        configuration is a full build: it empties the cache)."""
        content = Path(self.config.content).resolve()
        return self.site is not None and all(
            content in path.resolve().parents and is_input(path, content) for path in paths)

    def patch(self, paths: set[Path]) -> Patched | None:
        """Apply a save of content files: the saved entries' pages written, the rest left for
        finish(); or the errors (nothing written)."""
        started = time.perf_counter()
        content = Path(self.config.content)
        saved = {_relative(path, content) for path in paths} | self.pending
        old = {entry.rel: entry for entry in self.site.parsed}
        # the watcher reports every file saved, added or removed: when each is a file the site
        # had and still there, the content folder holds the same files as before
        same_files = all(rel in old and (content / rel).is_file() for rel in saved)
        listing = Listing(self.site.found, self.site.files) if same_files else scan(content)
        found = listing.found
        parsed = [old[rel] if rel in old and rel not in saved else parse_one(content, path, kind)
                  for (path, kind), rel in ((item, item[0].relative_to(content).as_posix()) for item in found)]
        site, errors = self._bodies_only(found, parsed, saved)
        if site is None and not errors:
            site, errors = assemble(self.config, found, parsed, self.cache, theme=self.site.theme,
                                    files=listing.files)
        if site is None:
            self.pending = saved
            return Patched(errors, seconds=time.perf_counter() - started)
        self.cache.remember()
        self.renderer = Renderer(site, self.renderer.boundaries, self.renderer.cards, self.cache)
        self.site, self.pending = site, set()
        own = [route for route in site.routes.values()
               if route.kind in ("event", "page") and (route.subject.path in saved
                                                       or any(t.path in saved for t in route.subject.translations))]
        self.renderer.prepare(own)
        written = self._write({route.path: self.renderer.render(route) for route in own})
        self.keys.update((route.path, self.renderer.key(route)) for route in own)
        self.tail = []   # worked out by finish(), which compares every key
        self.version += 1
        return Patched([], written, time.perf_counter() - started)

    def _bodies_only(self, found, parsed, saved: set[str]) -> tuple[Site | None, list[ContentError]]:
        """The site after a save that changed only bodies: the same files, each saved one
        parsed cleanly with the head it had (entries.head_of: all but the body, all that
        linking, routes and other pages read). Then the timeline is the old one with the new
        entries in the old ones' places, and only their bodies are rendered again. (None, [])
        when the save changed more."""
        site = self.site
        if [rel for rel in (entry.rel for entry in parsed)] != [entry.rel for entry in site.parsed]:
            return None, []
        if not saved <= {entry.rel for entry in parsed}:   # an image saved, added or removed
            return None, []
        before = {entry.rel: entry for entry in site.parsed}
        changed = [entry for entry in parsed if entry.rel in saved]
        if any(isinstance(entry.item, Translation) for entry in changed):   # its entry's words change: assemble
            return None, []
        if not all(entry.item is not None and not entry.errors and entry.head is not None
                   and entry.head == before[entry.rel].head for entry in changed):
            return None, []
        timeline = site.timeline
        if any(getattr(entry.item, "media", ()) or getattr(before[entry.rel].item, "media", ()) for entry in changed):
            return None, []   # its images are found, read and routed by a whole load (media.py)
        published = {item.path for item in [*timeline.events, *timeline.pages]}
        markdown = markdown_renderer(self.config, timeline, site.files, site.theme.static_paths())
        bodies, errors = dict(site.bodies), []
        for entry in changed:
            if entry.rel in published:
                item = entry.item
                html, problems = markdown.render(item.path, item.body, item.body_line)
                bodies[item.path] = media.sized(html, site.images)
                errors += problems
        if errors:
            return None, sorted(errors)
        published = {getattr(route.subject, "rel", route.subject) for route in site.routes.values()
                     if route.kind == "media" and route.path == f"media/{getattr(route.subject, 'rel', route.subject)}"}
        if media_in([*bodies.values(), *site.snippets.values(), site.footer]) != published:
            return None, []   # a file to publish, or one no longer linked: the routes change
        versions = {**site.versions, **{entry.rel: entry.key for entry in changed}}
        return replace(site, found=found, parsed=parsed, bodies=bodies, versions=versions,
                       timeline=timeline.replacing([entry.item for entry in changed])), []

    def _write(self, files: dict[str, bytes | None]) -> int:
        changes = {path: data for path, data in files.items() if self.files.get(path) != data}
        try:
            written = write_in_place(changes, self.config.output)
        except BaseException:
            # Some of the files may be on disk and some not, and self.files no longer says which:
            # the next save is a full build, which compares every file with the one on disk.
            self.site = None
            raise
        for path, data in changes.items():
            if data is None:
                self.files.pop(path, None)
            else:
                self.files[path] = data
            self._index_digest(path, data)
        return written

    def _index_digest(self, path: str, data: bytes | None) -> None:
        """Keep the digest of what search reads of each page written (its shards are indexed
        again only where one changed)."""
        if data is not None and self.config.search and search.indexes(path, data):
            self.indexed[path] = file_digest(search.what_pagefind_reads(data))
        else:
            self.indexed.pop(path, None)

    # -- the rest ------------------------------------------------------------------------------
    def finish(self, interrupted: Callable[[], bool]) -> int | None:
        """Do the tail: the files written, or None if `interrupted()` said a save is waiting
        (the tail stays to do)."""
        try:
            return self._finish(interrupted)
        except Exception:
            self.tail = None   # not tried again after every save: the error is shown instead
            raise

    def _finish(self, interrupted: Callable[[], bool]) -> int | None:
        site, renderer = self.site, self.renderer
        routes = [route for route in site.routes.values() if route.kind not in MADE_AFTER]
        keys = {route.path: renderer.key(route) for route in routes}
        todo = [route for route in routes if self.keys.get(route.path) != keys[route.path]]
        self.tail = self.rendered = todo
        renderer.prepare(todo)
        written = 0
        for start in range(0, len(todo), SLICE):
            if interrupted():
                return None
            chunk = todo[start:start + SLICE]
            written += self._write(renderer.render_all(chunk))
            self.keys.update((route.path, keys[route.path]) for route in chunk)
        gone = [path for path in self.files if path not in site.routes and not path.startswith(SEARCH)
                and path not in ("robots.txt", "sitemap.xml")]
        written += self._write(dict.fromkeys(gone))
        for path in gone:
            self.keys.pop(path, None)
        written += self._write(sitemap(self.config, [url_of(path) for path, data in self.files.items()
                                                     if path.endswith(".html") and listed(path, data)],
                                       lastmod(site.timeline.events)))
        self.tail = None
        return written

    def search_due(self) -> bool:
        return (self.config.search and self.site is not None and self.tail is None and not self.searching
                and self.search_version != self.version)

    def start_search(self, done: Callable[[int, dict | Exception], None]) -> None:
        """Index the site in memory on a thread; `done(version, files or exception)` is called
        from that thread when it is ready."""
        version, snapshot, digests = self.version, dict(self.files), dict(self.indexed)
        store = self.cache.folder / "search"
        self.searching = True

        def run():
            try:   # only the shards whose pages changed are indexed again (the build cache's store)
                result = search.search_index(self.config, search.CutPages(snapshot.__getitem__), background=True, cut=True,
                                             store=store, digests=digests)
            except Exception as exc:   # shown by serve, as a build's would be
                result = exc
            done(version, result)

        threading.Thread(target=run, name="dateline-search", daemon=True).start()

    def apply_search(self, version: int, index: dict[str, bytes] | Exception) -> int:
        """Write a finished search index, unless the site changed since it was started (the
        next one starts then). The files written; what the search raised is raised here."""
        self.searching = False
        if isinstance(index, Exception):
            raise index
        if version != self.version:
            return 0
        changes: dict[str, bytes | None] = dict(index)
        changes.update({path: None for path in self.files if path.startswith(SEARCH) and path not in index})
        written = self._write(changes)
        self.search_version = version
        return written


__all__ = ["LiveSite", "Patched"]
