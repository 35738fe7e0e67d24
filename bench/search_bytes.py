"""What a search downloads: the bytes served under pagefind/ for typical searches, in Chromium.

    python bench/search_bytes.py SITE [OTHER_SITE] [--chromium /usr/bin/chromium]

Each SITE is a built site folder (e.g. of bench/corpus.py's 10,000 events). For each search,
a fresh browser context opens the site's search page with the words and filters in its address
(as a visitor's link would), waits for the results to be listed, and the local server counts
every byte it served under pagefind/ (the page's requests and those of Pagefind's worker). With
two sites, the table gives the second's bytes as a multiple of the first's: the issue's target
for the index in shards is at most 1.5 x one index. Needs Playwright (the test extra).
"""

from __future__ import annotations

import argparse
import functools
import os
import http.server
import re
import threading
import urllib.parse
from pathlib import Path

SEARCHES = [{"q": "attack"}, {"q": "Quetta"}, {"year": "2021"}, {"q": "suicide bombing"},
            {"q": "attack", "year": "2021"}, {"tag": "drone strike"}, {"q": "ceasefire", "actor": "Turkey"}]


class Counting(http.server.SimpleHTTPRequestHandler):
    """A static server that counts the bytes of the files it sends under a pagefind/ folder."""
    served = 0
    lock = threading.Lock()
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def copyfile(self, source, outputfile):
        data = source.read()
        if "/pagefind/" in self.path:
            with self.lock:
                Counting.served += len(data)
        outputfile.write(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    from playwright.sync_api import expect, sync_playwright

    sites = [site.resolve() for site in args.sites]
    root = Path(os.path.commonpath([site.parent for site in sites]))   # each site under a subpath
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print("| search | results | " + " | ".join(f"bytes, {site.name}" for site in sites)
          + (" | ratio |" if len(sites) == 2 else " |"))
    print("|---|---|" + "---:|" * (len(sites) + (len(sites) == 2)))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
        for search in SEARCHES:
            counts, status = [], ""
            for site in sites:
                Counting.served = 0
                context = browser.new_context()
                page = context.new_page()
                path = site.relative_to(root).as_posix()
                page.goto(f"{base}/{path}/search/?{urllib.parse.urlencode(search)}", wait_until="networkidle")
                expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ result"), timeout=120_000)
                page.wait_for_load_state("networkidle")
                status = page.locator("#search-status").text_content()
                counts.append(Counting.served)
                context.close()
            ratio = f" | {counts[1] / counts[0]:.3f} x" if len(counts) == 2 and counts[0] else ""
            print(f"| {urllib.parse.urlencode(search)} | {status} | " + " | ".join(f"{c:,}" for c in counts)
                  + ratio + " |", flush=True)
        browser.close()
    httpd.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
