"""`build.py serve`, run for real in a subprocess over a small site: it serves the build with the
reload script, rebuilds after an edit, shows a broken entry's `path:line: message` in place of
every page while the last good site stays on disk, comes back when the entry is fixed, and never
dies on bad content. How fast it rebuilds is measured in bench/, not asserted here."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import BUILD_PY, PLACE, REPO, event, page, write_files

PATIENCE = 60   # seconds: generous, a loaded CI machine is slow; the bench measures real latency

SITE = {
    "content/rain.md": event(title="Heavy rain", date="2024-01-01", place=PLACE),
    "content/levee.md": event(title="Levee breaks", date="2024-01-03", place=PLACE, in_response_to=["rain"]),
    "content/pages/about.md": page(title="About"),
}


class Server:
    def __init__(self, root: Path, *args: str, program: list[str] | None = None):
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, *(program or [str(BUILD_PY)]), "serve", "--port", "0", *args],
                                     cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        self.lines: list[str] = []
        self.url = self._wait_for(r"Serving (http://\S+)").group(1)

    def _wait_for(self, pattern: str) -> re.Match:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        self.stop()
        pytest.fail(f"serve never printed {pattern!r}; it printed:\n{''.join(self.lines)}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def until(self, path: str, predicate, what: str) -> tuple[int, str]:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            status, body = self.get(path)
            if predicate(status, body):
                return status, body
            time.sleep(0.1)
        pytest.fail(f"{what}: still status {status} after {PATIENCE} s; page starts {body[:300]!r}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def served(tmp_path):
    root = write_files(tmp_path, SITE)
    server = Server(root)
    yield root, server
    server.stop()


def test_serves_the_site_with_the_reload_script_and_no_script_written_to_disk(served):
    root, server = served
    status, body = server.get("/events/levee/")
    assert status == 200 and "<h1" in body and "Levee breaks" in body
    assert '<script src="/__dateline/reload.js"></script>' in body
    assert "__dateline" not in (root / "site/events/levee/index.html").read_text()
    status, script = server.get("/__dateline/reload.js")
    assert status == 200 and "EventSource" in script
    status, css = server.get("/static/dateline.css")
    assert status == 200 and "__dateline" not in css


def test_rebuilds_after_an_edit_then_shows_errors_until_the_entry_is_fixed(served):
    root, server = served
    entry = root / "content/levee.md"
    good = entry.read_text()
    entry.write_text(good.replace("title: \"Levee breaks\"", "title: \"Levee gives way\""))
    server.until("/events/levee/", lambda s, b: "Levee gives way" in b, "the edit never showed")
    assert "Levee gives way" in (root / "site/events/levee/index.html").read_text()

    entry.write_text(good.replace("date: \"2024-01-03\"", "date: \"2024-02-30\""))
    status, body = server.until("/events/levee/", lambda s, b: "could not be built" in b,
                                "the broken entry was never reported")
    assert status == 500
    assert "content/levee.md:3:" in body and "February 2024 has 29 days" in body
    assert '<script src="/__dateline/reload.js"></script>' in body, "the error page must reload itself"
    assert server.get("/")[0] == 500, "every page is replaced by the errors, not just the broken one"
    assert "Levee gives way" in (root / "site/events/levee/index.html").read_text(), \
        "the last good build must stay on disk"
    assert server.proc.poll() is None, "the server died on bad content"

    entry.write_text(good)
    server.until("/events/levee/", lambda s, b: s == 200 and "Levee breaks" in b, "the fix never showed")


def test_a_save_is_patched_in_even_when_the_editor_writes_a_temporary_file_first(served):
    """Saved as `sed -i` and many editors save: a new file beside the entry, renamed over it.
    serve patches the entry's page in and says so, then writes the rest of the site."""
    root, server = served
    entry = root / "content/levee.md"
    temporary = root / "content/sedX1b2c3"
    temporary.write_text(entry.read_text().replace("Body text.", "Body text, revised."))
    temporary.rename(entry)
    server.until("/events/levee/", lambda s, b: "Body text, revised." in b, "the save never showed")
    server._wait_for(r"Updated 1 page in \d+ ms")
    server._wait_for(r"Updated the rest of the site")


def test_a_broken_template_is_reported_in_the_page_and_the_server_lives(tmp_path):
    theme = {"templates/page.html": "{% extends 'base.html' %}{% block main %}{{ p.title }{% endblock %}"}
    root = write_files(tmp_path, {**SITE, **theme})
    server = Server(root, "--templates", "templates")
    try:
        status, body = server.until("/about/", lambda s, b: s == 500, "the template error never showed")
        assert "page.html:1:" in body, body
        (root / "templates/page.html").write_text(
            "{% extends 'base.html' %}{% block main %}<h1>{{ p.title }}</h1>{% endblock %}")
        server.until("/about/", lambda s, b: s == 200 and "<h1>About</h1>" in b, "the template fix never showed")
    finally:
        server.stop()


