"""How long the home page's time axis takes to draw: `timeline_axis` over every event of a project.

    python bench/axis_time.py PROJECT [--repeats 5]

PROJECT is a dateline project folder (bench/corpus.py's DIR/dateline, with a pyproject.toml
holding [tool.dateline], as bench/run.py writes one). The site is loaded once (not timed); the
axis of all its events, casualty strip on, is then drawn `--repeats` times. CPU time of this
process (time.process_time), which a loaded machine disturbs less than wall time; both given.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dateline.config import load_config            # noqa: E402
from dateline.graphics import axis                 # noqa: E402
from dateline.routes import archive_url, event_url  # noqa: E402
from dateline.site import load                     # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    site, errors = load(load_config(args.project))
    if site is None:
        print("\n".join(str(e) for e in errors[:5]), file=sys.stderr)
        return 1
    events, eras = list(site.timeline.events), site.timeline.eras
    cpu, wall = [], []
    for _ in range(args.repeats):
        c, w = time.process_time(), time.perf_counter()
        html = axis.timeline_axis(events, eras, href=event_url, period_href=archive_url, casualties=True)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    drawn = axis.lay_out(events, eras, href=event_url, period_href=archive_url)
    kinds = {k: sum(1 for m in drawn.marks if m.kind == k) for k in ("event", "wave", "count")}
    print(f"{len(events):,} events: CPU min {min(cpu):.3f} s, median {sorted(cpu)[len(cpu) // 2]:.3f} s; "
          f"wall min {min(wall):.3f} s ({args.repeats} runs); {len(html):,} bytes, "
          f"{kinds['event']} event marks, {kinds['wave']} waves, {kinds['count']} counts, {drawn.width:g} px wide")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
