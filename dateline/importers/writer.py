"""The one writer of every importer: each event checked by dateline's own parse stage, then
written as a new content file (never over an existing one), or, with --update, over the entry
that came from the same id, and only that one. Eras go into content/eras.yaml, new ones only."""

from __future__ import annotations

import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import yamlload
from ..config import Config
from .. import frontmatter
from ..load import ERAS_FILE, RawEras, load_eras, load_text, read_text, scan, split_front_matter
from ..markdown import MarkdownRenderer
from ..parallel import ordered_map
from ..parse import parse_eras, parse_event
from ..progress import Progress
from ..scaffold import schema_path, slugify
from ..slugs import MAX_SLUG, normalise_slug, valid_slug
from .entry import Imported, Problem, Reading, entry_text, quote, scalar

_TOP_KEY = re.compile(r"^(import_id|slug):[ \t]*(.*)$", re.M)


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)       # content paths, relative to the content folder
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)       # imported before; --update would rewrite them
    problems: list[Problem] = field(default_factory=list)
    eras_written: list[str] = field(default_factory=list)
    eras_present: list[str] = field(default_factory=list)


@dataclass
class Existing:
    """What the content folder holds already: entries by import_id, and every slug in use."""
    by_id: dict[str, str] = field(default_factory=dict)
    slugs: set[str] = field(default_factory=set)


