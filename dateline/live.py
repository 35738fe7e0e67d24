"""The site `serve` keeps in memory between edits, so that saving an entry puts its page on disk
at once instead of after a whole build.

After a full build (pipeline.build, which hands back its Model), a save of existing content
files is patched in:

1. the saved files are parsed again;
2. if what linking reads of them is as it was (relations, terms, date; a title only while the
   entry keeps its place in the order), the timeline is the old one with those entries replaced.
   Otherwise the parsed files are linked again, as a build does;
3. their bodies are rendered, and their own pages rendered and written: the page the editor
   is looking at is on disk now;
4. the rest, "the tail", follows: after a body-only edit, the feeds and exports (nothing else
   shows a body); after any other, every page and export. All are rendered again and written where their bytes changed.
   Then the search index, on a thread of its own (Pagefind runs in its own process).

The tail runs in slices and gives way to the next save; the tail after it covers both. Anything
else (a file added, removed or renamed, a template, the configuration or the eras changed, an
edit that moves a link target: slug or draft) is a full build. Either way, once the tail and the
search index are done, the site on disk is byte for byte what `build` writes.
"""

from __future__ import annotations

import bisect
import gc
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .config import Config
from .errors import ContentError
from .link import LINKED_FIELDS, order_key
from .model import Event
from .outputs import export_jobs, search
from .parallel import ordered_map
from .pipeline import BuildResult, Model, assemble, build, page_urls, parse_one
from .render import complete
from .write import write_in_place

SLICE = 500            # pages rendered between two looks at whether a new save arrived
SEARCH = "pagefind/"   # the search index's folder in the output


@dataclass
class Patched:
    """What a patch did: the errors (nothing written), or the pages written at once."""
    errors: list[ContentError]
    written: int = 0
    seconds: float = 0.0


def _only_body_differs(old, new) -> bool:
    return (old is not None and new is not None and type(old) is type(new)
            and replace(new, body=old.body, body_line=old.body_line) == old)


def _links_as_before(old, new) -> bool:
    """Whether linking `new` in place of `old` gives the same links, terms and checks (then the
    order is the only thing left to compare)."""
    if old is None or new is None or type(old) is not type(new):
        return False
    if not isinstance(new, Event):   # standalone pages: sorted by slug, linked by alias
        return (old.slug, old.draft, old.aliases) == (new.slug, new.draft, new.aliases)
    place = lambda e: e.place.name if e.place else None   # noqa: E731 (terms use the name)
    return place(old) == place(new) and all(getattr(old, f) == getattr(new, f) for f in LINKED_FIELDS)


def _moved(old: dict[str, Event], new: dict[str, Event]) -> list[tuple[tuple, tuple]]:
    """(old order key, new order key) of the events whose key changed (a new title)."""
    keys = ((order_key(old[slug]), order_key(new[slug])) for slug in new)
    return [(was, now) for was, now in keys if was != now]


def _same_place_in_order(keys: list[tuple], moved: list[tuple[tuple, tuple]]) -> bool:
    """Whether events whose order key changed still sort where they did, among the sorted
    `keys` of all the published events: the ordering compares keys only, so a key with the
    same place among all the others gives the same order."""
    if len(moved) > 1:   # their order among themselves could change too: link again
        return False
    if not moved:
        return True
    (was, now), = moved
    # how many of the others sort before each key (the others: every key but `was` itself)
    return bisect.bisect(keys, was) - 1 == bisect.bisect(keys, now) - (was <= now)


def _published(items: dict) -> dict[str, Event]:
    return {item.slug: item for item in items.values() if isinstance(item, Event) and not item.draft}


