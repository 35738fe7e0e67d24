"""Full-text search: a Pagefind index of the rendered pages, as {output path: bytes}.

Pagefind (its command line, from the pagefind[bin] package) indexes a private temporary copy of
the pages and writes the index into a private temporary folder, read back at once: search is part of the render stage like
every other output, with no crawl of the output folder, the same atomic write, the same golden
test. Pages opt in with `data-pagefind-body` (events and standalone
pages; lists and term pages would only repeat them), and mark their filters (tag, actor, year)
with `data-pagefind-filter`. The index has no absolute URL in it: the page's script tells
Pagefind where the site lives, so search works at a domain's root, under a subpath and from disk.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from collections.abc import Mapping

from ..config import Config

OPT_IN = b"data-pagefind-body"
# Pagefind also ships its own search UIs; the theme has its own small one in dateline.js.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


class SearchIndexError(Exception):
    """Pagefind could not be run (not installed, or it failed): a set-up problem, not content."""


def indexes(path: str, data: bytes) -> bool:
    """Whether the rendered file at `path` is a page the index covers."""
    return path.endswith(".html") and OPT_IN in data


def search_index(config: Config, pages: Mapping[str, bytes], background: bool = False,
                 cut: bool = False, store: Path | None = None,
                 digests: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The index of `pages`. `background`: Pagefind runs at a low priority (serve indexes while
    the editor saves, and a save must not wait for the cores Pagefind is using). `cut`: the
    pages are already what_pagefind_reads of them (cut where they were rendered). `digests`:
    every indexed page's digest (then `pages` may fetch a page's bytes only when asked)."""
    if digests is not None:
        pages = {path: pages[path] for path in digests}
    chosen = {path: data for path, data in sorted(pages.items()) if indexes(path, data)}
    if not chosen:
        return {}
    try:
        files = _index(config, chosen, background, cut)
    except OSError as exc:   # the program could not be started: a set-up problem
        raise SearchIndexError(f"search index: Pagefind could not run ({exc}); "
                               "is 'pagefind[bin]' installed in this environment?") from None
    files = stabilise({path: data for path, data in files.items() if not path.startswith(UNUSED)})
    return {f"pagefind/{path}": data for path, data in sorted(files.items())}


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


def _index(config: Config, pages: Mapping[str, bytes], background: bool = False,
           cut: bool = False) -> dict[str, bytes]:
    """Pagefind's command line over a private temporary copy of the pages, writing the index
    into a private temporary folder. Not its Python API: the API's wrapper (pagefind 1.5) waits
    0.1 s before reading each answer and reads each with a 2 MiB limit (an index sent back in one
    answer never arrived: a build of 1,000 events hung), needs an event loop, and took 47 s at
    10,000 events where the command takes 30 s for the same bytes."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError("search index: the 'pagefind' package is missing "
                               "(pip install 'pagefind[bin]')") from None
    binary = get_executable()
    if binary is None:
        raise SearchIndexError("search index: the Pagefind program is missing (pip install 'pagefind[bin]')")
    with tempfile.TemporaryDirectory(prefix="dateline-search-", dir=_scratch()) as folder:
        site, bundle = Path(folder, "site"), Path(folder, "bundle")
        for path, data in pages.items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data if cut else what_pagefind_reads(data))
        nice = shutil.which("nice") if background else None
        run = subprocess.run([*([nice, "-n", "10"] if nice else []), str(binary), "--site", str(site),
                              "--output-path", str(bundle), "--force-language", config.language, "--silent"],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace")
        if run.returncode != 0:
            raise SearchIndexError(f"search index: Pagefind failed (exit {run.returncode}): "
                                   f"{(run.stderr or run.stdout).strip()[-500:]}")
        return {f.relative_to(bundle).as_posix(): f.read_bytes()
                for f in sorted(bundle.rglob("*")) if f.is_file()}


# Pagefind (1.5) writes its filter indexes, and the list of them in the language's meta file, in
# hash-map order, which changes from run to run (Pagefind issue #638: fragments are stable, these
# are not). dateline promises byte-identical builds and no rewrite of unchanged files, so the
# filter values and the filter list are sorted, and the files renamed by a hash of what they now
# hold; the references to them (meta file, pagefind-entry.json) follow.
SIGNATURE = b"pagefind_dcd"


def _decode(data: bytes):
    import cbor2
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError("search index: Pagefind wrote a file in a format dateline does not know")
    return cbor2.loads(raw[len(SIGNATURE):])


def _encode(value) -> bytes:
    import cbor2
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _name(language: str, data: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


def stabilise(files: dict[str, bytes]) -> dict[str, bytes]:
    entry = json.loads(files["pagefind-entry.json"])
    out = dict(files)
    for language, info in sorted(entry["languages"].items()):
        meta_path = f"pagefind.{info['hash']}.pf_meta"
        meta = _decode(out.pop(meta_path))
        if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)
                and all(isinstance(f, list) and len(f) == 2 for f in meta[3])):
            raise SearchIndexError(f"search index: Pagefind {entry.get('version')} wrote a meta file "
                                   "dateline does not know; use Pagefind 1.x (pip install 'pagefind[bin]>=1.3,<2')")
        renamed = {}
        for filter_name, old in meta[3]:
            name, values = _decode(out.pop(f"filter/{old}.pf_filter"))
            data = _encode([name, sorted(values, key=lambda v: v[0])])
            renamed[filter_name] = new = _name(language, data, 7)
            out[f"filter/{new}.pf_filter"] = data
        meta[3] = sorted([name, new] for name, new in renamed.items())
        data = _encode(meta)
        info["hash"] = _name(language, data, 10)
        out[f"pagefind.{info['hash']}.pf_meta"] = data
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return out


__all__ = ["search_index", "SearchIndexError"]
