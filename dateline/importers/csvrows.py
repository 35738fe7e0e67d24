"""The rows of a CSV file as other tools write it: UTF-8 (with or without a byte-order mark),
comma-, semicolon- or tab-separated, quoted cells over several lines. Each row comes with its
spreadsheet row number (the header is row 1) and the file line it starts on."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .entry import Problem

csv.field_size_limit(10_000_000)      # a cell may hold a long text; an entry may be 1 MB


class FileError(Exception):
    """The file as a whole cannot be read as asked (exit 2): not found, not UTF-8, no header."""


@dataclass
class Row:
    number: int                 # spreadsheet row (the header is 1)
    line: int                   # file line the row starts on
    cells: dict[str, str]       # header name -> text ("" when the row is short)

    @property
    def where(self) -> str:
        return f"row {self.number}"


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except OSError as exc:
        raise FileError(f"{path}: cannot be read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileError(f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}): export the file as "
                        "UTF-8 CSV (in Excel: Save As, 'CSV UTF-8')") from None


def read_rows(path: Path, problems: list[Problem]) -> tuple[list[str], list[Row], int]:
    """(header, rows, blank rows). A row with more cells than the header is a problem (an
    unquoted separator inside a value), reported and left out; a shorter row is padded."""
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise FileError(f"{path}: empty, or no header row: the first row must name the columns")
        header = [h.strip() for h in header]
        twice = sorted({h for h in header if h and header.count(h) > 1})
        if twice:
            raise FileError(f"{path}:1: the column {twice[0]!r} is named twice in the header")
        rows, blank, line, number = [], 0, reader.line_num + 1, 1
        for cells in reader:
            number += 1
            if not any(c.strip() for c in cells):
                blank += 1
            elif len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                problems.append(Problem(line, f"row {number}", f"{len(cells)} cells where the header has "
                                        f"{len(header)}: is a value holding a '{delimiter}' not in quotes? skipped"))
            else:
                rows.append(Row(number, line, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileError(f"{path}:{reader.line_num}: {exc}: nothing was imported") from None
    return header, rows, blank
