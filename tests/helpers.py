"""Inline fixture sites for the engine tests.

    result = build_site(tmp_path, {"content/a.md": event(title="A", date="2024-01-02")})
    assert result.exit_code == 0
    assert "A" in result.read("events/a/index.html")

`build_site` writes the files under tmp_path (plus a minimal pyproject.toml with [tool.dateline]),
then runs the real command line in-process (`dateline.cli.main`), from tmp_path as the current
folder so error messages read `content/a.md:3: ...` exactly as an editor would see them.
`run_build_py` does the same through `python build.py` in a subprocess, for what only a real
process shows (exit status, tracebacks).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from dateline import cli, early
from dateline.config import load_config
from dateline.site import load

REPO = Path(__file__).resolve().parents[1]
BUILD_PY = REPO / "build.py"

PYPROJECT = """\
[tool.dateline]
title = "Test timeline"
description = "A timeline for the engine tests."
base_url = "/"
language = "en"
"""

# `path:line: message` at the start of a stderr line.
ERROR_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<message>.+)$", re.M)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    out_dir: Path

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def errors(self) -> list[tuple[str, int, str]]:
        """(path, line, message) for every `path:line: message` line on stderr."""
        return [(m["path"], int(m["line"]), m["message"]) for m in ERROR_LINE.finditer(self.stderr)]

    def read(self, rel: str) -> str:
        return (self.out_dir / rel).read_text(encoding="utf-8")

    def exists(self, rel: str) -> bool:
        return (self.out_dir / rel).exists()

    def files(self) -> list[str]:
        return list_files(self.out_dir)

    def __str__(self) -> str:  # shown by pytest when an assertion on the result fails
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def write_files(root: Path, files: dict[str, str | bytes], pyproject: str | None = PYPROJECT) -> Path:
    """Write {relative path: text or bytes} under root; text is written as UTF-8 bytes unchanged
    (no newline translation), so tests control every byte."""
    root.mkdir(parents=True, exist_ok=True)
    if pyproject is not None and "pyproject.toml" not in files:
        files = {"pyproject.toml": pyproject, **files}
    for rel, data in files.items():
        path = root / rel
        data = data if isinstance(data, bytes) else data.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue   # leave it as it was, modification time included
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "content").mkdir(exist_ok=True)
    return root


def _argv(root: Path, args: tuple[str, ...]) -> list[str]:
    argv = list(args)
    if "--root" not in argv:
        argv += ["--root", str(root)]
    return argv


def _out_dir(root: Path, argv: list[str]) -> Path:
    if "--out" in argv:
        out = Path(argv[argv.index("--out") + 1])
        return out if out.is_absolute() else root / out
    return root / "site"


def build_site(tmp_path: Path, files: dict[str, str | bytes] | None = None, *args: str,
               pyproject: str | None = PYPROJECT) -> Result:
    """Write `files` under tmp_path and run `build.py <args>` in-process (default: build)."""
    root = write_files(Path(tmp_path), files or {}, pyproject)
    argv = _argv(root, args)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main(argv)
        except SystemExit as exc:   # argparse: usage errors exit 2
            code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, stdout.getvalue(), stderr.getvalue(), _out_dir(root, argv))


def run_build_py(tmp_path: Path, files: dict[str, str | bytes] | None = None, *args: str,
                 pyproject: str | None = PYPROJECT, cwd: Path | None = None) -> Result:
    """Like build_site, but `python build.py` in a subprocess (cwd: tmp_path unless given)."""
    root = write_files(Path(tmp_path), files or {}, pyproject)
    argv = _argv(root, args)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, str(BUILD_PY), *argv], cwd=cwd or root, env=env,
                          capture_output=True, text=True, timeout=120)
    return Result(proc.returncode, proc.stdout, proc.stderr, _out_dir(root, argv))


# -- writing content ---------------------------------------------------------------------------

# A place for events in sites that are built to the end: the map is then drawn around it
# (a site with no located event draws the whole world, which is slow).
PLACE = {"name": "Riverton", "country": "Vale", "lat": 46.2, "lon": 7.4, "precision": "town"}


class Raw(str):
    """A value written into front matter exactly as given (e.g. Raw('04:05') unquoted)."""


def _yaml_value(value) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    # JSON is YAML: strings come out quoted, lists and mappings in flow style on one line.
    return json.dumps(value, ensure_ascii=False)


def front_matter(fields: dict) -> str:
    """`---`, one line per field (so field k is on file line k + 2), `---`."""
    lines = ["---"] + [f"{key}: {_yaml_value(value)}" for key, value in fields.items()] + ["---"]
    return "\n".join(lines) + "\n"


def event(body: str = "Body text.\n", **fields) -> str:
    """An event file: title and date first (line 2 and 3) unless given as None, then the
    other fields in order, one line each. Strings are quoted; use Raw() for literal YAML."""
    data = {"title": fields.pop("title", "An event"), "date": fields.pop("date", Raw("2024-01-15"))}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return front_matter(data) + body


def page(body: str = "Page text.\n", **fields) -> str:
    data = {"title": fields.pop("title", "A page"), **fields}
    return front_matter({k: v for k, v in data.items() if v is not None}) + body


def source(id: str = "s1", **extra) -> dict:
    return {"id": id, "publisher": "The Courier", "title": "Flood report", "date": "2024-01-15", **extra}


def jpeg(colour: tuple[int, int, int] = (90, 120, 150), width: int = 8, height: int = 6) -> bytes:
    """A small real JPEG: what a body links is decoded and published without its metadata
    (images.py), so a few bytes named .jpg will not do."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


