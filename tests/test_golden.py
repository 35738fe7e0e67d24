"""The golden site: tests/golden/content built with tests/golden/pyproject.toml must give exactly
the files in tests/golden/expected, byte for byte.

After an intended change to the engine or the theme, regenerate expected/ and review the diff:

    make golden
    # which must run: .venv/bin/python build.py build --root tests/golden --out "$PWD/tests/golden/expected"
"""

from __future__ import annotations

import difflib
from pathlib import Path

from helpers import build_site, list_files

GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED = GOLDEN / "expected"
HINT = ("run `make golden` if the change is intended (it runs: .venv/bin/python build.py build "
        "--root tests/golden --out \"$PWD/tests/golden/expected\"), then review and commit the diff")
SHOWN_DIFFS = 3
SHOWN_LINES = 40


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    try:
        lines = difflib.unified_diff(expected.decode().splitlines(), actual.decode().splitlines(),
                                     f"expected/{name}", f"built/{name}", n=1, lineterm="")
        lines = list(lines)
    except UnicodeDecodeError:
        return f"{name}: binary files differ ({len(expected)} vs {len(actual)} bytes)"
    more = f"\n... {len(lines) - SHOWN_LINES} more diff lines" if len(lines) > SHOWN_LINES else ""
    return "\n".join(lines[:SHOWN_LINES]) + more


def test_golden_site_is_built_byte_for_byte(tmp_path):
    assert EXPECTED.is_dir(), f"{EXPECTED} is missing: {HINT}"
    result = build_site(tmp_path, {}, "build", "--root", str(GOLDEN), "--out", str(tmp_path / "built"),
                        pyproject=None)
    assert result.exit_code == 0, result
    expected, built = set(list_files(EXPECTED)), set(list_files(result.out_dir))
    missing, extra = sorted(expected - built), sorted(built - expected)
    differing = sorted(name for name in expected & built
                       if (EXPECTED / name).read_bytes() != (result.out_dir / name).read_bytes())
    if missing or extra or differing:
        report = []
        if differing:
            report.append(f"{len(differing)} differing: " + ", ".join(differing))
        if missing:
            report.append(f"{len(missing)} missing from the build: " + ", ".join(missing))
        if extra:
            report.append(f"{len(extra)} not in expected/: " + ", ".join(extra))
        report += [_diff(name, (EXPECTED / name).read_bytes(), (result.out_dir / name).read_bytes())
                   for name in differing[:SHOWN_DIFFS]]
        raise AssertionError("the golden site changed:\n" + "\n".join(report) + f"\n\n{HINT}")


def test_golden_content_covers_the_schema():
    """The fixture keeps covering what it is for, whoever edits it."""
    from dateline.config import load_config
    from dateline.site import load
    site, errors = load(load_config(GOLDEN))
    assert not errors, errors
    timeline = site.timeline
    events = timeline.events
    assert {e.date.precision for e in events} == {"year", "month", "day"}
    assert any(e.time for e in events) and any(e.end for e in events) and any(e.approximate for e in events)
    assert timeline.children and any(e.related for e in events) and any(e.aliases for e in events)
    reports = [r for e in events for r in e.reports]
    assert any(r.unverified for r in reports) and any(r.at_least for r in reports)
    assert any(r.note and not (r.killed or r.injured) for r in reports)
    assert any(e.discrepancies for e in events)
    longest = max(len(chain) for chain in _chains(timeline))
    assert longest >= 3, "a causal chain of three or more events"
    bodies = " ".join(e.body for e in events)
    for markdown in ("[^", "|---|", "<abbr ", ".md)"):
        assert markdown in bodies, markdown
    assert len(timeline.eras) == 2 and timeline.pages
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in e.title) for e in events), "a Persian or Urdu title"
    drafts = [p for p in (GOLDEN / "content").glob("*.md") if "\ndraft: true\n" in p.read_text()]
    assert drafts and all(p.stem not in {e.slug for e in events} for p in drafts)


def _chains(timeline):
    def walk(slug):
        following = timeline.led_to.get(slug, ())
        return [[slug]] if not following else [[slug, *rest] for nxt in following for rest in walk(nxt)]
    return [chain for e in timeline.events if not e.in_response_to for chain in walk(e.slug)]
