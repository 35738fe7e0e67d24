"""Stage 1: read content files into RawEntry values (text, front matter, line map). No validation
of meaning here, only of the file itself: encoding, size, the `---` fences, YAML syntax."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import yamlload
from .errors import ContentError, error

MAX_BYTES = 1_000_000     # an event is a page of text; anything larger is a mistake
ERAS_FILE = "eras.yaml"
PAGES_DIR = "pages"


@dataclass(frozen=True)
class RawEntry:
    path: str                     # relative to the content folder, with forward slashes
    kind: str                     # "event" | "page"
    front: yamlload.Document
    front_line: int               # file line of the first YAML line
    body: str
    body_line: int                # file line of the body's first line

    def line(self, *keys) -> int:
        return self.front.line(*keys) + self.front_line - 1


@dataclass(frozen=True)
class RawEras:
    path: str
    document: yamlload.Document


def discover(content: Path) -> list[tuple[Path, str]]:
    """(file, kind) for every content file, in a stable order. Hidden files are editors' and
    tools' (Emacs keeps a lock `.#a.md`, a dangling symlink, beside a file being edited)."""
    found = [(p, "event") for p in _named_md(content)] + [(p, "page") for p in _named_md(content / PAGES_DIR)]
    return [(p, kind) for p, kind in found if _entry_name(p)]


def _named_md(folder: Path) -> list[Path]:
    """What `folder` holds whose name ends in .md, sorted (as Path.glob("*.md"), which took a
    tenth of a second over 10,000 files)."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if entry.name.endswith(".md"))
    except OSError:   # no such folder, or not a folder
        return []
    return [folder / name for name in names]


def _entry_name(path: Path) -> bool:
    return path.suffix == ".md" and not path.name.startswith(".")


def is_input(path: Path, content: Path) -> bool:
    """Whether a change at `path` (which may be gone) can change what discover and load_eras
    read: not an editor's or a tool's temporary file beside the entries (`sed -i` writes
    content/sedX1b2c3 and renames it over the entry; the entry's own change is reported too)."""
    path, content = Path(os.path.abspath(path)), Path(os.path.abspath(content))
    pages = content / PAGES_DIR
    if path in (content, pages, content / ERAS_FILE) or content not in path.parents:
        return True
    return path.parent in (content, pages) and _entry_name(path)


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


def split_front_matter(text: str, rel: str) -> tuple[tuple[str, int, str, int] | None, list[ContentError]]:
    """(yaml, yaml_first_line, body, body_first_line) between the `---` fences."""
    lines = text.split("\n")
    if not text.strip():
        return None, [error(rel, 1, "empty file: an entry needs front matter between two '---' lines")]
    if lines[0].rstrip() != "---":
        return None, [error(rel, 1, "no front matter: the file must start with a line '---', "
                                    "then the fields (title, date, ...), then another '---'")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return (yaml_text, 2, body, index + 2), []
    return None, [error(rel, 1, "the front matter is never closed: add a line '---' after the fields")]


def load_entry(path: Path, kind: str, content: Path) -> tuple[RawEntry | None, list[ContentError]]:
    rel = path.relative_to(content).as_posix()
    text, errors = read_text(path, rel, content)
    if text is None:
        return None, errors
    return load_text(rel, kind, text)


def load_text(rel: str, kind: str, text: str) -> tuple[RawEntry | None, list[ContentError]]:
    """An entry from the text of content file `rel` (as read_text returns it)."""
    parts, errors = split_front_matter(text, rel)
    if parts is None:
        return None, errors
    yaml_text, front_line, body, body_line = parts
    try:
        document = yamlload.load(yaml_text, front_line)
    except yamlload.YamlError as exc:
        return None, [error(rel, exc.line, exc.message)]
    if not isinstance(document.value, dict):
        return None, [error(rel, front_line, "the front matter must be fields like 'title: ...', "
                                             "one per line")]
    return RawEntry(rel, kind, document, front_line, body, body_line), []


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
    return RawEras(ERAS_FILE, document), []