# -- inspecting output -------------------------------------------------------------------------

def list_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file())


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """{relative path: (sha256, mtime_ns, inode)} of every file and folder under root."""
    state = {}
    for path in sorted(Path(root).rglob("*")):
        st = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[path.relative_to(root).as_posix()] = (digest, st.st_mtime_ns, st.st_ino)
    return state


# -- assertions --------------------------------------------------------------------------------

def assert_error(result: Result, path: str, line: int, fragment: str, count: int | None = 1) -> None:
    """The run failed with exit 1 and printed `path:line: ...fragment...` (and, unless count is
    None, exactly `count` errors: no noise around the one that matters)."""
    assert result.exit_code == 1, result
    assert "Traceback" not in result.output, result
    prefix = f"{path}:{line}: "
    hits = [text for text in result.stderr.splitlines() if text.startswith(prefix) and fragment in text]
    assert hits, f"expected an error line `{prefix}...{fragment}...`\n{result}"
    if count is not None:
        assert len(result.errors()) == count, result
        noun = "error" if count == 1 else "errors"
        assert f"\n{count} {noun}; nothing was written" in "\n" + result.stderr, result


def load_timeline(tmp_path: Path, files: dict[str, str | bytes]):
    """Load, parse, link and render the Markdown of `files` without rendering the site (fast):
    (timeline or None, ["a.md:3: message", ...])."""
    root = write_files(Path(tmp_path), files)
    site, errors = load(load_config(root))
    return (site.timeline if site is not None else None), [str(e) for e in errors]


def valid_timeline(tmp_path: Path, files: dict[str, str | bytes]):
    timeline, errors = load_timeline(tmp_path, files)
    assert not errors, "\n".join(errors)
    return timeline


# -- reading pages -----------------------------------------------------------------------------

class _Articles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.parents: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            slug = dict(attrs).get("data-slug")
            if slug:
                self.parents[slug] = next((s for s in reversed(self.stack) if s), None)
            self.stack.append(slug)

    def handle_endtag(self, tag):
        if tag == "article" and self.stack:
            self.stack.pop()


