"""The interface in the reader's language: gettext catalogs (templates/locale/<code>/LC_MESSAGES/
messages.po, English msgids), compiled in memory from the .po when first asked for (no .mo is
kept in the repository), and the language a page is being rendered in.

The page's language is a context variable set around each render (`speaking`), so that the
templates' `_()`/`ngettext`, macros kept between pages and the Python code that makes page text
(dates.py, views.py, render.py) all read the same one; outside a render it is English, so the
exports and the command line are as they were."""

from __future__ import annotations

import contextvars
import gettext as _gettext
import io
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from .theme import THEME

SOURCE = "en"                        # the msgids' language
DOMAIN = "messages"
_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("dateline_language", default=SOURCE)
# The locale folders a page's catalogs come from, the first found first: a site's own
# templates/locale/ over the theme's (each string it lacks is looked up in the next).
_FOLDERS: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("dateline_locale_folders",
                                                                           default=(THEME / "locale",))

# Digits of the CLDR numbering systems a page may need; Babel knows which one a locale uses
# (Locale.default_numbering_system) but formats dates with ASCII digits whatever it is.
_ZEROS = {"latn": "0", "arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6"}


def current() -> str:
    return _LANGUAGE.get()


@contextmanager
def speaking(language: str | None, folders: tuple[Path, ...] | None = None):
    """Render in `language` (a code such as "ur"; None: English), with the catalogs of the
    locale `folders` (default: the theme's)."""
    token = _LANGUAGE.set(language or SOURCE)
    kept = _FOLDERS.set(tuple(folders)) if folders else None
    try:
        yield
    finally:
        _LANGUAGE.reset(token)
        if kept is not None:
            _FOLDERS.reset(kept)


def locale_folders(theme_folders) -> tuple[Path, ...]:
    """Where a theme's catalogs are: each of its folders' locale/ (a site's own first)."""
    return tuple(Path(folder) / "locale" for folder in theme_folders)


@lru_cache(maxsize=None)
def _babel_locale(language: str):
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def is_rtl(language: str) -> bool:
    locale = _babel_locale(language)
    return locale is not None and locale.character_order == "right-to-left"


def numbering_system(language: str) -> str:
    locale = _babel_locale(language)
    system = locale.default_numbering_system if locale is not None else "latn"
    return system if system in _ZEROS else "latn"


def digits(text, language: str | None = None) -> str:
    """ASCII digits of `text` in the language's own numbering system (CLDR's default for it)."""
    text = str(text)
    zero = _ZEROS[numbering_system(language or current())]
    if zero == "0":
        return text
    return text.translate({ord("0") + i: chr(ord(zero) + i) for i in range(10)})


def number(n, language: str | None = None) -> str:
    """A count or figure in the language: English as it always was (no grouping), others by
    CLDR (Babel's format_decimal, the locale's own symbols and digits)."""
    language = language or current()
    if language == SOURCE or _babel_locale(language) is None:
        return str(n)
    from babel.numbers import format_decimal
    system = numbering_system(language)
    return digits(format_decimal(n, locale=_babel_locale(language), numbering_system=system), language)


def po_files(language: str, folders: tuple[Path, ...] | None = None) -> list[Path]:
    """The language's messages.po in each of the locale folders that has one, in order."""
    found = [folder / language / "LC_MESSAGES" / f"{DOMAIN}.po" for folder in (folders or _FOLDERS.get())]
    return [po for po in found if po.is_file()]


@lru_cache(maxsize=None)
def _compiled(po: Path, language: str, mtime_ns: int):
    """One .po file read by Babel and compiled in memory (kept while the file is unchanged:
    `serve` sees a translator's edit at the next build)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with po.open("rb") as f:
        read = read_po(f, locale=language)
    mo = io.BytesIO()
    write_mo(mo, read, use_fuzzy=False)
    mo.seek(0)
    return _gettext.GNUTranslations(mo), read


def catalogs(language: str, folders: tuple[Path, ...] | None = None) -> list:
    """The language's catalogs as Babel read them, the first to be asked first."""
    return [_compiled(po, language, po.stat().st_mtime_ns)[1] for po in po_files(language, folders)]


