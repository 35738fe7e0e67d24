"""The site's configuration: one typed object, read once from dateline.toml (settings at its top
level) or else [tool.dateline] in pyproject.toml, with command-line overrides, passed down
explicitly. find_root() finds the project folder from anywhere inside it."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from . import characters, colours, engines
from .errors import ContentError, closest, did_you_mean, error


class ConfigError(Exception):
    pass


# The navigation's sections, in the default order, with their default labels; "pages" stands
# for every standalone page not named on its own (each by its slug), in slug order.
SECTIONS = {"timeline": "Timeline", "map": "Map", "tags": "Tags", "actors": "Actors", "places": "Places",
            "search": "Search", "pages": None}
DEFAULT_NAV = ("timeline", "map", "tags", "actors", "places", "pages")
DEFAULT_FOOTER = "Every casualty figure is a dated claim attributed to whoever made it; figures are never merged."
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")


@dataclass(frozen=True)
class Language:
    """A language the site is published in: its code (BCP 47), its name in itself (for the
    language switcher), its direction, and the site's title and description in it ("" where
    the site's own are used)."""
    code: str
    name: str = ""
    direction: str = "ltr"
    title: str = ""
    description: str = ""
    solar_hijri: bool = False        # the Solar Hijri date beside the Gregorian on event pages


# A language code as the files and addresses use it: "ur", "fa", "pt-BR", "zh-Hant".
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
LANGUAGE_KEYS = ("name", "direction", "title", "description", "solar_hijri")


@dataclass(frozen=True)
class Config:
    root: Path                       # the project folder (where dateline.toml or pyproject.toml is)
    title: str = "Timeline"
    description: str = ""
    base_url: str = "/"              # "https://example.org/sub/" or "/sub/"
    language: str = "en"
    content: Path = Path("content")
    output: Path = Path("site")
    templates: Path = Path("templates")
    home_years: int = 3              # newest years listed in full on the home page
    page_size: int = 25              # events a list page shows (ten times as many terms) before the next page
    author: str = ""
    # Origins whose <iframe>s a body may embed (e.g. "https://www.youtube-nocookie.com"); none by default.
    allow_iframes_from: tuple[str, ...] = ()
    search: bool = True              # the search page and box, and the Pagefind index they use
    # A copy read from disk (file://), e.g. from a USB stick: links name the index.html of the
    # folders they point to, and there is no search (Pagefind fetches its index: not from disk).
    offline: bool = False
    # Entries with `draft: true` built too, each page marked as a draft: `serve --drafts` and
    # `build --drafts` only, never a setting in a file, so a published build cannot carry them.
    drafts: bool = False
    logo: str = ""                   # an image in the static folder(s), "logo.svg": shown instead of the title
    accent: str = ""                 # "#rrggbb": the theme's accent colour (light scheme); "" keeps the theme's
    accent_dark: str = ""            # the same for the dark scheme; "" derives it from `accent`
    nav: tuple[str, ...] = DEFAULT_NAV            # the navigation's sections (SECTIONS, page slugs), in order
    nav_labels: tuple[tuple[str, str], ...] = ()  # (section, label) where not the default label
    footer: str = DEFAULT_FOOTER     # Markdown, shown at the foot of every page
    static: Path | None = None       # the site's own static files, published under /static/
    axis_casualties: bool = False    # the time axis draws each event's reported range of deaths under it
    markdown: str = "commonmark"     # the bodies' Markdown engine: "commonmark" (cmark-gfm) or "python-markdown"
    # Python-Markdown's extensions, as MkDocs' markdown_extensions: (name, {option: value}), in order
    markdown_extensions: tuple[tuple[str, dict], ...] = ()
    # [languages.<code>] tables: the default language (`language`) first, then the others in
    # the order written; () for a site in one language (exactly as before languages existed)
    languages: tuple[Language, ...] = ()
    # Not a setting: the folder of the language a page or export is made in ("ur/"; "" for
    # the default language), which its links to other pages take (Config.in_language)
    page_prefix: str = ""
    # Not settings: the file the settings were read from, and the line of each setting in it
    # (for errors found later, when the content is known: a navigation entry naming no page).
    source: Path | None = None
    lines: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    @property
    def absolute(self) -> bool:
        parts = urlsplit(self.base_url)
        return bool(parts.scheme and parts.netloc)

    def absolute_url(self, path: str) -> str:
        """A full URL for feeds and canonical links; root-relative when no host is configured."""
        parts = urlsplit(self.base_url)
        prefix = f"{parts.scheme}://{parts.netloc}" if self.absolute else ""
        return prefix + self.base_path + self._in_language(path).lstrip("/")

    def _in_language(self, path: str) -> str:
        """A root path as a page in this configuration's language links to it: a page's under
        the language's folder, a file made once (the theme's, a body's image, the map's
        tiles) where it is."""
        if not self.page_prefix or path.lstrip("/").split("/", 1)[0] in SHARED_FOLDERS:
            return path
        return "/" + self.page_prefix + path.lstrip("/")

    def export_url(self, path: str) -> str:
        """A link in the files published at the site's root (feeds, CSV, GeoJSON, TimelineJS):
        the full URL when base_url has a host; otherwise the path from the site's root, which a
        reader resolves against the file's own address, wherever the site is hosted."""
        if self.absolute:
            return self.absolute_url(path)
        if self.page_prefix and self._in_language(path) == path:   # a shared file, from the language's folder
            return "../" * self.page_prefix.count("/") + path.lstrip("/")
        return path.lstrip("/") or "./"

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the site's languages, the default first."""
        return tuple(lang.code for lang in self.languages) or (self.language,)

    def language_of(self, code: str) -> Language:
        return next((lang for lang in self.languages if lang.code == code), Language(code))

    def in_language(self, code: str) -> "Config":
        """This configuration as a page in language `code` reads it: `language` is that code,
        and the title and description are the language's own where it gives them."""
        lang = self.language_of(code)
        return replace(self, language=code, title=lang.title or self.title,
                       description=lang.description or self.description,
                       page_prefix="" if code == self.language else f"{code}/")


