"""Full-text search: a Pagefind index of the rendered pages, as {output path: bytes}.

Pagefind (its command line, from the pagefind[bin] package) indexes a private temporary copy of
the pages and writes the index into a private temporary folder, read back at once: search is part
of the render stage like every other output, with no crawl of the output folder, the same atomic
write, the same golden test. Pages opt in with `data-pagefind-body` (events and standalone pages;
lists and term pages would only repeat them), and mark their filters (tag, actor, year) with
`data-pagefind-filter`. The index has no absolute URL in it: the page's script tells Pagefind
where the site lives, so search works at a domain's root, under a subpath and from disk.

Pagefind has no incremental mode, so the pages are indexed in shards: a hash of each page's path
puts it in one of a few shards (their number grows with the site), and Pagefind indexes each shard
on its own, two at once on two cores. With a `store` (a folder), each shard's index is kept there
under a key made of Pagefind's version, the language and its pages' digests: a shard whose key is
there is not indexed again and its pages are not read, so one edited entry costs one shard.

The shards are merged here into one index, the one bundle under pagefind/ that Pagefind itself
writes for all the pages: its pages in the order of a hash of their path, every word's locations
from every shard, the index cut into chunks by Pagefind's own rule, the filters merged. The merge
is done here and not in the browser (Pagefind's mergeIndex) because mergeIndex ranks each index
by its own statistics (how many of its pages hold a word, its page count, its average page
length): the results come in another order than one index gives. A merged index is one index,
so search ranks and counts exactly as over one Pagefind run, and the browser loads what it
loaded before; how many shards there are changes no byte of it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import contextlib
import pickle
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from ..cache import file_digest
from ..config import Config
from ..parallel import workers
from ..write import write_file

OPT_IN = b"data-pagefind-body"
# Pagefind also ships its own search UIs; the theme has its own small one in dateline.js.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
# Pages per shard, at most on average: a shard is indexed again after any edit of one of its
# pages, in a time that grows with its pages, and each shard costs a start of Pagefind.
PAGES_PER_SHARD = 250
# What a stored shard holds and how it was read: this file's code is part of every key
FORMAT = "dateline-search-shard-1:" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
STORED = ".shard"
CHUNKS = "chunks"                    # the last index's chunks, compressed, in the store


class SearchIndexError(Exception):
    """Pagefind could not be run (not installed, or it failed): a set-up problem, not content."""


def indexes(path: str, data: bytes) -> bool:
    """Whether the rendered file at `path` is a page the index covers: one with a
    data-pagefind-body attribute in a tag (not only the words in its text, which a summary
    may hold: Pagefind leaves such a page out, unless no page it is given has the attribute)."""
    if not path.endswith(".html"):
        return False
    at = data.find(OPT_IN)
    while at >= 0:
        if data[at - 1:at].isspace() and data.rfind(b"<", 0, at) > data.rfind(b">", 0, at):
            return True
        at = data.find(OPT_IN, at + len(OPT_IN))
    return False


def search_index(config: Config, pages: Mapping[str, bytes], background: bool = False,
                 cut: bool = False, store: Path | None = None,
                 digests: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The index of `pages`. `background`: Pagefind runs at a low priority (serve indexes while
    the editor saves, and a save must not wait for the cores Pagefind is using). `cut`: the
    pages are already what_pagefind_reads of them (cut where they were rendered). `store`: a
    folder that keeps each shard's index from one build to the next (one that cannot be read or
    written is as good as none). `digests`: {path: digest of its bytes} of every indexed page;
    then `pages` may read a page only when asked, and only the pages of the shards not in the
    store are asked for. Without, `pages` is any files of the site, the pages among them are
    chosen by `indexes`, and their digests are computed here."""
    if digests is None:
        chosen = {path: data for path, data in pages.items() if indexes(path, data)}
        digests, pages = {path: file_digest(data) for path, data in chosen.items()}, chosen
    if not digests:
        if store is not None:
            _prune(store, set())
        return {}
    compressed = _load_chunks(store) if store is not None else {}
    used: dict[str, bytes] = {}
    keys: set[str] = set()
    bundles = []
    # one index per language (Pagefind's own layout for a site in several languages: the
    # browser loads the one of the page's <html lang>), each sharded and merged alone
    for code, paths in _by_language(config, digests).items():
        files, made = _language_index(config.in_language(code), paths, pages, digests, background, cut, store,
                                      compressed, used)
        keys |= made
        bundles.append(files)
    files = combine(bundles)
    if store is not None:
        _save(store, CHUNKS, used)
        _prune(store, keys)
    return {f"pagefind/{path}": data for path, data in sorted(files.items())}


