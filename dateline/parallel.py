"""Work spread over the machine's cores, with results in input order so that a parallel build is
byte-identical to a serial one.

Workers are a concurrent.futures pool of forked processes, one per core (they inherit the
build's state as it is when the pool starts, no pickling of the model); where fork is
unavailable, or the work is small, everything runs in this process."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

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


def _started() -> None:
    """In each forked worker, first: it is to end with its parent (killed). It holds the
    output's build lock with it, and must neither keep the next build waiting for that lock
    nor write on into a staging folder that the next build removes."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)    # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass                                  # elsewhere, _run's check between groups


def _run(chunk: list[int], parent: int) -> list:
    """In a forked worker: one group of work. An error that cannot be pickled comes back as
    its traceback's text."""
    if os.getppid() != parent:                # the parent is gone (see _started)
        os._exit(1)
    try:
        return [_TASK(_ITEMS[index]) for index in chunk]
    except BaseException as exc:
        try:
            pickle.dumps(exc)
        except Exception:
            raise RuntimeError(traceback.format_exc()) from None
        raise


def _chunks(items: Sequence, jobs: int, weight: Callable[[object], float] | None) -> list[list[int]]:
    """Positions of `items` in the groups sent to the workers, in the order they are sent.
    Without weights, equal runs in input order. With them, the heaviest items go first and
    each group weighs about the same: a few slow items (a page listing thousands of events)
    sent last would leave one core working alone at the end."""
    if weight is None:
        size = max(MIN_CHUNK, len(items) // (jobs * 32))     # small chunks: cores stay busy to the end
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
    done: list = [None] * len(items)
    _TASK, _ITEMS = task, items     # the workers find both here: only positions are sent
    # Objects that exist now are never freed by the workers' garbage collector, which would
    # otherwise write to every one of them and so copy the whole model into each worker.
    # A caller that keeps objects frozen (serve: LiveSite.full) finds them so after, with these:
    # what is collectible is collected first, as it would never be once frozen.
    thaw = gc.get_freeze_count() == 0
    if not thaw:
        gc.collect()
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_started)
    try:
        futures = {pool.submit(_run, chunk, os.getpid()): chunk for chunk in _chunks(items, jobs, weight)}
        for future in as_completed(futures):
            chunk = futures[future]
            for index, result in zip(chunk, future.result()):   # a worker's error is raised here
                done[index] = result
            if advance:
                advance(len(chunk))
    finally:
        pool.shutdown(cancel_futures=True)
        if thaw:
            gc.unfreeze()
        _TASK, _ITEMS = None, ()
    return done