_SETTINGS = {f.name: f for f in fields(Config) if f.name not in ("root", "source", "lines", "page_prefix")}
# The folders of files made once for every language (and the data exports, which hold facts)
SHARED_FOLDERS = {"static", "media", "maps", "pagefind", "schema", "events.geojson", "events.csv", "reports.csv",
                  "sitemap.xml", "robots.txt"}
SUB_TABLES = {"nav_labels", "languages"}    # settings written as a [tool.dateline.<name>] table
_COMMAND_LINE_ONLY = {"drafts": "--drafts (dateline serve --drafts)",
                      "offline": "--offline (dateline build --offline --out offline)"}
OWN_FILE = "dateline.toml"


class SettingsFile:
    """Where settings were written, to name it in errors: a file and the table in it
    ("tool.dateline" in pyproject.toml, "" for a file of top-level settings), or the command
    line (`path` None). Finds a setting's line in the text (tomllib keeps none)."""

    def __init__(self, path: Path | None, text: str = "", table: str = ""):
        self.path, self.text, self.table = path, text, table

    def table_name(self, sub: str | None = None) -> str:
        name = ".".join(part for part in (self.table, sub) if part)
        return f"[{name}]" if name else (self.path.name if self.path else "the settings")

    def line(self, key: str | None = None, sub: str | None = None) -> int | None:
        """The line of `key` in the (sub-)table, or of the sub-table's header (key None)."""
        want = ".".join(part for part in (self.table, sub) if part)
        current = ""
        for number, text in enumerate(self.text.splitlines(), 1):
            header = _HEADER.match(text)
            if header:
                current = re.sub(r"[\s\"']", "", header.group(1))
                if key is None and current == want:
                    return number
                continue
            if key is not None and current == want and re.match(rf"""\s*["']?{re.escape(key)}["']?\s*=""", text):
                return number
        return None

    def at(self, key: str | None = None, sub: str | None = None) -> str:
        """"pyproject.toml:12: " (or without the line where it is not found), "" for the command line."""
        if self.path is None:
            return ""
        line = self.line(key, sub) if (key is not None or sub is not None) else None
        return f"{_shown(self.path)}:{line}: " if line else f"{_shown(self.path)}: "

    def fail(self, message: str, key: str | None = None, sub: str | None = None) -> ConfigError:
        return ConfigError(self.at(key, sub) + message)