def _by_language(config: Config, paths: Iterable[str]) -> dict[str, list[str]]:
    """The pages' paths by language, the default's first: a page in another language is in its
    folder (routes.in_languages)."""
    found: dict[str, list[str]] = {code: [] for code in config.codes}
    for path in paths:
        first = path.split("/", 1)[0]
        found[first if first in found and first != config.codes[0] and "/" in path else config.codes[0]].append(path)
    return {code: sorted(group, key=_order) for code, group in found.items() if group}


def _language_index(config: Config, paths: list[str], pages: Mapping[str, bytes], digests: Mapping[str, bytes],
                    background: bool, cut: bool, store: Path | None, compressed: dict, used: dict
                    ) -> tuple[dict[str, bytes], set[str]]:
    """The bundle of the pages of one language (`config.language`), and its shards' keys."""
    count = shard_count(len(paths))
    groups: list[list[str]] = [[] for _ in range(count)]
    for path in paths:   # in the index's order, which is each shard's too
        groups[shard_of(path, count)].append(path)
    version = pagefind_version()
    keys = [shard_key(config, version, [(path, digests.get(path) or file_digest(pages[path]))
                                        for path in group]) for group in groups]
    shards = [_load(store, key) if store is not None else None for key in keys]
    missing = [i for i, shard in enumerate(shards) if shard is None]
    for i, shard in zip(missing, _index_shards(config, [groups[i] for i in missing], pages, background, cut)):
        shards[i] = shard
        if store is not None:
            _save(store, keys[i], shard)
    return merge(shards, compressed, used), set(keys)


def combine(bundles: list[dict[str, bytes]]) -> dict[str, bytes]:
    """The bundles of several languages as one: their files side by side (Pagefind names each
    language's files after it), one pagefind-entry.json listing every language."""
    if len(bundles) == 1:
        return bundles[0]
    files: dict[str, bytes] = {}
    languages: dict = {}
    characters: list = []
    version = None
    for bundle in bundles:
        if not bundle:
            continue
        entry = json.loads(bundle["pagefind-entry.json"])
        version = version or entry["version"]
        languages.update(entry["languages"])
        characters += [c for c in entry.get("include_characters", ()) if c not in characters]
        files.update((name, data) for name, data in bundle.items() if name != "pagefind-entry.json")
    if version is not None:
        entry = {"version": version, "languages": languages, "include_characters": characters}
        files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return files


def _order(path: str) -> tuple[int, str]:
    """Where a page goes in the index: by a hash of its path, so that a shard (a span of hashes)
    holds consecutive pages, and the index is the same whatever the number of shards."""
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big"), path


def shard_count(pages: int) -> int:
    """A power of two, so that each shard holds at most PAGES_PER_SHARD pages on average (a
    site that doubles splits each shard in two)."""
    count = 1
    while count * PAGES_PER_SHARD < pages:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of the page at `path` among `count`: a span of the hashes of paths."""
    return _order(path)[0] * count >> 64


def shard_key(config: Config, version: str, pages: Iterable[tuple[str, bytes]]) -> str:
    """A shard's key in the store: what its index is made of."""
    h = hashlib.sha256(f"{FORMAT}\0{version}\0{config.language}\0".encode())
    for path, digest in sorted(pages):
        h.update(path.encode() + b"\0" + digest + b"\0")
    return h.hexdigest()


class CutPages(Mapping):
    """What Pagefind reads of each page (what_pagefind_reads), cut only when asked for: the
    search store asks only for the pages of the shards it indexes again. `cut`: pages cut
    already (just rendered); `read(path)`: any other page's bytes (from memory or the disk)."""

    def __init__(self, read, cut: Mapping[str, bytes] | None = None):
        self.read, self.cut = read, cut or {}

    def __getitem__(self, path: str) -> bytes:
        if path in self.cut:
            return self.cut[path]
        return what_pagefind_reads(self.read(path))

    def __iter__(self):
        return iter(self.cut)

    def __len__(self) -> int:
        return len(self.cut)


_HTML = re.compile(rb"<html\b[^>]*>", re.I)
_HEAD = re.compile(rb"<head\b.*?</head>", re.S | re.I)
_TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)[\s/>]")
_MARK = b"data-pagefind-"


