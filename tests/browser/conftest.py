"""Browser test harness: build the bundled site, serve it, drive Debian's Chromium.

Fixtures (all documented at their definitions):

- ``built_site``  (session) path of the site built from the bundled content
- ``site``        (session) ``Site``: the built pages classified by page type
- ``server``      (session) base URL (``http://127.0.0.1:PORT``) serving ``built_site``
- ``paged_site``, ``paged_server`` (session) the same content with three events a list page
- ``styled_site``, ``styled_server`` (session) the same content with a logo, an accent colour,
                  its own navigation labels and footer (the settings a site sets)
- ``browser``     (session) Playwright Chromium browser
- ``new_page``    factory: ``new_page(**context_options) -> Page`` with a ``Monitor``
- ``page``        a monitored page in the default context (light, JS on, 1280x800)
- ``goto``        ``goto(page, path_or_sitepage, status=200) -> Response``
- ``open_page``   ``open_page(page, site_page) -> Response``: like goto, but an alias
                  redirect page is held in place instead of following its refresh

Every monitored page records console errors, uncaught page errors, failed requests,
responses with status >= 400 and requests to any host other than 127.0.0.1 (those
are blocked, never sent). ``page.monitor.assert_clean()`` fails listing all of them.

Nothing here is ever skipped for a missing tool: a missing Chromium, java or npm
tool fails with the command that installs it (``make test`` does all of it).

Set DATELINE_TEST_SITE=/path/to/site to test an already built folder instead of
building one (handy while working on the theme).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
NODE_MODULES = REPO_ROOT / "tools" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO_ROOT / "screenshots"
LOCAL_HOST = "127.0.0.1"
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
NAV_TIMEOUT_MS = 20_000

FIX_TOOLS = "run `make test` (or: cd tools && npm ci --ignore-scripts)"
FIX_BROWSER = "run `make test` as root (or: apt-get update && apt-get install -y chromium)"
FIX_JAVA = "install Java 17+ (Debian: apt-get install -y default-jre-headless)"

# --------------------------------------------------------------- page types ---

# Page types every build of the bundled site has (its content has a standalone page and an alias
# too): a missing one fails, and a test of it never skips.
PAGE_TYPES = (
    "home",
    "event",
    "tags-index",
    "tag",
    "actors-index",
    "actor",
    "places-index",
    "place",
    "year",
    "month",
    "map",
    "search",
    "404",
    "page",
    "alias",
)
PREFERRED_EVENT = "coordinated-attacks-2026"  # an event with several reports

COLOR_SCHEMES = ("light", "dark")


def pytest_generate_tests(metafunc):
    """A test taking ``page_type`` runs once per page type (its own test id each);
    one taking ``color_scheme`` runs once in light and once in dark."""
    if "page_type" in metafunc.fixturenames:
        metafunc.parametrize("page_type", PAGE_TYPES)
    if "color_scheme" in metafunc.fixturenames:
        metafunc.parametrize("color_scheme", COLOR_SCHEMES)


SECTIONS = {"tags": "tag", "actors": "actor", "places": "place"}
NOT_PAGES = ("static/", "pagefind/")  # assets, not pages
REFRESH_RE = re.compile(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?refresh[^>]*>", re.I)
REFRESH_URL_RE = re.compile(r"content\s*=\s*[\"']\s*\d*\s*;?\s*url\s*=\s*([^\"'>]+)", re.I)


@dataclass(frozen=True)
class SitePage:
    """One built HTML file: its URL path (``/events/x/``), file and page type."""

    path: str
    file: Path
    type: str
    redirect_to: str | None = None  # alias pages: the target URL path

    @property
    def slug(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]


def classify(rel: str, html: str) -> tuple[str, str | None]:
    """Page type of a built file from its path relative to the site root."""
    m = REFRESH_RE.search(html)
    if m:
        url = REFRESH_URL_RE.search(m.group(0))
        return "alias", (url.group(1).strip() if url else None)
    parts = rel.split("/")
    if rel == "index.html":
        return "home", None
    if rel == "404.html":
        return "404", None
    if parts[-1] != "index.html":
        return "other", None
    dirs = parts[:-1]
    if dirs == ["events"]:
        return "events-index", None
    if len(dirs) == 2 and dirs[0] == "events":
        return "event", None
    if len(dirs) == 1 and dirs[0] in SECTIONS:
        return f"{dirs[0]}-index", None
    if len(dirs) == 2 and dirs[0] in SECTIONS:
        return SECTIONS[dirs[0]], None
    if len(dirs) == 1 and re.fullmatch(r"\d{4}", dirs[0]):
        return "year", None
    if len(dirs) == 2 and re.fullmatch(r"\d{4}", dirs[0]) and re.fullmatch(r"\d{2}", dirs[1]):
        return "month", None
    if dirs == ["map"]:
        return "map", None
    if dirs == ["search"]:
        return "search", None
    if len(dirs) == 1:
        return "page", None
    return "other", None


def url_path(rel: str) -> str:
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


@dataclass
class Site:
    """The built site, its pages grouped by type."""

    root: Path
    pages: list[SitePage] = field(default_factory=list, repr=False)

    def __repr__(self) -> str:
        return f"Site({self.root}: {self.summary()})"

    @classmethod
    def scan(cls, root: Path) -> "Site":
        site = cls(root)
        for file in sorted(root.rglob("*.html")):
            rel = file.relative_to(root).as_posix()
            if rel.startswith(NOT_PAGES):
                continue
            ptype, target = classify(rel, file.read_text(encoding="utf-8", errors="replace"))
            site.pages.append(SitePage(url_path(rel), file, ptype, target))
        return site

    def of_type(self, ptype: str) -> list[SitePage]:
        return [p for p in self.pages if p.type == ptype]

    @property
    def events(self) -> list[SitePage]:
        return self.of_type("event")

    def representative(self, ptype: str) -> SitePage:
        """The page tested for a type; fails if none."""
        pages = self.of_type(ptype)
        if not pages:
            found = sorted({p.type for p in self.pages})
            pytest.fail(
                f"the built site has no page of type {ptype!r} "
                f"(types found: {', '.join(found) or 'none'}; site: {self.root})",
                pytrace=False,
            )
        if ptype == "event":
            for p in pages:
                if p.slug == PREFERRED_EVENT:
                    return p
            # otherwise the biggest event page: the one most likely to have several reports
            return max(pages, key=lambda p: (p.file.stat().st_size, p.path))
        return pages[0]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for p in self.pages:
            counts[p.type] = counts.get(p.type, 0) + 1
        return ", ".join(f"{t}={n}" for t, n in sorted(counts.items()))


# --------------------------------------------------------------- the build ---


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the bundled site once per session into a temporary folder."""
    override = os.environ.get("DATELINE_TEST_SITE")
    if override:
        root = Path(override).resolve()
        if not (root / "index.html").is_file():
            pytest.fail(f"DATELINE_TEST_SITE={override}: no index.html there", pytrace=False)
        return root
    build = REPO_ROOT / "build.py"
    if not build.is_file():
        pytest.fail(f"build.py not found at {build}: the site cannot be built", pytrace=False)
    out = tmp_path_factory.mktemp("build") / "site"
    cmd = [sys.executable, str(build), "build", "--out", str(out)]
    try:
        proc = subprocess.run(
            cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=True
        )
    except subprocess.CalledProcessError as exc:
        pytest.fail(
            f"site build failed (exit {exc.returncode}): {' '.join(cmd)}\n"
            f"--- stdout ---\n{exc.stdout}\n--- stderr ---\n{exc.stderr}",
            pytrace=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"site build timed out after {exc.timeout}s: {' '.join(cmd)}", pytrace=False)
    if not (out / "index.html").is_file():
        pytest.fail(
            f"site build wrote no index.html into {out}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}",
            pytrace=False,
        )
    return out


