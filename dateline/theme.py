"""The theme: the default templates, overridden file by file by a site's own templates folder,
and the static files published with them (the site's own static folder, the `static` setting,
over its templates' static/, over the theme's).

The default theme's templates are also named "default/<name>", so a site's template of the
same name can extend the one it replaces ({% extends "default/base.html" %}) and override one
block of it."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .config import Config


def _default_theme() -> Path:
    """The default theme's folder: inside the package when dateline is installed from a wheel
    (pyproject.toml maps templates/ to dateline/_theme), else templates/ beside the package, in
    a source checkout or an editable install."""
    package = Path(__file__).resolve().parent
    shipped = package / "_theme"
    return shipped if shipped.is_dir() else package.parent / "templates"


THEME = _default_theme()
DEFAULT_PREFIX = "default"       # {% extends "default/base.html" %}: the default theme's base.html


class Theme:
    def __init__(self, config: Config, compiled: Path | None = None):
        """`compiled`: a folder where compiled templates are kept between builds (the build
        cache's), or None."""
        self.config, self.compiled = config, compiled
        self._listed: dict[str, Path] | None = None
        self.folders = [THEME] if config.templates.resolve() == THEME else [config.templates, THEME]
        self._env: jinja2.Environment | None = None

    @property
    def env(self) -> jinja2.Environment:
        """The Jinja environment, made on first use (check and the route plan need none)."""
        if self._env is None:
            self._env = jinja2.Environment(
                loader=jinja2.ChoiceLoader([*(jinja2.FileSystemLoader(f) for f in self.folders),
                                            jinja2.PrefixLoader({DEFAULT_PREFIX: jinja2.FileSystemLoader(THEME)})]),
                bytecode_cache=self._bytecode_cache(),
                autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                lstrip_blocks=True, keep_trailing_newline=True,
                auto_reload=False,   # a changed template is a new build, with a new Theme
                extensions=["jinja2.ext.i18n"])
            # newstyle: the catalogs' functions put in the variables and escape them; they read
            # the language the page is rendered in (catalogs.speaking), so macros kept between
            # pages and the Python that makes page text agree with the template
            from . import catalogs
            self._env.newstyle_gettext = True
            self._env.globals.update(gettext=catalogs.template_gettext, ngettext=catalogs.template_ngettext,
                                     _=catalogs.template_gettext)
        return self._env

    def _bytecode_cache(self) -> jinja2.BytecodeCache | None:
        """Compiled templates kept in the project's build cache, by the digest of their source:
        compiling the theme took most of a build after a one-line edit."""
        folder = self.compiled
        if folder is None:
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:   # a read-only checkout: compiled each time
            return None
        return _CompiledTemplates(str(folder))

    def static_files(self) -> dict[str, Path]:
        """Output path -> file, of the theme's static/ folder overridden by the site's own."""
        files: dict[str, Path] = {}
        own = [self.config.static] if self.config.static is not None else []
        for static in [*(folder.resolve() / "static" for folder in reversed(self.folders)), *own]:
            if not static.is_dir():
                continue
            for path in sorted(static.rglob("*")):
                if path.is_file() and not _private(path.relative_to(static)):
                    files["static/" + path.relative_to(static).as_posix()] = path
        return dict(sorted(files.items()))

    def static_paths(self) -> list[str]:
        return list(self._static())

    def static_file(self, path: str) -> Path:
        """The file published at output path `path` ("static/dateline.css")."""
        return self._static()[path]

    def _static(self) -> dict[str, Path]:
        """static_files(), listed once per Theme (a build asks for each file)."""
        if self._listed is None:
            self._listed = self.static_files()
        return self._listed

    def map_data(self) -> Path:
        own = self.config.templates / "static" / "map"
        return own if own.is_dir() else THEME / "static" / "map"


def _private(rel: Path) -> bool:
    """Build inputs kept beside the assets are not published: the map boundaries (drawn into
    pages as SVG at build time), their derivation script and notes, hidden files."""
    return rel.parts[0] == "map" or rel.suffix in (".py", ".mjs", ".md") \
        or any(part.startswith(".") for part in rel.parts)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's store of compiled templates, but one that cannot be read or written (a full or
    failing disk) is no error, as for the rest of the build cache: the template is compiled."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


__all__ = ["Theme", "THEME", "DEFAULT_PREFIX"]