def _value(text: str) -> str | None:
    """A one-line YAML scalar's text (a comment after it dropped), or None."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return None if value is None or isinstance(value, (list, dict)) else str(value).strip()


def _top_keys(front: frontmatter.Front) -> list[tuple[str, str | None]]:
    """The `import_id` and `slug` of an entry's front matter: YAML's from their lines (the rest
    may be broken), TOML's and JSON's from the loaded fields."""
    if front.format == "yaml":
        return [(key, _value(raw)) for key, raw in _TOP_KEY.findall(front.text)]
    try:
        fields = frontmatter.load(front).value
    except frontmatter.FrontError:
        return []
    return [(key, str(fields[key]).strip()) for key in ("import_id", "slug")
            if isinstance(fields.get(key), (str, int))]


def existing(content: Path) -> Existing:
    """Each entry's top-level `import_id:` and `slug:` lines, read from its front matter alone
    (an entry another tool broke is `check`'s to report, not this reader's)."""
    found = Existing()
    for path, kind in scan(content).found:
        if kind == "misnamed":
            continue
        rel = path.relative_to(content).as_posix()
        if kind == "event":
            found.slugs.add(normalise_slug(path.stem))
        text, _ = read_text(path, rel, content)
        front, _ = split_front_matter(text, rel) if text is not None else (None, None)
        if front is None:
            continue
        for key, value in _top_keys(front):
            if not value:
                continue
            if key == "import_id":
                found.by_id.setdefault(value, rel)
            elif kind == "event":
                found.slugs.add(normalise_slug(value))
    return found


def _unique_slug(item: Imported, taken: set[str], taken_counts: dict[str, int]) -> str | None:
    """The slug the source gives, or the title's; then with the date; then numbered (-2, -3 …).
    `taken_counts` remembers where numbering got to, so a thousand rows of one title are not
    a million tries."""
    base = normalise_slug(item.slug) if item.slug and valid_slug(normalise_slug(item.slug)) else ""
    base = base or slugify(str(item.fields.get("title", ""))) or slugify(item.import_id.split(":", 1)[-1])
    if not base:
        return None
    date = str(item.fields.get("date", ""))
    dated = f"{base[:MAX_SLUG - len(date) - 1]}-{date}" if date else base
    for slug in (base, dated):
        if slug not in taken and valid_slug(slug):
            return slug
    stem, n = dated[:MAX_SLUG - 8], taken_counts.get(dated, 2)
    while f"{stem}-{n}" in taken:
        n += 1
    taken_counts[dated] = n + 1
    return f"{stem}-{n}"


_MARKDOWN: list[MarkdownRenderer] = []


def _check(rel: str, text: str) -> list[str]:
    """The errors `check` would find in this file's text on its own: the parse stage's, and an
    image from another site in its body (links between entries are for `check` to judge, with
    the whole folder before it)."""
    entry, errors = load_text(rel, "event", text)
    if entry is None:
        return [e.message for e in errors]
    _, errors = parse_event(entry)
    messages = [e.message for e in errors]
    if "<img" in entry.body or "![" in entry.body:
        if not _MARKDOWN:
            _MARKDOWN.append(MarkdownRenderer({}))
        _, found = _MARKDOWN[0].render(rel, entry.body, entry.body_line)
        messages += [e.message for e in found if e.message.startswith("image ")]
    return messages


def _write_new(path: Path, text: str) -> bool:
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:     # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        return False
    return True


def _replace(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_events(config: Config, reading: Reading, origin: str, update: bool,
                 progress: Progress | None = None) -> Outcome:
    content = config.content
    content.mkdir(parents=True, exist_ok=True)
    known = existing(content)
    outcome = Outcome(problems=list(reading.problems))
    seen: dict[str, str] = {}
    todo: list[tuple[Imported, str | None]] = []      # (event, the entry it came from before)
    for item in reading.events:
        if item.import_id in seen:
            outcome.problems.append(Problem(item.line, item.where, f"the same id as {seen[item.import_id]} "
                                            f"({item.import_id}): skipped, the first one is imported"))
            continue
        seen[item.import_id] = item.where
        item.fields["import_id"] = item.import_id
        before = known.by_id.get(item.import_id)
        if before and not update:
            outcome.already.append(before)
            continue
        todo.append((item, before))
    # Every entry of the folder has the same schema path; the text does not depend on the file
    # name, so the entries are made and checked on every core before any name is chosen.
    schema = schema_path(content / "entry.md", config.output)
    comment = f"{origin} by dateline import."

    def made(job: tuple[Imported, str | None]) -> tuple[str, list[str]]:
        text = entry_text(job[0], schema, comment)
        return text, _check(job[1] or "entry.md", text)
    if progress:
        progress.stage("Checking", len(todo))
    checked = ordered_map(made, todo, advance=progress.advance if progress else None)
    counts: dict[str, int] = {}
    new: list[tuple[Imported, str, str]] = []          # (event, file name, text)
    for (item, before), (text, errors) in zip(todo, checked):
        if errors:
            outcome.problems += [Problem(item.line, item.where, message) for message in errors]
        elif before:
            old, _ = read_text(content / before, before, content)
            if old == text:
                outcome.unchanged.append(before)
            else:
                _replace(content / before, text)
                outcome.updated.append(before)
        else:
            slug = _unique_slug(item, known.slugs, counts)
            if slug is None:
                outcome.problems.append(Problem(item.line, item.where, "no file name can be made from the "
                                                "title: give the event a title with letters or digits"))
                continue
            known.slugs.add(slug)
            new.append((item, f"{slug}.md", text))
    if progress:
        progress.stage("Writing", len(new))
    # Creating a file is mostly waiting on the file system: a few at a time took a third of the time.
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = pool.map(lambda job: _write_new(content / job[1], job[2]), new)
        for done, ((item, rel, _), written) in enumerate(zip(new, results), 1):
            if progress and (done % 100 == 0 or done == len(new)):    # not a redraw per file
                progress.advance(100 if done % 100 == 0 else done % 100)
            if written:
                outcome.written.append(rel)
            else:       # it appeared since the folder was read
                outcome.problems.append(Problem(item.line, item.where, f"{rel} exists already: nothing was written"))
    _write_eras(config, reading, outcome)
    return outcome


def _era_lines(era: dict) -> list[str]:
    keys = ("slug", "title", "start", "end", "summary")
    present = [k for k in keys if era.get(k) not in (None, "")]
    return [f"{'- ' if i == 0 else '  '}{k}: {scalar(era[k])}" for i, k in enumerate(present)]


def _write_eras(config: Config, reading: Reading, outcome: Outcome) -> None:
    """New eras are added to content/eras.yaml (made if there is none); an era whose slug is
    there already is left as it is. The file is checked as `check` reads it before it is written."""
    if not reading.eras:
        return
    path = config.content / ERAS_FILE
    raw, errors = load_eras(config.content)
    if errors:
        outcome.problems.append(Problem(1, ERAS_FILE, f"{errors[0]}: fix it, then import again to add the eras"))
        return
    present, _ = parse_eras(raw)
    slugs = {e.slug for e in present}
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    added, lines = [], []
    for era in reading.eras:
        slug = normalise_slug(slugify(str(era["title"])) or "era")
        if slug in slugs and slug not in added:      # there already: imported before, or the site's own
            outcome.eras_present.append(slug)
            continue
        base, n = slug, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        lines += _era_lines({**era, "slug": slug})
        added.append(slug)
    if not added:
        return
    text = old + ("" if not old or old.endswith("\n") else "\n") + "\n".join(lines) + "\n"
    if old.strip() and not old.lstrip().startswith("-"):
        outcome.problems.append(Problem(1, ERAS_FILE, "eras.yaml is not a list of '- slug: ...' items, so the "
                                        f"imported eras cannot be added to it: add them yourself: {quote(text)}"))
        return
    checked, errors = _eras_check(config, text)
    if errors or len(checked) != len(present) + len(added):
        outcome.problems += [Problem(1, ERAS_FILE, message) for message in errors]
        return
    _replace(path, text)
    outcome.eras_written += added


def _eras_check(config: Config, text: str):
    try:
        document = yamlload.load(text)
    except yamlload.YamlError as exc:
        return (), [f"line {exc.line}: {exc.message}"]
    eras, errors = parse_eras(RawEras(ERAS_FILE, document))
    return eras, [f"line {e.line}: {e.message}" for e in errors]
