"""`dateline init [DIR]`: a starter project to read in a minute and build at once: dateline.toml,
an example event and an about page, a .gitignore and a GitHub Pages workflow (the files under
starter/). It writes nothing at all when any of its files is there already."""

from __future__ import annotations

import json
import os
import shlex
import sys
from importlib import metadata
from pathlib import Path

from .config import OWN_FILE, is_project

STARTER = Path(__file__).resolve().parent / "starter"


class InitError(Exception):
    pass


def starter_files() -> dict[str, str]:
    """Relative path -> text of every file init writes."""
    files = {path.relative_to(STARTER).as_posix(): path.read_text(encoding="utf-8")
             for path in sorted(STARTER.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}
    workflow = ".github/workflows/pages.yml"
    files[workflow] = files[workflow].replace("@REQUIREMENT@", _requirement())
    return files


def _requirement() -> str:
    """What pip should install in the workflow: this dateline. Installed from a Git repository,
    the same commit of it (pip records where it came from: PEP 610's direct_url.json); installed
    from a folder or a file on this machine, which CI cannot reach, this version by name."""
    try:
        dist = metadata.distribution("dateline")
    except metadata.PackageNotFoundError:   # run from a checkout that was never installed
        return "dateline"
    try:
        origin = json.loads(dist.read_text("direct_url.json") or "null")
    except ValueError:
        origin = None
    vcs = (origin or {}).get("vcs_info", {})
    if vcs.get("vcs") == "git" and str(origin.get("url", "")).startswith("https://"):
        return f"dateline @ git+{origin['url']}@{vcs.get('commit_id') or vcs.get('requested_revision') or 'HEAD'}"
    return f"dateline=={dist.version}"


def collisions(folder: Path, names) -> list[str]:
    """The paths among `names` (relative to `folder`) that are taken: by a file, a folder or a
    link, or because a folder on the way is a file."""
    taken = []
    for name in names:
        path = folder / name
        ancestors = [folder / Path(*Path(name).parts[:i]) for i in range(1, len(Path(name).parts))]
        blocked = next((a for a in ancestors if os.path.lexists(a) and not a.is_dir()), None)
        if blocked is not None:
            taken.append(blocked.relative_to(folder).as_posix())
        elif os.path.lexists(path):
            taken.append(name)
    return sorted(set(taken))


def create(folder: Path) -> list[str]:
    """Write the starter files into `folder` (made if missing) and return their relative paths;
    InitError, with nothing written, when any of them is taken."""
    if os.path.lexists(folder) and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder")
    if folder.is_dir() and is_project(folder) and not (folder / OWN_FILE).exists():
        raise InitError(f"{folder} is a dateline project already: its settings are in "
                        "[tool.dateline] of its pyproject.toml")
    files = starter_files()
    taken = collisions(folder, files)
    if taken:
        where = "this folder" if Path.cwd().resolve() == folder.resolve() else str(folder)
        raise InitError(f"nothing was written: {_listed(taken)} in {where} "
                        f"{'is' if len(taken) == 1 else 'are'} there already. Move "
                        f"{'it' if len(taken) == 1 else 'them'} away, or start the project in another "
                        "folder: dateline init NEW-FOLDER")
    written: list[Path] = []
    try:
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:   # "x": never overwrite
                handle.write(text)
            written.append(path)
    except OSError as exc:   # a read-only folder, a full disk, a file made meanwhile: undo
        for path in written:
            path.unlink(missing_ok=True)
        raise InitError(f"could not write {exc.filename or folder}: {exc.strerror or exc}; "
                        "nothing was written") from None
    return list(files)


def next_steps(folder: Path) -> str:
    """What to type next, printed after the files are written (`folder` as the user gave it)."""
    here = Path.cwd().resolve() == folder.resolve()
    lines = [] if here else [f"  cd {shlex.quote(str(folder))}"]
    lines += ['  dateline serve                  preview it on http://127.0.0.1:8000/ as you edit',
              '  dateline new "What happened"    start an event file, every field explained in it',
              '  dateline check                  check every file, with what to fix and where',
              '  dateline build                  write the site into site/, ready for any web host']
    return "Next:\n" + "\n".join(lines)


def run(folder: Path) -> int:
    """The `init` command: 0 written, 1 when anything is in the way (nothing written)."""
    try:
        written = create(folder)
    except InitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    place = "this folder" if Path.cwd().resolve() == folder.resolve() else str(folder)
    print(f"Started a timeline in {place}: {', '.join(written)}\n\n{next_steps(folder)}\n\n"
          "The GitHub Pages workflow (.github/workflows/pages.yml) publishes the site on every "
          "push to main once Pages is set to \"GitHub Actions\" in the repository's settings.")
    return 0


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["run", "create", "starter_files", "collisions", "next_steps", "InitError", "STARTER"]
