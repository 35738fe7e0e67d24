"""The build as one flow: load -> parse -> link -> render -> write. Each stage returns values
and errors; nothing is written unless every stage before it succeeded."""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2

from .config import Config
from .errors import ContentError, error
from .link import link
from .load import load_all
from .markdown import MarkdownRenderer
from .model import Event, Timeline
from .parse import normalise_slug, parse_eras, parse_event, parse_page
from .render import render_site
from .sanitize import Sanitizer
from .write import WriteStats, write_site


@dataclass
class BuildResult:
    timeline: Timeline | None
    errors: list[ContentError]
    files: dict[str, bytes]
    stats: WriteStats | None = None
    seconds: float = 0.0


def load_timeline(content: Path) -> tuple[Timeline | None, list[ContentError]]:
    """Load, parse and link the content folder: the model, or every error found."""
    entries, raw_eras, errors = load_all(Path(content))
    # Links to a file that could not even be read are not reported again as "no such event".
    broken = {normalise_slug(PurePosixPath(e.path).stem) for e in errors if e.path.endswith(".md")}
    events, pages = [], []
    for entry in entries:
        item, problems = (parse_event if entry.kind == "event" else parse_page)(entry)
        errors += problems
        if item is None:
            broken.add(normalise_slug(PurePosixPath(entry.path).stem))
        elif entry.kind == "event":
            events.append(item)
        else:
            pages.append(item)
    eras, problems = parse_eras(raw_eras)
    errors += problems
    timeline, problems = link(events, pages, eras, broken)
    errors += problems
    if errors:
        return None, sorted(set(errors))
    return timeline, []


def render_bodies(timeline: Timeline, iframes_from: tuple[str, ...] = ()
                  ) -> tuple[dict[str, str], MarkdownRenderer, list[ContentError]]:
    urls = {e.path: f"/events/{e.slug}/" for e in timeline.events}
    urls.update({p.path: f"/{p.slug}/" for p in timeline.pages})
    renderer = MarkdownRenderer(urls, timeline.drafts, Sanitizer(iframes_from))
    bodies, errors = {}, []
    for item in [*timeline.events, *timeline.pages]:
        html, problems = renderer.render(item.path, item.body, item.body_line)
        bodies[item.path] = html
        errors += problems
    return bodies, renderer, errors


def render(config: Config) -> BuildResult:
    """Everything but the write: the site as {path: bytes}, or the errors."""
    started = time.perf_counter()
    timeline, errors = load_timeline(config.content)
    if timeline is None:
        return BuildResult(None, errors, {}, seconds=time.perf_counter() - started)
    bodies, markdown, errors = render_bodies(timeline, config.allow_iframes_from)
    if errors:
        return BuildResult(timeline, sorted(errors), {}, seconds=time.perf_counter() - started)
    try:
        files = render_site(config, timeline, bodies, markdown.inline)
    except jinja2.TemplateError as exc:   # the theme is input too: its errors are values
        return BuildResult(timeline, [template_error(exc)], {}, seconds=time.perf_counter() - started)
    return BuildResult(timeline, [], files, seconds=time.perf_counter() - started)


def template_error(exc: jinja2.TemplateError) -> ContentError:
    """`templates/page.html:12: template error: …`: Jinja gives the file and line of a syntax
    error; for an error while rendering, they are in the traceback Jinja rewrites to point at
    the template."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not (filename and line):
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    where = os.path.relpath(filename) if filename and os.path.isabs(filename) else (filename or "templates")
    hint = " (a template named there is missing)" if isinstance(exc, jinja2.TemplateNotFound) else ""
    return error(where, line or 1, f"template error: {exc.message or exc}{hint}")


def build(config: Config, write: bool = True) -> BuildResult:
    result = render(config)
    if write and not result.errors:
        started = time.perf_counter() - result.seconds
        result.stats = write_site(result.files, config.output)
        result.seconds = time.perf_counter() - started
    return result


__all__ = ["load_timeline", "render", "build", "BuildResult", "Event"]
