"""The site's accent colour: checked for contrast against the default theme's backgrounds, and
written as the CSS custom properties the theme's stylesheet reads (--accent, --accent-soft)."""

from __future__ import annotations

import base64
import hashlib
import re

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# The default theme's backgrounds (static/dateline.css): the accent is text on them (month
# headings, datelines, badges), and they are text on it (the counts on map clusters). The
# lighter of each scheme's two is the harder one to read on.
LIGHT_BACKGROUND = "#ffffff"     # --surface; --bg is #fbfaf7
DARK_BACKGROUND = "#1d1d1d"      # --surface; --bg is #141414
DARK_BACKGROUNDS = ("#1d1d1d", "#141414")
MIN_CONTRAST = 4.5               # WCAG 2 AA, normal text
DERIVED_CONTRAST = 7.0           # AAA: the dark accent dateline derives meets the enhanced contrast


def normalise(colour: str) -> str:
    """'#A2c' -> '#aa22cc'."""
    digits = colour[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = normalise(colour)
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, share: float) -> str:
    """`share` of colour a in colour b."""
    return "#" + "".join(f"{round(x * share + y * (1 - share)):02x}" for x, y in zip(_rgb(a), _rgb(b)))


def for_dark(accent: str) -> str:
    """The accent made light enough to read on the dark scheme's backgrounds (to AAA's 7:1, as
    the theme's own dark accent does): mixed with white in small steps until it is (the theme's
    own dark accent is a lighter red than its light one)."""
    share = 1.0
    colour = normalise(accent)
    while contrast(colour, DARK_BACKGROUND) < DERIVED_CONTRAST and share > 0:
        share = round(share - 0.05, 2)
        colour = mix(accent, "#ffffff", share)
    return colour


def accent_css(light: str, dark: str) -> str:
    """The stylesheet that sets the accent (either may be "": the theme's own is kept)."""
    rules = []
    if light:
        rules.append(f":root{{--accent:{light};--accent-soft:{mix(light, LIGHT_BACKGROUND, 0.12)}}}")
    if dark:
        rules.append("@media (prefers-color-scheme: dark){:root{"
                     f"--accent:{dark};--accent-soft:{mix(dark, DARK_BACKGROUNDS[0], 0.18)}}}}}")
    return "".join(rules)


def style_hash(css: str) -> str:
    """The Content-Security-Policy source that allows one <style> element with this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"


__all__ = ["HEX", "MIN_CONTRAST", "DERIVED_CONTRAST", "LIGHT_BACKGROUND", "DARK_BACKGROUND", "normalise", "contrast", "mix",
           "for_dark", "accent_css", "style_hash"]
