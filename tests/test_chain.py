"""The chain of events on an event page: each box is a link whose name holds what the box shows,
in the order it shows it (WCAG 2.5.3 Label in Name; axe's label-content-name-mismatch), and says
which event it is (its date and whole title) even where the title is cut to fit."""

from __future__ import annotations

import html
import re

from helpers import PLACE, build_site, event

LONG = "Levee breaks on the eastern bank of the Riverton reservoir overnight after a week of rain"
SITE = {
    "content/rain.md": event(title="Heavy rain begins", date="2024-01-01", place=PLACE),
    "content/levee.md": event(title=LONG, date="2024-01-03", place=PLACE, in_response_to=["rain"]),
    "content/evacuation.md": event(title="Evacuation ordered for the low-lying districts", date="2024-01-04",
                                   place=PLACE, in_response_to=["rain"]),
    "content/engineers.md": event(title="Army engineers deployed", date="2024-01-05", place=PLACE,
                                  in_response_to=["rain"]),
}
LINK = re.compile(r'<a href="[^"]*" aria-label="([^"]*)">(.*?)</a>')


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def boxes(page: str) -> list[tuple[str, str]]:
    """(name, visible text) of each linked box of the page's chain."""
    chain = re.search(r'<svg class="chain".*?</svg>', page, re.S).group(0)
    return [(html.unescape(name), html.unescape(re.sub(r"<[^>]+>", "", inner))) for name, inner in LINK.findall(chain)]


def test_each_box_is_named_by_what_it_shows_then_the_whole_title(tmp_path):
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 0, result
    found = boxes(result.read("events/rain/index.html"))
    assert len(found) == 3, found
    cut = 0
    for name, visible in found:
        seen = words(visible)
        assert words(name)[: len(seen)] == seen, f"box shows {visible!r}, named {name!r}"
        title = next(t for t in (LONG, "Evacuation ordered for the low-lying districts", "Army engineers deployed")
                     if t.split()[0] in name)
        assert name.endswith(": " + title)                         # the date, then the whole title
        cut += visible.endswith("…")
    assert cut, "the narrow boxes should have cut a title to fit (the case that failed)"
    # from a response, the cause's box has the same shape
    name, visible = boxes(result.read("events/levee/index.html"))[0]
    assert name == "1 January 2024: Heavy rain begins" and visible == "1 January 2024 Heavy rain begins"