def test_serves_under_the_base_url_path(tmp_path):
    root = write_files(tmp_path, SITE)
    server = Server(root, "--base-url", "https://example.org/sub/")
    try:
        assert server.url.endswith("/sub/")
        status, body = server.get("/events/levee/")
        assert status == 200 and "Levee breaks" in body
        with urllib.request.urlopen(server.url.replace("/sub/", "/"), timeout=10) as response:
            assert response.url.endswith("/sub/"), "the root should send the browser to the site"
    finally:
        server.stop()


def test_a_port_in_use_is_a_usage_error(tmp_path):
    root = write_files(tmp_path, SITE)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.run([sys.executable, str(BUILD_PY), "serve", "--port", str(port)], cwd=root, env=env,
                              capture_output=True, text=True, timeout=PATIENCE)
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr and "--port" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_serve_drafts_previews_the_drafts_marked_as_such(tmp_path):
    draft = {"content/plan.md": event(title="Weir plan", date="2024-01-05", place=PLACE, draft=True)}
    root = write_files(tmp_path, {**SITE, **draft})
    server = Server(root, "--drafts")
    try:
        status, body = server.get("/events/plan/")
        assert status == 200 and "Weir plan" in body
        assert '<p class="draft-note"><strong>Draft</strong>: not published;' in body
        assert "Weir plan" in server.get("/")[1]
    finally:
        server.stop()
    plain = Server(root)
    try:
        assert plain.get("/events/plan/")[0] == 404
        assert "Weir plan" not in plain.get("/")[1]
    finally:
        plain.stop()


# ------------------------------------------------------------------------------------------------
# What serve refuses: requests for a name that is not its own (DNS rebinding), and paths outside
# the output folder.

def raw(server: Server, request: bytes) -> tuple[int, str]:
    """Send `request` as written (any Host header, or none) and read the answer to the end."""
    port = int(re.search(r":(\d+)/", server.url).group(1))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode()


def ask(server: Server, path: str, host: str | None, method: str = "GET") -> tuple[int, str]:
    """A request naming `host` in its Host header, as a page under that name would send it."""
    port = int(re.search(r":(\d+)/", server.url).group(1))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host.replace("PORT", str(port)))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("guarded"), {**SITE, "secret.txt": "not for the web\n"})
    server = Server(root, "--allow-host", "mybox.local", "--allow-host", ".example.org")
    yield server
    server.stop()


@pytest.mark.parametrize("host", ["evil.example:PORT", "evil.example", "localhost.evil.example:PORT",
                                  "127.0.0.1.nip.io:PORT", "mybox.local.evil.example", "notexample.org:PORT"])
@pytest.mark.parametrize("path", ["/", "/events/levee/", "/static/dateline.css", "/__dateline/reload.js",
                                  "/__dateline/events"])
def test_a_request_for_another_name_is_refused_with_the_reason(guarded, host, path):
    """A page on evil.example whose name now points at 127.0.0.1 (DNS rebinding) must read
    nothing, the live-reload channel included."""
    status, body = ask(guarded, path, host)
    assert status == 403
    assert "does not answer to the name" in body and "DNS rebinding" in body
    assert f"--allow-host {host.split(':')[0]}" in body
    assert "Levee" not in body and "EventSource" not in body


def test_a_head_request_for_another_name_is_refused_too(guarded):
    assert ask(guarded, "/", "evil.example:PORT", method="HEAD")[0] == 403


@pytest.mark.parametrize("host", ["127.0.0.1:PORT", "localhost:PORT", "[::1]:PORT", "localhost", "LocalHost:PORT",
                                  "localhost.:PORT", "preview.localhost:PORT", "192.168.1.20:PORT",
                                  "127.0.0.1:9999", "mybox.local:PORT", "example.org", "www.example.org:PORT"])
def test_the_names_serve_answers_to(guarded, host):
    """localhost (and names under .localhost), any IP address, and the --allow-host names; any
    port, since a forwarded port arrives with the port the browser used."""
    status, body = ask(guarded, "/events/levee/", host)
    assert status == 200 and "Levee breaks" in body


