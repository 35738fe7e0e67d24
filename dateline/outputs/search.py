"""Full-text search: a Pagefind index of the rendered pages, as {output path: bytes}.

Pagefind (its Python API) indexes a private temporary copy of the pages and writes the index
into a private temporary folder, read back at once: search is part of the render stage like
every other output, with no crawl of the output folder, the same atomic write, the same golden
test. Pages opt in with `data-pagefind-body` (events and standalone
pages; lists and term pages would only repeat them), and mark their filters (tag, actor, year)
with `data-pagefind-filter`. The index has no absolute URL in it: the page's script tells
Pagefind where the site lives, so search works at a domain's root, under a subpath and from disk.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import hashlib
import json
import tempfile
from pathlib import Path
from collections.abc import Mapping

from ..config import Config

OPT_IN = b"data-pagefind-body"
# Pagefind also ships its own search UIs; the theme has its own small one in dateline.js.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


class SearchIndexError(Exception):
    """Pagefind could not be run (not installed, or it failed): a set-up problem, not content."""


def search_index(config: Config, pages: Mapping[str, bytes]) -> dict[str, bytes]:
    chosen = {path: data for path, data in sorted(pages.items())
              if path.endswith(".html") and OPT_IN in data}
    if not chosen:
        return {}
    try:
        files = _run(_index(config, chosen))
    except SearchIndexError:
        raise
    except Exception as exc:   # the service is a subprocess: any failure there is a set-up problem
        raise SearchIndexError(f"search index: Pagefind failed ({type(exc).__name__}: {exc}); "
                               "is 'pagefind[bin]' installed in this environment?") from None
    files = stabilise({path: data for path, data in files.items() if not path.startswith(UNUSED)})
    return {f"pagefind/{path}": data for path, data in sorted(files.items())}


def _run(coroutine):
    """asyncio.run, also from code that already has an event loop running in this thread (a
    notebook, Playwright's sync API in the tests): there the index is made on its own thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _index(config: Config, pages: Mapping[str, bytes]) -> dict[str, bytes]:
    try:
        from pagefind.index import IndexConfig
        from pagefind.service import PagefindService
    except ImportError:
        raise SearchIndexError("search index: the 'pagefind' package is missing "
                               "(pip install 'pagefind[bin]')") from None
    options = IndexConfig(force_language=config.language, keep_index_url=False, verbose=False)
    # The service, not `async with PagefindIndex()`: leaving that context writes the index into
    # the current folder, and render must not touch the disk.
    service = await PagefindService().launch()
    try:
        index = await service.create_index(options)
        # Through a private temporary folder both ways, not add_html_file and get_files: the
        # wrapper (pagefind 1.5) waits 0.1 s before reading each answer (82 s for 800 pages one
        # by one), and reads each answer with a 2 MiB limit, past which get_files, which sends
        # the whole index in one answer, never returns (a build of 1,000 events hung).
        with tempfile.TemporaryDirectory(prefix="dateline-search-") as folder:
            site, bundle = Path(folder, "site"), Path(folder, "bundle")
            for path, data in pages.items():
                target = site / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            await index.add_directory(str(site))
            await index.write_files(output_path=str(bundle))
            return {f.relative_to(bundle).as_posix(): f.read_bytes()
                    for f in sorted(bundle.rglob("*")) if f.is_file()}
    finally:
        await service.close()


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
