"""The site as one value: `load(config)` gathers everything a build needs and reports every
error: discover, parse, eras, link, the routes (every output file, declared once), and all the
Markdown, bodies and front-matter snippets alike, through one renderer with the same checks.
Nothing is written and no page is rendered here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .cache import BuildCache, digest
from .config import Config, check_nav
from .engines import engine_for
from .entries import Parsed, parse_files
from .errors import ContentError, error
from . import media
from .images import ImageInfo, ImageStore, STORE
from .link import link
from .load import load_eras, scan
from .markdown import MarkdownRenderer, media_in, media_urls
from .model import Event, Timeline
from .parallel import ordered_map
from .parse import file_slug, normalise_slug, parse_eras
from .progress import Progress
from .routes import Route, card_url, content_urls, file_of, plan
from .sanitize import Sanitizer
from .theme import Theme
from .translations import attach, load_era_words, load_term_names


@dataclass
class Site:
    config: Config
    theme: Theme
    found: list[tuple[Path, str]]          # the content files and their kinds
    parsed: list[Parsed]                   # in the same order
    timeline: Timeline
    routes: dict[str, Route]               # output path -> Route, every file of the site
    bodies: dict[str, str]                 # content path -> sanitized HTML
    snippets: dict[str, str]               # Markdown of a note or discrepancy -> HTML
    heads: dict[str, str] = field(default_factory=dict)      # event slug -> entries.head_of
    versions: dict[str, str] = field(default_factory=dict)   # content path -> digest of its text
    files: dict[str, int] = field(default_factory=dict)      # the content folder's other files -> size
    footer: str = ""                       # the `footer` setting as HTML (blocks)
    # language -> kind ("tags", "actors", "places", "countries") -> canonical name -> its name
    # in that language (content/terms.<code>.yaml)
    term_names: dict = field(default_factory=dict)
    era_words: dict = field(default_factory=dict)   # {code: {era slug: {title, summary}}}
    images: dict[str, ImageInfo] = field(default_factory=dict)   # content path -> size, kind (media.py)
    image_store: ImageStore = field(default_factory=lambda: ImageStore(None))


def load(config: Config, cache: BuildCache | None = None, progress: Progress | None = None,
         theme: Theme | None = None, unchanged: dict | None = None) -> tuple[Site | None, list[ContentError]]:
    """The whole site, or every error found in it. Entries and Markdown whose text is in
    `cache` are not parsed or rendered again; `unchanged` files (entries.parse_files) are not
    even read."""
    content = Path(config.content)
    if not content.is_dir():
        return None, [error(str(content), 1, "content folder not found: run dateline in a project's folder "
                                             "(or any folder inside it), or start a project with: dateline init")]
    listing = scan(content)
    parsed = parse_files(content, listing.found, cache, progress, unchanged)
    return assemble(config, listing.found, parsed, cache, progress, theme, listing.files)


def assemble(config: Config, found: list[tuple[Path, str]], parsed: list[Parsed],
             cache: BuildCache | None = None, progress: Progress | None = None,
             theme: Theme | None = None, files: dict[str, int] | None = None,
             ) -> tuple[Site | None, list[ContentError]]:
    """The parsed files (and the eras file) linked, routed and their Markdown rendered. `files`:
    the other files of the content folder (load.Listing.files), listed again if not given."""
    content = Path(config.content)
    files = scan(content).files if files is None else files
    errors: list[ContentError] = []
    events, pages, translations, broken = [], [], [], set()
    for (path, kind), entry in zip(found, parsed):
        errors += entry.errors
        if entry.item is None:
            # links to an entry that failed, even one that could not be read at all, are not
            # reported again as "no such event": its own errors say what is wrong
            # (a misnamed file, x.md.txt, is the entry x that would be)
            broken.add(normalise_slug(PurePosixPath(entry.rel).name.split(".")[0] if kind == "misnamed"
                                      else file_slug(entry.rel)))
        elif kind.endswith("translation"):
            translations.append(entry.item)
        elif kind == "event":
            events.append(entry.item)
        else:
            pages.append(entry.item)
    events, pages, problems = attach(config, events, pages, translations, broken)
    errors += problems
    raw_eras, problems = load_eras(content)
    errors += problems
    eras, problems = parse_eras(raw_eras)
    errors += problems
    events, problems = media.resolve(events, files)
    errors += problems
    timeline, problems = link(events, pages, eras, broken, drafts_too=config.drafts)
    errors += problems
    term_names: dict = {}
    era_words: dict = {}
    if timeline is not None:
        errors += check_nav(config, timeline.pages)
        term_names, problems = load_term_names(content, config, timeline, complete=not broken)
        errors += problems
        era_words, problems = load_era_words(content, config, timeline.eras)
        errors += problems
    if errors:
        return None, sorted(set(errors))
    theme = theme or Theme(config)
    routes, errors = plan(timeline, config, theme.static_paths())
    if errors:
        return None, sorted(set(errors))
    versions = {entry.rel: entry.key for entry in parsed if entry.item is not None}
    bodies, snippets, errors = render_markdown(config, timeline, cache, progress, versions,
                                               files, theme.static_paths())
    footer, problems = render_footer(config, timeline, files, theme.static_paths())
    errors += problems
    if errors:
        return None, sorted(set(errors))
    linked = media_in([*bodies.values(), *snippets.values(), footer])
    store = ImageStore(cache.folder / STORE if cache is not None else None, cache is None or cache.writable)
    images, errors = media.inventory(content, timeline.events, linked, store, [*timeline.events, *timeline.pages])
    if errors:
        return None, sorted(set(errors))
    bodies = {path: media.sized(html, images) for path, html in bodies.items()}
    routes.update(media.routes(timeline.events, linked, images))
    routes.update(card_routes(config, timeline.events, images))
    heads = {entry.item.slug: entry.head for entry in parsed if isinstance(entry.item, Event)}
    return Site(config, theme, found, parsed, timeline, routes, bodies, snippets, heads, versions, files,
                footer, term_names, era_words, images, store), []


def card_routes(config: Config, events, images) -> dict[str, Route]:
    """A preview card for each event without an image to show (media.preview), in every
    language of the site; none where base_url has no host: og:image and the JSON-LD image
    must be absolute addresses, so such a site links no card, and drawing them cost the bundled
    timeline's cold build most of its time."""
    table = {}
    if not config.absolute:
        return table
    for event in events:
        if media.preview(event, images) is None:
            path = file_of(card_url(event))
            table[path] = Route(path, "card", event, event.path, lang=config.language)
            for code in config.codes[1:]:
                table[f"{code}/{path}"] = Route(f"{code}/{path}", "card", event, event.path, lang=code)
    return table


