"""Stage 1: read content files into RawEntry values (text, front matter, line map). No validation
of meaning here, only of the file itself: encoding, size, the front matter's fences and syntax
(YAML, TOML or JSON: frontmatter.py)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import characters, frontmatter, yamlload, yamlslips
from .errors import ContentError, error

# x.ur.md, x.pt-BR.md: a translation of the entry x.md (translations.py), not an entry "x.ur"
TRANSLATION_NAME = re.compile(r"^(?P<stem>[^/]+?)\.(?P<code>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$")
MAX_BYTES = 1_000_000     # an event is a page of text; anything larger is a mistake
ERAS_FILE = "eras.yaml"
PAGES_DIR = "pages"


@dataclass(frozen=True)
class RawEntry:
    path: str                     # relative to the content folder, with forward slashes
    kind: str                     # "event" | "page" | "translation" | "page-translation"
    front: yamlload.Document
    front_line: int               # file line of the front matter's first line
    body: str
    body_line: int                # file line of the body's first line

    def line(self, *keys) -> int:
        return self.front.line(*keys) + self.front_line - 1


@dataclass(frozen=True)
class RawEras:
    path: str
    document: yamlload.Document


# Names a Markdown file is saved under that are not `.md` (other programs' extensions, capital
# letters, Notepad's `.txt` added to `.md`): never read, so each is an error, not a silent gap.
MISNAMED_SUFFIXES = (".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext")
TEXT_SUFFIXES = (".txt", ".text")
# What editors and tools leave beside a file while saving it: Emacs's `#a.md#` and `a.md~`,
# Vim's `.a.md.swp` and its `4913` test file, `sed -i`'s `sedX1b2c3`, backups.
_TEMPORARY = re.compile(r"^(?:#.*#|.*~|\d+|sed[A-Za-z0-9]{6})$|\.(?:sw[a-p]|tmp|bak|orig|part|crdownload)$", re.I)


@dataclass(frozen=True)
class Listing:
    """What the content folder holds: the entries (file, kind) in a stable order, where kind is
    "event", "page" or "misnamed" (a file that looks like an entry but will not be read), and
    every other file that could be published beside them (relative path -> size in bytes)."""
    found: list[tuple[Path, str]]
    files: dict[str, int]


def scan(content: Path) -> Listing:
    """Every entry under `content`, in any folder: events anywhere (a folder is only a folder:
    content/2024/jan/x.md is the event x), pages under pages/. Hidden files and folders, and
    editors' temporary files, are skipped."""
    found: list[tuple[str, Path, str]] = []
    files: dict[str, int] = {}
    visited: set[Path] = set()

    def walk(folder: Path, rel: str) -> None:
        try:
            real = folder.resolve()
            if real in visited:      # a link back up the tree: walked once
                return
            visited.add(real)
            with os.scandir(folder) as entries:
                listed = sorted((entry.name, entry.is_dir()) for entry in entries)
        except OSError:   # no such folder, or not a folder, or unreadable
            return
        kind_here = "page" if rel.startswith(PAGES_DIR + "/") else "event"
        for name, is_dir in listed:
            # most of them, at once (a folder named so too: reading it says what is wrong)
            if name.endswith(".md") and name[0] not in ".#":
                found.append((rel + name, folder / name, _entry_or_translation(kind_here, name)))
                continue
            if name.startswith(".") or (not is_dir and _TEMPORARY.search(name)):
                continue
            path, rel_path = folder / name, rel + name
            if is_dir:
                walk(path, rel_path + "/")
                continue
            kind = entry_kind(rel_path, path)
            if kind is not None:
                found.append((rel_path, path, kind))
            elif rel_path != ERAS_FILE:
                try:
                    files[rel_path] = path.stat().st_size
                except OSError:   # a broken link
                    pass

    walk(content, "")
    # events first, then pages, each in the order of their paths (as before folders were read)
    found.sort(key=lambda item: (item[2].startswith("page"), item[2].endswith("translation"), item[0]))
    return Listing([(path, kind) for _, path, kind in found], files)


