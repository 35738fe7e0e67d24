"""Nothing lost: a build killed at any moment leaves the previous site byte-identical, and the
next build tidies up after it; two builds at once on the same output both finish, one after the
other, and leave a complete site. Real `build.py` processes, a site of 800 events."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import BUILD_PY, REPO, build_site, event, many_events, page, snapshot, write_files

EVENTS = 800
PREVIOUS = {"content/old-event.md": event(title="The previous site", date="2019-05-01"),
            "content/pages/about.md": page(title="About")}


def digests(root: Path) -> dict[str, str]:
    return {path: state[0] for path, state in snapshot(root).items()}


class Build:
    """A `build.py build` process whose stderr goes to a file, readable while it runs."""

    def __init__(self, root: Path, *args: str):
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
        self.log = root.parent / f"{root.name}-stderr-{time.monotonic_ns()}.txt"
        with open(self.log, "w") as stderr:
            self.process = subprocess.Popen([sys.executable, str(BUILD_PY), "build", "--root", str(root), *args],
                                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=stderr)

    @property
    def stderr(self) -> str:
        return self.log.read_text()

    def running(self) -> bool:
        return self.process.poll() is None

    def finish(self) -> int:
        return self.process.wait(timeout=300)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)


def leftovers(root: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((f".{name}.new-", f".{name}.old-")))


def wait_for(condition, timeout: float = 120.0, step: float = 0.002) -> float:
    """Poll until condition() holds; the time it took."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        time.sleep(step)
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A project holding a small previous site in site/ and the content of a large one, with the
    large site built once into reference/, and the time it took before its first file was
    written (then pages are written as they are rendered)."""
    root = tmp_path_factory.mktemp("large")
    assert build_site(root, PREVIOUS).exit_code == 0
    for old in PREVIOUS:
        (root / old).unlink()
    write_files(root, many_events(EVENTS))
    started = time.perf_counter()
    build = Build(root, "--out", "reference")
    render = wait_for(lambda: files_in_new_folder(root, set(), "reference") > 0)
    assert build.finish() == 0, build.stderr
    write = time.perf_counter() - started - render
    return root, digests(root / "reference"), render, write


def files_in_new_folder(root: Path, earlier: set[str], name: str = "site") -> int:
    return sum(len(files) for folder in set(leftovers(root, name)) - earlier for _, _, files in os.walk(root / folder))


def test_a_build_killed_at_random_moments_leaves_the_previous_site_as_it_was(large):
    """Killed before it writes (at a random fraction of the time that takes), and while writing
    (once a random number of its files are written), the previous site is untouched to the
    inode. The next build waits for the killed one's workers, which stop within one group of
    pages, then removes what they wrote."""
    root, reference, render, _ = large
    site = root / "site"
    before = snapshot(site)
    rng = random.Random(7)
    moments = [("rendering", rng.uniform(0.1, 0.9) * render) for _ in range(2)]
    files = sum(1 for digest in reference.values() if digest != "dir")
    # within the first half of the files: the test counts them by walking the folder, which on a
    # loaded machine took longer than the build took to write the last fifth and commit
    moments += [("writing", rng.randint(1, files // 2)) for _ in range(3)]
    for phase, when in moments:
        earlier = set(leftovers(root))
        build = Build(root)
        if phase == "rendering":
            time.sleep(when)
        else:
            wait_for(lambda: files_in_new_folder(root, earlier) >= when or not build.running())
        build.kill()
        assert build.process.returncode == -signal.SIGKILL, f"the build ended before the kill ({phase}, {when})"
        assert snapshot(site) == before, f"killed while {phase} ({when}): the previous site changed"

    build = Build(root)   # the next build completes and tidies up after the killed ones
    assert build.finish() == 0, build.stderr
    assert digests(site) == reference
    assert leftovers(root) == []


def test_two_builds_at_once_wait_for_each_other_and_leave_a_complete_site(large):
    root, reference, render, write = large
    out = root / "together"
    handle = os.open(root, os.O_RDONLY)   # hold the lock (on the output's folder), so that both builds wait
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        builds = [Build(root, "--out", "together"), Build(root, "--out", "together")]
        wait_for(lambda: all("waiting for it to finish" in b.stderr or not b.running() for b in builds))
        assert all(b.running() for b in builds), "a build went ahead without the lock"
        fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
    for build in builds:
        assert build.finish() == 0, build.stderr
        assert f"Another build is writing {out}; waiting for it to finish" in build.stderr
        assert "Traceback" not in build.stderr
    assert digests(out) == reference
    assert leftovers(root, "together") == []


def test_two_builds_racing_both_finish_with_a_complete_site(large):
    root, reference, _, _ = large
    builds = [Build(root, "--out", "race"), Build(root, "--out", "race")]
    for build in builds:
        assert build.finish() == 0, build.stderr
    assert digests(root / "race") == reference
    assert leftovers(root, "race") == []


def test_an_output_folder_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path):
    (tmp_path / "blocked").write_text("a file where the output's parent folder should be")
    result = build_site(tmp_path, PREVIOUS, "--out", str(tmp_path / "blocked" / "site"))
    assert result.exit_code == 2, result
    assert "error: could not write the site" in result.stderr and "Traceback" not in result.output
