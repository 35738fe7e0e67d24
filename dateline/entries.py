"""Every content file read and parsed into an Event or Page (stages load and parse), on every
core, and from the build cache where a file's text is unchanged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from .cache import BuildCache, digest, file_digest
from .errors import ContentError
from .load import decode, load_text, misnamed, read_bytes
from .model import Event, Page, Translation
from .parallel import ordered_map
from .parse import parse_event, parse_page, share_paths
from .progress import Progress
from .translations import parse_translation


class Parsed(NamedTuple):
    """One content file as read and parsed: the digest of its text (None if it could not be
    read), the Event or Page (None if it has errors that stop it), and the errors. The text
    itself is not kept: the item holds what is needed of it."""
    rel: str                          # path relative to the content folder
    key: str | None
    item: Event | Page | Translation | None
    errors: list[ContentError]
    raw: bytes | None = None          # the digest of the bytes read (cache.file_digest)
    head: str | None = None           # head_of(item)


def head_of(item: Event | Page | Translation) -> str:
    """A digest of what other pages show of an entry: everything but its body (a card, a
    neighbour's link, a marker on a map). Pages that list an entry read this; its own page
    reads all of it."""
    return digest(repr(replace(item, body="", body_line=0)))


def _load_one(job: tuple) -> Parsed:
    """One content file: read (unless its bytes are given), load and parse."""
    path, kind, content, data, folders = job
    rel = path.relative_to(content).as_posix()
    if kind == "misnamed":
        return Parsed(rel, None, None, [misnamed(rel)])
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
    item, errors = (parse_event if kind == "event" else parse_translation if kind.endswith("translation")
                    else parse_page)(entry)
    return Parsed(rel, key, item, errors, raw, head_of(item) if item is not None else None)


def parse_one(content: Path, path: Path, kind: str) -> Parsed:
    """One content file read and parsed again."""
    return _load_one((path, kind, content, None, {}))


def parse_files(content: Path, found: list[tuple[Path, str]], cache: BuildCache | None = None,
                progress: Progress | None = None, unchanged: dict | None = None) -> list[Parsed]:
    """Each of the `found` files read and parsed, in order: from `cache` where its text is
    there, the others on every core. `unchanged`: {relative path: (file digest, entry key)} of
    files as the last build read them (BuildCache.unchanged_inputs), found in the cache unread."""
    unchanged = unchanged or {}
    parsed: dict[int, Parsed] = {}
    todo: list[tuple] = []
    folders: dict[Path, Path] = {}
    # An empty cache (a first or clean build) can hold none of them: the workers read the files
    lookup = cache is not None and bool(cache.entries)
    for index, (path, kind) in enumerate(found):
        data = None
        if lookup and kind != "misnamed":
            rel = path.relative_to(content).as_posix()
            raw, key = unchanged.get(rel, (None, None))
            hit = cache.entry(key) if key is not None else None
            if hit is not None:
                parsed[index] = Parsed(rel, key, hit[0], [], raw, hit[1])
                continue
            data, _ = read_bytes(path, rel, content, folders)
            text = decode(data, rel)[0] if data is not None else None
            key = digest(kind, rel, text) if text is not None else None
            hit = cache.entry(key) if key is not None else None
            if hit is not None:
                item, head = hit
                parsed[index] = Parsed(rel, key, item, [], file_digest(data), head)
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
            cache.keep_entry(result.key, (result.item, result.head))
    return [parsed[index] for index in range(len(found))]


__all__ = ["Parsed", "parse_files", "parse_one", "head_of"]