def render_footer(config: Config, timeline: Timeline, files: dict[str, int] | None = None,
                  static: list[str] = ()) -> tuple[str, list[ContentError]]:
    """The `footer` setting's Markdown as HTML, checked as a body is (a link to a content file,
    `[About](pages/about.md)`, is resolved from the content folder); its errors are at the
    setting's line."""
    if not config.footer.strip():
        return "", []
    html, problems = markdown_renderer(config, timeline, files, static).render("", config.footer, 1)
    where = str(config.source or config.root / "pyproject.toml")
    return html, [error(where, config.lines.get("footer") or 1, f"setting 'footer': {p.message}") for p in problems]


def markdown_renderer(config: Config, timeline: Timeline, files: dict[str, int] | None = None,
                      static: list[str] = ()) -> MarkdownRenderer:
    """`files`, `static`: the files of the content folder and the theme's, which bodies may
    link to."""
    urls = {**media_urls(files or {}, static), **content_urls(timeline)}
    return MarkdownRenderer(urls, timeline.drafts, Sanitizer(config.allow_iframes_from), files,
                            engine_for(config.markdown, config.markdown_extensions))


def snippets_of(event: Event) -> list[tuple[str, int]]:
    """The Markdown written in an event's front matter, with the line of each: discrepancies,
    the notes of its sources and reports, and its corrections."""
    found = [(text, event.line("discrepancies", i)) for i, text in enumerate(event.discrepancies)]
    found += [(s.note, event.line("sources", i, "note")) for i, s in enumerate(event.sources) if s.note]
    found += [(r.note, event.line("reports", i, "note")) for i, r in enumerate(event.reports) if r.note]
    found += [(c.text, event.line("corrections", i, "text")) for i, c in enumerate(event.corrections)]
    return found


