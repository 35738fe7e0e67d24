"""`python build.py serve`: build, serve the output on localhost, update the site when the
content, the templates or the configuration change, and reload the open browser tabs. A save of
entries is patched in (live.py: their pages on disk at once, the rest after); anything else is a
full build.

The server is Python's own threaded HTTP server over the output folder. Two things are added
on the fly, never written to disk: every HTML page it sends gets one script tag pointing at
/__dateline/reload.js (a file, not inline code, so the pages' Content-Security-Policy still
holds), and that script listens to /__dateline/events (server-sent events) for the number of the
latest build. While the content is broken, every page is replaced by the list of errors, as
`path:line: message`, and the last good site stays on disk untouched. Nothing a build raises
stops the server.

Every request, the live-reload channel's included, must name the server in its Host header
(hosts.py: localhost, an IP address, or a name given with --allow-host); any other is refused
with 403, so that no web page can read the preview through DNS rebinding.
"""

from __future__ import annotations

import errno
import http.server
import io
import queue
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from .config import OWN_FILE, Config, ConfigError
from .errors import disk_failure, shown
from .hosts import AllowedHosts, hostname
from .live import LiveSite
from .load import is_input
from .outputs.search import SearchIndexError
from .plural import counted

PREFIX = "/__dateline/"
RELOAD_JS = b"""// dateline serve: reload this tab when a new build is ready (development only).
(function () {
  var script = document.currentScript;
  var source = new EventSource(new URL("events", script.src));
  var seen = null;
  source.onmessage = function (event) {
    if (seen !== null && event.data !== seen) window.location.reload();
    seen = event.data;
  };
})();
"""
KEEPALIVE_SECONDS = 15


@dataclass
class State:
    """What the server knows about the latest build; shared by the watcher and the handlers."""
    config: Config
    generation: int = 0
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False

    def publish(self, errors: list[str]) -> None:
        with self.changed:
            self.errors = errors
            self.generation += 1
            self.changed.notify_all()


def rebuild(state: State, live: LiveSite, log=print) -> None:
    """A full build; whatever goes wrong is recorded as errors for the browser, never raised."""
    started = time.perf_counter()
    try:
        result = live.full()
    except Exception as exc:   # an output or search problem: show it and keep serving
        errors = _describe(exc)
    else:
        errors = [shown(e, state.config.content) for e in result.errors]
    seconds = time.perf_counter() - started
    if errors:
        return _failed(state, errors, seconds, log)
    stats = result.stats
    log(f"Built {counted(result.events, 'event')} in {seconds:.2f} s "
        f"({counted(stats.written, 'file')} written, {stats.unchanged:,} unchanged)")
    state.publish([])


def _failed(state: State, errors: list[str], seconds: float, log) -> None:
    """Show `errors` in every page and say so."""
    count = len(errors)
    log(f"{count} error{'s' if count != 1 else ''} ({seconds:.2f} s); the browser shows them "
        "until they are fixed:", file=sys.stderr)
    for line in errors:
        log(f"  {line}", file=sys.stderr)
    state.publish(errors)


def update(state: State, live: LiveSite, paths: set[Path], log=print) -> None:
    """After a save: patch the saved entries in (their pages on disk at once), or build again
    when that cannot be done (see LiveSite.patchable)."""
    if not live.patchable(paths):
        return rebuild(state, live, log)
    try:
        patched = live.patch(paths)
    except Exception as exc:
        return _failed(state, _describe(exc), 0.0, log)
    if patched is None:
        return rebuild(state, live, log)
    if patched.errors:
        return _failed(state, [shown(e, state.config.content) for e in patched.errors], patched.seconds, log)
    log(f"Updated {patched.written} page{'s' if patched.written != 1 else ''} in "
        f"{patched.seconds * 1000:.0f} ms; the rest of the site follows")
    state.publish([])


def finish(state: State, live: LiveSite, interrupted, log=print) -> None:
    """The rest of the site after patches, unless a save arrives first."""
    started = time.perf_counter()
    try:
        written = live.finish(interrupted)
    except Exception as exc:
        return _failed(state, _describe(exc), time.perf_counter() - started, log)
    if written is not None:
        log(f"Updated the rest of the site in {time.perf_counter() - started:.2f} s "
            f"({counted(written, 'file')} written)")
        if written:
            state.publish(state.errors)   # a new number: open tabs reload


