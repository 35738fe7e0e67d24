"""Work spread over the machine's cores, with results in input order so that a parallel build is
byte-identical to a serial one.

Workers are forked (they inherit the build's state as it is when the pool starts, no pickling of
the model); where fork is unavailable, or the work is small, everything runs in this process."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import traceback
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


def _next(counter) -> int:
    """The number of the next group of work to do, shared by every process."""
    with counter.get_lock():
        number = counter.value
        counter.value += 1
    return number


def _worker(conn, counter, chunks: list[list[int]], parent: int, parent_ends: list) -> None:
    """A forked worker: groups of work until there are none left, each result sent back. It
    stops when the parent is gone (killed): it holds the output's build lock with it, and must
    not write on into a staging folder that the next build removes."""
    for end in parent_ends:   # inherited: a pipe nobody reads must fail, so the worker notices
        end.close()
    try:
        while (number := _next(counter)) < len(chunks):
            results = [_TASK(_ITEMS[index]) for index in chunks[number]]
            if os.getppid() != parent:
                return
            conn.send((number, results))
        conn.send((None, None))
    except BrokenPipeError:          # the parent is gone
        return
    except BaseException as exc:     # the parent raises it (a template error is a value there)
        try:
            conn.send((-1, exc))
        except BrokenPipeError:
            return
        except Exception:            # not picklable: its text will do
            conn.send((-1, RuntimeError(traceback.format_exc())))
    finally:
        conn.close()


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
    given, says roughly how long an item takes, so that the longest start first.

    This process works too, beside one forked worker per other core: a worker touches much of
    the model it inherited (reference counts), and so holds a copy of it; one fewer worker is
    one fewer copy, and no core is left to a parent that only waits."""
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
    received: list[int] = []          # sizes of the groups the workers finished, for `advance`
    failures: list[BaseException] = []
    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)
    _TASK, _ITEMS = task, items     # the workers find both here: only positions are sent
    # Objects that exist now are never freed by the workers' garbage collector, which would
    # otherwise write to every one of them and so copy the whole model into each worker.
    # A caller that keeps objects frozen (serve: LiveSite.full) finds them so after, with these:
    # what is collectible is collected first, as it would never be once frozen.
    thaw = gc.get_freeze_count() == 0
    if not thaw:
        gc.collect()
    gc.freeze()
    processes, readers, finished = [], [], False
    try:
        parent_ends = []
        for _ in range(jobs - 1):
            mine, theirs = context.Pipe(duplex=False)
            parent_ends.append(mine)
            process = context.Process(target=_worker, args=(theirs, counter, chunks, os.getpid(), parent_ends),
                                      daemon=True)
            process.start()
            theirs.close()
            processes.append(process)
            readers.append(threading.Thread(target=_receive, args=(mine, chunks, done, received, failures),
                                            daemon=True))
        for reader in readers:        # threads only once every worker is forked
            reader.start()
        while not failures and (number := _next(counter)) < len(chunks):
            for index in chunks[number]:
                done[index] = task(items[index])
            if advance:
                advance(len(chunks[number]) + _drain(received))
        if not failures:   # after a failure the workers are stopped (finally), not waited for
            for reader in readers:
                reader.join()
        if failures:
            raise failures[0]
        if advance:
            advance(_drain(received))
        finished = True
    finally:
        for process in processes:
            if not finished:
                process.kill()
            process.join()
        if thaw:
            gc.unfreeze()
        _TASK, _ITEMS = None, ()
    return done


def _drain(received: list[int]) -> int:
    count = 0
    while received:
        count += received.pop()
    return count


def _receive(conn, chunks: list[list[int]], done: list, received: list[int], failures: list) -> None:
    """In a thread of this process: a worker's results, put in their places as they come."""
    with conn:
        while True:
            try:
                number, results = conn.recv()
            except EOFError:
                failures.append(RuntimeError("a worker process ended without finishing its work"))
                return
            if number is None:
                return
            if number < 0:
                failures.append(results)
                return
            for index, result in zip(chunks[number], results):
                done[index] = result
            received.append(len(results))