def translated_snippets(t) -> list[tuple[str, int]]:
    """The Markdown in a translation's front matter, with the line of each (as snippets_of)."""
    found = [(text, t.line("discrepancies", i)) for i, text in enumerate(t.discrepancies)]
    found += [(note, t.line("sources", i, "note")) for i, (_, note) in enumerate(t.source_notes) if note]
    found += [(note, t.line("reports", i, "note")) for i, note in enumerate(t.report_notes) if note]
    return found


def render_markdown(config: Config, timeline: Timeline, cache: BuildCache | None = None,
                    progress: Progress | None = None, versions: dict[str, str] | None = None,
                    files: dict[str, int] | None = None, static: list[str] = (),
                    ) -> tuple[dict[str, str], dict[str, str], list[ContentError]]:
    """Every body and every snippet of front matter as sanitized HTML, with every broken link
    or outside image among them: from `cache` when the text and its link targets are
    unchanged (the cache is salted with the configuration, allowed iframes included), the
    others on every core."""
    renderer = markdown_renderer(config, timeline, files, static)
    jobs = []   # (cache key, path, text, line, is a body)
    for item in [*timeline.events, *timeline.pages]:
        # keyed by the digest of the entry's text where it is known (`versions`), which is
        # cheaper than a digest of the Markdown itself
        version = versions.get(item.path) if versions else None
        key = f"{version}/body" if version else digest(item.path, item.body)
        jobs.append((key, item.path, item.body, item.body_line, True))
        if isinstance(item, Event):
            jobs += [(f"{version}/{i}" if version else digest("inline", item.path, text), item.path, text, line, False)
                     for i, (text, line) in enumerate(snippets_of(item))]
        for t in item.translations:
            version = versions.get(t.path) if versions else None
            jobs.append((f"{version}/body" if version else digest(t.path, t.body), t.path, t.body, t.body_line, True))
            jobs += [(f"{version}/{i}" if version else digest("inline", t.path, text), t.path, text, line, False)
                     for i, (text, line) in enumerate(translated_snippets(t))]
    done: dict[str, str] = {}
    todo = []
    for job in jobs:
        html = cache.body(job[0], renderer.urls_by_file) if cache is not None else None
        if html is None:
            todo.append(job)
        else:
            done[job[0]] = html

    def convert(job) -> tuple[str, list[ContentError], dict[str, str]]:
        _, path, text, line, body = job
        html, problems = (renderer.render if body else renderer.render_inline)(path, text, line)
        return html, problems, renderer.links

    if progress:
        progress.stage("Rendering Markdown", len(todo))
    errors: list[ContentError] = []
    for job, (html, problems, links) in zip(todo, ordered_map(convert, todo, advance=progress and progress.advance)):
        done[job[0]] = html
        errors += problems
        if cache is not None and not problems:
            cache.keep_body(job[0], html, sorted(links.items()))
    bodies = {path: done[key] for key, path, _, _, body in jobs if body}
    snippets = {text: done[key] for key, _, text, _, body in jobs if not body}
    return bodies, snippets, errors


__all__ = ["Site", "load", "assemble", "render_markdown", "markdown_renderer", "snippets_of"]