def listed_events(html: str) -> dict[str, str | None]:
    """{slug: slug of the event card it is nested in, or None} for the event cards of a list page,
    in document order."""
    parser = _Articles()
    parser.feed(html)
    return parser.parents


# -- scanning for injected markup ----------------------------------------------------------------

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background"}
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data):", re.I)


class _Scanner(HTMLParser):
    def __init__(self, theme_script, theme_inline):
        super().__init__(convert_charrefs=True)
        self.theme_script = theme_script
        self.theme_inline = theme_inline
        self.inline: str | None = None      # the text of an inline <script> being read
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes:
            self.inline = ""                 # judged by its whole text, at </script>
        elif tag == "script" and not self.theme_script(attributes):
            self.problems.append(f"<script {attributes}>")
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in _URL_ATTRIBUTES and value and _BAD_SCHEME.match(value):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.inline is not None:
            self.inline += data

    def handle_endtag(self, tag):
        if tag == "script" and self.inline is not None:
            if self.inline not in self.theme_inline:
                self.problems.append(f"<script>{self.inline[:80]}")
            self.inline = None


def theme_script(attributes: dict) -> bool:
    """The theme's own scripts: dateline.js (external, deferred) and the escaped JSON-LD data."""
    src = attributes.get("src") or ""
    return (src.endswith("static/dateline.js") and "defer" in attributes and len(attributes) == 2) or \
        (attributes == {"type": "application/ld+json"})


def injected_markup(html: str, allowed_script=theme_script, allowed_inline=tuple(early.SCRIPTS.values())) -> list[str]:
    """Every script not from the theme, `on…=` handler, javascript:/data: URL and frame in `html`,
    as read by an HTML parser (text that merely mentions them is not markup). An inline script
    must be, word for word, one of the theme's (dateline/early.py)."""
    scanner = _Scanner(allowed_script, allowed_inline)
    scanner.feed(html)
    scanner.close()
    return scanner.problems


# -- a large site ------------------------------------------------------------------------------

def many_events(count: int, seed: int = 0) -> dict[str, str]:
    """`count` valid events over five years, with tags, actors, sources and reports: a site large
    enough that building it takes a while. Only the first has a place, so that the build time goes
    to pages and files rather than to drawing a locator map per event."""
    import random
    rng = random.Random(seed)
    towns = [("Riverton", 46.2, 7.4), ("Lowmere", 46.5, 7.9), ("Ashford", 45.9, 6.8), ("Kell", 46.8, 8.3)]
    files = {}
    for index in range(count):
        year, month, day = 2020 + index * 5 // count, rng.randint(1, 12), rng.randint(1, 28)
        town, lat, lon = rng.choice(towns)
        fields = {
            "title": f"Event {index} in {town}", "date": Raw(f"{year}-{month:02d}-{day:02d}"),
            "summary": f"Summary of event {index}.",
            "place": {"name": town, "country": "Vale", "lat": lat, "lon": lon, "precision": "town"}
            if index == 0 else None,
            "actors": rng.sample(["Water board", "Town council", "Rescue crews", "Weather service"], 2),
            "tags": rng.sample(["flood", "rain", "rescue", "levee", "inquiry"], 2),
            "sources": [source(date=f"{year}-{month:02d}-{day:02d}")],
            "reports": [{"as_of": f"{year}-{month:02d}-{day:02d}", "by": "The mayor", "source": "s1",
                         "killed": {"civilians": rng.randint(0, 9)}}],
        }
        files[f"content/event-{index:05d}.md"] = event(
            body="\n\n".join(f"Paragraph {p} about event {index}, with *emphasis*." for p in range(3)) + "\n",
            **fields)
    return files

# The bundled timeline's other languages, as settings to add after PYPROJECT's.
URDU_AND_PERSIAN = """
[tool.dateline.languages.ur]
name = "اردو"
direction = "rtl"

[tool.dateline.languages.fa]
name = "فارسی"
direction = "rtl"
"""
