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

# Digits of the CLDR numbering systems a page may need; Babel knows which one a locale uses
# (Locale.default_numbering_system) but formats dates with ASCII digits whatever it is.
_ZEROS = {"latn": "0", "arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6"}


def current() -> str:
    return _LANGUAGE.get()


@contextmanager
def speaking(language: str | None):
    """Render in `language` (a code such as "ur"); None: English."""
    token = _LANGUAGE.set(language or SOURCE)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def locale_folder(theme_folders: list[Path] | None = None) -> list[Path]:
    """Where catalogs are looked for: each theme folder's locale/ (a site's own first)."""
    return [folder / "locale" for folder in (theme_folders or [THEME])]


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


@lru_cache(maxsize=None)
def catalog(language: str, folders: tuple[Path, ...] = ()) -> tuple[_gettext.NullTranslations, dict]:
    """The language's translations, from the first messages.po found in `folders` (default:
    the theme's locale/), and the catalog read by Babel (None when there is none)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    for folder in folders or tuple(locale_folder()):
        po = folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            with po.open("rb") as f:
                read = read_po(f, locale=language)
            mo = io.BytesIO()
            write_mo(mo, read, use_fuzzy=False)
            mo.seek(0)
            return _gettext.GNUTranslations(mo), {"catalog": read, "path": po}
    return _gettext.NullTranslations(), {"catalog": None, "path": None}


def translations(language: str | None = None) -> _gettext.NullTranslations:
    language = language or current()
    if language == SOURCE:
        return _gettext.NullTranslations()
    return catalog(language)[0]


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


def missing(language: str, folders: tuple[Path, ...] = ()) -> list[str]:
    """The theme's msgids (messages.pot) that the language's catalog does not translate."""
    if language == SOURCE:
        return []
    template = (folders[0] if folders else locale_folder()[0]) / f"{DOMAIN}.pot"
    if not template.is_file():
        template = locale_folder()[0] / f"{DOMAIN}.pot"
    from babel.messages.pofile import read_po
    with template.open("rb") as f:
        wanted = [m.id for m in read_po(f) if m.id]
    read = catalog(language, folders)[1]["catalog"]

    def translated(msgid) -> bool:
        if read is None:
            return False
        message = read.get(msgid)
        if message is None or message.fuzzy:
            return False
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        return all(strings)
    return [m if isinstance(m, str) else m[0] for m in wanted if not translated(m)]


def direction(language: str, configured: str | None = None) -> str:
    """"rtl" or "ltr": the configuration's word for the language when it gives one, else CLDR's."""
    if configured in ("rtl", "ltr"):
        return configured
    return "rtl" if is_rtl(language) else "ltr"


__all__ = ["current", "speaking", "digits", "number", "translations", "_", "ngettext",
           "template_gettext", "template_ngettext", "missing", "direction", "is_rtl", "SOURCE"]


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
    configured = getattr(config, "languages", None) or {}
    return list(dict.fromkeys([config.language, *configured]))


def report(languages: list[str], listing: bool = False) -> list[str]:
    """What the build says of the interface's catalogs: one line per language with strings
    shown in English, and with `listing` (check) the strings themselves, one a line."""
    lines = []
    for language in languages:
        if language == SOURCE:
            continue
        if catalog(language)[1]["path"] is None:
            lines.append(f"interface: no catalog for '{language}' (templates/locale/{language}/LC_MESSAGES/"
                         f"messages.po): its pages' interface is in English; docs/translating.md says how to add one")
            continue
        left = missing(language)
        if left:
            lines.append(f"interface: {len(left)} string{'s' if len(left) != 1 else ''} not translated into "
                         f"'{language}', shown in English" + ("" if listing else " (dateline check lists them)"))
            if listing:
                lines += [f"  {msgid}" for msgid in left]
    return lines