def _shown(path: Path) -> str:
    """The file as the person at the terminal can open it (as errors.shown does)."""
    try:
        return os.path.relpath(path)
    except ValueError:   # another drive (Windows)
        return str(path)


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\](?:\s*#.*)?\s*$")
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
# "example.org/x/", "localhost:8000/": a host where a path was meant
_HOST_FIRST = re.compile(r"^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:/|$)",
                         re.IGNORECASE)


def _read(path: Path) -> tuple[dict, str]:
    """A TOML file and its text; an error names the file and, where tomllib gives one, the line."""
    try:
        text = path.read_text(encoding="utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_shown(path)}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_WHERE.search(str(exc))
        if where:
            raise ConfigError(f"{_shown(path)}:{where.group(1)}: {_TOML_WHERE.sub('', str(exc))} "
                              f"(column {where.group(2)})") from None
        if str(exc).endswith("(at end of document)"):   # an unfinished value: the file's last line
            last = len(text.rstrip("\n").split("\n"))
            raise ConfigError(f"{_shown(path)}:{last}: {str(exc).removesuffix(' (at end of document)')} at "
                              "the end of the file: a value left unfinished?") from None
        raise ConfigError(f"{_shown(path)}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{_shown(path)}: cannot be read: {exc.strerror or exc}") from None


def _read_toml(path: Path) -> dict:
    return _read(path)[0]


def _pyproject_settings(path: Path, data: dict | None = None) -> dict | None:
    """[tool.dateline] of a pyproject.toml, or None when it has none."""
    tool = (_read_toml(path) if data is None else data).get("tool", {})
    settings = tool.get("dateline") if isinstance(tool, dict) else None
    if settings is not None and not isinstance(settings, dict):
        raise ConfigError(f"{path}: tool.dateline must be a table: [tool.dateline]")
    return settings


def is_project(folder: Path) -> bool:
    """Whether `folder` holds a dateline project's configuration: a dateline.toml, or a
    pyproject.toml with [tool.dateline]."""
    if (folder / OWN_FILE).is_file():
        return True
    pyproject = folder / "pyproject.toml"
    try:
        return pyproject.is_file() and _pyproject_settings(pyproject) is not None
    except ConfigError:
        return False   # an unreadable pyproject.toml: load_config says what is wrong with it


def find_root(start: Path) -> Path | None:
    """The nearest folder, `start` or one above it, that is a project (is_project), like git
    finds its repository: so `dateline new` run inside content/ writes into the project's
    content/. None when there is none."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    return None


def _file_settings(root: Path) -> tuple[dict, "SettingsFile"]:
    """The settings in the project's file, and where they are (the file, the table)."""
    own, pyproject = root / OWN_FILE, root / "pyproject.toml"
    data, text = _read(pyproject) if pyproject.exists() else ({}, "")
    tool = _pyproject_settings(pyproject, data) if pyproject.exists() else None
    if own.exists():
        if tool is not None:
            raise ConfigError(f"both {own} and [tool.dateline] in {pyproject} configure this site: "
                              f"keep the settings in one of them and delete the other")
        values, text = _read(own)
        return values, SettingsFile(own, text, "")
    file = SettingsFile(pyproject, text, "tool.dateline")
    check_pyproject_tables(data, file)
    return dict(tool or {}), file


def load_config(root: Path, overrides: dict | None = None) -> Config:
    root = root.resolve()
    values, file = _file_settings(root)
    command_line = {k: v for k, v in (overrides or {}).items() if v is not None}
    typed = {**check_settings(values, file, root), **check_settings(command_line, SettingsFile(None), root)}
    config = Config(root=root, **{"content": root / "content", "output": root / "site",
                                  "templates": root / "templates", **typed},
                    source=file.path, lines=_lines(values, file))
    return check_config(config, lambda key: SettingsFile(None) if key in command_line else file)


def _lines(values: Mapping, file: SettingsFile) -> dict:
    """Setting -> its line, and ("nav_labels", name) -> the line of that label."""
    lines: dict = {key: file.line(key) for key in values}
    for name in values.get("nav_labels") or {}:
        lines[("nav_labels", name)] = file.line(name, "nav_labels")
    return lines


def check_pyproject_tables(data: dict, file: SettingsFile) -> None:
    """dateline reads [tool.dateline] only: a [dateline] table, or settings at the top level of
    pyproject.toml, or a misspelt [tool.datelin], would be ignored without a word."""
    for key, value in data.items():
        if key == "dateline" or (isinstance(value, dict) and closest(key, ["dateline"])):
            at = SettingsFile(file.path, file.text, "").line(None, key)
            where = f"{_shown(file.path)}:{at}: " if at else f"{_shown(file.path)}: "
            raise ConfigError(f"{where}[{key}] is not read: dateline's settings go in a [tool.dateline] table "
                              f"of pyproject.toml — did you mean [tool.dateline]?")
        if key in _SETTINGS:
            raise ConfigError(f"{SettingsFile(file.path, file.text, '').at(key)}setting '{key}' is at the top "
                              "level of pyproject.toml, where dateline does not read it: put it under [tool.dateline]")
    tool = data.get("tool", {})
    if isinstance(tool, dict):
        for key in tool:
            if key != "dateline" and closest(key, ["dateline"]) and "dateline" not in tool:
                at = SettingsFile(file.path, file.text, "tool").line(None, key)
                where = f"{_shown(file.path)}:{at}: " if at else f"{_shown(file.path)}: "
                raise ConfigError(f"{where}[tool.{key}] is not read — did you mean [tool.dateline]?")


def check_settings(values: Mapping, file: SettingsFile, root: Path) -> dict:
    """The settings of one file (or of the command line), checked and typed: {name: value}.
    Every error names the file, the line and the setting. The same for [tool.dateline] in
    pyproject.toml and for a file of top-level settings."""
    typed = {}
    for key, value in values.items():
        if key in _COMMAND_LINE_ONLY and file.path is not None:
            raise file.fail(f"'{key}' is not a setting: it is the command-line option "
                            f"{_COMMAND_LINE_ONLY[key]}", key)
        if key not in _SETTINGS:
            if key in SECTIONS:
                raise file.fail(f"'{key}' is not a setting: a navigation label goes in a "
                                f"{file.table_name('nav_labels')} table ({key} = \"…\")", key)
            if isinstance(value, dict):
                raise file.fail(f"unknown table {file.table_name(key)}"
                                + (did_you_mean(key, SUB_TABLES) or f" (the tables there are: {', '.join(sorted(SUB_TABLES))})"),
                                None, key)
            raise file.fail(f"unknown setting '{key}' in {file.table_name()}" + did_you_mean(key, _SETTINGS), key)
        typed[key] = _typed(key, value, file, root)
    return typed


def _typed(key: str, value, file: SettingsFile, root: Path):
    want = _SETTINGS[key].type
    fail = lambda message: file.fail(f"setting '{key}' {message}", key)   # noqa: E731
    if key == "nav":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail('must be a list of section names, e.g. ["timeline", "map", "tags", "about"]')
        repeated = sorted({v for v in value if value.count(v) > 1})
        if repeated:
            raise fail(f"names '{repeated[0]}' twice")
        return tuple(v.strip() for v in value)
    if key == "nav_labels":
        if not isinstance(value, dict):
            raise fail(f"must be a table of labels, {file.table_name('nav_labels')} with lines such as "
                       'map = "Where"')
        for name, label in value.items():
            if name in _SETTINGS:
                raise file.fail(f"'{name}' is a setting of {file.table_name()}, but it is in "
                                f"{file.table_name('nav_labels')} (in TOML every key after a [table] header "
                                f"belongs to that table): move it above the {file.table_name('nav_labels')} header",
                                name, "nav_labels")
            if not isinstance(label, str) or not label.strip():
                raise file.fail(f"the label of '{name}' in {file.table_name('nav_labels')} must be text, "
                                f"not {label!r}", name, "nav_labels")
            if problem := characters.problem(label):
                raise file.fail(f"the label of '{name}' in {file.table_name('nav_labels')} {problem}",
                                name, "nav_labels")
        return tuple((name, label.strip()) for name, label in value.items())
    if key in ("accent", "accent_dark"):
        if not isinstance(value, str) or not colours.HEX.match(value.strip()):
            raise fail(f'must be a colour written #rrggbb or #rgb, e.g. "#a3201a", not {value!r}')
        return colours.normalise(value.strip())
    if key == "markdown":
        if not isinstance(value, str) or value.strip() not in engines.NAMES:
            raise fail(f"must be one of {', '.join(repr(n) for n in engines.NAMES)}, not {value!r}"
                       + (did_you_mean(value, engines.NAMES) if isinstance(value, str) else ""))
        return value.strip()
    if key == "markdown_extensions":
        return _extensions(value, fail)
    if key == "languages":
        return _languages(value, file)
    if want in ("Path", "Path | None"):
        if not isinstance(value, (str, Path)) or not str(value).strip():
            raise fail(f"must be a folder, e.g. \"{key}\", not {value!r}")
        value = Path(value)
        return value if value.is_absolute() else root / value
    if want == "tuple[str, ...]":
        return _origins(key, value, file)
    if want == "bool":
        if not isinstance(value, bool):
            raise fail(f"must be true or false, not {value!r}")
        return value
    if want == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f"must be a whole number, not {value!r}")
        return value
    if not isinstance(value, str):
        raise fail(f"must be text, not {value!r}")
    if problem := characters.problem(value):
        raise fail(problem)
    return value


def check_config(config: Config, file_of) -> Config:
    """What depends on more than one setting, or on the disk; `file_of(key)`: where the setting
    was written."""
    def fail(key: str, message: str) -> ConfigError:
        return file_of(key).fail(message, key)

    if config.offline:
        config = replace(config, search=False)
    if not LANGUAGE_CODE.fullmatch(config.language):
        raise fail("language", f"setting 'language' must be a language code such as \"en\" or \"pt-BR\", "
                               f"not {config.language!r}")
    if config.languages:
        own = [lang for lang in config.languages if lang.code == config.language]
        others = [lang for lang in config.languages if lang.code != config.language]
        if not others:   # only the default's own table: its name and direction, one language
            config = replace(config, languages=())
        else:
            # without a table of its own, the default's name is its code: [languages.en] name = "English"
            config = replace(config, languages=(own[0] if own else Language(config.language, config.language),
                                                *others))
    if config.page_size < 1:
        raise fail("page_size", f"setting 'page_size' must be 1 or more, not {config.page_size}")
    base = config.base_url
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") and _HOST_FIRST.match(base):   # "localhost:8000/" parses as a scheme
        raise fail("base_url", f"base_url '{base}' has no scheme, so it would be read as a path "
                               f"(/{base.strip('/')}/) — did you mean 'https://{base}'? (a path alone starts with /)")
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc) or parts.query:
        raise fail("base_url", f"base_url '{base}' must look like https://example.org/sub/ or /sub/")
    if not base.endswith("/"):
        config = replace(config, base_url=base + "/")
    if config.markdown_extensions and config.markdown != engines.PYTHON_MARKDOWN:
        raise fail("markdown_extensions", "setting 'markdown_extensions' configures Python-Markdown, but the "
                                          f"site's Markdown is '{config.markdown}': set markdown = "
                                          f"\"{engines.PYTHON_MARKDOWN}\" too, or remove markdown_extensions")
    for name, options in config.markdown_extensions:
        problem = engines.extension_problem(name, options)
        if problem:
            raise fail("markdown_extensions", f"setting 'markdown_extensions': {problem}")
    if config.static is not None and not config.static.is_dir():
        raise fail("static", f"setting 'static': folder {config.static} not found")
    if config.logo:
        config = replace(config, logo=_logo(config, lambda message: fail("logo", message)))
    for key, background, shade in (("accent", colours.LIGHT_BACKGROUND, ("light", "darker")),
                                   ("accent_dark", colours.DARK_BACKGROUND, ("dark", "lighter"))):
        colour = getattr(config, key)
        ratio = colours.contrast(colour, background) if colour else colours.MIN_CONTRAST
        if ratio < colours.MIN_CONTRAST:
            raise fail(key, f"{key} {colour} is too {'light' if key == 'accent' else 'dark'} to read on the "
                            f"{shade[0]} background (contrast {ratio:.1f}:1 on {background}; text needs "
                            f"{colours.MIN_CONTRAST}:1): choose a {shade[1]} colour")
    return config