def test_the_refusal_is_said_once_on_the_console(guarded):
    for host in ("once.example:PORT", "once.example", "ONCE.example:1234"):
        ask(guarded, "/", host)
    ask(guarded, "/", "twice.example:PORT")   # printed after any repeat of the first
    guarded._wait_for(r"Refused a request \(403\): this preview does not answer to the name 'twice.example'")
    assert sum("'once.example'" in line for line in guarded.lines) == 1, "".join(guarded.lines)
    assert "--allow-host NAME allows" in guarded.lines[-1]


@pytest.mark.parametrize("request_bytes,reason", [
    (b"GET / HTTP/1.0\r\n\r\n", "no Host header"),
    (b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", "no Host header"),
    (b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n", "more than one Host"),
    (b"GET / HTTP/1.1\r\nHost: local host\r\nConnection: close\r\n\r\n", "is not a host name"),
    (b"GET / HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n", "is not a host name"),
], ids=["http-1.0", "http-1.1", "two", "space", "bracket"])
def test_a_request_without_one_clear_host_is_a_bad_request(guarded, request_bytes, reason):
    status, body = raw(guarded, request_bytes)
    assert status == 400 and reason in body


@pytest.mark.parametrize("path", ["/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                                  "/static/../../secret.txt", "/%2e%2e%2fsecret.txt", "//..//secret.txt"])
def test_a_path_outside_the_output_folder_is_never_served(guarded, path):
    status, body = raw(guarded, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    assert status == 404 and "not for the web" not in body


@pytest.mark.parametrize("value,message", [
    ("http://mybox.local/", "takes a host name, not an address"),
    ("mybox.local:8000", "without a port"),
    ("*.example.org", "a leading dot allows every name under"),
    (".org", "top-level domain"),
    ("127.0.0.1", "IP addresses are always allowed"),
])
def test_a_bad_allow_host_is_a_usage_error(tmp_path, value, message):
    proc = subprocess.run([sys.executable, str(BUILD_PY), "serve", "--allow-host", value], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                          timeout=PATIENCE)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_allow_host_is_only_for_serve(tmp_path):
    proc = subprocess.run([sys.executable, str(BUILD_PY), "build", "--allow-host", "mybox.local"], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                          timeout=PATIENCE)
    assert proc.returncode == 2 and "--allow-host is only for 'serve'" in proc.stderr


# ------------------------------------------------------------------------------------------------
# The watcher failing, and the configuration edited while serving.

# serve with watchfiles failing as it does when Linux's inotify watch limit is reached (OSError
# ENOSPC from inotify_add_watch, "OS file watch limit reached"), and ("always") its polling too
FAILING_WATCHER = """
import errno, sys, watchfiles
from dateline import serve
mode = sys.argv.pop(1)

def fail(*args, **options):
    raise OSError(errno.ENOSPC, 'OS file watch limit reached. about ["content"]')
    yield

watchfiles.watch = fail
if mode == "always":
    serve.poll = fail
sys.argv[0] = "build.py"
from dateline.cli import run
run()
"""


def test_when_file_notifications_fail_serve_says_so_once_and_polls(tmp_path):
    launcher = tmp_path / "launch.py"
    launcher.write_text(FAILING_WATCHER)
    root = write_files(tmp_path / "project", SITE)
    server = Server(root, program=[str(launcher), "fallback"])
    try:
        said = [line for line in server.lines if "watching for changes failed" in line]
        assert len(said) == 1, server.lines
        assert ("OS file watch limit reached" in said[0] and "looking for changes every 300 ms instead" in said[0]
                and "fs.inotify.max_user_watches" in said[0])
        entry = root / "content/levee.md"
        entry.write_text(entry.read_text().replace("Levee breaks", "Levee gives way"))
        server.until("/events/levee/", lambda s, b: "Levee gives way" in b, "the polling watcher missed the edit")
        assert server.proc.poll() is None
    finally:
        server.stop()
    rest = server.proc.stdout.read()
    assert "Traceback" not in "".join(server.lines) + rest


def test_polling_sees_a_second_save_within_the_same_second(tmp_path):
    """watchfiles' own polling compares modification times to the second, and missed it."""
    from dateline import serve
    entry = tmp_path / "content/a.md"
    entry.parent.mkdir()
    while time.time() % 1 > 0.2:      # early in a second: both saves fall within it
        time.sleep(0.01)
    entry.write_text("first save")
    stop = threading.Event()
    batches = serve.poll([tmp_path / "content"], lambda change, path: True, stop)
    assert next(batches) == set()
    entry.write_text("second save")
    assert {path for _, path in next(batches)} == {str(entry)}
    entry.unlink()
    assert [change.name for change, _ in next(batches)] == ["deleted"]
    stop.set()


def test_when_polling_fails_too_serve_stops_with_one_line_and_exit_2(tmp_path):
    launcher = tmp_path / "launch.py"
    launcher.write_text(FAILING_WATCHER)
    root = write_files(tmp_path / "project", SITE)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([sys.executable, str(launcher), "always", "serve", "--port", "0"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=PATIENCE)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    errors = proc.stderr.splitlines()
    assert errors[-1] == ("error: watching for changes failed ([Errno 28] OS file watch limit reached. about "
                          '["content"]), polling too; serve stops'), proc.stderr
    assert "Traceback" not in proc.stderr and "Serving" not in proc.stdout


def test_a_configuration_edit_rebuilds_and_a_broken_one_is_shown_until_fixed(served):
    root, server = served
    settings = root / "pyproject.toml"
    good = settings.read_text()
    settings.write_text(good.replace('title = "Test timeline"', 'title = "Flood diary"'))
    server.until("/", lambda s, b: s == 200 and "Flood diary" in b, "the new title never showed")
    assert "Flood diary" in (root / "site/index.html").read_text()

    settings.write_text(good.replace('language = "en"', 'language = "en"\npage_size = "many"'))
    status, body = server.until("/", lambda s, b: s == 500, "the broken setting was never reported")
    assert re.search(r"<code>pyproject\.toml:\d+: setting &#x27;page_size&#x27; must be a whole number", body), body
    server._wait_for(r"error: .*pyproject\.toml:\d+: .*page_size")
    assert "Flood diary" in (root / "site/index.html").read_text(), "the last good build must stay on disk"
    assert server.proc.poll() is None, "serve died on a broken setting"

    settings.write_text(good + "page_size = [\n")   # not TOML any more
    status, body = server.until("/", lambda s, b: "the end of the file" in b, "the TOML error was never reported")
    last = len(good.splitlines()) + 1
    assert status == 500 and f"<code>pyproject.toml:{last}: Invalid value at the end of the file" in body, body

    settings.write_text(good)
    server.until("/", lambda s, b: s == 200 and "Test timeline" in b, "the fixed settings never showed")
    entry = root / "content/levee.md"
    entry.write_text(entry.read_text().replace("Levee breaks", "Levee gives way"))
    server.until("/events/levee/", lambda s, b: "Levee gives way" in b, "edits after the fix never showed")


def test_an_edit_of_dateline_toml_is_picked_up_too(tmp_path):
    root = write_files(tmp_path, {**SITE, "dateline.toml": 'title = "Own file"\nlanguage = "en"\n'}, pyproject=None)
    server = Server(root)
    try:
        assert "Own file" in server.get("/")[1]
        (root / "dateline.toml").write_text('title = "Own file"\nlanguage = "en"\nhome_years = "two"\n')
        status, body = server.until("/", lambda s, b: s == 500, "the broken setting was never reported")
        assert "<code>dateline.toml:3: setting &#x27;home_years&#x27;" in body, body
        (root / "dateline.toml").write_text('title = "Renamed"\nlanguage = "en"\n')
        server.until("/", lambda s, b: s == 200 and "Renamed" in b, "the fixed settings never showed")
    finally:
        server.stop()


def test_pagefind_failing_is_shown_in_the_page_and_serve_recovers_when_it_works(tmp_path, monkeypatch):
    """While Pagefind fails, every page says so in one line (what failed, what to do); serve lives,
    and the next build after Pagefind works again is the site."""
    from dateline.outputs.search import _binary
    broken = tmp_path / "broken"
    broken.write_text("")
    program = tmp_path / "pagefind"
    program.write_text(f'#!/bin/sh\nif [ -e "{broken}" ] && [ "$1" != --version ]; then\n'
                       f'  echo "Error: out of memory" >&2; exit 3\nfi\nexec "{_binary()}" "$@"\n')
    program.chmod(0o755)
    root = write_files(tmp_path / "project", SITE)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))   # pagefind's own setting, read by serve
    server = Server(root)
    try:
        status, body = server.get("/")
        assert status == 500
        assert ("<code>search index: Pagefind failed (exit 3: Error: out of memory); if it fails again, reinstall "
                "it") in body, body
        broken.unlink()
        entry = root / "content/levee.md"
        entry.write_text(entry.read_text().replace("Levee breaks", "Levee gives way"))
        server.until("/events/levee/", lambda s, b: s == 200 and "Levee gives way" in b, "serve never recovered")
        server.until("/pagefind/pagefind-entry.json", lambda s, b: s == 200, "the search index never came")
    finally:
        server.stop()