def translations(language: str | None = None, folders: tuple[Path, ...] | None = None) -> _gettext.NullTranslations:
    """The language's translations: each catalog falls back to the next, the last to English."""
    language = language or current()
    if language == SOURCE:
        return _gettext.NullTranslations()
    return _chain(language, tuple(po_files(language, folders)))


def _chain(language: str, files: tuple[Path, ...]) -> _gettext.NullTranslations:
    if not files:
        return _gettext.NullTranslations()
    return _chained(language, tuple((po, po.stat().st_mtime_ns) for po in files))


@lru_cache(maxsize=64)
def _chained(language: str, files: tuple[tuple[Path, int], ...]) -> _gettext.NullTranslations:
    import copy
    first = None
    for po, mtime in files:
        one = copy.copy(_compiled(po, language, mtime)[0])   # its own fallback, not the shared one's
        if first is None:
            first = one
        else:
            first.add_fallback(one)
    return first


def _(message: str, **variables) -> str:
    """A string Python makes for a page, in the page's language."""
    text = translations().gettext(message)
    return text % _shown(variables) if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = translations().ngettext(singular, plural, n)
    return text % _shown({"num": n, **variables})


def _shown(variables: dict) -> dict:
    return {k: number(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in variables.items()}


# -- for jinja2.ext.i18n (newstyle): autoescaped, and variables put in by the call -------------
def template_gettext(message: str, **variables) -> str:
    text = translations().gettext(message)
    return _jinja_format(text, variables)


def template_ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = translations().ngettext(singular, plural, n)
    return _jinja_format(text, {"num": n, **variables})


def _jinja_format(text: str, variables: dict) -> Markup:
    # the templates are autoescaped: the message is trusted (ours), its variables are escaped
    shown = {k: escape(v) for k, v in _shown(variables).items()}
    return Markup(text) % shown if shown else Markup(text)


def missing(language: str, folders: tuple[Path, ...] | None = None) -> list[str]:
    """The interface's msgids (the theme's messages.pot, and a site's own where it has one) that
    none of the language's catalogs translates: shown in English."""
    if language == SOURCE:
        return []
    from babel.messages.pofile import read_po
    wanted: dict[str, object] = {}
    for folder in reversed(folders or _FOLDERS.get()):
        template = folder / f"{DOMAIN}.pot"
        if template.is_file():
            with template.open("rb") as f:
                wanted.update((m.id if isinstance(m.id, str) else m.id[0], m.id) for m in read_po(f) if m.id)
    read = catalogs(language, folders)

    def translated(msgid) -> bool:
        for catalog in read:
            message = catalog.get(msgid)
            if message is None or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            if all(strings):
                return True
        return False
    return [key for key, msgid in wanted.items() if not translated(msgid)]


def direction(language: str, configured: str | None = None) -> str:
    """"rtl" or "ltr": the configuration's word for the language when it gives one, else CLDR's."""
    if configured in ("rtl", "ltr"):
        return configured
    return "rtl" if is_rtl(language) else "ltr"




def N_(message: str) -> str:
    """Marks a msgid for extraction where it is translated later (`Translated`, `_(label)`)."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural pair for extraction (the Makefile's `-k Nn_:1,2`), for ngettext later."""
    return singular, plural


class Translated(dict):
    """A dict of msgids whose values are read in the page's language."""

    def __getitem__(self, key):
        return _(super().__getitem__(key))


class Months:
    """`months[m - 1]` in templates: the month's name in the page's language."""

    def __init__(self, english, name):
        self.english, self.name = english, name

    def __getitem__(self, index: int) -> str:
        return self.name(index + 1)

    def __len__(self) -> int:
        return len(self.english)


# msgids made from data at render time (place and date precisions), and the notice the
# multilingual timeline puts on an entry shown in the default language
_FROM_DATA = (N_("town"), N_("district"), N_("province"), N_("country"), N_("day"), N_("month"), N_("year"),
              N_("not yet translated"))


def site_languages(config) -> list[str]:
    """The site's languages: the default first, then the `languages` setting's, when it has one."""
    return list(dict.fromkeys([config.language, *_language_entries(config)]))


def _language_entries(config) -> dict:
    """The `languages` setting by code: typed Language entries (config.py) or plain tables."""
    configured = getattr(config, "languages", None) or {}
    if isinstance(configured, dict):
        return configured
    return {entry.code: entry for entry in configured}


def report(languages: list[str], folders: tuple[Path, ...] | None = None, listing: bool = False) -> list[str]:
    """What the build says of the interface's catalogs: one line per language with strings
    shown in English, and with `listing` (check) the strings themselves, one a line."""
    lines = []
    for language in languages:
        if language == SOURCE:
            continue
        if not po_files(language, folders):
            lines.append(f"interface: no catalog for '{language}' (templates/locale/{language}/LC_MESSAGES/"
                         f"messages.po): its pages' interface is in English; docs/translating.md says how to add one")
            continue
        left = missing(language, folders)
        if left:
            lines.append(f"interface: {len(left)} string{'s' if len(left) != 1 else ''} not translated into "
                         f"'{language}', shown in English" + ("" if listing else " (dateline check lists them)"))
            if listing:
                lines += [f"  {msgid}" for msgid in left]
    return lines


def own_dir() -> Markup:
    """` dir="rtl"` for text made in a right-to-left page's language (a date) that may sit in
    a left-to-right passage (a source's citation): isolated, in its own direction, and skipped
    by its paragraph's dir="auto". Nothing on a left-to-right page."""
    return Markup(' dir="rtl"') if is_rtl(current()) else Markup("")


# What static/dateline.js and static/across.js say (search and filter status): given to the
# scripts of a page in another language than English as a JSON block (`script_strings`).
SCRIPT_STRINGS = (N_("Searching…"), N_("Filtering every page…"), N_("More matches"),
                  N_("Search could not be loaded here. Browse by tag, actor, place or year instead."),
                  N_("%(count)s."), N_("%(count)s on this page; the other pages could not be read here."),
                  N_("%(count)s across all %(pages)s pages."))
SCRIPT_PLURALS = (Nn_("%(num)s event matches", "%(num)s events match"),
                  Nn_("%(num)s result.", "%(num)s results."),
                  Nn_("%(num)s result for “%(query)s”.", "%(num)s results for “%(query)s”."))


def script_strings() -> str:
    """The scripts' strings in the page's language, as JSON: {"lang", "strings": {msgid: text},
    "plurals": {singular: {CLDR category: text}}} (the script picks the category with
    Intl.PluralRules, as Babel does here). "" in English: the scripts' own words."""
    language = current()
    if language == SOURCE:
        return ""
    import json
    t = translations(language)
    locale = _babel_locale(language)
    examples: dict[str, int] = {}
    for n in range(0, 1001):   # a number of each plural category the language has
        examples.setdefault(locale.plural_form(n) if locale is not None else ("one" if n == 1 else "other"), n)
    data = {"lang": language,
            "strings": {m: t.gettext(m) for m in SCRIPT_STRINGS},
            "plurals": {one: {category: t.ngettext(one, other, n) for category, n in examples.items()}
                        for one, other in SCRIPT_PLURALS}}
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


def language_setting(config, language: str, name: str, default=None):
    """A setting of one language in the `languages` table ([tool.dateline.languages.fa]
    solar_hijri = true), whichever form the configuration gives its entries; the default when
    the site has no such table or entry."""
    entry = _language_entries(config).get(language)
    if entry is None:
        return default
    return entry.get(name, default) if isinstance(entry, dict) else getattr(entry, name, default)


__all__ = ["current", "speaking", "locale_folders", "digits", "number", "numbering_system", "translations",
           "_", "ngettext", "N_", "Nn_", "template_gettext", "template_ngettext", "missing", "report",
           "site_languages", "direction", "is_rtl", "own_dir", "script_strings", "language_setting",
           "Translated", "Months", "SOURCE"]
