"""The command line: `dateline [build|check|serve|new|init] [options]`, also `python build.py ...`
in a checkout. Exit 0 on success, 1 on content errors, 2 on usage or configuration errors and
when the site cannot be made or written (a tool such as Pagefind missing or failing; a full,
read-only or failing disk: one line says what failed, on which file), 3 when `check --links` finds
addresses that do not answer."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .config import ConfigError, find_root, load_config
from .errors import disk_failure, error, shown
from .pipeline import build
from . import linkcheck
from .plural import counted
from .outputs.search import SearchIndexError
from .progress import Progress
from .write import OutputError, Unfinished

COMMANDS = ("build", "check", "serve", "new", "init")


def program() -> str:
    """The name the command was run as, for usage lines: build.py in a checkout, else dateline."""
    return "build.py" if os.path.basename(sys.argv[0]) == "build.py" else "dateline"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program(), description="Build a static timeline site from Markdown event files.")
    parser.add_argument("command", nargs="?", default="build", choices=COMMANDS,
                        help="build (default): write the site; check: validate only; serve: preview "
                             "while you edit; new \"Title\": start a new event file; init [DIR]: start "
                             "a new project in DIR (default: the current folder); import FORMAT FILE: "
                             "bring events in from TimelineJS, ACLED or a CSV (see: import --help)")
    parser.add_argument("new_title", nargs="?", metavar='"Event title" | DIR',
                        help="new: the new event's title; init: the project folder")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="new: the event's date (default: today)")
    parser.add_argument("--format", choices=("yaml", "toml"), dest="front_format",
                        help="new: the front matter's format, YAML between '---' lines (the default) or "
                             "TOML between '+++' lines")
    parser.add_argument("--port", type=int, metavar="N", help="serve: port (default: 8000; 0 picks a free one)")
    parser.add_argument("--host", metavar="ADDR", help="serve: address to listen on (default: 127.0.0.1)")
    parser.add_argument("--allow-host", metavar="NAME", action="append", dest="allow_host",
                        help="serve: also answer requests for NAME (.example.org: every name under it); "
                             "localhost and IP addresses always are, any other name is refused (DNS "
                             "rebinding). Repeatable")
    parser.add_argument("--content", metavar="DIR", help="content folder (default: content)")
    parser.add_argument("--out", metavar="DIR", dest="output", help="output folder (default: site)")
    parser.add_argument("--templates", metavar="DIR",
                        help="the site's own templates; files here override the default theme's")
    parser.add_argument("--base-url", metavar="URL", dest="base_url",
                        help="where the site is published, e.g. https://example.org/sub/")
    parser.add_argument("--title", help="site title")
    parser.add_argument("--description", help="site description")
    parser.add_argument("--language", metavar="CODE", help="language of the site, e.g. en")
    parser.add_argument("--home-years", type=int, metavar="N", dest="home_years",
                        help="newest years shown in full on the home page")
    parser.add_argument("--page-size", type=int, metavar="N", dest="page_size",
                        help="events a list page shows before the next page (default: 25)")
    parser.add_argument("--no-search", action="store_false", dest="search", default=None,
                        help="no search page and no search index (the setting search = false)")
    parser.add_argument("--offline", action="store_true", default=None,
                        help="build: a copy that works opened from disk (file://), e.g. from a USB "
                             "stick: links name index.html files; no search. Use with --out")
    parser.add_argument("--drafts", action="store_true", default=None,
                        help="also build the entries marked draft: true, each page marked as a draft "
                             "(for a preview: never publish such a build)")
    parser.add_argument("--untranslated", action="store_true", default=None,
                        help="check: list the entries not yet translated into each of the site's languages")
    parser.add_argument("--links", action="store_true", default=None,
                        help="check: also ask every source's url and archive_url whether it still answers "
                             "(needs the network; exit status 3 when some do not)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help=f"check --links: how long to wait for each answer (default: {linkcheck.TIMEOUT:g})")
    parser.add_argument("--no-cache", action="store_true", dest="no_cache",
                        help="build: neither read nor write the build cache (.cache/dateline); "
                             "the output is the same either way")
    parser.add_argument("--root", metavar="DIR",
                        help="project folder, holding dateline.toml or pyproject.toml (default: the "
                             "nearest folder holding one, from the current folder up)")
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if words[:1] == ["import"]:     # its own arguments: import FORMAT FILE [--update] [--map ...]
        from .importers.command import main as import_main
        return import_main(words[1:])
    parser = _parser()
    args = parser.parse_intermixed_args(argv)
    if args.command == "init":
        if any(getattr(args, k) is not None for k in ("date", "front_format", "port", "host", "allow_host", "root", "drafts")):
            parser.error(f"init takes only a folder: {parser.prog} init DIR")
        from . import init
        return init.run(Path(args.new_title or "."))
    for option, command in (("new_title", "new"), ("date", "new"), ("front_format", "new"), ("port", "serve"),
                            ("host", "serve"), ("allow_host", "serve")):
        if getattr(args, option) is not None and args.command != command:
            flag = "--format" if option == "front_format" else "--" + option.replace("_", "-")
            parser.error(f"{'a title' if option == 'new_title' else flag} is only for "
                         f"'{command}'" + (" (or a folder, for 'init')" if option == "new_title" else ""))
    if args.allow_host:
        from .hosts import HostNameError, allowed_name
        try:
            args.allow_host = tuple(allowed_name(name) for name in args.allow_host)
        except HostNameError as exc:
            parser.error(str(exc))
    if args.command == "new" and not args.new_title:
        parser.error(f'new needs a title: {parser.prog} new "What happened"')
    if args.untranslated and args.command != "check":
        parser.error("--untranslated is only for 'check'")
    if args.links and args.command != "check":
        parser.error("--links is only for 'check': a build never touches the network")
    if args.timeout is not None and not args.links:
        parser.error("--timeout is only for 'check --links'")
    if args.timeout is not None and not args.timeout > 0:
        parser.error(f"--timeout must be a number of seconds above 0, not {args.timeout:g}")
    if args.drafts and args.command == "new":
        parser.error("--drafts is for build, check and serve")
    overrides = {k: getattr(args, k) for k in ("content", "output", "templates", "base_url", "title",
                                                  "description", "language", "home_years", "page_size", "search",
                                                  "offline", "drafts")}
    # Folders given on the command line are relative to where the command runs, like any
    # shell argument; those in pyproject.toml are relative to the project (--root).
    for key in ("content", "output", "templates"):
        if overrides[key] is not None:
            overrides[key] = str(Path(overrides[key]).absolute())
    # Like git, from any folder inside the project: `dateline new` run in content/ writes into
    # the project's content/. With no project above, the current folder, as before.
    root = Path(args.root) if args.root is not None else find_root(Path.cwd()) or Path.cwd()
    try:
        config = load_config(root, overrides)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not config.templates.is_dir() and args.templates:
        print(f"error: templates folder {config.templates} not found", file=sys.stderr)
        return 2
    if args.command == "new":   # the editor's tools: new and serve
        from . import scaffold
        return scaffold.run(config, args.new_title, args.date, args.front_format or "yaml")
    if args.command == "serve":
        from . import serve
        return serve.run(config, args.host or "127.0.0.1", 8000 if args.port is None else args.port,
                         reload_config=lambda: load_config(root, overrides), allowed=args.allow_host or ())
    progress = Progress.for_terminal()
    try:
        result = build(config, write=args.command == "build", cache=not args.no_cache, progress=progress)
    except SearchIndexError as exc:   # made before anything is written
        print(f"error: {exc}; nothing was written"
              + (" (the previous site is untouched)" if args.command == "build" else ""), file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:   # a full disk, a read-only or vanished output folder
        state = ("the next build puts the previous site back first" if isinstance(exc, Unfinished)
                 else "the previous site is untouched")
        print(f"error: could not write the site: {disk_failure(exc)}; {state}", file=sys.stderr)
        return 2
    finally:
        if progress:
            progress.done()
    if result.errors:
        for err in result.errors:
            print(shown(err, config.content), file=sys.stderr)
        print(f"{counted(len(result.errors), 'error')}; nothing was written"
              + (" (the previous site is untouched)" if args.command == "build" else ""), file=sys.stderr)
        return 1
    dead = 0
    if args.command == "check":
        print(f"Checked {counted(result.events, 'event')}, {counted(result.pages, 'page')}: no errors")
        if args.untranslated:
            _list_untranslated(result.site)
        if args.links:
            dead = _check_links(result.site, config, args.timeout or linkcheck.TIMEOUT)
    else:
        stats = result.stats
        print(f"Built {counted(result.events, 'event')}, {counted(result.file_count, 'file')} in {result.seconds:.2f} s "
              f"({stats.written:,} written, {stats.unchanged:,} unchanged; "
              f"{result.rendered:,} of {result.routes:,} rendered) into {_display(config.output)}/"
              + (": nothing changed since the last build" if result.unchanged else ""))
    if result.untranslated and not args.untranslated:
        print(untranslated_line(result.untranslated))
    from . import catalogs
    from .theme import Theme
    folders = catalogs.locale_folders(Theme(config).folders)
    for line in catalogs.report(catalogs.site_languages(config), folders, listing=args.command == "check"):
        print(line)
    return 3 if dead else 0


def _check_links(site, config, timeout: float) -> int:
    """Ask every source address whether it answers; print each that does not. Returns how many
    places cite an address that does not answer."""
    asked, failures = linkcheck.check(site.timeline.events, timeout)
    for err in failures:
        print(shown(err, config.content), file=sys.stderr)
    gone = len({err.message.split(": ", 1)[0] for err in failures})
    print(f"Asked {counted(asked, 'address', 'addresses')}: "
          + (f"{gone} did not answer, cited in {counted(len(failures), 'place')}" if failures else "all answered")
          + ("; none answered at all: is this machine online?" if asked > 1 and gone == asked else ""))
    return len(failures)


def untranslated_line(counts: dict[str, int]) -> str:
    """"Not yet translated: 5 entries into ur, 7 into fa (dateline check --untranslated lists them)"."""
    parts = [f"{counted(n, 'entry', 'entries') if i == 0 else n} into {code}" for i, (code, n) in enumerate(counts.items())]
    if not any(counts.values()):
        return "Every entry is translated into " + ", ".join(counts)
    return f"Not yet translated: {', '.join(parts)} ({program()} check --untranslated lists them)"


def _list_untranslated(site) -> None:
    """Each entry with the languages it is not yet translated into, or that there are none."""
    config = site.config
    if len(config.codes) < 2:
        print(f"The site has one language ({config.language}): there is nothing to translate")
        return
    items = [*site.timeline.events, *site.timeline.pages]
    rows = [(item.path, [code for code in config.codes[1:] if item.translation(code) is None]) for item in items]
    rows = [(path, codes) for path, codes in rows if codes]
    for path, codes in sorted(rows):
        print(shown(error(path, 1, f"not translated into {', '.join(codes)}"), config.content))
    counts = {code: sum(code in codes for _, codes in rows) for code in config.codes[1:]}
    print(untranslated_line(counts))


def run() -> None:
    """The command line's entry point (build.py, `dateline`): main(), then exit at once, without
    Python freeing a large site's millions of model objects one by one after the work is done.
    Everything main() opened is closed and every process it started has ended by the time it
    returns."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe (build.py | head): nothing left to say
            pass
    os._exit(code)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


if __name__ == "__main__":
    run()
