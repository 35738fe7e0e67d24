"""Preview cards: for an event with no image of its own to show, the picture a shared link
shows (og:image), drawn at build time as a PNG in the site's colours: the site's name, the
event's title, its date and its place, in the page's language.

Arabic script (Urdu, Persian) must be shaped (letters joined, right to left), which Pillow does
only with libraqm and a font that has the letters; where either is missing the card is drawn
in the default language's words instead of in unshaped letters (`can_draw`).

A card is kept in the image store by the digest of what it shows: it is drawn again only
when its words or colours change."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from .cache import digest
from .colours import mix, normalise

WIDTH, HEIGHT = 1200, 630          # what OpenGraph readers show best (1.91:1)
MARGIN = 80
BACKGROUND = "#fbfaf7"             # the theme's --bg, --text and --accent (static/dateline.css)
TEXT = "#1b1b1b"
ACCENT = "#a3201a"
TITLE_SIZES = (68, 56, 46)         # the largest that fits the title in MAX_LINES
MAX_LINES = 4
PALETTE_COLOURS = 64
# Fonts with Arabic letters, by name, in the folders systems keep them in (Debian's fonts-noto
# packages): Urdu is written in Nastaliq; the others in Naskh-like faces. A site's own fonts
# are not looked for yet.
ARABIC_FONTS = {"ur": ("NotoNastaliqUrdu-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf"),
                "": ("NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf")}
FONT_FOLDERS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto",
                "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
ARABIC_SCRIPT = {"ur", "fa", "ar", "ps", "sd", "ckb", "ug"}
# Nastaliq's letters climb and fall further than Latin ones: its lines need more room.
LINE_HEIGHT = {"NotoNastaliqUrdu-Regular.ttf": 1.9}
# What to draw for a character the font has no letter for, rather than an empty box.
STAND_INS = {"–": "-", "—": "-", "·": "-", "\u2009": " ", "\u202f": " ", "\u00a0": " "}
_MISSING = "\U0010fffd"   # a private-use character no font draws: what a missing letter looks like


# How cards are drawn (this code, Pillow's version): a change to either draws them again.
_RECIPE = digest(Path(__file__).read_bytes(), PIL.__version__)


@dataclass(frozen=True)
class Card:
    """What one card shows."""
    site: str
    title: str
    when: str
    where: str
    lang: str
    rtl: bool
    accent: str = ACCENT
    separator: str = " · "         # between the date and the place, as the page's language writes it

    @property
    def key(self) -> str:
        return digest("card", repr(self), _RECIPE, font_file(self.lang) or "")

    @property
    def words(self) -> str:
        return " ".join((self.site, self.title, self.when, self.separator, self.where))


def _arabic(lang: str) -> bool:
    return lang.split("-")[0] in ARABIC_SCRIPT


@lru_cache(maxsize=8)
def font_file(lang: str) -> str | None:
    """The font a card in `lang` is drawn with: None for Pillow's own (Latin) font."""
    if not _arabic(lang):
        return None
    names = ARABIC_FONTS.get(lang.split("-")[0], ARABIC_FONTS[""])
    return next((str(Path(folder) / name) for name in names for folder in FONT_FOLDERS
                 if (Path(folder) / name).is_file()), None)


def can_draw(card: Card) -> bool:
    """Whether the card's words can be drawn as they are read: Arabic script needs libraqm to
    join its letters and a font that has every one of them (stand-ins aside)."""
    if not _arabic(card.lang):
        return True
    if not (features.check("raqm") and font_file(card.lang)):
        return False
    font = _font(20, card.lang)
    missing = bytes(font.getmask(_MISSING))
    return all(ch == " " or ch in STAND_INS or bytes(font.getmask(ch)) != missing for ch in set(card.words))


@lru_cache(maxsize=32)
def _font(size: int, lang: str) -> ImageFont.FreeTypeFont:
    path = font_file(lang)
    if path:
        return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)
    # Pillow's own font: the same letters on every machine that builds the site
    return ImageFont.load_default(size)


def _drawable(text: str, font) -> str:
    """`text` with each character the font cannot draw replaced by its stand-in (or left out)."""
    missing = bytes(font.getmask(_MISSING))
    out = []
    for ch in text:
        if ch == " " or bytes(font.getmask(ch)) != missing:
            out.append(ch)
        else:
            stand_in = STAND_INS.get(ch, "")
            out.append(stand_in if not stand_in or bytes(font.getmask(stand_in)) != missing else "")
    return "".join(out)


def _lines(draw: ImageDraw.ImageDraw, text: str, font, width: int, options: dict) -> list[str]:
    """`text` cut into lines no wider than `width`, at spaces (a word wider than the line
    stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font, **options) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def draw(card: Card) -> bytes:
    accent = normalise(card.accent)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    options = {"direction": "rtl", "language": card.lang} if card.rtl else {}
    inner = WIDTH - 2 * MARGIN

    def put(y: int, text: str, font, fill: str) -> None:
        text = _drawable(text, font)
        x = WIDTH - MARGIN - pen.textlength(text, font=font, **options) if card.rtl else MARGIN
        pen.text((x, y), text, font=font, fill=fill, **options)

    # a band in the accent colour along the reading edge, as the theme marks events
    band = (WIDTH - 24, 0, WIDTH, HEIGHT) if card.rtl else (0, 0, 24, HEIGHT)
    pen.rectangle(band, fill=accent)
    put(MARGIN - 10, card.site, _font(34, card.lang), accent)
    for size in TITLE_SIZES:
        font = _font(size, card.lang)
        lines = _lines(pen, card.title, font, inner, options)
        if len(lines) <= MAX_LINES - (size != TITLE_SIZES[-1]):
            break
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    step = round(size * LINE_HEIGHT.get(Path(font_file(card.lang) or "").name, 1.25))
    y = 150 + max(0, (300 - len(lines) * step) // 2)    # the title in the middle of the card's body
    for line in lines:
        put(y, line, font, TEXT)
        y += step
    muted = mix(TEXT, BACKGROUND, 0.72)
    small = _font(36, card.lang)
    put(HEIGHT - MARGIN - 44, card.separator.join(part for part in (card.when, card.where) if part), small, muted)
    pen.line((MARGIN if not card.rtl else WIDTH - MARGIN - 120, HEIGHT - MARGIN - 70,
              MARGIN + 120 if not card.rtl else WIDTH - MARGIN, HEIGHT - MARGIN - 70), fill=accent, width=4)
    # a card is a few flat colours and the antialiased edges of its letters: 64 colours keep
    # both (the theme's colours exactly) at 16 KB where full colour took 42 KB
    out = io.BytesIO()
    image.quantize(PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, "PNG", optimize=True)
    return out.getvalue()


def file_name(card: Card) -> str:
    """The card's file in the image store."""
    return f"card-{card.key}.png"


def drawn(card: Card, store) -> bytes:
    """The card's PNG, from the image store (images.ImageStore) or drawn (and kept there)."""
    name = file_name(card)
    data = store.fetch(name)
    if data is None:
        data = draw(card)
        store.keep(name, data)
    return data


__all__ = ["Card", "draw", "drawn", "file_name", "can_draw", "WIDTH", "HEIGHT"]