def what_pagefind_reads(page: bytes) -> bytes:
    """A page cut to what Pagefind indexes once a site marks its content with data-pagefind-body:
    the <html> tag (its lang), the head (title, meta) and the marked elements, without the
    elements marked data-pagefind-ignore. The rest (menus, maps, charts) it parses only to skip:
    at 1,000 events, a third of its time. The whole page when in doubt: an element not closed,
    or a Pagefind attribute (a filter inside an ignored element) that would be left out."""
    html, head = _HTML.search(page), _HEAD.search(page)
    if not (html and head):
        return page
    parts = _elements(page, b" data-pagefind-body")
    if not parts:
        return page
    body, dropped = b"".join(parts), 0
    for ignored in _elements(body, b" data-pagefind-ignore") or ():
        if ignored.count(_MARK) == 1:   # its own data-pagefind-ignore, nothing Pagefind reads
            body, dropped = body.replace(ignored, b"", 1), dropped + 1
    kept = b"".join([b"<!DOCTYPE html>", html.group(0), head.group(0), b"<body>", body, b"</body></html>"])
    return kept if kept.count(_MARK) == page.count(_MARK) - dropped else page


def _elements(page: bytes, attribute: bytes) -> list[bytes] | None:
    """The outermost elements with `attribute` (b" data-pagefind-body") in their opening tag;
    None if one is not closed. (A search for the attribute, then its tag: a regular expression
    for "a tag with this attribute" tries every tag of the page, three times slower.)"""
    found, end, at = [], 0, page.find(attribute)
    while at >= 0:
        start = page.rfind(b"<", 0, at)
        name = _TAG_NAME.match(page, start) if start >= 0 else None
        opened = page.find(b">", at)
        # the attribute's text in a tag (not in the text between tags), not inside the last element
        if name and opened >= 0 and page.rfind(b">", start, at) < 0 and start >= end:
            end = _closing(page, name.group(1), opened + 1)
            if end is None:
                return None
            found.append(page[start:end])
            at = page.find(attribute, end)
        else:
            at = page.find(attribute, at + len(attribute))
    return found


@lru_cache(maxsize=64)
def _tags_named(tag: bytes) -> re.Pattern:
    return re.compile(rb"<(/?)" + re.escape(tag) + rb"[\s>]", re.I)


