"""Runs of words copied from the articles the timeline cites, found without keeping their text.

The seed articles and the research notes that quote the cited articles live outside the
repository and may not be read by a build or a test, so `tests/data/copied-8grams.txt` holds
only a digest of every run of eight words in them (normalised: lower case, words only, curly
quotes straightened). `test_content.py` checks every text field of the bundled content against
that list. A digest cannot show which words matched; `python tests/ngrams.py --show FILE...`
run by hand, with the articles at hand, prints the runs themselves.

Regenerate the list when the articles change:

    python tests/ngrams.py --write ../shared/seeds/*.txt ../shared/FACTS-SOURCES.md ../shared/FACTS.md
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

N = 8
DIGESTS = Path(__file__).parent / "data" / "copied-8grams.txt"
_WORD = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)*")


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return _WORD.findall(text)


def runs(text: str, n: int = N) -> list[str]:
    found = words(text)
    return [" ".join(found[i:i + n]) for i in range(len(found) - n + 1)]


def digest(run: str) -> str:
    return hashlib.sha1(run.encode("utf-8")).hexdigest()[:12]


def digests(text: str) -> set[str]:
    return {digest(run) for run in runs(text)}


def reference() -> set[str]:
    return set(DIGESTS.read_text(encoding="utf-8").split())


def texts_of(item) -> list[tuple[str, str]]:
    """(field, text) of every field written in the timeline's own words: all but source titles
    (a headline is cited as it was published) and addresses."""
    found = [("title", item.title), ("summary", getattr(item, "summary", None) or ""), ("body", item.body)]
    found += [("discrepancies", d) for d in getattr(item, "discrepancies", ())]
    found += [("corrections", c.text) for c in getattr(item, "corrections", ())]
    for report in getattr(item, "reports", ()):
        found += [("reports.by", report.by), ("reports.note", report.note or "")]
    found += [("sources.note", s.note or "") for s in getattr(item, "sources", ())]
    return [(field, text) for field, text in found if text]


def bundled():
    """The bundled content's events and pages, through the engine."""
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from dateline.config import load_config
    from dateline.site import load
    site, errors = load(load_config(Path(__file__).parent.parent))
    assert not errors, errors
    return [*site.timeline.events, *site.timeline.pages]


def _main(argv: list[str]) -> int:
    mode, files = argv[0], [Path(p) for p in argv[1:]]
    texts = [p.read_text(encoding="utf-8") for p in files]
    if mode == "--write":
        found = sorted(set().union(*(digests(t) for t in texts)))
        DIGESTS.write_text("\n".join(found) + "\n", encoding="utf-8")
        print(f"{len(found)} digests from {len(files)} files into {DIGESTS}")
        return 0
    if mode == "--show":     # the content's runs that occur in the given articles
        wanted = set().union(*(set(runs(t)) for t in texts))
        for item in bundled():
            for field, text in texts_of(item):
                for run in runs(text):
                    if run in wanted:
                        print(f"{item.path} {field}: {run}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