class LiveSite:
    def __init__(self, config: Config):
        self.config = config
        self.model: Model | None = None
        self.files: dict[str, bytes] = {}    # the site on disk, as the last write left it
        self.pending: set[int] = set()       # files saved since the last good state (while broken)
        self.tail: str | None = None         # "exports" or "all": what the patches left to do
        self.version = 0                     # of the site in memory; a search of an older one is stale
        self.search_version = 0              # of the site the search index on disk was made from
        self.searching = False
        self._index: dict[Path, int] = {}
        self._keys: list[tuple] | None = None   # order keys of the published events, sorted

    # -- full builds ---------------------------------------------------------------------------
    def full(self) -> BuildResult:
        """A build as `build.py build` makes it (with the cache), keeping its model. Until one
        succeeds, every save is a full build: a patch would hide what is broken."""
        self.model = None
        gc.unfreeze()    # the last model, cycles included, can be collected now
        result = build(self.config, render_always=True)
        if result.errors:
            return result
        self.model, self.files = result.model, dict(result.files)
        self._index = {path.resolve(): i for i, (path, _) in enumerate(self.model.found)}
        self._keys = None
        self._order_keys()   # now, not in the first title edit (a tenth of a second at 10,000 events)
        self.pending, self.tail = set(), None
        self.version += 1
        self.search_version = self.version
        # The model stays for the whole session: frozen, the garbage collector no longer walks
        # its millions of objects (a full collection took 0.3-0.4 s, and happened during saves)
        gc.collect()
        gc.freeze()
        return result

    # -- edits ---------------------------------------------------------------------------------
    def _order_keys(self) -> list[tuple]:
        if self._keys is None:
            self._keys = sorted(order_key(e) for e in self.model.timeline.events)
        return self._keys

    def patchable(self, paths: set[Path]) -> bool:
        """Whether a save of `paths` can be patched in: each an existing content file that the
        site already had."""
        return self.model is not None and all(
            path.resolve() in self._index and path.is_file() for path in paths)

    def patch(self, paths: set[Path]) -> Patched | None:
        """Apply a save of content files (patchable ones); None when it needs a full build."""
        started = time.perf_counter()
        model, content = self.model, Path(self.config.content)
        changed = sorted({self._index[path.resolve()] for path in paths} | self.pending)
        parsed = list(model.parsed)
        for i in changed:
            parsed[i] = parse_one(content, *model.found[i])
        old = {i: model.parsed[i].item for i in changed}
        new = {i: parsed[i].item for i in changed}
        clean = all(not parsed[i].errors for i in changed)
        body_only = clean and all(_only_body_differs(old[i], new[i]) for i in changed)
        swap, moved = body_only, []
        if not swap and clean and all(_links_as_before(old[i], new[i]) for i in changed):
            moved = _moved(_published(old), _published(new))
            swap = _same_place_in_order(self._order_keys(), moved)
        if swap:   # the old timeline, with the saved entries in their places
            timeline = model.timeline.replacing([item for item in new.values() if item is not None])
        else:
            timeline, errors = assemble(content, model.found, parsed)
            if errors:
                self.pending = set(changed)
                return Patched(errors, seconds=time.perf_counter() - started)
            if page_urls(timeline) != model.markdown.urls_by_file or timeline.drafts != model.markdown.drafts:
                return None   # other bodies' links point elsewhere now
        wanted = {parsed[i].rel for i in changed}
        published = {item.path: item for item in [*timeline.events, *timeline.pages] if item.path in wanted}
        bodies, errors = dict(model.bodies), []
        saved = [published[parsed[i].rel] for i in changed if parsed[i].rel in published]
        for item in saved:
            bodies[item.path], problems = model.markdown.render(item.path, item.body, item.body_line)
            errors += problems
        if errors:
            self.pending = set(changed)
            return Patched(sorted(errors), seconds=time.perf_counter() - started)
        renderer = model.renderer
        renderer.retarget(timeline, bodies)
        if not body_only:   # a new place may need its map drawn
            renderer.prepare([item for item in saved if isinstance(item, Event)])
        pages = dict(renderer.own_page(item) for item in saved)
        fresh = {path: data for path, data in pages.items() if self.files.get(path) != data}
        written = write_in_place(fresh, self.config.output)
        self.files.update(fresh)
        model.parsed, model.timeline, model.bodies = parsed, timeline, bodies
        if not swap:
            self._keys = None          # linked again: sorted again when next needed
        else:
            for was, now in moved:     # at most one
                del self._keys[bisect.bisect_left(self._keys, was)]
                bisect.insort(self._keys, now)
        self.pending = set()
        self.tail = "all" if not body_only or self.tail == "all" else "exports"
        self.version += 1
        return Patched([], written, time.perf_counter() - started)

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
        model = self.model
        renderer = model.renderer
        rendered: dict[str, bytes] = {}
        if self.tail == "all":
            jobs = renderer.jobs()
            for start in range(0, len(jobs), SLICE):
                if interrupted():
                    return None
                # the jobs are closures: the workers, forked, find them by number
                rendered.update(ordered_map(lambda i: jobs[i](), range(start, min(start + SLICE, len(jobs)))))
        if interrupted():
            return None
        exports = export_jobs(self.config, model.timeline, model.bodies)
        for files in ordered_map(lambda i: exports[i](), range(len(exports))):
            rendered.update(files)
        if self.tail == "all":
            self._order_keys()   # sorted again after a relink, here rather than in the next save
            site = complete(self.config, rendered)
            site.update({path: data for path, data in self.files.items() if path.startswith(SEARCH)})
        else:
            site = {**self.files, **rendered}
        changes: dict[str, bytes | None] = {path: data for path, data in site.items()
                                            if self.files.get(path) != data}
        changes.update({path: None for path in self.files if path not in site})
        written = write_in_place(changes, self.config.output)
        self.files, self.tail = site, None
        return written

    def search_due(self) -> bool:
        return (self.config.search and self.tail is None and not self.searching
                and self.search_version != self.version)

    def start_search(self, done: Callable[[int, dict | Exception], None]) -> None:
        """Index the site in memory on a thread; `done(version, files or exception)` is called
        from that thread when it is ready."""
        version, snapshot = self.version, dict(self.files)
        self.searching = True

        def run():
            try:
                result = search.search_index(self.config, snapshot, background=True)
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
        changes: dict[str, bytes | None] = {path: data for path, data in index.items()
                                            if self.files.get(path) != data}
        changes.update({path: None for path in self.files if path.startswith(SEARCH) and path not in index})
        written = write_in_place(changes, self.config.output)
        for path, data in changes.items():
            if data is None:
                self.files.pop(path, None)
            else:
                self.files[path] = data
        self.search_version = version
        return written


__all__ = ["LiveSite", "Patched"]