@pytest.fixture(scope="session")
def site(built_site) -> Site:
    return Site.scan(built_site)


# -------------------------------------------------------------- the server ---

MIME_TYPES = {
    "": "application/octet-stream",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/vnd.microsoft.icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".pf_meta": "application/octet-stream",
}


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder like a static host: no listings, /404.html for anything missing."""

    extensions_map = MIME_TYPES

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", MIME_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a browser closing a keep-alive connection mid-response is not our business
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(folder: Path):
    """Base URL (no trailing slash) of `folder` served on 127.0.0.1 like a static host."""
    httpd = QuietServer((LOCAL_HOST, 0), functools.partial(StaticHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def server(built_site):
    """Base URL (no trailing slash) of the built site served on 127.0.0.1."""
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory) -> Path:
    """The bundled timeline built with three events a list page: lists cut into pages."""
    out = tmp_path_factory.mktemp("paged") / "site"
    cmd = [sys.executable, str(REPO_ROOT / "build.py"), "build", "--no-search", "--page-size", "3", "--out", str(out)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"paged build failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return out


# 7.6:1 on the light background: the accent setting asks for 4.5:1 (AA), axe with every rule for 7:1 (AAA)
STYLED_ACCENT = "#1a5580"
STYLED_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
               '<rect width="120" height="40" rx="6" fill="#1d5e8c"/></svg>\n')


# The bundled content has Urdu and Persian translations: a project built from it names the
# languages as the repository's own settings do.
_PYPROJECT = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
BUNDLED_LANGUAGES = "\n" + _PYPROJECT[_PYPROJECT.index("[tool.dateline.languages."):]


@pytest.fixture(scope="session")
def styled_site(tmp_path_factory) -> Path:
    """The bundled timeline with the settings a site sets: a logo, an accent (its dark one
    derived), navigation labels, a footer in Markdown, a static folder."""
    root = tmp_path_factory.mktemp("styled")
    (root / "static").mkdir()
    (root / "static" / "logo.svg").write_text(STYLED_LOGO, encoding="utf-8")
    (root / "pyproject.toml").write_text(f"""[tool.dateline]