def _closing(page: bytes, tag: bytes, start: int) -> int | None:
    """The end of the element whose opening tag `tag` ends at `start`."""
    depth = 1
    for match in _tags_named(tag).finditer(page, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = page.find(b">", match.start())
            return None if close < 0 else close + 1
    return None




def _scratch() -> str | None:
    """A folder in memory (Linux's /dev/shm) for the temporary copy: tens of thousands of small
    files, written, read once and deleted, cost 15 s at 10,000 events on a disk that discards
    freed blocks, and none of that needs to reach a disk. The system's temporary folder otherwise."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


INSTALL = "pip install 'pagefind[bin]>=1.5,<1.6'"
WITHOUT = "or build without a search index (--no-search)"


def _binary() -> str:
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(f"search index: the 'pagefind' package is missing ({INSTALL}), {WITHOUT}") from None
    try:
        binary = get_executable()
    except OSError as exc:   # pagefind_bin installed without its program
        raise SearchIndexError(f"search index: the Pagefind program is missing ({exc}); reinstall it "
                               f"({INSTALL}), {WITHOUT}") from None
    if binary is None:
        raise SearchIndexError(f"search index: the Pagefind program is missing ({INSTALL}), {WITHOUT}")
    return str(binary)


def _cannot_run(exc: OSError) -> SearchIndexError:
    """The program could not be started: a set-up problem, said with what to do about it."""
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:   # pagefind's own setting for which program to run
        return SearchIndexError(f"search index: Pagefind could not run ({exc.strerror or exc}: "
                                f"PAGEFIND_BINARY_PATH={chosen}); point PAGEFIND_BINARY_PATH at the Pagefind "
                                f"program or unset it, {WITHOUT}")
    return SearchIndexError(f"search index: Pagefind could not run ({exc}); reinstall it ({INSTALL}), {WITHOUT}")


def _last_lines(output: str, count: int = 3, width: int = 300) -> str:
    """What a failed program said last, on one line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    said = " / ".join(lines[-count:])
    return said if len(said) <= width else "…" + said[-width:]


def pagefind_version() -> str:
    """The version the Pagefind program says it is ("pagefind 1.5.2"): part of every shard's key."""
    binary = _binary()
    try:
        stat = os.stat(binary)
    except OSError as exc:
        raise _cannot_run(exc) from None
    return _version(binary, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _version(binary: str, _mtime: int, _size: int) -> str:
    try:
        run = subprocess.run([binary, "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                             text=True, errors="replace")
    except OSError as exc:
        raise _cannot_run(exc) from None
    if run.returncode != 0 or not run.stdout.strip():
        said = _last_lines(run.stderr or run.stdout)
        raise SearchIndexError(f"search index: 'pagefind --version' failed (exit {run.returncode}"
                               f"{': ' + said if said else ''}); reinstall it ({INSTALL}), {WITHOUT}")
    return run.stdout.strip()


def _index(config: Config, pages: Mapping[str, bytes], background: bool = False,
           cut: bool = False) -> dict[str, bytes]:
    """Pagefind's command line over a private temporary copy of the pages, writing the index
    into a private temporary folder. Not its Python API: the API's wrapper (pagefind 1.5) pauses
    before reading each answer and reads each with a size limit (an index sent back in one answer
    never arrived: a build of 1,000 events hung), needs an event loop, and was much slower than
    the command for the same bytes."""
    binary = _binary()
    with tempfile.TemporaryDirectory(prefix="dateline-search-", dir=_scratch()) as folder:
        site, bundle = Path(folder, "site"), Path(folder, "bundle")
        for path, data in pages.items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file(target, data if cut else what_pagefind_reads(data))
        nice = shutil.which("nice") if background else None
        try:
            run = subprocess.run([*([nice, "-n", "10"] if nice else []), binary, "--site", str(site),
                                  "--output-path", str(bundle), "--force-language", config.language,
                                  "--silent"],
                                 stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace")
        except OSError as exc:
            raise _cannot_run(exc) from None
        if run.returncode != 0:
            raise SearchIndexError(f"search index: Pagefind failed (exit {run.returncode}: "
                                   f"{_last_lines(run.stderr or run.stdout) or 'it said nothing'}); "
                                   f"if it fails again, reinstall it ({INSTALL}), {WITHOUT}")
        return {f.relative_to(bundle).as_posix(): f.read_bytes()
                for f in sorted(bundle.rglob("*")) if f.is_file()}


def _index_shards(config: Config, groups: list[list[str]], pages: Mapping[str, bytes],
                  background: bool, cut: bool) -> list["Shard"]:
    """Each group of paths indexed by a Pagefind of its own, as many at once as there are cores
    (Pagefind keeps about one busy). The pages are read here, on this thread, and only these."""
    chosen = [{path: data for path in group if indexes(path, data := pages[path])} for group in groups]

    def one(shard_pages: dict[str, bytes]) -> Shard:
        if not shard_pages:
            return EMPTY
        # given last to first: Pagefind numbers the pages of a folder in the order it lists
        # them, which on Linux's tmpfs is newest first, so that they come in the index's order
        # and read_bundle keeps Pagefind's bytes instead of encoding every location again; any
        # other order is renumbered, to the same result
        backwards = dict(reversed(shard_pages.items()))
        return read_bundle(_index(config, backwards, background, cut), list(shard_pages))

    jobs = min(len(chosen), workers())
    if jobs <= 1:
        return [one(item) for item in chosen]
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="dateline-pagefind") as pool:
        return list(pool.map(one, chosen))


# -- Pagefind's files ------------------------------------------------------------------------------
#
# What dateline reads and writes of Pagefind's index (pagefind 1.x, the format pagefind 1.5 writes;
# pagefind/src/index/*.rs in its source): every file but the JavaScript and WebAssembly is gzip of
# b"pagefind_dcd" and CBOR.
# - pagefind-entry.json: {"version", "languages": {language: {"hash", "wasm", "page_count"}},
#   "include_characters"}; the language's meta file is pagefind.<hash>.pf_meta.
# - meta: [version, pages [[fragment hash, word count]], index chunks [[from, to, hash]],
#   filters [[name, hash]], sorts [[name, [page numbers]]], meta fields [names, sorted]].
#   A page's number is its place in the list.
# - index/<hash>.pf_index: [[word entries]] in the words' order, each [word, pages, variants]:
#   pages [[page number minus the one before, locations, meta locations]], variants (the word
#   with diacritics) [[form, pages]]. Meta locations name a field by its place in the meta fields.
# - filter/<hash>.pf_filter: [name, [[value, [page numbers]]]].
# - fragment/<hash>.pf_fragment: the page as JSON ({"url", "content", "word_count", ...}); its
#   hash is the start of a SHA-1 of the JSON (Pagefind's full_hash).

SIGNATURE = b"pagefind_dcd"
CHUNK_SIZE = 20_000   # Pagefind's index chunk size: locations (and one a page) per chunk


def _decode(data: bytes):
    import cbor2
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError(f"search index: Pagefind wrote a file in a format dateline does not know; use "
                               f"Pagefind 1.5 ({INSTALL})")
    return cbor2.loads(raw[len(SIGNATURE):])


def _gzip(raw: bytes) -> bytes:
    # level 6: about the size of Pagefind's own files; 9 is hardly smaller and much slower
    return gzip.compress(SIGNATURE + raw, compresslevel=6, mtime=0)


def _encode(value) -> bytes:
    import cbor2
    return _gzip(cbor2.dumps(value))


def _head(major: int, n: int) -> bytes:
    """A CBOR head: the major type and a number, in the fewest bytes (as cbor2 and minicbor)."""
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << 8 * size:
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError(n)


def _text(value: str) -> bytes:
    data = value.encode()
    return _head(3, len(data)) + data


def _full_hash(data: bytes) -> str:
    """Pagefind's file hash: SHA-1 with each byte in hexadecimal, without leading zeros."""
    return "".join(format(b, "x") for b in hashlib.sha1(data).digest())


def _unknown(what: str) -> SearchIndexError:
    return SearchIndexError(f"search index: Pagefind wrote {what} dateline does not know; "
                            f"use Pagefind 1.5 ({INSTALL})")


def _url(path: str) -> str:
    """The URL Pagefind gives the page at `path` (its build_url)."""
    if path == "index.html":
        return "/"
    return "/" + (path[: -len("index.html")] if path.endswith("/index.html") else path)


class Word(NamedTuple):
    """A word's locations in one shard: `first` and `last`, the shard's numbers of its first and
    last page; `count` pages; `size`, Pagefind's measure for chunks; `rest`, the CBOR of its
    pages after the first page's number (the pages after the first are numbered from the one
    before, so only the first number changes when the shards are merged)."""
    first: int
    last: int
    count: int
    size: int
    rest: bytes


class Shard(NamedTuple):
    """A shard's index, read from Pagefind's files; its pages are numbered in the index's order."""
    version: str = ""                 # Pagefind's, as in its meta file
    language: str = ""
    wasm: str = ""
    include_characters: tuple = ()
    pages: tuple = ()                 # (fragment full hash, fragment file, word count), in order
    words: dict = {}                  # word -> Word
    variants: dict = {}               # word -> [(form, [(page, locations, meta locations)])]
    filters: dict = {}                # name -> {value: [page]}
    meta_fields: tuple = ()
    assets: dict = {}                 # pagefind.js, its worker, the WebAssembly


EMPTY = Shard()


def read_bundle(files: dict[str, bytes], paths: list[str]) -> Shard:
    """A shard's index from the files Pagefind wrote for the pages at `paths` (in the index's
    order), its pages renumbered in that order."""
    import cbor2
    if "pagefind-entry.json" not in files:
        raise SearchIndexError("search index: Pagefind ended as if it had succeeded but wrote no index; run it "
                               f"again, and if it does that again, reinstall it ({INSTALL}), {WITHOUT}")
    try:
        entry = json.loads(files["pagefind-entry.json"])
        (language, info), = entry["languages"].items()
        meta = _decode(files[f"pagefind.{info['hash']}.pf_meta"])
    except (KeyError, ValueError, TypeError):
        raise _unknown("an entry file") from None
    if not (isinstance(meta, list) and len(meta) == 6 and all(isinstance(part, list) for part in meta[1:])):
        raise _unknown("a meta file")
    version, meta_pages, chunks, filters, sorts, meta_fields = meta
    if sorts:
        raise SearchIndexError("search index: data-pagefind-sort is not supported (the shards' sort "
                               "orders cannot be merged); remove it from the templates")
    given = {_url(path): path for path in paths}
    found = {}                              # path -> (Pagefind's page number, page)
    for n, (fragment, word_count) in enumerate(meta_pages):
        data = files[f"fragment/{fragment}.pf_fragment"]
        body = gzip.decompress(data)[len(SIGNATURE):]
        url = json.loads(body)["url"]
        if url not in given or given[url] in found:
            raise SearchIndexError(f"search index: Pagefind indexed {url!r}, which dateline did not give it")
        found[given[url]] = (n, (_full_hash(body), data, word_count))
    # the pages Pagefind indexed (it leaves out one it cannot read, as it would in one run), in order
    indexed = [path for path in paths if path in found]
    number = [0] * len(meta_pages)          # Pagefind's page number -> the shard's
    for i, path in enumerate(indexed):
        number[found[path][0]] = i
    pages = [found[path][1] for path in indexed]
    words, variants = {}, {}
    in_order = number == list(range(len(number)))
    for _from, _to, chunk in chunks:
        for (word, word_pages, word_variants), encoded in _entries(files[f"index/{chunk}.pf_index"]):
            if word_pages and in_order:   # the pages as they are, from Pagefind's bytes
                first, head = word_pages[0][0], b"\x83" + _text(word) + _head(4, len(word_pages)) + b"\x83"
                skip = len(head) + len(_head(0, first))
                tail = len(cbor2.dumps(word_variants)) if word_variants else 1
                if not encoded.startswith(head):    # not the shortest form cbor2 and Pagefind write
                    raise _unknown("an index chunk")
                words[word] = Word(first, sum(map(_FIRST, word_pages)), len(word_pages), _size(word_pages),
                                   encoded[skip:len(encoded) - tail])
            elif word_pages:              # renumbered, in the index's order
                located = _renumber(word_pages, number)
                first = located[0][0]
                encoded = cbor2.dumps(_deltas(located))
                skip = len(_head(4, len(located))) + 1 + len(_head(0, first))
                words[word] = Word(first, located[-1][0], len(located), _size(located), encoded[skip:])
            if word_variants:
                variants[word] = [(form, _renumber(variant_pages, number))
                                  for form, variant_pages in word_variants]
    merged_filters = {}
    for name, chunk in filters:
        filter_name, values = _decode(files[f"filter/{chunk}.pf_filter"])
        merged_filters[filter_name] = {value: sorted(number[n] for n in numbers) for value, numbers in values}
    assets = {path: data for path, data in files.items()
              if "/" not in path and not path.endswith((".pf_meta", ".json")) and not path.startswith(UNUSED)}
    return Shard(version, language, info["wasm"], tuple(entry.get("include_characters", ())),
                 tuple(pages), words, variants, merged_filters, tuple(meta_fields), assets)


def _entries(data: bytes):
    """(word entry, its bytes) of each word of an index chunk: Pagefind's bytes of a word are
    kept, not encoded again, where its pages need no new numbers."""
    import cbor2
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE) or raw[len(SIGNATURE)] != 0x81 or raw[len(SIGNATURE) + 1] >> 5 != 4:
        raise _unknown("an index chunk")
    body = io.BytesIO(raw)
    info = raw[len(SIGNATURE) + 1] & 31
    if info < 24:
        count, body_at = info, len(SIGNATURE) + 2
    elif info < 28:
        size = 1 << (info - 24)
        count = int.from_bytes(raw[len(SIGNATURE) + 2:len(SIGNATURE) + 2 + size], "big")
        body_at = len(SIGNATURE) + 2 + size
    else:
        raise _unknown("an index chunk")
    body.seek(body_at)
    decoder = cbor2.CBORDecoder(body)
    for _ in range(count):
        start = body.tell()
        entry = decoder.decode()
        if not (isinstance(entry, list) and len(entry) == 3 and set(map(len, entry[1])) <= {3}):
            raise _unknown("an index chunk")
        yield entry, raw[start:body.tell()]


_FIRST, _LOCS, _META_LOCS = itemgetter(0), itemgetter(1), itemgetter(2)


def _size(word_pages: list) -> int:
    """Pagefind's measure of a word for cutting chunks: its locations, and one a page."""
    return len(word_pages) + sum(map(len, map(_LOCS, word_pages))) + sum(map(len, map(_META_LOCS, word_pages)))


def _renumber(word_pages: list, number: list[int]) -> list[tuple[int, list, list]]:
    """[(page, locations, meta locations)] from Pagefind's [[page delta, locations, meta
    locations]], each page by the shard's number, in its order."""
    located, page = [], 0
    for item in word_pages:
        if len(item) != 3:
            raise _unknown("an index chunk")
        page += item[0]
        located.append((number[page], item[1], item[2]))
    located.sort(key=lambda item: item[0])
    return located


def _deltas(located: list[tuple[int, list, list]], offset: int = 0, before: int = 0) -> list[list]:
    out = []
    for page, locs, meta_locs in located:
        out.append([page + offset - before, locs, meta_locs])
        before = page + offset
    return out


# -- the merge -------------------------------------------------------------------------------------

def merge(shards: list[Shard], compressed: dict[str, bytes] | None = None,
          used: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """One Pagefind bundle of the shards' pages (in the shards' order), as Pagefind writes it for
    them all: {path in pagefind/: bytes}. The same pages in any number of shards give the same
    bytes. `compressed`: index chunks compressed before, by the hash of their bytes (after an
    edit, a third of them are as they were); `used` gets those of this index."""
    import cbor2
    compressed = {} if compressed is None else compressed
    used = {} if used is None else used
    shards = [shard for shard in shards if shard.pages]
    if not shards:
        return {}
    first = shards[0]
    for shard in shards[1:]:
        if (shard.version, shard.language, shard.wasm) != (first.version, first.language, first.wasm):
            raise SearchIndexError("search index: the shards were indexed by different Pagefind versions")
    language, files = first.language, {}
    offsets, total = [], 0
    for shard in shards:
        offsets.append(total)
        total += len(shard.pages)
    fields = sorted(set().union(*(shard.meta_fields for shard in shards)))
    field_maps = [None if list(shard.meta_fields) == fields
                  else {-(i + 1): -(fields.index(name) + 1) for i, name in enumerate(shard.meta_fields)}
                  for shard in shards]

    # fragments: Pagefind's names, the start of each page's hash, longer where two pages share it
    names: dict[str, str] = {}             # file name -> full hash
    meta_pages = []
    for shard in shards:
        for full, data, word_count in shard.pages:
            length = 7
            name = f"{language}_{full[:length]}"
            while names.get(name, full) != full:
                length += 1
                name = f"{language}_{full[:length]}"
            names[name] = full
            files[f"fragment/{name}.pf_fragment"] = data
            meta_pages.append([name, word_count])

    # words: every shard's locations, in the pages' order, cut into chunks by Pagefind's rule
    found: dict[str, list[int]] = {}
    for i, shard in enumerate(shards):
        for word in shard.words:
            found.setdefault(word, []).append(i)
        for word in shard.variants:
            found.setdefault(word, [])
    chunks, chunk, size = [], [], 0
    for word in sorted(found):
        parts, count, last, word_size = [], 0, 0, 0
        for i in found[word]:
            entry = shards[i].words[word]
            rest = entry.rest if field_maps[i] is None else _remap(entry, field_maps[i])
            start = offsets[i] + entry.first
            parts += [b"\x83", _head(0, start - last), rest]
            count, last, word_size = count + entry.count, offsets[i] + entry.last, word_size + entry.size
        variants = _variants(word, shards, offsets, field_maps)
        chunk.append((word, b"".join([b"\x83", _text(word), _head(4, count), *parts, cbor2.dumps(variants)])))
        size += word_size
        if size >= CHUNK_SIZE:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    meta_chunks = _chunk_ranges([(chunk[0][0], chunk[-1][0]) for chunk in chunks])
    raws = [b"".join([b"\x81", _head(4, len(chunk)), *(data for _, data in chunk)]) for chunk in chunks]
    hashes = [_full_hash(raw) for raw in raws]
    missing = [i for i, full in enumerate(hashes) if full not in compressed]
    with ThreadPoolExecutor(max_workers=max(1, min(len(missing), workers()))) as pool:   # zlib lets go of the GIL
        for i, data in zip(missing, pool.map(_gzip, [raws[i] for i in missing])):
            compressed[hashes[i]] = data
    taken: set[str] = set()
    for bounds, full in zip(meta_chunks, hashes):
        name = _unique(language, full, taken)
        files[f"index/{name}.pf_index"] = used[full] = compressed[full]
        bounds.append(name)

    # filters: every value's pages, values sorted (Pagefind writes them in hash-map order)
    merged: dict[str, dict[str, list[int]]] = {}
    for i, shard in enumerate(shards):
        for name, values in shard.filters.items():
            into = merged.setdefault(name, {})
            for value, numbers in values.items():
                into.setdefault(value, []).extend(offsets[i] + n for n in numbers)
    meta_filters = []
    for name, values in sorted(merged.items()):
        data = _encode([name, [[value, values[value]] for value in sorted(values)]])
        hashed = _name(language, data, 7)
        files[f"filter/{hashed}.pf_filter"] = data
        meta_filters.append([name, hashed])

    data = _encode([first.version, meta_pages, meta_chunks, meta_filters, [], fields])
    meta_name = _name(language, data, 10)
    files[f"pagefind.{meta_name}.pf_meta"] = data
    entry = {"version": first.version,
             "languages": {language: {"hash": meta_name, "wasm": first.wasm, "page_count": total}},
             "include_characters": list(first.include_characters)}
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    files.update(first.assets)
    return files


def _remap(entry: Word, fields: dict[int, int]) -> bytes:
    """A word's `rest` with its meta locations naming the fields by their place in the merged
    index's list (a shard without some field numbers the others differently)."""
    import cbor2
    skip = len(_head(4, entry.count)) + 1 + len(_head(0, entry.first))
    items = cbor2.loads(_head(4, entry.count) + b"\x83" + _head(0, entry.first) + entry.rest)
    for item in items:
        item[2] = [fields.get(loc, loc) for loc in item[2]]
    return cbor2.dumps(items)[skip:]


def _variants(word: str, shards: list[Shard], offsets: list[int], field_maps: list) -> list:
    """The word's variants (with diacritics) in every shard, each form's pages merged."""
    forms: dict[str, list] = {}
    for i, shard in enumerate(shards):
        fields = field_maps[i] or {}
        for form, located in shard.variants.get(word, ()):
            forms.setdefault(form, []).extend(
                (offsets[i] + page, locs, [fields.get(loc, loc) for loc in meta_locs])
                for page, locs, meta_locs in located)
    ordered = sorted(forms.items(), key=lambda item: (item[1][0][0], item[0]))   # by first page
    return [[form, _deltas(located)] for form, located in ordered]


def _chunk_ranges(bounds: list[tuple[str, str]]) -> list[list[str]]:
    """[from, to] of each index chunk from its first and last word, cut to the shortest prefixes
    that tell neighbours apart (Pagefind's chunk_meta: the browser loads the chunks whose range
    holds a search term)."""
    ranges = [[first, last] for first, last in bounds]
    for before, after in zip(ranges, ranges[1:]):
        common = 0
        for a, b in zip(after[0], before[1]):
            if a != b:
                break
            common += 1
        to, from_ = before[1][:common + 1], after[0][:common + 1]
        if to >= before[0]:
            before[1] = to
        after[0] = from_
    return ranges


def _unique(language: str, full: str, taken: set[str]) -> str:
    length = 7
    while f"{language}_{full[:length]}" in taken and length < len(full):
        length += 1
    name = f"{language}_{full[:length]}"
    taken.add(name)
    return name


def _name(language: str, data: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


# -- the store -------------------------------------------------------------------------------------
#
# One file a shard, <key>.shard, a pickle of (FORMAT, key, Shard), and chunks.shard, the last
# index's chunks compressed; each written to a temporary file in the store and renamed: a reader
# finds a whole file or none. A store that cannot be read or written is ignored: every shard is
# indexed, as without one.

def _read(store: Path, key: str, kind: type):
    try:
        with open(store / (key + STORED), "rb") as handle:
            stored = pickle.load(handle)
    except Exception:   # missing, unreadable, cut short, or from another dateline: made again
        return None
    if isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (FORMAT, key) \
            and isinstance(stored[2], kind):
        return stored[2]
    return None


def _load(store: Path, key: str) -> Shard | None:
    return _read(store, key, Shard)


def _load_chunks(store: Path) -> dict[str, bytes]:
    chunks = _read(store, CHUNKS, dict)
    return chunks if chunks is not None and all(isinstance(v, bytes) for v in chunks.values()) else {}


def _save(store: Path, key: str, value: Shard | dict) -> None:
    try:
        store.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=store)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump((FORMAT, key, value), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, store / (key + STORED))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        pass


def _prune(store: Path, keep: set[str]) -> None:
    """Remove the shards not in use, and what writers killed midway left (an hour ago: a
    temporary file younger than that may be another build's, still being written)."""
    try:
        names = os.listdir(store)
    except OSError:
        return
    keep = keep | {CHUNKS}
    for name in names:
        with contextlib.suppress(OSError):
            if name.endswith(STORED) and name[: -len(STORED)] not in keep:
                os.unlink(store / name)
            elif name.endswith(".tmp") and time.time() - os.stat(store / name).st_mtime > 3600:
                os.unlink(store / name)


__all__ = ["search_index", "SearchIndexError", "what_pagefind_reads", "indexes", "merge",
           "read_bundle", "shard_count", "shard_of", "shard_key"]
