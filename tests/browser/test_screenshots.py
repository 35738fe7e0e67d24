"""Full-page screenshots of every page type, for a person to look at.

Written to screenshots/<width>/<type>.png and screenshots/1280-dark/<type>.png
at the repository root (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

WIDTHS = (360, 768, 1280)
HEIGHT = 800
DARK_WIDTH = 1280


def test_screenshots(page_type, site, new_page, open_page):
    sp = site.representative(page_type)
    shots = [(w, "light", str(w)) for w in WIDTHS] + [(DARK_WIDTH, "dark", f"{DARK_WIDTH}-dark")]
    written = []
    page = new_page()
    for width, scheme, folder in shots:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.emulate_media(color_scheme=scheme)
        open_page(page, sp, wait_until="load")  # a fresh load at each width
        page.evaluate("() => document.fonts.ready.then(() => true)")
        out = SCREENSHOTS / folder / f"{page_type}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 0, f"empty screenshot {out}"
        written.append(str(out))
    print("\n".join(written))


def test_fits_a_360px_screen(page_type, site, new_page, open_page):
    """No horizontal scrolling on a 360 px wide phone (WCAG 1.4.10 reflow is stricter: 320)."""
    sp = site.representative(page_type)
    page = new_page(viewport={"width": 360, "height": HEIGHT})
    open_page(page, sp)
    overflow = page.evaluate(
        """() => {
          const vw = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > vw + 1)
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
                      ' right=' + Math.round(e.getBoundingClientRect().right));
          return {scroll: document.documentElement.scrollWidth, vw, wide};
        }"""
    )
    assert overflow["scroll"] <= overflow["vw"], (
        f"{page_type} page {sp.path} scrolls sideways at 360 px: content is "
        f"{overflow['scroll']} px wide for a {overflow['vw']} px viewport; widest elements: {overflow['wide']}"
    )
