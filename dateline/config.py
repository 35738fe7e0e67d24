"""The site's configuration: one typed object, read once from [tool.dateline] in pyproject.toml,
with command-line overrides, passed down explicitly."""

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
    root: Path                       # the project folder (where pyproject.toml is)
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


def load_config(root: Path, overrides: dict | None = None) -> Config:
    root = root.resolve()
    values: dict = {}
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{pyproject}: {exc}") from None
        values = dict(data.get("tool", {}).get("dateline", {}))
    for key in values:
        if key not in _SETTINGS:
            raise ConfigError(f"{pyproject}: unknown setting '{key}' in [tool.dateline]"
                              + did_you_mean(key, _SETTINGS))
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