def _logo(config: Config, fail) -> str:
    """The logo's path under /static/, checked: an image in the site's static folder or its
    templates/static/."""
    logo = config.logo.strip().replace("\\", "/")
    rel = Path(logo)
    if rel.is_absolute() or ".." in rel.parts or not logo:
        raise fail(f"setting 'logo': '{config.logo}' must be a path inside the static folder, e.g. \"logo.svg\"")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", logo):
        raise fail(f"setting 'logo': '{config.logo}' has characters an address cannot hold as they are: "
                   "rename the file with letters, digits, '-', '_' and '.' only")
    if rel.suffix.lower() not in LOGO_TYPES:
        raise fail(f"setting 'logo': '{config.logo}' is not an image ({', '.join(LOGO_TYPES)})")
    folders = [f for f in (config.static, config.templates / "static") if f is not None]
    if any((folder / rel).is_file() for folder in folders):
        return rel.as_posix()
    named = [f for f in folders if (f / Path(*rel.parts[1:])).is_file()] if len(rel.parts) > 1 else []
    hint = f" — did you mean '{Path(*rel.parts[1:]).as_posix()}'? (the path is inside the static folder)" if named else ""
    raise fail(f"setting 'logo': no file {rel.as_posix()} in {' or '.join(str(f) for f in folders)}{hint}")


