"""The Markdown engines a site's bodies may be written for, chosen by the `markdown` setting:

- "commonmark": cmark-gfm (GitHub Flavored Markdown: CommonMark plus tables, strikethrough,
  autolinks and footnotes, with smart punctuation), through dateline/cmark.py;
- "python-markdown": Python-Markdown with the site's `markdown_extensions`, named and configured
  as in MkDocs (admonitions, footnotes, attribute lists, abbreviations, ... and third-party
  extensions such as pymdown-extensions when they are installed).

An engine only turns Markdown into HTML, footnotes in a <div class="footnotes">. What comes after
is shared (markdown.py): the sanitizer, the resolution of links to entries and files, the checks.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Protocol

from cmarkgfm.cmark import Options

from .cmark import to_html
from .errors import closest

COMMONMARK = "commonmark"
PYTHON_MARKDOWN = "python-markdown"
NAMES = (COMMONMARK, PYTHON_MARKDOWN)

# Raw HTML is kept for the sanitizer to judge (UNSAFE), rather than cmark's own filters: one
# policy, in one place. GitHub's "tagfilter" would show <script> as text; nh3 drops it.
OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SMART | Options.CMARK_OPT_FOOTNOTES
EXTENSIONS = ["table", "strikethrough", "autolink"]

# Python-Markdown's extensions that are always on, as in MkDocs (whose third, toc, gives every
# heading an id, which could be one the page's template uses: "## Main" and <main id="main">;
# it is on when the site lists it).
BUILTIN_EXTENSIONS = ("tables", "fenced_code")

_CMARK_FOOTNOTES = '<section class="footnotes" data-footnotes>'
# Python-Markdown's footnotes: <div class="footnote"><hr /><ol>…; the rule is the theme's border
_PYTHON_MARKDOWN_FOOTNOTES = '<div class="footnote">'


class Engine(Protocol):
    name: str

    def to_html(self, text: str) -> str:
        """A body's HTML, not yet sanitized, its footnotes (if any) in <div class="footnotes">."""
        ...


class CommonMark:
    name = COMMONMARK

    def to_html(self, text: str) -> str:
        return _footnotes_as_div(to_html(text, OPTIONS, EXTENSIONS))


def _footnotes_as_div(converted: str) -> str:
    """cmark puts the footnotes in a <section> (always last), and a section without a heading is
    a finding of the HTML checker; in the body of an event page they are a plain block."""
    head, found, notes = converted.partition(_CMARK_FOOTNOTES)
    if not found:
        return converted
    notes, _, tail = notes.rpartition("</section>")
    return f'{head}<div class="footnotes">{notes}</div>{tail}'


class PythonMarkdown:
    """One Python-Markdown instance, reset before each body (building it loads every extension:
    far slower than a conversion)."""

    name = PYTHON_MARKDOWN

    def __init__(self, extensions: tuple[tuple[str, dict], ...] = ()):
        import markdown   # only when a site chooses it

        names, configs = extension_arguments(extensions)
        self._md = markdown.Markdown(extensions=names, extension_configs=configs, output_format="html")

    def to_html(self, text: str) -> str:
        self._md.reset()
        return _footnote_class(self._md.convert(text))


def _footnote_class(converted: str) -> str:
    """Python-Markdown's footnotes block with the class and the look of cmark's: "footnotes", and
    no <hr> of its own (the theme draws the rule)."""
    head, found, notes = converted.rpartition(_PYTHON_MARKDOWN_FOOTNOTES)
    if not found:
        return converted
    notes = notes.lstrip()
    if notes.startswith("<hr"):
        notes = notes[notes.index(">") + 1:]
    return f'{head}<div class="footnotes">{notes}'


def extension_arguments(extensions) -> tuple[list[str], dict[str, dict]]:
    """Python-Markdown's `extensions` and `extension_configs` for the setting's (name, options)
    pairs, the built-in extensions first."""
    names = list(BUILTIN_EXTENSIONS)
    configs: dict[str, dict] = {}
    for name, options in extensions:
        if name not in names:
            names.append(name)
        if options:
            configs[name] = {**configs.get(name, {}), **options}
    return names, configs


@lru_cache(maxsize=4)
def _engine(name: str, extensions_json: str) -> Engine:
    if name == PYTHON_MARKDOWN:
        return PythonMarkdown(tuple((n, o) for n, o in json.loads(extensions_json)))
    return CommonMark()


def engine_for(name: str = COMMONMARK, extensions: tuple[tuple[str, dict], ...] = ()) -> Engine:
    """The engine of a configuration, made once per process (a forked worker shares its
    parent's, as it was when the worker started)."""
    return _engine(name, json.dumps([list(pair) for pair in extensions], sort_keys=True))


def engine_versions(name: str, extensions) -> str:
    """The versions of what renders a site's Markdown (a new release may render otherwise):
    Python-Markdown and the packages its extensions come from; cmarkgfm's is in the cache's
    code fingerprint."""
    if name != PYTHON_MARKDOWN:
        return ""
    from importlib.metadata import packages_distributions, version
    providers = packages_distributions()
    found = set(providers.get("markdown", ()))
    for extension, _ in extensions:
        found.update(providers.get(extension.split(".")[0], ()))
    return " ".join(f"{dist} {version(dist)}" for dist in sorted(found))


def known_extensions() -> list[str]:
    """The names of the Python-Markdown extensions installed under a short name ("admonition")."""
    return sorted({entry.name for entry in entry_points(group="markdown.extensions")})


def extension_problem(name: str, options: dict) -> str | None:
    """Why the extension `name` with `options` cannot be used, or None: MkDocs loads each one
    when it reads its configuration, and so does dateline, so a name not installed is found
    before any page is built."""
    import markdown

    try:
        markdown.Markdown(extensions=[name], extension_configs={name: options} if options else {})
    except ModuleNotFoundError as exc:
        missing = exc.name or name
        if name == missing or name.startswith(missing + "."):
            near = closest(name, known_extensions())
            if near:
                return f"no Markdown extension '{name}' is installed — did you mean '{near}'?"
            package = "pymdown-extensions" if missing == "pymdownx" else missing.replace("_", "-")
            return (f"no Markdown extension '{name}' is installed: install the package that provides it "
                    f"(pip install {package})")
        return f"Markdown extension '{name}' needs the Python module '{missing}': pip install {missing}"
    except KeyError as exc:
        return f"Markdown extension '{name}' has no option {exc}"
    except Exception as exc:   # an extension's own check of its options, or a module that is no extension
        return f"Markdown extension '{name}' cannot be loaded: {type(exc).__name__}: {exc}"
    return None


__all__ = ["Engine", "CommonMark", "engine_versions", "PythonMarkdown", "engine_for", "extension_problem", "known_extensions",
           "NAMES", "COMMONMARK", "PYTHON_MARKDOWN", "BUILTIN_EXTENSIONS", "OPTIONS", "EXTENSIONS"]
