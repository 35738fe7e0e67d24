"""The build cache, under <project>/.cache/dateline/ (git-ignored): what a build can reuse from
the previous one.

- parsed entries (with their heads, entries.head_of), by the hash of the file's path and text;
- rendered Markdown bodies, by the hash of the entry's path and body, with the link targets the
  body resolved (a hit is used only while each target still resolves to the same page);
- the record of the last written site: the fingerprint of every input (content files, templates,
  configuration, dateline's own code), every output file's size and modification time, and the
  key of every route (what its file was made of, pages.py). A build whose inputs and output are
  both as recorded has nothing to do; one whose output is as recorded renders only the routes
  whose keys changed.

- the image store, images/ (images.py, cards.py): resized images and preview cards, each by
  the digest of what it is made of, and the size of every original, by the digest of its
  bytes; after each build it holds only what that build used.

Every entry is salted with the fingerprint of dateline's code, the templates and the
configuration: a change to any of them starts an empty cache. The cache is written atomically
(a temporary file renamed over the old one); one that cannot be read is ignored. Deleting the
folder never changes the output, only the time the next build takes."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from dataclasses import asdict
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .config import Config
from .engines import engine_versions
from .load import entry_kind

FOLDER = Path(".cache") / "dateline"
FILE = "build.pickle"          # entries, bodies
PIECES = "pieces-"             # pieces-<export>.pickle: each export's pieces (outputs/__init__.py)
SITE_FILE = "site.pickle"      # the last written site
SMALL_CHANGE = 64              # entries and bodies: fewer new ones than this leave the store as it was
FORMAT = 5                     # bump when the cached values change shape
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _tree(folder: Path, h) -> None:
    """Every file under `folder` (path and bytes) into the hash `h`, in a stable order."""
    if not folder.is_dir():
        h.update(b"\0missing\0" + str(folder).encode())
        return
    for rel, path in files_under(folder):
        with open(path, "rb") as handle:
            data = handle.read()
        rel = rel.encode()
        h.update(len(rel).to_bytes(8, "little") + rel + len(data).to_bytes(8, "little"))
        h.update(data)


def code_fingerprint() -> str:
    """dateline's version and source, and the versions of what renders for it."""
    from importlib.metadata import version
    import jinja2
    import yaml
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT} {__version__} {sys.version} {jinja2.__version__} {version('cmarkgfm')} "
             f"{yaml.__version__} {yaml.__with_libyaml__} {version('python-frontmatter')}".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def settings_fingerprint(config: Config, theme: Path) -> str:
    """Code, configuration (every setting but the output folder) and templates (the theme and
    the site's own, static files and map data included, and the site's own static folder)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(code_fingerprint().encode())
    settings = {k: str(v) for k, v in asdict(config).items() if k != "output"}
    h.update(repr(sorted(settings.items())).encode())
    h.update(engine_versions(config.markdown, config.markdown_extensions).encode())
    own = [config.static.resolve()] if config.static is not None else []
    for folder in dict.fromkeys([theme.resolve(), config.templates.resolve(), *own]):
        h.update(b"\0templates\0" + str(folder).encode())
        _tree(folder, h)
    return h.hexdigest()


def file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def files_under(folder: Path) -> list[tuple[str, str]]:
    """(path relative to `folder`, full path) of every file under it, in a stable order; none
    if it is not a folder."""
    found = []   # strings: sorting 10,000 Path objects took 0.25 s
    base = len(str(folder)) + 1
    for parent, _, names in os.walk(str(folder)):
        for name in names:
            path = os.path.join(parent, name)
            if os.path.isfile(path):
                found.append((path[base:].replace(os.sep, "/"), path))
    return sorted(found)


def stat_files(folder: Path) -> dict[str, tuple[str, tuple[int, int, int]]]:
    """{relative path: (full path, (size, mtime_ns, inode))} of every file under `folder`, as
    files_under lists them."""
    found = {}
    for rel, path in files_under(folder):
        try:
            st = os.stat(path)
        except OSError:   # gone since it was listed
            continue
        found[rel] = (path, (st.st_size, st.st_mtime_ns, st.st_ino))
    return found


# A file modified this close to the start of the build that last read it may have been saved in
# the same instant as it was read, and look unchanged: it is always read again.
RACY_NS = 2_000_000_000


def file_digests(files: list[tuple[str, str]]) -> dict[str, bytes]:
    """{relative path: file_digest} of those of `files` (as files_under lists them) that can be
    read."""
    digests = {}
    for rel, path in files:
        try:
            with open(path, "rb") as handle:
                digests[rel] = file_digest(handle.read())
        except OSError:   # gone, or not readable
            continue
    return digests


def content_fingerprint(content: Path, known: dict[str, bytes] | None = None,
                        files: list[tuple[str, str]] | None = None) -> str:
    """Every file under `content`, by its path and the digest of its bytes. `known`: digests
    made already ({relative path: file_digest}); a cold build has them from the workers that
    parsed the entries, made from the very bytes they parsed, and so does not read every file
    once more before it starts. `files`: files_under(content), if listed already."""
    h = hashlib.blake2b(digest_size=16)
    if not content.is_dir():
        h.update(b"\0missing\0" + str(content).encode())
        return h.hexdigest()
    files = files_under(content) if files is None else files
    known = known or {}
    known = {**file_digests([(rel, path) for rel, path in files if rel not in known]), **known}
    for rel, _ in files:
        # a file gone since it was listed: a state no later build matches
        digest_of = known.get(rel, b"\0unreadable")
        rel_bytes = rel.encode("utf-8", "surrogateescape")
        h.update(len(rel_bytes).to_bytes(8, "little") + rel_bytes + digest_of)
    return h.hexdigest()


def output_manifest(out: Path) -> dict[str, tuple[int, int, int]]:
    """{relative path: (size, mtime_ns, inode)} of every file of a written site."""
    found: dict[str, tuple[int, int, int]] = {}
    if not out.is_dir():
        return found
    base = len(str(out)) + 1
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[path[base:]] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


class ContentState:
    """What the content folder holds as a build starts: every file's size, modification time and
    digest, read only where the last build's record does not already say (BuildCache
    .unchanged_inputs). Files are read before the build when there is a last build to compare
    with (a build with nothing to do stops there), otherwise only the files that are not
    entries: the entries' digests come from the very bytes the build parses (`parsed`), so a
    file saved while the build runs is not taken for built."""

    def __init__(self, content: Path, files: dict, unchanged: dict, digests: dict, began: int):
        self.content, self.files, self.unchanged, self.digests = content, files, unchanged, digests
        self.began = began            # before anything was listed: see RACY_NS
        self.keys: dict[str, str] = {}

    @classmethod
    def read(cls, content: Path, store: "BuildCache | None") -> "ContentState":
        began = time.time_ns()
        if store is None:
            return cls(content, {}, {}, {}, began)
        files = stat_files(content)
        unchanged = store.unchanged_inputs(files)
        digests = {rel: raw for rel, (raw, _) in unchanged.items()}
        todo = [(rel, path) for rel, (path, _) in files.items() if rel not in digests
                and (store.site is not None or not _maybe_entry(rel))]
        digests.update(file_digests(todo))
        return cls(content, files, unchanged, digests, began)

    def parsed(self, parsed) -> None:
        """The digests of the bytes the build parsed (entries.Parsed), and their entry keys."""
        self.digests.update((p.rel, p.raw) for p in parsed if p.raw is not None)
        self.keys = {p.rel: p.key for p in parsed if p.item is not None and not p.errors}

    def fingerprint(self) -> str:
        return content_fingerprint(self.content, self.digests, [(rel, path) for rel, (path, _) in self.files.items()])

    def record(self) -> dict:
        """What the next build's unchanged_inputs reads."""
        return {rel: (stat, self.digests[rel], self.keys.get(rel))
                for rel, (_, stat) in self.files.items() if rel in self.digests}


