"""What went wrong in YAML that PyYAML could not read, in plain words, at the line of the mistake.

PyYAML reports where it gave up, which is often lines after the slip (an unclosed quote is
noticed at the end of the file, `date:2025-03` at the next key), in its own terms ("expected
<block end>, but found '<block mapping start>'"). `explain` looks at the source lines at and
before that point for the common slips and says what to write instead; where none fits, it keeps
PyYAML's line and says what it found in words a person knows.
"""

from __future__ import annotations

import re

import yaml

# `key: value` as a line of front matter (optionally a list item), with the value's start
_FIELD = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*):(?P<gap> *)(?P<value>.*)$")
# `key:value` with no space after the colon (not a web address: `url:https://...` is one too)
_NO_SPACE = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/][^\s]*.*)$")


def explain(exc: yaml.MarkedYAMLError, text: str, shift: int) -> tuple[int, str]:
    """(line in the file, message) for a YAML error in `text`, whose first line is file line
    `shift + 1`."""
    lines = text.split("\n")
    here = exc.problem_mark.line if exc.problem_mark else len(lines) - 1
    start = exc.context_mark.line if exc.context_mark else None
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    found = (_quote_never_closed(lines, exc, context)
             or _quote_inside_quotes(lines, here, problem)
             or _no_space_after_colon(lines, here)
             or _bracket_never_closed(lines, start, context)
             or _colon_in_value(lines, here, problem)
             or _indentation(lines, here, shift)
             or _character(lines, here, problem))
    if found:
        line, message = found
        return line + 1 + shift, message
    return here + 1 + shift, _plain(problem, context)


def quoted(key: str, value: str) -> str:
    """`key: value` with the value quoted so YAML reads all of it as text."""
    if '"' not in value:
        return f'{key}: "{value}"'
    if "'" not in value:
        return f"{key}: '{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}: "{escaped}"'


def _quote_never_closed(lines, exc, context):
    if context != "while scanning a quoted scalar" or exc.context_mark is None:
        return None
    line, column = exc.context_mark.line, exc.context_mark.column
    source = lines[line] if line < len(lines) else ""
    quote = source[column:column + 1] or '"'
    if _closing(source[column:].rstrip(), quote) is not None:
        return None   # closed on its own line: a quoted value over several lines went wrong later
    rest = source[column + 1:].rstrip()
    field = _FIELD.match(source)
    fix = f" ({field['key']}: {quote}{rest}{quote})" if field and field["value"].startswith(quote) else ""
    return line, (f"the {quote} that starts this value is never closed: end the value with {quote} "
                  f"on this line{fix}")


def _closing(value: str, quote: str) -> int | None:
    """The index in `value` (which starts with `quote`) of the quote that ends it, or None."""
    index = 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1:index + 2] == "'":   # '' is a quote in '...'
                index += 2
                continue
            return index
        index += 1
    return None


def _quote_inside_quotes(lines, here, problem):
    if not problem.startswith("expected <block end>, but found '<scalar>'") or here >= len(lines):
        return None
    field = _FIELD.match(lines[here])
    if not field or field["value"][:1] not in ("'", '"'):
        return None
    value = field["value"].rstrip()
    quote = value[0]
    end = _closing(value, quote)
    if end is None or end == len(value) - 1 or value[end + 1:].lstrip().startswith("#"):
        return None
    inner = value[1:-1] if value.endswith(quote) else value   # "He said "no"" / "Attack" on a convoy
    return here, (f"the {quote} after '{value[1:end]}' ends the quoted value, and the text after it "
                  f"cannot be read: a quote inside a quoted value ends it; quote the whole value with "
                  f"the other kind of quote: {quoted(field['key'], inner)}")


def _no_space_after_colon(lines, here):
    for line in _meaningful(lines, here)[::-1]:
        found = _NO_SPACE.match(lines[line])
        if found:
            return line, (f"no space after the ':' of '{found['key']}', so YAML does not read a field "
                          f"here: write {found['key']}: {found['value'].rstrip()}")
    return None


def no_space_after_colon(text: str) -> tuple[int, str] | None:
    """(line within `text`, counted from 1, and message) of a `key:value` line in `text` (YAML
    reads such a line, alone, as text), or None."""
    lines = text.split("\n")
    found = _no_space_after_colon(lines, len(lines) - 1)
    return found and (found[0] + 1, found[1])


def _bracket_never_closed(lines, start, context):
    if start is None or start >= len(lines):
        return None
    kind = {"while parsing a flow sequence": ("[", "]", "list"),
            "while parsing a flow mapping": ("{", "}", "group of fields")}.get(context)
    if kind is None:
        return None
    opening, closing, what = kind
    source = _withoutquoted(lines[start]).split(" #")[0]
    if source.count(opening) <= source.count(closing):
        return None
    return start, (f"the '{opening}' that starts this {what} is never closed: end the {what} "
                   f"with '{closing}' on this line ({lines[start].rstrip()}{closing})")


def _withoutquoted(line: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'', '""', line)


