"""Translations of entries (content/<stem>.<lang>.md beside <stem>.md): read, checked against
their canonical entry and the configured languages, and an entry shown in a language, in its
translation's words or, where it has none, in the default language's (marked as such).

A translation holds words only; the facts are written once, in the canonical file, so a fact
field in a translation is an error at its line rather than a second version of the fact."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path, PurePosixPath

from . import characters, yamlload
from .config import LANGUAGE_CODE, Config
from .errors import ContentError, did_you_mean, error
from .load import TRANSLATION_NAME as _NAME, RawEntry, read_text
from .model import Event, Page, Translation

EVENT_WORDS = {
    "title": "the title (required)",
    "summary": "the one-sentence summary",
    "place": "the place's name only: place: {name: …}",
    "discrepancies": "the discrepancies, as many and in the same order as in the canonical entry",
    "sources": "notes of the canonical entry's sources, by id: [{id: …, note: …}]",
    "reports": "notes of the canonical entry's reports, in the same order: [{note: …}]",
}
PAGE_WORDS = {"title": "the title (required)", "summary": "the one-sentence summary"}


def translation_name(rel: str) -> tuple[str, str] | None:
    """("pages/about.md", "ur") for "pages/about.ur.md"; None for a name that is not one."""
    folder, _, name = rel.rpartition("/")
    match = _NAME.match(name)
    if not match or not LANGUAGE_CODE.fullmatch(match["code"]):
        return None
    return (f"{folder}/" if folder else "") + match["stem"] + ".md", match["code"]


def _text(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return unicodedata.normalize("NFC", value).strip() or None if isinstance(value, str) else None


def parse_translation(entry: RawEntry) -> tuple[Translation | None, list[ContentError]]:
    """A translation's words, or its errors: a fact field at its line, a word field of the
    wrong shape."""
    canonical, code = translation_name(entry.path)
    page = entry.kind == "page-translation"
    allowed = PAGE_WORDS if page else EVENT_WORDS
    front = entry.front.value
    errors: list[ContentError] = []

    def fail(message: str, *keys) -> None:
        errors.append(error(entry.path, entry.line(*keys), message))

    for key in front:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed)
            fail(f"'{key}' cannot be set in a translation: a translation holds only words "
                 f"({', '.join(allowed)}); facts are written once, in {PurePosixPath(canonical).name}"
                 + (hint if hint else ""), key)
    title = _text(front.get("title"))
    if title is None:
        fail("missing required key 'title' (the title in this language)" if "title" not in front
             else "'title' must be text", *(("title",) if "title" in front else ()))
    summary = _text(front.get("summary"))
    place_name, discrepancies, source_notes, report_notes = None, (), (), ()
    if not page:
        place = front.get("place")
        if place is not None:
            if not isinstance(place, dict) or set(place) - {"name"}:
                extra = sorted(set(place) - {"name"}) if isinstance(place, dict) else []
                fail(f"a translation's place holds only its name (place: {{name: …}})"
                     + (f"; '{extra[0]}' is a fact, written in {PurePosixPath(canonical).name}" if extra else ""),
                     *(("place", extra[0]) if extra else ("place",)))
            else:
                place_name = _text(place.get("name"))
        found = front.get("discrepancies")
        if found is not None:
            if not isinstance(found, list) or any(_text(d) is None for d in found):
                fail("'discrepancies' must be a list of texts", "discrepancies")
            else:
                discrepancies = tuple(_text(d) for d in found)
        sources = front.get("sources")
        if sources is not None:
            notes = []
            for i, item in enumerate(sources if isinstance(sources, list) else [None]):
                if not isinstance(item, dict) or set(item) - {"id", "note"} or _text(item.get("id")) is None:
                    extra = sorted(set(item) - {"id", "note"}) if isinstance(item, dict) else []
                    fail("a translation's sources give only the id of a canonical source and its note "
                         "({id: …, note: …})" + (f"; '{extra[0]}' is a fact of the source, written in "
                                                  f"{PurePosixPath(canonical).name}" if extra else ""),
                         *(("sources", i, extra[0]) if extra else ("sources", i)))
                    continue
                notes.append((_text(item["id"]), _text(item.get("note")) or ""))
            source_notes = tuple(notes)
        reports = front.get("reports")
        if reports is not None:
            notes = []
            for i, item in enumerate(reports if isinstance(reports, list) else [None]):
                if not isinstance(item, dict) or set(item) - {"note"}:
                    extra = sorted(set(item) - {"note"}) if isinstance(item, dict) else []
                    fail("a translation's reports give only their notes, in the canonical order ({note: …})"
                         + (f"; '{extra[0]}' is a fact of the report, written in "
                            f"{PurePosixPath(canonical).name}" if extra else ""),
                         *(("reports", i, extra[0]) if extra else ("reports", i)))
                    continue
                notes.append(_text(item.get("note")))
            report_notes = tuple(notes)
    if errors:
        return None, errors
    shift = entry.front_line - 1
    lines = {path: line + shift for path, line in entry.front.lines.items()}
    return Translation(code, entry.path, title, entry.body, entry.body_line, summary, place_name,
                       discrepancies, source_notes, report_notes, lines), []


def attach(config: Config, events: list[Event], pages: list[Page], translations: list[Translation],
           broken: set[str]) -> tuple[list[Event], list[Page], list[ContentError]]:
    """The entries with their translations, or the errors: a language the site does not have,
    a translation of no entry, words that do not match the canonical entry's (discrepancies
    and reports by position, source notes by id). `broken`: the slugs of entries that failed
    (their translations are not reported again)."""
    errors: list[ContentError] = []
    by_path = {item.path: item for item in [*events, *pages]}
    found: dict[str, list[Translation]] = {}
    others = [code for code in config.codes if code != config.language]
    for t in translations:
        canonical, code = translation_name(t.path)
        name = PurePosixPath(canonical).name
        if code == config.language:
            errors.append(error(t.path, 1, f"'{code}' is the site's default language, whose words are the "
                                           f"entry's own: merge this file's words into {name} and delete it"))
            continue
        if code not in others:
            errors.append(error(t.path, 1, f"'{code}' is not a language of this site"
                                + (did_you_mean(code, others) if others else "")
                                + f": add a [languages.{code}] table to the settings, or rename the file "
                                  f"(an entry's name may not end in .{code})"))
            continue
        item = by_path.get(canonical)
        if item is None:
            if PurePosixPath(canonical).stem not in broken:
                errors.append(error(t.path, 1, f"a translation of {canonical}, which does not exist: write the "
                                               f"entry in the default language first, or rename this file"))
            continue
        errors += _matches(item, t)
        found.setdefault(canonical, []).append(t)
    if errors:
        return events, pages, errors
    order = {code: i for i, code in enumerate(config.codes)}

    def with_translations(item):
        mine = found.get(item.path)
        return replace(item, translations=tuple(sorted(mine, key=lambda t: order[t.lang]))) if mine else item

    return [with_translations(e) for e in events], [with_translations(p) for p in pages], []


def _matches(item: Event | Page, t: Translation) -> list[ContentError]:
    if not isinstance(item, Event):
        return []
    errors = []
    name = PurePosixPath(item.path).name
    if t.discrepancies and len(t.discrepancies) != len(item.discrepancies):
        errors.append(error(t.path, t.line("discrepancies"),
                            f"{len(t.discrepancies)} discrepancies, but {name} has {len(item.discrepancies)}: "
                            "translate each of them, in the same order"))
    ids = [s.id for s in item.sources]
    for i, (sid, _) in enumerate(t.source_notes):
        if sid not in ids:
            errors.append(error(t.path, t.line("sources", i, "id"), f"no source '{sid}' in {name}"
                                + (did_you_mean(sid, ids) or f" (its sources: {', '.join(ids) or 'none'})")))
    if len(t.report_notes) > len(item.reports):
        errors.append(error(t.path, t.line("reports"), f"{len(t.report_notes)} reports, but {name} has "
                                                       f"{len(item.reports)}: give their notes in the same order"))
    return errors


# -- an entry in a language -------------------------------------------------------------------

def in_language(item: Event | Page, lang: str, default: str):
    """The entry as a page in `lang` shows it: in its translation's words, or in the default
    language's, with `fallback` saying so. Its path stays the canonical file's (the body is
    looked up by the translation's path: translated_bodies)."""
    if lang == default:
        return item
    t = item.translation(lang)
    if t is None:
        return replace(item, fallback=default)
    if isinstance(item, Page):
        return replace(item, title=t.title, summary=t.summary or item.summary, body=t.body, body_line=t.body_line)
    notes = dict(t.source_notes)
    sources = tuple(replace(s, note=notes[s.id] or s.note) if s.id in notes else s for s in item.sources)
    reports = tuple(replace(r, note=t.report_notes[i] or r.note) if i < len(t.report_notes) else r
                    for i, r in enumerate(item.reports))
    return replace(item, title=t.title, summary=t.summary or item.summary, body=t.body, body_line=t.body_line,
                   sources=sources, reports=reports, discrepancies=t.discrepancies or item.discrepancies)


def untranslated(items, lang: str) -> list:
    """The entries with no translation into `lang`."""
    return [item for item in items if item.translation(lang) is None]




# -- words in a language for the site's names: content/terms.<code>.yaml, content/eras.<code>.yaml

TERM_KINDS = ("tags", "actors", "places", "countries")
ERA_WORDS = ("title", "summary")
_TERMS_FILE = re.compile(r"^terms\.(?P<code>[A-Za-z0-9-]+)\.ya?ml$")
_ERAS_FILE = re.compile(r"^eras\.(?P<code>[A-Za-z0-9-]+)\.ya?ml$")


def _language_files(content: Path, config: Config, pattern: re.Pattern, shape: str):
    """(name, code, document, errors) for each file in content/ whose name `pattern` matches:
    its language one of the site's others, its YAML read, its top a mapping (`shape` says
    what it must hold); document is None where the errors say why it could not be read."""
    others = config.codes[1:]
    try:
        listed = sorted(p.name for p in content.iterdir() if pattern.match(p.name))
    except OSError:
        return
    for name in listed:
        code = pattern.match(name)["code"]
        if code not in others:
            yield name, code, None, [error(name, 1, f"'{code}' is not one of the site's other languages"
                                                    + (did_you_mean(code, others) or "") +
                                           f": add a [languages.{code}] table to the settings, or rename the file")]
            continue
        text, problems = read_text(content / name, name, content)
        if text is None:
            yield name, code, None, problems
            continue
        try:
            document = yamlload.load(text)
        except yamlload.YamlError as exc:
            yield name, code, None, [error(name, exc.line, exc.message)]
            continue
        if document.value is not None and not isinstance(document.value, dict):
            yield name, code, None, [error(name, 1, f"must be {shape}")]
            continue
        problems = characters.document_problems(document.value, document.line)
        if problems:
            yield name, code, None, [error(name, line, message) for line, message in problems]
            continue
        yield name, code, document, []


def load_term_names(content: Path, config: Config, timeline, complete: bool = True) -> tuple[dict, list[ContentError]]:
    """{code: {kind: {canonical name: name in that language}}} from content/terms.<code>.yaml,
    or the errors: a language the site does not have, a kind or a name the site has not (unless
    the timeline is not `complete`: an entry with errors, left out, may be the one that names it)."""
    names: dict = {}
    errors: list[ContentError] = []
    known = {kind: {t.name for t in timeline.terms.get(kind, ())} for kind in ("tags", "actors", "places")}
    known["countries"] = {e.place.country for e in timeline.events if e.place and e.place.country}
    for name, code, document, problems in _language_files(content, config, _TERMS_FILE,
                                                          f"tables of names: {', '.join(TERM_KINDS)}"):
        errors += problems
        if document is None:
            continue
        found: dict = {}
        for kind, table in (document.value or {}).items():
            if kind not in TERM_KINDS:
                errors.append(error(name, document.line(kind), f"unknown table '{kind}'"
                                    + (did_you_mean(str(kind), TERM_KINDS) or f" (there are: {', '.join(TERM_KINDS)})")))
                continue
            if not isinstance(table, dict):
                errors.append(error(name, document.line(kind), f"'{kind}' must be names and their translations, "
                                                               f"one a line: Kerman: \"کرمان\""))
                continue
            for canonical, shown in table.items():
                if str(canonical) not in known[kind]:
                    if not complete:
                        continue
                    errors.append(error(name, document.line(kind, canonical), f"no {kind[:-1] if kind != 'countries' else 'country'} "
                                        f"'{canonical}' in the site" + (did_you_mean(str(canonical), known[kind]) or "")))
                elif _text(shown) is None:
                    errors.append(error(name, document.line(kind, canonical), f"the name of '{canonical}' must be text"))
                else:
                    found.setdefault(kind, {})[str(canonical)] = _text(shown)
        names[code] = found
    return names, errors


def load_era_words(content: Path, config: Config, eras) -> tuple[dict, list[ContentError]]:
    """{code: {era slug: {"title": …, "summary": …}}} from content/eras.<code>.yaml, beside
    eras.yaml: by slug, words only. The dates are eras.yaml's alone, so one here is an error at
    its line, as is a slug eras.yaml has not."""
    words: dict = {}
    errors: list[ContentError] = []
    slugs = [era.slug for era in eras]
    for name, code, document, problems in _language_files(content, config, _ERAS_FILE,
                                                          "each era's slug and its words: border-crisis-2024: {title: …}"):
        errors += problems
        if document is None:
            continue
        found: dict = {}
        for slug, fields in (document.value or {}).items():
            at = document.line(slug)
            if str(slug) not in slugs:
                errors.append(error(name, at, f"no era '{slug}' in eras.yaml" + (did_you_mean(str(slug), slugs) or "")))
                continue
            if not isinstance(fields, dict):
                errors.append(error(name, at, f"'{slug}' must hold its words: {{title: …, summary: …}}"))
                continue
            for key, value in fields.items():
                if key not in ERA_WORDS:
                    fact = key in ("start", "end", "slug")
                    errors.append(error(name, document.line(slug, key),
                                        f"'{key}' cannot be set in a translation: " + (
                                            "an era's dates are written once, in eras.yaml" if fact else
                                            f"an era's words are {' and '.join(ERA_WORDS)}"
                                            + (did_you_mean(str(key), ERA_WORDS) or ""))))
                elif _text(value) is None:
                    errors.append(error(name, document.line(slug, key), f"'{key}' must be text"))
                else:
                    found.setdefault(str(slug), {})[key] = _text(value)
        words[code] = found
    return words, errors


__all__ = ["translation_name", "parse_translation", "attach", "in_language", "untranslated",
           "load_term_names", "load_era_words", "EVENT_WORDS", "PAGE_WORDS", "TERM_KINDS"]
