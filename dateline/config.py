"""The site's configuration: one typed object, read once from dateline.toml (settings at its top
level) or else [tool.dateline] in pyproject.toml, with command-line overrides, passed down
explicitly. find_root() finds the project folder from anywhere inside it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import did_you_mean


class ConfigError(Exception):
    pass


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
        return prefix + self.base_path + path.lstrip("/")

    def export_url(self, path: str) -> str:
        """A link in the files published at the site's root (feeds, CSV, GeoJSON, TimelineJS):
        the full URL when base_url has a host; otherwise the path from the site's root, which a
        reader resolves against the file's own address, wherever the site is hosted."""
        return self.absolute_url(path) if self.absolute else (path.lstrip("/") or "./")


_SETTINGS = {f.name: f for f in fields(Config) if f.name != "root"}
_COMMAND_LINE_ONLY = {"drafts": "--drafts (dateline serve --drafts)",
                      "offline": "--offline (dateline build --offline --out offline)"}
OWN_FILE = "dateline.toml"


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _pyproject_settings(path: Path) -> dict | None:
    """[tool.dateline] of a pyproject.toml, or None when it has none."""
    tool = _read_toml(path).get("tool", {})
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


def _file_settings(root: Path) -> tuple[dict, Path, str]:
    """The settings in the project's file, the file, and the table they are in ("" for the top)."""
    own, pyproject = root / OWN_FILE, root / "pyproject.toml"
    tool = _pyproject_settings(pyproject) if pyproject.exists() else None
    if own.exists():
        if tool is not None:
            raise ConfigError(f"both {own} and [tool.dateline] in {pyproject} configure this site: "
                              f"keep the settings in one of them and delete the other")
        return _read_toml(own), own, ""
    return dict(tool or {}), pyproject, " in [tool.dateline]"


def load_config(root: Path, overrides: dict | None = None) -> Config:
    root = root.resolve()
    values, source, table = _file_settings(root)
    for key in values:
        if key in _COMMAND_LINE_ONLY:
            raise ConfigError(f"{source}: '{key}'{table} is not a setting: it is the command-line option "
                              f"{_COMMAND_LINE_ONLY[key]}")
        if key not in _SETTINGS:
            raise ConfigError(f"{source}: unknown setting '{key}'{table}" + did_you_mean(key, _SETTINGS))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    typed = {}
    for key, value in values.items():
        want = _SETTINGS[key].type
        if want == "Path":
            value = Path(value)
            typed[key] = value if value.is_absolute() else root / value
        elif want == "tuple[str, ...]":
            typed[key] = _origins(key, value)
        elif want == "bool":
            if not isinstance(value, bool):
                raise ConfigError(f"setting '{key}' must be true or false, not {value!r}")
            typed[key] = value
        elif want == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"setting '{key}' must be a whole number, not {value!r}")
            typed[key] = value
        else:
            if not isinstance(value, str):
                raise ConfigError(f"setting '{key}' must be text, not {value!r}")
            typed[key] = value
    config = Config(root=root, **{"content": root / "content", "output": root / "site",
                                  "templates": root / "templates", **typed})
    if config.offline:
        config = replace(config, search=False)
    if config.page_size < 1:
        raise ConfigError(f"setting 'page_size' must be 1 or more, not {config.page_size}")
    base = config.base_url
    parts = urlsplit(base)
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc) or parts.query:
        raise ConfigError(f"base_url '{base}' must look like https://example.org/sub/ or /sub/")
    if not base.endswith("/"):
        config = replace(config, base_url=base + "/")
    return config


def _origins(key: str, value) -> tuple[str, ...]:
    """["https://www.youtube-nocookie.com", ...]: scheme and host only, https only."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"setting '{key}' must be a list of origins, e.g. [\"https://www.youtube-nocookie.com\"]")
    origins = []
    for origin in value:
        parts = urlsplit(origin)
        if parts.scheme != "https" or not parts.netloc or parts.path.strip("/") or parts.query or parts.fragment \
                or any(c in parts.netloc for c in "@*\\ '\";"):
            raise ConfigError(f"setting '{key}': '{origin}' must be an https origin such as "
                              "https://www.youtube-nocookie.com (no path, no wildcard)")
        origins.append(f"https://{parts.netloc.lower()}")
    return tuple(origins)