title = "Styled timeline"
content = "{(REPO_ROOT / 'content').as_posix()}"
page_size = 50
static = "static"
logo = "logo.svg"
accent = "{STYLED_ACCENT}"
nav = ["timeline", "map", "places", "search", "pages"]
footer = "Kept by *the desk*. [About](pages/about.md)"

[tool.dateline.nav_labels]
timeline = "Home"
""" + BUNDLED_LANGUAGES, encoding="utf-8")
    out = root / "site"
    cmd = [sys.executable, str(REPO_ROOT / "build.py"), "build", "--no-search", "--root", str(root), "--out", str(out)]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"styled build failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return out


MARKDOWN_FIXTURE = REPO_ROOT / "tests" / "data" / "markdown-site" / "content"
MARKDOWN_ENGINES = {
    "commonmark": 'markdown = "commonmark"\n',
    "python-markdown": 'markdown = "python-markdown"\nmarkdown_extensions = ["admonition", "footnotes", '
                       '"attr_list", "abbr", "def_list", "smarty", {toc = {permalink = true}}]\n',
}


@pytest.fixture(scope="session", params=list(MARKDOWN_ENGINES))
def markdown_site(request, tmp_path_factory) -> Path:
    """The Markdown fixture site (tests/data/markdown-site: a table, footnotes, a note of two
    paragraphs, and what Python-Markdown's extensions make) built with each engine."""
    root = tmp_path_factory.mktemp(request.param)
    shutil.copytree(MARKDOWN_FIXTURE, root / "content")
    (root / "dateline.toml").write_text('title = "Markdown engines"\n' + MARKDOWN_ENGINES[request.param],
                                        encoding="utf-8")
    out = root / "site"
    cmd = [sys.executable, str(REPO_ROOT / "build.py"), "build", "--no-search", "--root", str(root), "--out", str(out)]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"{request.param} build failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def markdown_server(markdown_site):
    with serving(markdown_site) as url:
        yield url


@pytest.fixture(scope="session")
def styled_server(styled_site):
    """Base URL of `styled_site` served on 127.0.0.1."""
    with serving(styled_site) as url:
        yield url


@pytest.fixture(scope="session")
def paged_server(paged_site):
    """Base URL of `paged_site` served on 127.0.0.1."""
    with serving(paged_site) as url:
        yield url


# Right-to-left builds: the bundled timeline's English words with the Urdu or the Persian
# interface, and a tiny site in Urdu throughout (tests/data/urdu-site).
URDU_FIXTURE = REPO_ROOT / "tests" / "data" / "urdu-site"
RTL_SITES = {"ur-interface": ("--language", "ur"), "fa-interface": ("--language", "fa"), "urdu-words": ()}


def _english_words(tmp_path_factory) -> Path:
    """A project of the bundled entries' English words alone (its translations left out: with
    --language ur they would be translations into the site's own language) and its settings
    but the languages."""
    root = tmp_path_factory.mktemp("english-words")
    shutil.copytree(REPO_ROOT / "content", root / "content",
                    ignore=lambda folder, names: [n for n in names if re.fullmatch(r".+\.(ur|fa)\.(md|yaml)", n)])
    settings = _PYPROJECT[:_PYPROJECT.index("[tool.dateline.languages.")]
    (root / "pyproject.toml").write_text(settings[settings.index("[tool.dateline]"):], encoding="utf-8")
    return root


@pytest.fixture(scope="session", params=list(RTL_SITES))
def rtl_site(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(request.param) / "site"
    root = URDU_FIXTURE if request.param == "urdu-words" else _english_words(tmp_path_factory)
    cmd = [sys.executable, str(REPO_ROOT / "build.py"), "build", "--no-cache", "--root", str(root),
           "--out", str(out), *RTL_SITES[request.param]]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"{request.param} build failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def rtl_server(rtl_site):
    with serving(rtl_site) as url:
        yield url


# ------------------------------------------------------------- the browser ---


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: {FIX_BROWSER}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run `make test` (or: pip install -e '.[test]')",
                    pytrace=False)
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - report whatever the launch said
            pytest.fail(f"could not launch {CHROMIUM}: {exc}\n{FIX_BROWSER}", pytrace=False)
        yield b
        b.close()


class Monitor:
    """Records what went wrong on a page; ``assert_clean()`` fails listing it all."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.allowed: set[tuple[str, int]] = set()  # (absolute URL, status) that are expected
        self.responses: list = []
        self._generation = 0
        self._started: dict = {}  # request -> generation it started in
        self.reset()
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("requestfailed", self._on_requestfailed)
        page.on("response", self._on_response)

    def reset(self) -> None:
        """Forget what was recorded (e.g. between pages visited in one test).

        Requests still in flight from an earlier page are ignored when they are
        cancelled by the next navigation (not the page's fault).
        """
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.bad_responses: list[str] = []
        self.third_party: list[str] = []
        self.responses = []
        self._bad_urls: set[str] = set()

    def allow_status(self, url: str, status: int) -> None:
        """Expect ``status`` for ``url`` (absolute, or a path on the server)."""
        self.allowed.add((urljoin(self.base_url + "/", url), status))

    # the context routes every request through here (see new_page)
    def route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != LOCAL_HOST:
            self.third_party.append(f"{route.request.resource_type} {url}")
            self._bad_urls.add(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        loc = msg.location or {}
        where = loc.get("url", "")
        if where and loc.get("lineNumber") is not None:
            where += f":{loc['lineNumber'] + 1}"
        text = msg.text
        if text.startswith("Failed to load resource") and any(
            u == loc.get("url") for u, _ in self.allowed
        ):
            return  # Chromium's echo of an expected error status
        self.console_errors.append(f"{text}  [{where}]" if where else text)

    def _on_pageerror(self, error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}".strip(": "))

    def _on_request(self, request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._generation += 1  # a new page: what the old one still had in flight is moot
        self._started[request] = self._generation

    def _on_requestfailed(self, request) -> None:
        if urlsplit(request.url).hostname not in (LOCAL_HOST, None):
            return  # already reported as third-party
        if self._started.get(request, self._generation) != self._generation:
            return  # started on the previous page, cancelled by leaving it
        if request.resource_type == "other" and request.failure == "net::ERR_ABORTED":
            # the browser's own favicon fetch, issued after `load` and cancelled by the
            # next navigation; a missing favicon still shows up as an HTTP error
            return
        self.failed_requests.append(f"{request.resource_type} {request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        self.responses.append(response)
        if response.status >= 400 and (response.url, response.status) not in self.allowed:
            self._bad_urls.add(response.url)
            self.bad_responses.append(
                f"{response.status} {response.request.resource_type} {response.url}"
            )

    def problems(self) -> list[str]:
        """Everything recorded, one line each; an HTTP error or a blocked request is
        listed once, not again as Chromium's console echo or the aborted request."""
        def echo(item: str) -> bool:
            return any(item.endswith(f"[{u}:1]") or f" {u}: " in item for u in self._bad_urls)

        out = []
        for label, items in (
            ("console error", [i for i in self.console_errors if not echo(i)]),
            ("page error", self.page_errors),
            ("failed request", [i for i in self.failed_requests if not echo(i)]),
            ("HTTP error", self.bad_responses),
            ("third-party request", self.third_party),
        ):
            out += [f"{label}: {item}" for item in items]
        return out

    def assert_clean(self, what: str = "") -> None:
        problems = self.problems()
        if problems:
            where = what or self.page.url
            pytest.fail(
                f"{len(problems)} problem(s) on {where}:\n  " + "\n  ".join(problems),
                pytrace=False,
            )


@pytest.fixture
def new_page(browser, server):
    """Factory: ``new_page(**context_options)`` -> a monitored Page in a fresh context.

    ``page.monitor`` is its Monitor. Contexts are closed after the test.
    """
    contexts = []

    def make(**options):
        opts = {"viewport": DEFAULT_VIEWPORT, "base_url": server + "/"}
        opts.update(options)
        ctx = browser.new_context(**opts)
        contexts.append(ctx)
        ctx.set_default_timeout(NAV_TIMEOUT_MS)
        page = ctx.new_page()
        page.monitor = Monitor(page, server)
        ctx.route("**/*", page.monitor.route)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page):
    """A monitored page: light scheme, JavaScript on, 1280x800."""
    return new_page()


def _target(server: str, where) -> str:
    path = where.path if isinstance(where, SitePage) else str(where)
    return urljoin(server + "/", path.lstrip("/")) if not path.startswith("http") else path


@pytest.fixture
def goto(server):
    """``goto(page, path_or_sitepage, status=200, wait_until="networkidle")`` -> Response.

    Navigates and asserts the main document's status.
    """

    def go(page, where, status: int = 200, wait_until: str = "networkidle"):
        url = _target(server, where)
        if status != 200 and hasattr(page, "monitor"):
            page.monitor.allow_status(url, status)
        response = page.goto(url, wait_until=wait_until)
        assert response is not None, f"no response for {url}"
        assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
        return response

    return go


@pytest.fixture
def open_page(server, goto):
    """``open_page(page, site_page)``: goto, but an alias redirect page stays put.

    The navigation its meta refresh starts is answered with 204 No Content, which
    the browser treats as "stay on the current document".
    """

    def open_(page, sp: SitePage, **kw):
        if sp.type == "alias" and sp.redirect_to:
            target = urljoin(server + sp.path, sp.redirect_to)
            page.route(target, lambda route: route.fulfill(status=204))
        return goto(page, sp, **kw)

    return open_


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core not found at {AXE_JS}: {FIX_TOOLS}", pytrace=False)
    return AXE_JS


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command prefix that runs the Nu Html Checker."""
    if not VNU_JAR.is_file():
        pytest.fail(f"vnu.jar not found at {VNU_JAR}: {FIX_TOOLS}", pytrace=False)
    try:
        subprocess.run(["java", "-version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"java is needed for the Nu Html Checker but failed to run ({exc}): {FIX_JAVA}",
                    pytrace=False)
    return ["java", "-Xss8m", "-jar", str(VNU_JAR)]