def entry_kind(rel: str, path: Path | None = None) -> str | None:
    """"event", "page", "misnamed" or None (not an entry) for content file `rel`. A `.txt` file
    is taken for a misnamed entry only if it starts with front matter (`path` is read for that):
    a note kept beside the entries is not one."""
    name = rel.rpartition("/")[2]
    lower = name.lower()
    if name.endswith(".md") and name != ".md":
        return _entry_or_translation("page" if rel.startswith(PAGES_DIR + "/") else "event", name)
    if lower.endswith(".md") or lower.endswith(MISNAMED_SUFFIXES) or lower.endswith(".md.txt"):
        return "misnamed"
    if lower.endswith(TEXT_SUFFIXES) and path is not None and _starts_with_fence(path):
        return "misnamed"
    if rel != ERAS_FILE and lower in ("eras.yml", "eras.yaml", "eras.json"):
        return "misnamed"
    return None


def _entry_or_translation(kind: str, name: str) -> str:
    """An entry's kind, or its translation's ("translation" of an event, "page-translation")."""
    if TRANSLATION_NAME.match(name):
        return "page-translation" if kind == "page" else "translation"
    return kind


def _starts_with_fence(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False
    return start.removeprefix(b"\xef\xbb\xbf").startswith((b"---", b"+++", b"{\n", b"{\r"))


def misnamed(rel: str) -> ContentError:
    """The error for a file that looks like an entry (or the eras file) but will not be read."""
    name = rel.rpartition("/")[2]
    lower = name.lower()
    if lower.startswith("eras.") and not lower.endswith((".md", ".txt")):
        if rel == name:
            return error(rel, 1, f"not read: the eras file must be named {ERAS_FILE}: rename it to {ERAS_FILE}")
        return error(rel, 1, f"not read: the eras file is read only from the top of the content folder: "
                             f"move it to content/{ERAS_FILE}")
    stem = name
    for suffix in (".md.txt", *MISNAMED_SUFFIXES, *TEXT_SUFFIXES, ".md"):
        if lower.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    return error(rel, 1, f"not read: entries are read only from files whose names end in '.md' "
                         f"(lower case): rename it to {stem}.md")


def is_input(path: Path, content: Path) -> bool:
    """Whether a change at `path` (which may be gone) can change what the build reads from the
    content folder: an entry in any folder, the eras file, a file an entry may publish (an
    image), a folder; not a hidden file or an editor's or a tool's temporary file (`sed -i`
    writes content/sedX1b2c3 and renames it over the entry; the entry's own change is reported
    too)."""
    path, content = Path(os.path.abspath(path)), Path(os.path.abspath(content))
    if path == content or content not in path.parents:
        return True
    if any(part.startswith(".") for part in path.relative_to(content).parts):
        return False
    return path.is_dir() or not _TEMPORARY.search(path.name)


def read_text(path: Path, rel: str, content: Path,
              folders: dict[Path, Path] | None = None) -> tuple[str | None, list[ContentError]]:
    """The text of content file `path`, or why it cannot be used (read_bytes, then decode)."""
    data, errors = read_bytes(path, rel, content, folders)
    return (None, errors) if data is None else decode(data, rel)


def read_bytes(path: Path, rel: str, content: Path,
               folders: dict[Path, Path] | None = None) -> tuple[bytes | None, list[ContentError]]:
    """The bytes of content file `path`, or why it cannot be used. `folders` remembers the real
    paths of folders across the calls of one build: resolving every file's path from the root
    of the file system was a tenth of the time it took to parse an entry."""
    folders = {} if folders is None else folders
    root = _real_folder(content, folders)
    real = path.resolve() if path.is_symlink() else _real_folder(path.parent, folders) / path.name
    if root not in real.parents:
        return None, [error(rel, 1, f"refused: this file resolves to {real}, outside the content folder")]
    if not real.is_file():
        return None, [error(rel, 1, "not a regular file (a folder, a device or a broken link): "
                                    "move it out of the content folder")]
    size = real.stat().st_size
    if size > MAX_BYTES:
        return None, [error(rel, 1, f"file is {size:,} bytes; an entry may be at most {MAX_BYTES:,}: "
                                    "is this really a content file?")]
    try:
        return real.read_bytes(), []
    except OSError as exc:
        return None, [error(rel, 1, f"cannot be read: {exc.strerror}")]


def decode(data: bytes, rel: str) -> tuple[str | None, list[ContentError]]:
    """A content file's bytes as text (UTF-8, newlines as \\n), or why they are not text."""
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"))
        return None, [error(rel, line, f"binary data (a NUL byte at column {column}): "
                                       "content files must be UTF-8 text")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        return None, [error(rel, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}): "
                                       "save the file as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _real_folder(folder: Path, folders: dict[Path, Path]) -> Path:
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = folder.resolve()
    return real


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and byte column of a byte offset."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - start + 1


def split_front_matter(text: str, rel: str) -> tuple[frontmatter.Front | None, list[ContentError]]:
    """The front matter (YAML between `---` lines, TOML between `+++` lines, or a JSON object
    from a line `{` to a line `}`) and the body, each with its first line in the file."""
    if not text.strip():
        return None, [error(rel, 1, "empty file: an entry needs front matter between two '---' lines")]
    try:
        front = frontmatter.split(text)
    except frontmatter.NotClosed as exc:
        return None, [error(rel, 1, f"the front matter is never closed: add a line '{exc.handler.fence}' "
                                    "after the fields")]
    if front is None:
        return None, [error(rel, 1, "no front matter: the file must start with a line '---', "
                                    "then the fields (title, date, ...), then another '---' "
                                    "(or TOML between two '+++' lines, or a JSON object from a line '{' "
                                    "to a line '}')")]
    return front, []


def load_entry(path: Path, kind: str, content: Path) -> tuple[RawEntry | None, list[ContentError]]:
    rel = path.relative_to(content).as_posix()
    text, errors = read_text(path, rel, content)
    if text is None:
        return None, errors
    return load_text(rel, kind, text)


def load_text(rel: str, kind: str, text: str) -> tuple[RawEntry | None, list[ContentError]]:
    """An entry from the text of content file `rel` (as read_text returns it)."""
    front, errors = split_front_matter(text, rel)
    if front is None:
        return None, errors
    try:
        document = frontmatter.load(front)
    except frontmatter.FrontError as exc:
        return None, [error(rel, exc.line, exc.message)]
    if not isinstance(document.value, dict):    # YAML only: TOML and JSON are always fields
        slip = yamlslips.no_space_after_colon(front.text) if isinstance(document.value, str) else None
        if slip:
            return None, [error(rel, front.line + slip[0] - 1, slip[1])]
        return None, [error(rel, front.line, "the front matter must be fields like 'title: ...', "
                                             "one per line")]
    entry = RawEntry(rel, kind, document, front.line, front.body, front.body_line)
    errors = [error(rel, line, message) for line, message in characters.document_problems(document.value, entry.line)]
    errors += [error(rel, front.body_line + number, f"this line {why}")
               for number, why in characters.body_problems(front.body)]
    return (None, errors) if errors else (entry, [])


def load_eras(content: Path) -> tuple[RawEras | None, list[ContentError]]:
    path = content / ERAS_FILE
    if not path.exists():
        return None, []
    text, errors = read_text(path, ERAS_FILE, content)
    if text is None:
        return None, errors
    try:
        document = yamlload.load(text)
    except yamlload.YamlError as exc:
        return None, [error(ERAS_FILE, exc.line, exc.message)]
    problems = characters.document_problems(document.value, document.line)
    if problems:
        return None, [error(ERAS_FILE, line, message) for line, message in problems]
    return RawEras(ERAS_FILE, document), []
