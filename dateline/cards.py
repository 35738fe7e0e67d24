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
from .images import write_atomic

WIDTH, HEIGHT = 1200, 630          # what OpenGraph readers show best (1.91:1)
MARGIN = 80
BACKGROUND = "#fbfaf7"             # the theme's --bg, --text and --accent (static/dateline.css)
TEXT = "#1b1b1b"
ACCENT = "#a3201a"
TITLE_SIZES = (68, 56, 46)         # the largest that fits the title in MAX_LINES
MAX_LINES = 4
# Fonts with Arabic letters, where systems keep them (a site's own are not looked for yet).
ARABIC_FONTS = ("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
                "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
                "/usr/share/fonts/opentype/noto/NotoNaskhArabic-Regular.ttf",
                "/usr/share/fonts/noto/NotoNaskhArabic-Regular.ttf",
                "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
ARABIC_SCRIPT = {"ur", "fa", "ar", "ps", "sd", "ckb", "ug"}


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

    @property
    def key(self) -> str:
        return digest("card", repr(self), PIL.__version__, arabic_font() or "")


@lru_cache(maxsize=1)
def arabic_font() -> str | None:
    return next((path for path in ARABIC_FONTS if Path(path).is_file()), None)


def can_draw(lang: str) -> bool:
    """Whether a card's words in `lang` can be drawn as they are read."""
    if lang.split("-")[0] not in ARABIC_SCRIPT:
        return True
    return bool(features.check("raqm") and arabic_font())


def _font(size: int, lang: str) -> ImageFont.FreeTypeFont:
    if lang.split("-")[0] in ARABIC_SCRIPT:
        return ImageFont.truetype(arabic_font(), size, layout_engine=ImageFont.Layout.RAQM)
    # Pillow's own font: the same letters on every machine that builds the site
    return ImageFont.load_default(size)


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
    y = 170
    step = round(size * 1.25)
    for line in lines:
        put(y, line, font, TEXT)
        y += step
    muted = mix(TEXT, BACKGROUND, 0.72)
    small = _font(36, card.lang)
    put(HEIGHT - MARGIN - 44, " · ".join(part for part in (card.when, card.where) if part), small, muted)
    pen.line((MARGIN if not card.rtl else WIDTH - MARGIN - 120, HEIGHT - MARGIN - 70,
              MARGIN + 120 if not card.rtl else WIDTH - MARGIN, HEIGHT - MARGIN - 70), fill=accent, width=4)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def drawn(card: Card, folder: Path | None) -> bytes:
    """The card's PNG, from the image store or drawn (and kept)."""
    path = folder / f"card-{card.key}.png" if folder is not None else None
    if path is not None:
        try:
            return path.read_bytes()
        except OSError:
            pass
    data = draw(card)
    if path is not None:
        write_atomic(path, data)
    return data


__all__ = ["Card", "draw", "drawn", "can_draw", "WIDTH", "HEIGHT"]
