"""Work spread over the machine's cores, with results in input order so that a parallel build is
byte-identical to a serial one.

Workers are forked (they inherit the build's state as it is when the pool starts, no pickling of
the model); where fork is unavailable, or the work is small, everything runs in this process."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence

MIN_ITEMS = 200          # below this, starting processes costs more than it saves
MIN_CHUNK = 16           # items sent to a worker at a time, at least
_TASK: Callable | None = None
_ITEMS: Sequence = ()


def workers() -> int:
    """Cores this process may use; DATELINE_JOBS overrides (1 turns parallel work off)."""
    wanted = os.environ.get("DATELINE_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _run_chunk(chunk: list[int]) -> list:
    return [_TASK(_ITEMS[index]) for index in chunk]


def _chunks(items: Sequence, jobs: int, weight: Callable[[object], float] | None) -> list[list[int]]:
    """Positions of `items` in the groups sent to the workers, in the order they are sent.
    Without weights, equal runs in input order. With them, the heaviest items go first and
    each group weighs about the same: a few slow items (a page listing thousands of events)
    sent last would leave one core working alone at the end."""
    if weight is None:
        size = max(MIN_CHUNK, len(items) // (jobs * 8))      # small chunks: cores stay busy to the end
        return [list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size)]
    weights = [weight(item) for item in items]
    budget = sum(weights) / (jobs * 16)
    chunks, chunk, load = [], [], 0.0
    for index in sorted(range(len(items)), key=lambda i: -weights[i]):
        chunk.append(index)
        load += weights[index]
        if load >= budget:
            chunks.append(chunk)
            chunk, load = [], 0.0
    return chunks + [chunk] if chunk else chunks


def ordered_map(task: Callable, items: Sequence, min_items: int | None = None,
                advance: Callable[[int], None] | None = None,
                weight: Callable[[object], float] | None = None) -> list:
    """[task(item) for item in items], on every core when there is enough to do. `task` may be
    a closure: the workers are forked after it is set, so they see it and everything it uses.
    `advance(n)` is called as each n items are done (for a progress bar). `weight(item)`, if
    given, says roughly how long an item takes, so that the longest start first."""
    global _TASK, _ITEMS
    jobs = workers()
    min_items = MIN_ITEMS if min_items is None else min_items
    if jobs < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        results: list = []
        for start in range(0, len(items), MIN_CHUNK):
            chunk = items[start:start + MIN_CHUNK]
            results += [task(item) for item in chunk]
            if advance:
                advance(len(chunk))
        return results
    chunks = _chunks(items, jobs, weight)
    done: list = [None] * len(items)
    _TASK, _ITEMS = task, items     # the workers find both here: only positions are sent
    # Objects that exist now are never freed by the workers' garbage collector, which would
    # otherwise write to every one of them and so copy the whole model into each worker.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for chunk, results in zip(chunks, pool.imap(_run_chunk, chunks, chunksize=1)):
                for index, result in zip(chunk, results):
                    done[index] = result
                if advance:
                    advance(len(chunk))
    finally:
        gc.unfreeze()
        _TASK, _ITEMS = None, ()
    return done
