"""`dateline check --links`: which sources' addresses no longer answer.

The only part of dateline that touches the network, and only when asked: a build, a check
without `--links` and `serve` never do. Every source's `url` and `archive_url` is asked once
(an address cited by several entries is asked once and reported at each place): a HEAD request
first, since it does not fetch the page; a GET when HEAD fails with an HTTP error (many
servers answer HEAD with 403, 405 or 501, or wrongly with 404, while the page is there).
Redirects are followed (urllib's, at most 10, a loop is an error); each request has a timeout;
at most `WORKERS` addresses are asked at once. A server error, a refused connection, an
unknown host, a timeout or a redirect loop is a failure, reported as
`path:line: url: what happened`.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import __version__
from .errors import ContentError, error
from .model import Event

WORKERS = 8
TIMEOUT = 10.0          # seconds for each request
USER_AGENT = f"dateline/{__version__} (link check)"


@dataclass(frozen=True)
class Cited:
    """One place an address is written: the entry's file and line, and the field."""
    path: str
    line: int
    url: str
    field: str            # "url" or "archive_url"
    archived: bool = False   # the source has an archive_url


def cited(events) -> list[Cited]:
    """Every source address of the events, where it is written."""
    found = []
    for event in events:
        for index, source in enumerate(event.sources):
            for field in ("url", "archive_url"):
                url = getattr(source, field)
                if url:
                    found.append(Cited(event.path, event.line("sources", index, field), url, field,
                                       bool(source.archive_url)))
    return found


def _ask(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:   # redirects followed
        if method == "GET":
            response.read(1024)
        return response.status


def probe(url: str, timeout: float = TIMEOUT) -> str | None:
    """None when the address answers (2xx, after redirects), else what happened, in words."""
    try:
        try:
            _ask(url, "HEAD", timeout)
            return None
        except urllib.error.HTTPError as exc:
            if "redirect" in str(exc.reason).lower():   # a loop: GET would loop as well
                raise
            _ask(url, "GET", timeout)
            return None
    except urllib.error.HTTPError as exc:
        if "redirect" in str(exc.reason).lower():
            return f"redirects in a loop (HTTP {exc.code})"
        return f"HTTP {exc.code} {exc.reason}".rstrip()
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return f"no answer within {timeout:g} s"
        if isinstance(reason, socket.gaierror):
            return "the host name does not resolve"
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused"
        return f"could not connect ({reason})"
    except (socket.timeout, TimeoutError):
        return f"no answer within {timeout:g} s"
    except (OSError, ValueError) as exc:   # a connection reset mid-answer, a malformed address
        return f"could not be read ({exc})"


def check(events, timeout: float = TIMEOUT, workers: int = WORKERS) -> tuple[int, list[ContentError]]:
    """(how many distinct addresses were asked, an error for each place a failing one is written)."""
    places = cited(events)
    urls = list(dict.fromkeys(c.url for c in places))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls) or 1))) as pool:
        outcome = dict(zip(urls, pool.map(lambda u: probe(u, timeout), urls)))
    failures = []
    for place in places:
        problem = outcome[place.url]
        if problem:
            what = "archived copy" if place.field == "archive_url" else "source"
            hint = (" (find another copy of the page)" if place.field == "archive_url" else
                    " (readers still have its archived copy; find the page's new address, or keep the copy)"
                    if place.archived else
                    " (find the page's new address, or add an archive_url: a copy on web.archive.org)")
            failures.append(error(place.path, place.line, f"{place.url}: {problem}; the {what} does not "
                                                          f"answer{hint}"))
    return len(urls), failures


__all__ = ["check", "probe", "cited", "Cited", "WORKERS", "TIMEOUT"]