def _colon_in_value(lines, here, problem):
    if not problem.startswith("mapping values are not allowed") or here >= len(lines):
        return None
    field = _FIELD.match(lines[here])
    if not field or ": " not in field["value"] + " " or field["value"][:1] in ("'", '"'):
        return None
    value = field["value"].rstrip()
    if ": " not in value and not value.endswith(":"):
        return None
    return here, (f"a ':' inside the value of '{field['key']}': a value with ': ' in it needs quotes: "
                  f"{quoted(field['key'], value)}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _meaningful(lines, last: int) -> list[int]:
    """The lines up to `last` that hold fields, list items or values: not blank, not comments,
    not the text of a block scalar (`summary: |` and the lines indented under it)."""
    found, block = [], None   # block: the indentation of the line that opened a block scalar
    for i in range(min(last, len(lines) - 1) + 1):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if block is not None and _indent(lines[i]) > block:
            continue
        block = None
        found.append(i)
        if re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", lines[i]):
            block = _indent(lines[i])
    return found


def _indentation(lines, here, shift):
    """The field indented to a column no block above it has its fields at."""
    if here >= len(lines):
        return None
    meaningful = _meaningful(lines, here)
    if not meaningful:
        return None
    first = meaningful[0]
    if _indent(lines[first]) and any(_indent(lines[i]) < _indent(lines[first]) for i in meaningful):
        return first, (f"the first field is indented by {_spaces(_indent(lines[first]))}: start it at "
                       "the beginning of the line, as every top-level field")
    for position in range(len(meaningful) - 1, 0, -1):
        line = meaningful[position]
        if _FIELD.match(lines[line]) or lines[line].lstrip().startswith("- "):
            found = _misaligned(lines, line, meaningful[:position], shift)
            if found:
                return found
    return None


def _misaligned(lines, line, above, shift):
    """(line, message) if `line` is indented where no block above it has its fields."""
    column = _indent(lines[line])
    previous = lines[above[-1]]
    # the columns fields may start at here: those of the blocks still open above, and the
    # fields of a list item ("- id: a" has its fields at the column of "id")
    open_columns: list[tuple[int, int]] = []   # (column, line)
    for i in above:
        indent = _indent(lines[i])
        while open_columns and open_columns[-1][0] > indent:
            open_columns.pop()
        if not open_columns or open_columns[-1][0] < indent:
            open_columns.append((indent, i))
        dash = re.match(r" *- +", lines[i])
        if dash:
            open_columns.append((dash.end(), i))
    columns = {c for c, _ in open_columns}
    previous_field = _FIELD.match(previous)
    opens_block = previous.split(" #")[0].rstrip().endswith(":")
    if column in columns or (opens_block and column > _indent(previous)):
        return None
    at = _indent(previous) + len(previous_field["dash"] or "") if previous_field else _indent(previous)
    if column > at and previous_field and not opens_block:
        key = previous_field["key"]
        return line, (f"this line is indented further than '{key}' on line {above[-1] + 1 + shift}, which already "
                      f"has a value: line it up with '{key}' ({_spaces(at)}), or, if it belongs inside "
                      f"'{key}', put '{key}:' alone on its line")
    nearest = min(columns, key=lambda c: (abs(c - column), -c))
    owner = next(i for c, i in reversed(open_columns) if c == nearest)
    owner_field = _FIELD.match(lines[owner])
    at = _indent(lines[owner]) + len(owner_field["dash"] or "") if owner_field else None
    name = f"'{owner_field['key']}' on line {owner + 1 + shift}" if at == nearest else f"line {owner + 1 + shift}"
    return line, (f"this line is indented by {_spaces(column)}, which lines up with no field above it: "
                  f"indent it by {_spaces(nearest)}, to line it up with {name}")


def _spaces(count: int) -> str:
    return "no spaces" if count == 0 else "1 space" if count == 1 else f"{count} spaces"


def _character(lines, here, problem):
    found = re.match(r"found character '(.)' that cannot start any token", problem)
    alias = problem.startswith("found undefined alias") or problem.startswith("expected alphabetic or numeric")
    escape = problem.startswith("found unknown escape character")
    if not (found or alias or escape) or here >= len(lines):
        return None
    field = _FIELD.match(lines[here])
    key = field["key"] if field else "title"
    value = field["value"].rstrip() if field else lines[here].strip()
    if escape:
        return here, ("a backslash inside double quotes starts an escape code: write \\\\ for a "
                      f"backslash, or use single quotes: {key}: '{value.strip(chr(34))}'")
    char = found.group(1) if found else value[:1]
    if char == "\t":
        return None
    return here, (f"a value cannot start with '{char}' unquoted: put the whole value in quotes: "
                  f"{quoted(key, value)}")


def _plain(problem: str, context: str) -> str:
    """PyYAML's message for a problem no diagnosis above fits, in words a person knows."""
    if problem.startswith("expected <block end>, but found ']'") or problem.startswith(
            "expected <block end>, but found '}'"):
        return f"a '{problem[-2]}' that closes nothing: remove it, or add the opening bracket"
    if problem.startswith("expected ',' or"):
        return "the items of a list in [ ] or a group in { } are separated by commas: check the commas and brackets"
    if "end of stream" in problem:
        return "the fields end in the middle of a value: check the quotes and brackets"
    if problem.startswith("could not find expected ':'"):
        return ("this line is not a field: every line is 'name: value' (a space after the colon), "
                "or a list item '- value' under a 'name:' line")
    return ("the fields cannot be read from this line: check its quotes, brackets, colons and "
            "indentation against the lines above (each line 'name: value', nested lines indented "
            "by the same number of spaces)")
