"""The page's only inline scripts, run while the page is parsed, and the Content-Security-Policy
sources that allow them (the policy allows no other inline script).

What JavaScript shows (the search boxes, the filters, the key hint) must be in place at the
first paint: shown later, by static/dateline.js (deferred), it pushes the page down after the
reader has started reading (cumulative layout shift 0.41 on the search page, 0.24 on the
home page). These run before anything is drawn: one marks the page as scripted (`html.js`,
which the stylesheet shows the controls by), the other opens the home page's filter box where it
opens (wide screens, or a filtered address) before the box is first drawn."""

from __future__ import annotations

from markupsafe import Markup

from .colours import style_hash

SCRIPTED = 'document.documentElement.className="js"'
# in index.html just after the <details> it opens; its test is dateline.js's isActive()
FILTERS_OPEN = ('document.currentScript.previousElementSibling.open=matchMedia("(min-width: 48rem)").matches'
                '||/[?&](tag|actor|place|from|to)=[^&]/.test(location.search)')
SCRIPTS = {"scripted": SCRIPTED, "filters_open": FILTERS_OPEN}


def early_script(name: str) -> Markup:
    """`<script>` with one of the inline scripts above, by name ("scripted", "filters_open")."""
    return Markup(f"<script>{SCRIPTS[name]}</script>")


# A <script>'s hash is the same source expression as a <style>'s.
SCRIPT_HASHES = Markup(" ".join(style_hash(text) for text in SCRIPTS.values()))

__all__ = ["SCRIPTS", "SCRIPT_HASHES", "early_script"]
