"""The search index in shards (dateline/outputs/search.py): pages go to shards by a hash of their
path, Pagefind indexes each shard on its own, a store on disk keeps each shard's index by the
digests of its pages, and the shards are merged into one Pagefind index.

Pagefind runs are counted by wrapping `search._index`, the function that runs it."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import cbor2
import pytest

from dateline.cache import file_digest
from dateline.config import load_config
from dateline.outputs import search

WORDS = ("flood levee river bank shelter convoy strike ceasefire court ruling curfew drone "
         "protest border talks market bridge harbour").split()
TAGS = ("flood", "strike", "talks")
ACTORS = ("Vale council", "Harbour board", "River authority")


def page(i: int, extra: str = "") -> bytes:
    """An event page as dateline marks it up: body, title and date meta, tag/actor/year filters."""
    words = " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(25 + i % 13))
    tag, actor, year = TAGS[i % 3], ACTORS[(i // 3) % 3], 2020 + i % 5
    return (f'<!DOCTYPE html><html lang="en"><head><title>Event {i}</title></head><body>'
            f'<main data-pagefind-body><h1 data-pagefind-meta="title">Event {i} at Riverton</h1>'
            f'<p data-pagefind-meta="date">{year}-01-{1 + i % 28:02d}</p>'
            f'<p>{words} {extra}</p>'
            f'<span data-pagefind-filter="tag">{tag}</span>'
            f'<span data-pagefind-filter="actor">{actor}</span>'
            f'<span data-pagefind-filter="year">{year}</span></main></body></html>').encode()


def site(n: int) -> dict[str, bytes]:
    pages = {f"events/e{i}/index.html": page(i) for i in range(n)}
    pages["about/index.html"] = page(999).replace(b"Event 999", "À propos, café".encode())
    return pages


@pytest.fixture
def config(tmp_path):
    return load_config(tmp_path)


@pytest.fixture
def runs(monkeypatch) -> list[list[str]]:
    """The pages of every Pagefind run, one list a run."""
    seen: list[list[str]] = []
    real = search._index

    def counted(config, pages, *args, **kwargs):
        seen.append(sorted(pages))
        return real(config, pages, *args, **kwargs)

    monkeypatch.setattr(search, "_index", counted)
    return seen


def stored(store: Path) -> set[str]:
    return {p.name for p in store.iterdir()}


class Lazy(Mapping):
    """Pages read only when asked for, like a caller that reads them from disk; records which."""

    def __init__(self, pages: dict[str, bytes]):
        self.pages, self.read = pages, []

    def __getitem__(self, path: str) -> bytes:
        self.read.append(path)
        return self.pages[path]

    def __iter__(self) -> Iterator[str]:   # every file of a site: the index takes the digests' pages
        return iter([*self.pages, "feed.xml", "tags/index.html"])

    def __len__(self) -> int:
        return len(self.pages) + 2


def contents(files: dict[str, bytes]) -> dict:
    """What a Pagefind bundle holds, with every page named by its URL instead of its number or
    file name: two bundles with the same contents answer every search the same."""
    files = {name.removeprefix("pagefind/"): data for name, data in files.items()}

    def decode(data):
        raw = gzip.decompress(data)
        assert raw.startswith(b"pagefind_dcd")
        return cbor2.loads(raw[12:])

    entry = json.loads(files["pagefind-entry.json"])
    (language, info), = entry["languages"].items()
    meta = decode(files[f"pagefind.{info['hash']}.pf_meta"])
    names = [name for name, _ in meta[1]]
    url = {name: json.loads(gzip.decompress(files[f"fragment/{name}.pf_fragment"])[12:])["url"] for name in names}

    def located(pages):
        out, number = {}, 0
        for delta, locs, meta_locs in pages:
            number += delta
            out[url[names[number]]] = (locs, [meta[5][-loc - 1] if loc < 0 else loc for loc in meta_locs])
        return out

    words, chunks = {}, []
    for start, end, name in meta[2]:
        entries = decode(files[f"index/{name}.pf_index"])[0]
        chunks.append((start, end, [word for word, _, _ in entries]))
        for word, pages, variants in entries:
            words[word] = (located(pages), {form: located(v) for form, v in variants})
    filters = {}
    for _, name in meta[3]:
        filter_name, values = decode(files[f"filter/{name}.pf_filter"])
        filters[filter_name] = {value: sorted(url[names[n]] for n in numbers) for value, numbers in values}
    return {"version": meta[0], "pages": sorted((url[name], count) for name, count in meta[1]),
            "fragments": sorted(files[f"fragment/{name}.pf_fragment"] for name in names),
            "chunks": chunks, "words": words, "filters": filters, "sorts": meta[4], "fields": meta[5],
            "languages": (language, info["wasm"], info["page_count"]),
            "include_characters": entry["include_characters"],
            "assets": {name: data for name, data in files.items()   # Pagefind's own search UIs left out
                       if "/" not in name and not name.endswith((".pf_meta", ".json"))
                       and not name.startswith(search.UNUSED)}}


# -- which shard --------------------------------------------------------------------------------

def test_a_page_goes_to_a_shard_by_a_stable_hash_of_its_path():
    paths = [f"events/event-{i}/index.html" for i in range(10_000)] + ["about/index.html", "index.html"]
    # the same in every process and Python version (SHA-256 of the path, not hash())
    assert [search.shard_of(p, 32) for p in paths[:5]] == [
        int.from_bytes(hashlib.sha256(p.encode()).digest()[:8], "big") * 32 >> 64 for p in paths[:5]]
    assert search.shard_of("events/event-0/index.html", 32) == search.shard_of("events/event-0/index.html", 32)
    for count in (1, 2, 4, 8, 16, 32):
        # a site that doubles splits each shard in two: a page never moves to a shard of others
        assert all(search.shard_of(p, 2 * count) // 2 == search.shard_of(p, count) for p in paths)
    assert search.shard_count(0) == search.shard_count(search.PAGES_PER_SHARD) == 1
    assert search.shard_count(search.PAGES_PER_SHARD + 1) == 2
    count = search.shard_count(len(paths))
    sizes = [0] * count
    for p in paths:
        sizes[search.shard_of(p, count)] += 1
    assert len(paths) / count <= search.PAGES_PER_SHARD
    assert max(sizes) <= search.PAGES_PER_SHARD and min(sizes) > 0, sizes


# -- one index ---------------------------------------------------------------------------------------

def test_shards_merge_into_what_one_pagefind_run_writes_whatever_their_number(config, runs, monkeypatch):
    pages = site(60)
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 8)
    sharded = search.search_index(config, pages)
    assert len(runs) == search.shard_count(len(pages)) == 8
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 1000)
    assert search.search_index(config, pages) == sharded       # the same bytes for 8 shards or 1
    # and the same index as Pagefind's own of all the pages in one run (the page numbers and
    # file names aside): every word's locations on every page, the chunks, filters, fragments
    alone = search._index(config, pages)
    assert contents(sharded) == contents(alone)
    assert contents(sharded)["filters"]["tag"]["flood"]         # something was compared
    assert len(contents(sharded)["chunks"]) >= 1 and "café" in str(contents(sharded)["words"])


def test_the_merged_index_has_several_chunks_cut_where_pagefind_cuts_them(config, monkeypatch):
    """Pagefind cuts the word index into chunks of about 20,000 locations (the browser loads the
    chunk of a search term): a site big enough for several, indexed in 4 shards."""
    pages = {f"events/e{i}/index.html": page(i, " ".join(f"w{i * 31 % 997}x{k}" for k in range(150)))
             for i in range(400)}
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 100)
    sharded = search.search_index(config, pages)
    single = contents(search._index(config, pages))
    assert len(single["chunks"]) > 3
    assert contents(sharded) == single


# -- the store ---------------------------------------------------------------------------------------

def test_one_edit_changes_one_shard_and_runs_pagefind_once(config, runs, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 8)
    store = tmp_path / "store"
    pages = site(60)
    first = search.search_index(config, pages, store=store)
    count = search.shard_count(len(pages))
    assert len(runs) == count and first
    keys = stored(store)
    assert len(keys) == count + 1                                 # a file a shard, and the chunks

    runs.clear()
    assert search.search_index(config, pages, store=store) == first
    assert runs == [] and stored(store) == keys

    edited = dict(pages)
    edited["events/e7/index.html"] = page(7, "an edited sentence about the ferry")
    runs.clear()
    after = search.search_index(config, edited, store=store)
    assert len(runs) == 1 and "events/e7/index.html" in runs[0]
    assert len(runs[0]) < len(pages) / 2                          # one shard's pages, not the site's
    assert len(stored(store) - keys) == 1 and len(keys - stored(store)) == 1   # the old one is gone
    assert after == search.search_index(config, edited)          # as if built from nothing
    assert after != first


def test_pages_of_unchanged_shards_are_never_read(config, runs, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 8)
    store = tmp_path / "store"
    pages = site(60)
    digests = {path: file_digest(data) for path, data in pages.items()}
    lazy = Lazy(pages)
    first = search.search_index(config, lazy, store=store, digests=digests)
    assert sorted(lazy.read) == sorted(pages)                     # nothing stored yet: every page

    assert len(runs) == search.shard_count(len(pages))
    lazy = Lazy(pages)
    runs.clear()
    assert search.search_index(config, lazy, store=store, digests=digests) == first
    assert lazy.read == [] and runs == []

    edited = dict(pages)
    edited["events/e7/index.html"] = page(7, "an edited sentence")
    lazy = Lazy(edited)
    digests["events/e7/index.html"] = file_digest(edited["events/e7/index.html"])
    after = search.search_index(config, lazy, store=store, digests=digests)
    count = search.shard_count(len(pages))
    shard = search.shard_of("events/e7/index.html", count)
    assert sorted(lazy.read) == sorted(p for p in pages if search.shard_of(p, count) == shard)
    assert runs == [sorted(lazy.read)]
    assert after == search.search_index(config, edited)


def test_a_store_that_cannot_be_read_or_written_is_ignored(config, runs, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 8)
    pages = site(30)
    expected = search.search_index(config, pages)
    count = len(runs)

    store = tmp_path / "store"
    assert search.search_index(config, pages, store=store) == expected
    for stored_file in store.iterdir():                           # every shard and the chunks damaged
        stored_file.write_bytes(stored_file.read_bytes()[: len(stored_file.read_bytes()) // 2])
    runs.clear()
    assert search.search_index(config, pages, store=store) == expected
    assert len(runs) == count                                     # indexed again, not an error
    runs.clear()
    assert search.search_index(config, pages, store=store) == expected and runs == []   # and stored again

    for stored_file in store.iterdir():
        stored_file.write_bytes(b"not a pickle")
    (store / "chunks.shard").write_bytes(b"\x80\x05K\x01.")          # a pickle, of the wrong thing
    runs.clear()
    assert search.search_index(config, pages, store=store) == expected and len(runs) == count

    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    for unusable in (a_file, a_file / "store"):                   # cannot be made, read or written
        runs.clear()
        assert search.search_index(config, pages, store=unusable) == expected
        assert len(runs) == count
    assert a_file.read_text() == "not a folder"


def test_a_store_keeps_only_the_shards_in_use_and_no_temporary_file(config, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 8)
    store = tmp_path / "store"
    search.search_index(config, site(30), store=store)
    search.search_index(config, site(60), store=store)           # another shard count: all new
    assert len(stored(store)) == search.shard_count(61) + 1
    assert not [name for name in stored(store) if not name.endswith(".shard")]
    assert search.search_index(config, {}, store=store) == {}
    assert stored(store) <= {"chunks.shard"}


def test_a_page_that_only_mentions_the_opt_in_attribute_is_not_indexed(config, runs, monkeypatch):
    """An editor may write "data-pagefind-body" in a summary; on a page of the list of a tag it
    is text, not an attribute: Pagefind leaves such a page out, and so must the shards, in
    whatever shard it falls (alone in one, Pagefind would index the whole page)."""
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 4)
    pages = site(12)
    mention = (b'<!DOCTYPE html><html lang="en"><head><title>Tag</title></head><body><ul><li>'
               b'How to mark a page: &lt;main data-pagefind-body&gt;</li></ul></body></html>')
    listed = {f"tags/t{i}/index.html": mention.replace(b"Tag", f"Tag {i}".encode()) for i in range(12)}
    assert not any(search.indexes(path, data) for path, data in listed.items())
    assert search.indexes("events/e1/index.html", pages["events/e1/index.html"])
    assert search.search_index(config, {**pages, **listed}) == search.search_index(config, pages)
    assert all(path in pages for run in runs for path in run)
