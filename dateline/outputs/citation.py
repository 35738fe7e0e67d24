"""What makes an event page citable: Highwire Press ``citation_*`` meta tags and BibTeX.

Highwire tags are what Google Scholar's inclusion guidelines ask for and what Zotero's
"Embedded Metadata" translator reads. Google Scholar requires ``citation_title``,
``citation_author`` and ``citation_publication_date``; the page gives those three always,
``citation_public_url`` (Zotero's ``url``) when ``base_url`` has a host, and
``citation_language`` (the language of the page's words). No more: every event page carries
them, within the page budget, and the JSON-LD already gives the tags as ``keywords``.

Decisions
---------
* **Author.** An entry has no byline: the author is the site, as its ``author`` setting names it
  (the publisher), else its title; a corporate name, so BibTeX gets it in double braces and no
  reference manager splits it into a first and last name.
* **Date.** The page's date is the entry's last change (its latest correction or its ``updated``
  date, as the JSON-LD's ``dateModified`` and the feeds say), else the event's own date: the
  earliest day the entry can have been written, and the only date the content knows. Google
  Scholar wants ``2010/5/12`` for a full date and a year alone otherwise; BibTeX gets the ISO
  date to its own precision (biblatex's ``date``) and ``year``.
* **Access date.** A citation of a web page gives the day the reader saw it, which a build cannot
  know (two builds of the same content give the same bytes). ``urldate`` is written as the
  placeholder ``YYYY-MM-DD`` in an element ``dateline.js`` fills with the reader's day; without
  scripts the reader sees a field plainly left to fill.
* **Escaping.** BibTeX's special characters in the title and author are escaped (``\\&``,
  ``\\%``, ``\\{`` ...); the URL is the site's own address, which has none of them.
"""

from __future__ import annotations

import re

from ..config import Config
from ..model import Event
from .feeds import clean, event_path, revised

ACCESS_PLACEHOLDER = "YYYY-MM-DD"

# Google Scholar's inclusion guidelines: the tags every indexed page must carry.
REQUIRED_TAGS = ("citation_title", "citation_author", "citation_publication_date")

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_BIBTEX_ESCAPE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def author(config: Config) -> str:
    """Who the page is by: the site's `author` setting (its publisher), else its title."""
    return clean(config.author or config.title).strip()


def page_date(event: Event):
    """The date a citation gives the page: its last change, else the event's own date."""
    return revised(event) or event.date


def scholar_date(event: Event) -> str:
    """Google Scholar's form: 2024/1/16 for a known day, the year alone otherwise."""
    date = page_date(event)
    return f"{date.year}/{date.month}/{date.day}" if date.day else str(date.year)


def page_url(config: Config, event: Event) -> str | None:
    """The page's absolute address, or None when base_url has no host."""
    return config.absolute_url(event_path(event)) if config.absolute else None


def highwire(config: Config, event: Event, language: str) -> list[tuple[str, str]]:
    """(name, content) of the page's citation_* meta tags, in order."""
    tags = [("citation_title", clean(event.title)), ("citation_author", author(config)),
            ("citation_publication_date", scholar_date(event))]
    url = page_url(config, event)
    if url:
        tags.append(("citation_public_url", url))
    tags.append(("citation_language", event.fallback or language))
    return tags


def _bibtex_text(text: str) -> str:
    text = " ".join(clean(text).split())
    return _BIBTEX_ESCAPE.sub(lambda m: _BIBTEX_SPECIAL[m[0]], text)


def bibtex_key(event: Event) -> str:
    """An ASCII key from the slug (a slug may hold letters of any script)."""
    key = re.sub(r"[^A-Za-z0-9-]+", "", event.slug)
    return f"{key or 'event'}-{page_date(event).year}"


def bibtex(config: Config, event: Event) -> tuple[str, str | None]:
    """The BibTeX (biblatex @online) entry, as the text before and after the access date, which
    the page fills in (ACCESS_PLACEHOLDER until its script does); (the whole entry, None) when
    the page has no absolute address (no url, so no urldate)."""
    date = page_date(event)
    lines = [f"@online{{{bibtex_key(event)},",
             f"  author = {{{{{_bibtex_text(author(config))}}}}},",
             f"  title = {{{{{_bibtex_text(event.title)}}}}},",
             f"  date = {{{date}}},",
             f"  year = {{{date.year}}},"]
    url = page_url(config, event)
    if not url:   # no address, nothing accessed: a site built without a host in base_url
        return "\n".join(lines) + "\n}", None
    lines.append(f"  url = {{{url}}},")
    return "\n".join(lines) + "\n  urldate = {", "},\n}"


__all__ = ["highwire", "bibtex", "bibtex_key", "author", "page_date", "scholar_date", "page_url",
           "REQUIRED_TAGS", "ACCESS_PLACEHOLDER"]