def _describe(exc: Exception) -> list[str]:
    """An unexpected exception (template and content errors come back as values): what it was
    and where it was raised."""
    if isinstance(exc, SearchIndexError):   # says what failed and what to do already
        return [str(exc)]
    if isinstance(exc, OSError) and exc.filename:   # a full, read-only or failing disk
        return [f"could not write the site: {disk_failure(exc)}; the next save builds the whole site again"]
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" (at {Path(where.filename).name}:{where.lineno})" if where else ""
    return [f"{type(exc).__name__}: {exc}{at}"]


def error_page(errors: list[str]) -> bytes:
    items = "\n".join(f"<li><code>{escape(e)}</code></li>" for e in errors)
    count = len(errors)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: {count} error{'s' if count != 1 else ''}</title>
<meta name="color-scheme" content="light dark">
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ color: #a3201a; }}
li {{ margin: 0.5rem 0; }}
code {{ white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.95rem; }}
</style>
</head>
<body>
<main>
<h1>The site could not be built</h1>
<p>{count} error{'s' if count != 1 else ''}. Fix {'them' if count != 1 else 'it'} and save: this page
reloads by itself. The last good build is still on disk, untouched.</p>
<ol class="errors">
{items}
</ol>
</main>
</body>
</html>
""".encode("utf-8")


class Handler(http.server.SimpleHTTPRequestHandler):
    state: State          # set on the subclass made per server
    base_path: str = "/"
    hosts: AllowedHosts = AllowedHosts("127.0.0.1")
    refused: set[str]     # the Host values already reported on the console

    def parse_request(self) -> bool:
        """The request line and headers; then the Host check, before any method is looked at."""
        if not super().parse_request():
            return False
        # 403, not 421 Misdirected Request: a client may retry a 421 on another connection, and
        # 403 is what Vite and webpack-dev-server answer, which people recognise
        headers = self.headers.get_all("Host") or []
        refusal = self.hosts.refusal(headers)
        if refusal is None:
            return True
        status, explanation = refusal
        self.close_connection = True
        self._send(status, explanation.encode(), "text/plain; charset=utf-8")
        said = (hostname(headers[0]) or headers[0]) if len(headers) == 1 else repr(headers)
        if said not in self.refused:   # once per name, any port: a page polling would fill the console
            self.refused.add(said)
            line = explanation.splitlines()[0].removeprefix("Refused: ").rstrip(".")
            print(f"Refused a request ({status}): {line}"
                  + ("; --allow-host NAME allows a name of your own for this machine" if status == 403 else ""),
                  file=sys.stderr, flush=True)
        return False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.state.config.output), **kwargs)

    def log_message(self, format, *args):   # the editor wants build messages, not one line per file
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == PREFIX + "reload.js":
            return self._send(200, RELOAD_JS, "text/javascript; charset=utf-8")
        if path == PREFIX + "events":
            return self._events()
        if self.base_path != "/" and not path.startswith(self.base_path):
            if path in ("/", self.base_path.rstrip("/")):
                self.send_response(302)
                self.send_header("Location", self.base_path)
                self.end_headers()
                return None
            return self._send(404, b"Not found: this site is served under " + self.base_path.encode(),
                              "text/plain; charset=utf-8")
        if self._wants_html(path) and self.state.errors:
            return self._send(500, self._with_reload(error_page(self.state.errors)), "text/html; charset=utf-8")
        return super().do_GET()

    def translate_path(self, path):
        path = urlsplit(path).path
        if self.base_path != "/" and path.startswith(self.base_path):
            path = "/" + path[len(self.base_path):]
        return super().translate_path(path)

    def send_head(self):
        """Static files as they are; HTML pages with the reload script added."""
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()          # the redirect to the folder's own address
            target = target / "index.html"
        if target.suffix != ".html" or not target.is_file():
            if not target.exists() and (Path(self.directory) / "404.html").is_file():
                body = (Path(self.directory) / "404.html").read_bytes()
                self._send(404, self._with_reload(body), "text/html; charset=utf-8")
                return None
            return super().send_head()
        body = self._with_reload(target.read_bytes())
        self._start(200, "text/html; charset=utf-8", len(body))
        return io.BytesIO(body)   # SimpleHTTPRequestHandler copies it to the socket

    def _wants_html(self, path: str) -> bool:
        name = path.rsplit("/", 1)[-1]
        return path.endswith("/") or name.endswith(".html") or "." not in name

    def _with_reload(self, html: bytes) -> bytes:
        tag = f'<script src="{PREFIX}reload.js"></script>'.encode()
        head = html.rfind(b"</head>")
        return html[:head] + tag + html[head:] if head >= 0 else html + tag

    def _start(self, status: int, content_type: str, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self._start(status, content_type, len(body))
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the build number now, then each new one, until the tab goes away."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        state = self.state
        sent = None
        try:
            while not state.stopping:
                with state.changed:
                    if sent == state.generation:
                        state.changed.wait(KEEPALIVE_SECONDS)
                    generation = state.generation
                if generation != sent:
                    self.wfile.write(f"data: {generation}\n\n".encode())
                    sent = generation
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _watched(config: Config) -> list[Path]:
    paths = [config.content, config.templates, config.root / "pyproject.toml", config.root / OWN_FILE,
             *([config.static] if config.static is not None else [])]
    return [p for p in paths if p.exists()]


POLL_MS = 300   # how often the polling watcher looks, when the system's notifications fail


def watch(state: State, inbox: queue.Queue, stop: threading.Event, log=print,
          ready: threading.Event | None = None, give_up=lambda: None) -> None:
    """Put every batch of changes under the watched paths into `inbox` (watchfiles batches
    bursts of saves). `ready` is set once the watches are in place, so no save made after
    "Serving …" is missed.

    When the system's file notifications fail (on Linux, most often the inotify watch limit:
    OSError "OS file watch limit reached"), it says so once and polls instead. A watched folder
    removed is looked for again every second. If polling fails too, three times running (not a
    folder moved away for a moment), it says so and calls `give_up` (serve stops, exit 2): a
    preview that silently stopped following the edits would be worse than none."""
    import watchfiles

    output = state.config.output.resolve()
    editors_files = watchfiles.DefaultFilter()   # skips .git, __pycache__, editors' swap files

    def relevant(change, path: str) -> bool:
        resolved = Path(path).resolve()
        return (output not in resolved.parents and resolved != output and editors_files(change, path)
                and is_input(Path(path), state.config.content))

    # True: poll() looks for changes (the notifications failed, or WATCHFILES_FORCE_POLLING asks,
    # as it asks watchfiles, e.g. for a network drive)
    polling = os.environ.get("WATCHFILES_FORCE_POLLING", "").lower() not in ("", "0", "false")
    said = None
    failures = 0     # of polling, since it last worked
    while not stop.is_set():
        try:
            # yield_on_timeout: an empty batch every rust_timeout ms, the first of which says the
            # watches are registered
            if polling:
                batches = poll(_watched(state.config), relevant, stop)
            else:
                batches = watchfiles.watch(*_watched(state.config), watch_filter=relevant, stop_event=stop,
                                           debounce=50, step=20, rust_timeout=250, yield_on_timeout=True,
                                           raise_interrupt=False)
            for changes in batches:
                failures = 0
                if ready is not None:
                    ready.set()
                if changes:
                    inbox.put(("changed", {Path(p) for _, p in changes}))
        except FileNotFoundError as exc:   # a watched folder removed or renamed: look again soon
            if str(exc) != said:
                said = str(exc)
                log(f"watching stopped ({_first_line(exc)}); looking again every second", file=sys.stderr)
            stop.wait(1.0)
        except Exception as exc:   # OSError, watchfiles' own RuntimeError: the notifications failed
            if polling:
                failures += 1
                if failures >= 3:
                    log(f"error: watching for changes failed ({_first_line(exc)}), polling too; serve stops",
                        file=sys.stderr)
                    give_up()
                    return
                stop.wait(1.0)
                continue
            polling = True
            log(f"watching for changes failed ({_first_line(exc)}): looking for changes every "
                f"{POLL_MS} ms instead" + (" (raise the limit: sysctl fs.inotify.max_user_watches=524288)"
                                           if _limit_reached(exc) else ""), file=sys.stderr)


def poll(paths: list[Path], relevant, stop: threading.Event):
    """Batches of changes, as watchfiles.watch yields them (an empty one each look), found by
    looking at every watched file every POLL_MS: its modification time to the nanosecond, size
    and inode. Not watchfiles' own polling, which compares modification times to the second:
    a second save within the same second as the first was never seen."""
    import watchfiles

    def look() -> dict[str, tuple[int, int, int]]:
        found = {}
        for root in paths:
            files = [(str(root.parent), [], [root.name])] if root.is_file() else os.walk(root)
            for folder, _, names in files:
                for name in names:
                    path = os.path.join(folder, name)
                    try:
                        st = os.stat(path)
                    except FileNotFoundError:
                        continue
                    found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
        return found

    seen = look()
    yield set()
    while not stop.wait(POLL_MS / 1000):
        now = look()
        changes = {(watchfiles.Change.added if path not in seen else watchfiles.Change.deleted if path not in now
                    else watchfiles.Change.modified, path)
                   for path in seen.keys() | now.keys() if seen.get(path) != now.get(path)}
        seen = now
        yield {(change, path) for change, path in changes if relevant(change, path)}


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].strip()


def _limit_reached(exc: Exception) -> bool:
    """The inotify watch limit (ENOSPC from inotify_add_watch), as Linux and watchfiles say it."""
    return sys.platform.startswith("linux") and (
        getattr(exc, "errno", None) == errno.ENOSPC or "limit" in str(exc).lower())


def work(state: State, live: LiveSite, inbox: queue.Queue, reload_config, stop: threading.Event,
         log=print) -> None:
    """The one thread that builds and writes: saves first, then the rest of the site in slices
    (a save waiting stops it), then the search index on a thread of its own."""
    while not stop.is_set():
        try:
            messages = [inbox.get(timeout=0.2 if live.tail is None else 0)]
        except queue.Empty:
            messages = []
        while not inbox.empty():
            messages.append(inbox.get_nowait())
        changed: set[Path] = set()
        for kind, payload in messages:
            if kind == "changed":
                changed |= payload
            else:   # ("search", (version, index or exception))
                try:
                    if live.apply_search(*payload):
                        log("Search index updated")
                except Exception as exc:
                    _failed(state, _describe(exc), 0.0, log)
        if changed:
            _changed(state, live, changed, reload_config, log)
        elif live.tail is not None:
            finish(state, live, lambda: not inbox.empty() or stop.is_set(), log)
        if live.search_due():
            live.start_search(lambda version, index: inbox.put(("search", (version, index))))


def _changed(state: State, live: LiveSite, paths: set[Path], reload_config, log) -> None:
    names = sorted({os.path.relpath(p) for p in paths})
    log(f"Changed: {', '.join(names[:3])}{' …' if len(names) > 3 else ''}")
    settings = [p.name for p in paths if p.name in ("pyproject.toml", OWN_FILE)]
    if settings:
        try:
            state.config = live.config = reload_config()
        except ConfigError as exc:
            state.publish([str(exc)])   # path:line: message, as config.py says it
            log(f"error: {exc}", file=sys.stderr)
            return
        return rebuild(state, live, log)
    update(state, live, paths, log)   # a template or a new file: not patchable, a full build


def run(config: Config, host: str, port: int, reload_config, allowed: tuple[str, ...] = ()) -> int:
    state, live, inbox = State(config), LiveSite(config), queue.Queue()

    def log(*args, **kwargs):
        print(*args, **kwargs, flush=True)

    rebuild(state, live, log)
    handler = type("BoundHandler", (Handler,), {"state": state, "base_path": config.base_path,
                                                "hosts": AllowedHosts(host, allowed), "refused": set()})
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc} "
              "(choose another with --port N, or --port 0 for any free port)", file=sys.stderr)
        return 2
    server.daemon_threads = True
    stop = threading.Event()
    ready = threading.Event()
    gave_up = threading.Event()

    def give_up():
        gave_up.set()
        ready.set()
        threading.Thread(target=server.shutdown, daemon=True).start()   # serve_forever returns

    watcher = threading.Thread(target=watch, args=(state, inbox, stop, log, ready, give_up), daemon=True)
    watcher.start()
    threading.Thread(target=work, args=(state, live, inbox, reload_config, stop, log), daemon=True).start()
    ready.wait(10)
    address = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_address[1]}{config.base_path}"
    folders = ", ".join(os.path.relpath(p) + ("/" if p.is_dir() else "") for p in _watched(config))
    try:
        if not gave_up.is_set():
            log(f"Serving {address} (watching {folders}{'; drafts shown' if config.drafts else ''}); "
                "press Ctrl-C to stop")
            server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        log("\nStopped.")
    finally:
        state.stopping = True
        stop.set()
        with state.changed:
            state.changed.notify_all()
        server.server_close()
    return 2 if gave_up.is_set() else 0


__all__ = ["run", "rebuild", "update", "error_page", "State"]
