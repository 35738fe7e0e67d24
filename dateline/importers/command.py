"""`dateline import FORMAT FILE`: the command line of the importers.

Exit 0 when every row was imported (or had been before), 1 when some rows were skipped for a
problem (each printed as `file:line: row N, column C: message`), 2 when the file or the mapping
cannot be used at all (nothing is written then)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from ..cli import program
from ..config import ConfigError, find_root, load_config
from ..progress import Progress
from . import acled, csvmap, timelinejs
from .csvrows import FileError
from .entry import Reading
from .writer import Outcome, write_events

FORMATS = ("timelinejs", "acled", "csv")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{program()} import", description="Write one content file per event of a TimelineJS sheet (CSV) or "
        "timeline.json, an ACLED export, or any CSV with a column mapping. Existing files are never "
        "overwritten; each entry records where it came from (import_id).")
    parser.add_argument("format", choices=FORMATS, help="timelinejs (a sheet as CSV, or timeline.json), acled, "
                                                         "or csv (with --map or --mapping)")
    parser.add_argument("file", type=Path, help="the file to import")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the entries imported before from the same ids (and only those)")
    parser.add_argument("--content", metavar="DIR", help="content folder (default: the project's, content)")
    parser.add_argument("--root", metavar="DIR",
                        help="project folder (default: the nearest folder, from the current one up, "
                             "holding dateline.toml or a pyproject.toml with [tool.dateline])")
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                        help="csv: the column a field comes from, e.g. --map title=Headline (repeat it)")
    parser.add_argument("--default", action="append", default=[], metavar="FIELD=VALUE",
                        help="csv: a value for every row without one, e.g. --default precision=town")
    parser.add_argument("--mapping", type=Path, metavar="FILE", help="csv: the mapping in a TOML file")
    return parser


def _read(args) -> Reading:
    if args.format == "acled":
        return acled.read(args.file)
    if args.format == "csv":
        return csvmap.read(args.file, csvmap.Mapping.build(args.mapping, args.map, args.default))
    head = args.file.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \t\r\n") if args.file.is_file() else b""
    if args.file.suffix.lower() == ".json" or head.startswith(b"{"):
        return timelinejs.read_json(args.file)
    return timelinejs.read_sheet(args.file)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def _row(where: str) -> str:
    """'row 5' of 'row 5, column Year'; 'events[3]' of 'events[3].start_date.year'."""
    match = re.match(r"row \d+|\w+\[\d+\]", where)
    return match.group() if match else where


def report(args, reading: Reading, outcome: Outcome, content: Path, config_title: str,
           settings: str = "pyproject.toml, under [tool.dateline]") -> None:
    shown = _display(args.file)
    for problem in sorted(outcome.problems, key=lambda p: p.line):
        where = f"{shown}:{problem.line}" if problem.line else shown
        print(f"{where}: {problem.where}: {problem.message}", file=sys.stderr)
    folder = _display(content)
    bad = len({(p.line, _row(p.where)) for p in outcome.problems})
    lines = [f"Imported {shown} into {folder}/: {_plural(len(outcome.written), 'entry', 'entries')} written"]
    if args.update:
        lines[0] += f", {len(outcome.updated):,} updated, {len(outcome.unchanged):,} unchanged"
    lines[0] += f", {len(outcome.already) + bad:,} skipped"
    if outcome.already:
        lines.append(f"  skipped: {_plural(len(outcome.already), 'event')} imported before "
                     f"(e.g. {folder}/{outcome.already[0]}); --update rewrites them from this file")
    if bad:
        lines.append(f"  skipped: {_plural(bad, 'row')} with problems, listed above (fix them and import "
                     "again: what was written is left as it is)")
    if reading.blank:
        lines.append(f"  passed over: {_plural(reading.blank, 'blank row')}")
    lines += [f"  note: {note}" for note in reading.notes]
    if outcome.eras_written:
        lines.append(f"  eras: {len(outcome.eras_written):,} added to {folder}/eras.yaml "
                     f"({', '.join(outcome.eras_written)})")
    if outcome.eras_present:
        lines.append(f"  eras: {_plural(len(outcome.eras_present), 'era')} already in eras.yaml, left as they are")
    if reading.title and reading.title != config_title:
        lines.append(f"  the file's title slide, for your configuration (dateline does not edit it): in "
                     f"{settings}:")
        lines.append(f"    title = {_toml(reading.title)}")
        if reading.description:
            lines.append(f"    description = {_toml(reading.description)}")
    if outcome.written or outcome.updated:
        lines.append(f"Check the result with: {program()} check")
    print("\n".join(lines))


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)     # a JSON string is a TOML basic string


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.format != "csv" and (args.map or args.mapping or args.default):
        print("error: --map, --default and --mapping are for the csv format", file=sys.stderr)
        return 2
    overrides = {"content": str(Path(args.content).absolute())} if args.content else {}
    try:
        root = Path(args.root) if args.root is not None else find_root(Path.cwd()) or Path.cwd()
        config = load_config(root, overrides)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        reading = _read(args)
    except (FileError, csvmap.MappingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {args.file}: cannot be read: {exc.strerror}", file=sys.stderr)
        return 2
    progress = Progress.for_terminal()
    try:
        outcome = write_events(config, reading, f"Imported from {args.file.name}", args.update, progress)
    except OSError as exc:
        print(f"error: could not write into {config.content}: {exc}", file=sys.stderr)
        return 2
    finally:
        if progress:
            progress.done()
    settings = "dateline.toml" if config.source is not None and config.source.name == "dateline.toml" \
        else "pyproject.toml, under [tool.dateline]"
    report(args, reading, outcome, config.content, config.title, settings)
    return 1 if outcome.problems else 0