def check_nav(config: Config, pages) -> list[ContentError]:
    """The navigation names sections or standalone pages (by slug); which pages there are is
    known only once the content is read."""
    slugs = {p.slug for p in pages}
    known = [*SECTIONS, *sorted(slugs)]
    path = str(config.source or config.root / "pyproject.toml")
    errors = []
    for name in config.nav:
        if name not in SECTIONS and name not in slugs:
            errors.append(error(path, config.lines.get("nav") or 1,
                                f"setting 'nav': no section or page named '{name}'"
                                + (did_you_mean(name, known) or f" (there are: {', '.join(known)})")))
    for name, _ in config.nav_labels:
        if (name not in SECTIONS or name == "pages") and name not in slugs:
            errors.append(error(path, config.lines.get(("nav_labels", name)) or config.lines.get("nav_labels") or 1,
                                f"setting 'nav_labels': no section or page named '{name}'"
                                + (did_you_mean(name, known) or f" (there are: {', '.join(known)})")))
    return errors


def _languages(value, file: SettingsFile) -> tuple[Language, ...]:
    """[languages.<code>] tables: name, direction ("ltr" or "rtl"), title, description."""
    table = file.table_name("languages")
    if not isinstance(value, dict):
        raise file.fail(f"setting 'languages' must be tables, one per language: {table[:-1]}.ur] with "
                        'name = "اردو" and direction = "rtl"', "languages")
    found = []
    for code, settings in value.items():
        sub = f"languages.{code}"
        if not LANGUAGE_CODE.fullmatch(code):
            raise file.fail(f"'{code}' in {table} is not a language code: write it as BCP 47 does, "
                            "lower-case, e.g. \"ur\", \"fa\" or \"pt-BR\"", None, sub)
        if not isinstance(settings, dict):
            raise file.fail(f"language '{code}' must be a table: {file.table_name(sub)} with name = \"…\"",
                            code, "languages")
        for key, text in settings.items():
            if key not in LANGUAGE_KEYS:
                raise file.fail(f"unknown setting '{key}' in {file.table_name(sub)}"
                                + (did_you_mean(key, LANGUAGE_KEYS) or f" (there are: {', '.join(LANGUAGE_KEYS)})"),
                                key, sub)
            if key == "solar_hijri":
                if not isinstance(text, bool):
                    raise file.fail(f"setting 'solar_hijri' of language '{code}' must be true or false, "
                                    f"not {text!r}", key, sub)
            elif not isinstance(text, str):
                raise file.fail(f"setting '{key}' of language '{code}' must be text, not {text!r}", key, sub)
            elif problem := characters.problem(text):
                raise file.fail(f"setting '{key}' of language '{code}' {problem}", key, sub)
        direction = settings.get("direction", "ltr").strip()
        if direction not in ("ltr", "rtl"):
            raise file.fail(f"the direction of language '{code}' must be \"ltr\" or \"rtl\", not {direction!r}",
                            "direction", sub)
        found.append(Language(code, settings.get("name", "").strip() or code, direction,
                              settings.get("title", "").strip(), settings.get("description", "").strip(),
                              settings.get("solar_hijri", False)))
    return tuple(found)


