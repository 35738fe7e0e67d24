"""A site in several languages, as the renderer sees it: the site in one language (its entries
in that language's words, or the default's where they are not translated), what a page's
language is and where its other languages' versions are, and its links moved into its
language's folder.

Templates and exports link with the default language's addresses ("/events/x/"); a page in
another language gets its links moved at the end to that language's version where there is
one ("/ur/events/x/"), so no template, body or graphic needs to know which language it is in.
The language switcher's and the hreflang alternates' links say which language they point to
(`hreflang` just before `href`) and are left as they are."""

from __future__ import annotations

import re
from dataclasses import replace

import jinja2

from .config import Config
from .entries import head_of
from .model import Event
from .routes import Route, default_path, language_path, url_of
from .translations import in_language


def environment(base: jinja2.Environment) -> jinja2.Environment:
    """A Jinja environment for the pages of one language: the theme's, with globals of its own
    (the site's title in that language, its navigation, its cards) and its own compiled
    templates (whose globals are bound to it)."""
    env = base.overlay(cache_size=400)
    env.globals = dict(base.globals)
    return env


def site_in(site, code: str):
    """The site as pages in language `code` show it: each entry in its translation's words,
    or in the default's marked `fallback`; its bodies, versions and heads those of the words
    shown (an entry's own page and every list it is in change when its translation does)."""
    config = site.config
    default = config.language
    timeline = site.timeline
    shown = [in_language(item, code, default) for item in (*timeline.events, *timeline.pages)]
    bodies, versions = dict(site.bodies), dict(site.versions)
    for item in (*timeline.events, *timeline.pages):
        t = item.translation(code)
        if t is not None:
            bodies[item.path] = site.bodies[t.path]
            versions[item.path] = f"{site.versions.get(item.path)}+{site.versions.get(t.path)}"
    heads = {e.slug: head_of(e) for e in shown if isinstance(e, Event)}
    names = site.term_names.get(code, {})
    # term pages keep their canonical addresses (Term.slug); only the names shown change
    terms = {kind: tuple(replace(t, name=names.get(kind, {}).get(t.name, t.name)) for t in found)
             for kind, found in timeline.terms.items()}
    words = site.era_words.get(code, {})
    eras = tuple(replace(era, **words[era.slug]) if era.slug in words else replace(era, fallback=default)
                 for era in timeline.eras)
    return replace(site, config=config.in_language(code),
                   timeline=replace(timeline.replacing(shown), terms=terms, eras=eras),
                   bodies=bodies, versions=versions, heads={**site.heads, **heads})


def moved_urls(routes: dict[str, Route], code: str) -> frozenset[str]:
    """The default language's addresses of the pages and files that language `code` has too."""
    prefix = f"{code}/"
    return frozenset(url_of(path[len(prefix):]) for path, route in routes.items()
                     if route.lang == code and path.startswith(prefix))


# a language's link (left as it is), or a root link to move
_LINK = re.compile(r'hreflang="[^"]*"\s+href="[^"]*"|(\s(?:href|src|action|xlink:href)=")(/(?!/)[^"#?]*)')


def move_links(html: str, code: str, moved: frozenset[str]) -> str:
    """The page's root links to pages its language has, into that language's folder."""
    def move(match: re.Match) -> str:
        if match.group(1) is None or match.group(2) not in moved:
            return match.group(0)
        return f"{match.group(1)}/{code}{match.group(2)}"
    return _LINK.sub(move, html)


def default_url(route: Route, config: Config) -> str:
    """The default language's address of the route's page."""
    return url_of(default_path(route, config)) if route.lang else route.url


def page_languages(routes: dict[str, Route], route: Route, config: Config) -> dict:
    """What a page in a site of several languages is given: `page_lang` and `page_dir`, and
    `alternates`, its versions in every language that has it, as (code, name, href, current),
    the default's first (also `x_default`); hrefs are full URLs where base_url has a host."""
    site = replace(config, page_prefix="")
    base = default_path(route, config)
    lang = route.lang or config.codes[0]
    alternates = []
    for language in config.languages:
        path = language_path(base, language.code, config)
        if path in routes:
            url = url_of(path)
            alternates.append((language.code, language.name, site.absolute_url(url) if site.absolute else url,
                               language.code == lang))
    return dict(page_lang=lang, page_dir=config.language_of(lang).direction,
                alternates=alternates if len(alternates) > 1 else [],
                x_default=alternates[0][2] if len(alternates) > 1 else None)


__all__ = ["site_in", "environment", "moved_urls", "move_links", "default_url", "page_languages"]