def _maybe_entry(rel: str) -> bool:
    """Whether content file `rel` may be an entry (the build reads it, and its digest comes with
    it); the others are all read before the build starts."""
    return entry_kind(rel) in ("event", "page", "translation", "page-translation")


class BuildCache:
    """The cache of one project, in two files: the record of the last written site (small, read
    first: a build with nothing to do reads nothing else) and the entries and bodies (read
    when needed). Entries and bodies are refilled with what the build used,
    so those of deleted files do not pile up."""

    def __init__(self, root: Path, salt: str):
        self.folder = Path(root) / FOLDER
        self.salt = salt
        self.site: dict | None = None              # the last written site (see `unchanged`)
        self._store: dict | None = None            # entries, bodies: see _read_store
        self.used_entries: dict[str, object] = {}
        self.used_bodies: dict[str, tuple] = {}
        self.writable = True                       # False: `check`, which writes nothing
        self.added = 0                             # entries and bodies not in the store
        self._staged: str | None = None            # the store, written by stage_store's job

    def _read(self, name: str) -> dict | None:
        try:
            with open(self.folder / name, "rb") as handle:
                data = pickle.load(handle)
            if isinstance(data, dict) and data.get("format") == FORMAT and data.get("salt") == self.salt:
                return data
        except Exception:   # missing, truncated, corrupt, from another version: start empty
            pass
        return None

    @classmethod
    def open(cls, config: Config, theme: Path) -> "BuildCache":
        cache = cls(config.root, settings_fingerprint(config, theme))
        data = cache._read(SITE_FILE)
        site = data.get("site") if data else None
        cache.site = site if isinstance(site, dict) else None
        return cache

    def _read_store(self) -> dict:
        if self._store is None:
            data = self._read(FILE) or {}
            try:
                self._store = {key: dict(data.get(key) or {}) for key in ("entries", "bodies")}
            except Exception:
                self._store = {"entries": {}, "bodies": {}}
        return self._store

    @property
    def entries(self) -> dict:
        return self._read_store()["entries"]

    @property
    def bodies(self) -> dict:
        return self._read_store()["bodies"]

    def export_pieces(self, name: str) -> dict[str, str]:
        """The pieces export `name` was last made of (outputs/__init__.py), by key: a file of
        their own, read only by the process that renders that export."""
        data = self._read(f"{PIECES}{name}.pickle")
        pieces = data.get("pieces") if data else None
        return pieces if isinstance(pieces, dict) else {}

    def keep_export_pieces(self, name: str, pieces: dict[str, str]) -> None:
        """Replace the pieces of export `name` (atomically; where they cannot be written, they
        are made again next time)."""
        if self.writable:
            self._write(f"{PIECES}{name}.pickle", {"format": FORMAT, "salt": self.salt, "pieces": pieces})

    # -- entries and bodies ------------------------------------------------------------------
    def entry(self, key: str):
        item = self.entries.get(key)
        if item is not None:
            self.used_entries[key] = item
        return item

    def keep_entry(self, key: str, item) -> None:
        self.added += key not in self.entries
        self.used_entries[key] = item

    def body(self, key: str, urls: dict[str, str]) -> str | None:
        found = self.bodies.get(key)
        if found is None:
            return None
        html, links = found
        if any(urls.get(target) != url for target, url in links):
            return None
        self.used_bodies[key] = found
        return html

    def keep_body(self, key: str, html: str, links) -> None:
        self.added += key not in self.bodies
        self.used_bodies[key] = (html, tuple(links))

    def remember(self) -> None:
        """Keep what this build used and made in the store in memory, for the next state of the
        site (serve): lookups then find it without the disk."""
        store = self._read_store()
        store["entries"].update(self.used_entries)
        store["bodies"].update(self.used_bodies)

    # -- the whole site ----------------------------------------------------------------------
    def unchanged_inputs(self, stats: dict[str, tuple[str, tuple]]) -> dict[str, tuple[bytes, str | None]]:
        """{relative path: (file digest, entry key)} of the content files (stat_files) whose size,
        modification time and inode are as the last build recorded them: their bytes need not
        be read again (git's index does the same)."""
        recorded = (self.site or {}).get("inputs") or {}
        racy = (self.site or {}).get("started", 0) - RACY_NS
        unchanged = {}
        for rel, (_, stat) in stats.items():
            kept = recorded.get(rel)
            if kept is not None and kept[0] == stat and stat[1] < racy:
                unchanged[rel] = (kept[1], kept[2])
        return unchanged

    def as_left(self, out: Path) -> dict | None:
        """The record of the last build when its output is `out` and is still exactly as it was
        written (with this salt); otherwise None."""
        site = self.site
        if not site or site.get("output") != str(out) or "routes" not in site:
            return None
        return site if output_manifest(out) == site.get("manifest") else None

    def record_site(self, content: str, out: Path, counts: dict, changed: list[str] | None = None) -> None:
        """Record the site just written. `changed`: the files a build after an edit wrote or
        removed, when the rest is as the last record says (as_left): only they are looked at."""
        if changed is None or self.site is None:
            manifest = output_manifest(out)
        else:
            manifest = dict(self.site["manifest"])
            for rel in changed:
                try:
                    st = os.lstat(out / rel)
                    manifest[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
                except FileNotFoundError:
                    manifest.pop(rel, None)
        self.site = {"content": content, "output": str(out), "manifest": manifest, **counts}

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is not an error (a read-only
        checkout still builds). After a build that added little to the store (an edit or
        two), the store is left as it was: writing it again costs more than parsing those
        few entries again next time, and what it lacks is found by content, never wrong."""
        if self._staged is not None:          # written beside the pages (stage_store)
            staged, self._staged = self._staged, None
            try:
                os.replace(staged, self.folder / FILE)
            except OSError:
                _remove(staged)
        elif self.added > max(SMALL_CHANGE, len(self.entries) // 100) or not (self.folder / FILE).exists():
            self._write(FILE, self._store_data())
        self._write(SITE_FILE, {"format": FORMAT, "salt": self.salt, "site": self.site})
        _sweep(self.folder)

    def stage_store(self) -> Callable[[], dict]:
        """A job that writes the entries and bodies to a temporary file, which save() then puts in place, or discard()
        removes. Pickling a large site's store took most of a second: as a job it runs with
        the pages, on any core, not alone after them."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, staged = _temporary(self.folder, FILE)
            os.close(fd)
        except OSError:
            return lambda: {}
        self._staged = staged

        def job() -> dict:
            try:
                with open(staged, "wb") as handle:
                    pickle.dump(self._store_data(), handle, protocol=pickle.HIGHEST_PROTOCOL)
            except OSError:   # not whole: removed, so that save() does not put it in place
                _remove(staged)
            return {}
        return job

    def discard(self) -> None:
        """Remove what stage_store wrote (a build that failed saves nothing)."""
        if self._staged is not None:
            Path(self._staged).unlink(missing_ok=True)
            self._staged = None

    def _store_data(self) -> dict:
        self._read_store()
        return {"format": FORMAT, "salt": self.salt, "entries": self.used_entries,
                "bodies": self.used_bodies}

    def _write(self, name: str, data: dict) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = _temporary(self.folder, name)
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.folder / name)
            except BaseException:
                _remove(tmp)
                raise
        except OSError:
            pass


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A temporary file for `name`, named with this process's id: `.build.pickle.1234.k2x8a_q1`."""
    return tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", dir=folder)


def _sweep(folder: Path) -> None:
    """Remove the temporary files of builds that were killed (their process is gone): a store
    staged beside the pages is as large as the cache."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name.split(".")[-2] if name.startswith(".") and name.count(".") >= 3 else ""
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            _remove(folder / name)


def _remove(path) -> None:
    """Remove a file of the cache if it can be: one left is removed by a later build."""
    try:
        os.unlink(path)
    except OSError:
        pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:      # another user's process
        return True
    return True