def _extensions(value, fail) -> tuple[tuple[str, dict], ...]:
    """MkDocs' `markdown_extensions`: a list whose items are a name or a one-key table of a name
    and its options (["footnotes", {toc = {permalink = true}}]), or one table of names and their
    options ([markdown_extensions] toc = {permalink = true})."""
    example = 'e.g. ["admonition", "footnotes", {toc = {permalink = true}}]'
    if isinstance(value, dict):
        items = [{name: options} for name, options in value.items()]
    elif isinstance(value, list):
        items = value
    else:
        raise fail(f"must be a list of Markdown extensions, {example}, not {value!r}")
    found: dict[str, dict] = {}
    for item in items:
        if isinstance(item, dict):
            if len(item) != 1:
                raise fail(f"has a table with {len(item)} keys ({', '.join(map(str, item))}): each item is an "
                           f"extension's name, or a table of one name and its options, {example}")
            [(name, options)] = item.items()
            if not isinstance(options, dict):
                raise fail(f"has options for '{name}' that are not a table: write {{{name} = {{option = value}}}}, "
                           f"not {options!r}")
        elif isinstance(item, str):
            name, options = item, {}
        else:
            raise fail(f"has {item!r}: each item is an extension's name, or a table of one name and its "
                       f"options, {example}")
        name = name.strip()
        if not name:
            raise fail(f"has an empty name, {example}")
        found[name] = {**found.get(name, {}), **options}
    return tuple(found.items())


def _origins(key: str, value, file: SettingsFile) -> tuple[str, ...]:
    """["https://www.youtube-nocookie.com", ...]: scheme and host only, https only."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise file.fail(f"setting '{key}' must be a list of origins, e.g. [\"https://www.youtube-nocookie.com\"]", key)
    origins = []
    for origin in value:
        parts = urlsplit(origin)
        if parts.scheme != "https" or not parts.netloc or parts.path.strip("/") or parts.query or parts.fragment \
                or any(c in parts.netloc for c in "@*\\ '\";"):
            raise file.fail(f"setting '{key}': '{origin}' must be an https origin such as "
                              "https://www.youtube-nocookie.com (no path, no wildcard)", key)
        origins.append(f"https://{parts.netloc.lower()}")
    return tuple(origins)
