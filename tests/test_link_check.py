"""`dateline check --links` against a local server (no internet here), and the promise that
nothing else touches the network: a build with every socket connection refused still builds."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dateline import linkcheck
from helpers import PYPROJECT, build_site

SLOW = 8.0       # the slow page answers after this long; the check waits 2 s (the others answer at once,
                 # but on a loaded machine not always within 0.5 s)


class Handler(BaseHTTPRequestHandler):
    asked: list[tuple[str, str]] = []

    def log_message(self, *args):
        pass

    def _answer(self, method: str):
        Handler.asked.append((method, self.path))
        if self.path == "/good":
            self._send(200)
        elif self.path == "/moved":
            self._send(301, {"Location": "/good"})
        elif self.path == "/moved-away":
            self._send(302, {"Location": "/gone"})
        elif self.path == "/loop":
            self._send(302, {"Location": "/loop"})
        elif self.path == "/no-head":     # a server that refuses HEAD but serves the page
            self._send(405 if method == "HEAD" else 200)
        elif self.path == "/slow":
            time.sleep(SLOW)
            self._send(200)
        else:
            self._send(404)

    def _send(self, status: int, headers: dict | None = None):
        body = b"" if status in (301, 302) else b"<p>page</p>"
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def do_HEAD(self):
        self._answer("HEAD")

    def do_GET(self):
        self._answer("GET")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def entry(base: str, refused: str) -> str:
    return f"""\
---
title: A
date: 2024-01-15
sources:
  - {{id: good, publisher: P, title: T, date: 2024-01-15, url: "{base}/good"}}
  - {{id: moved, publisher: P, title: T, date: 2024-01-15, url: "{base}/moved"}}
  - {{id: nohead, publisher: P, title: T, date: 2024-01-15, url: "{base}/no-head"}}
  - {{id: gone, publisher: P, title: T, date: 2024-01-15, url: "{base}/gone",
      archive_url: "{base}/good", archived: 2024-01-20}}
  - {{id: away, publisher: P, title: T, date: 2024-01-15, url: "{base}/moved-away"}}
  - {{id: loop, publisher: P, title: T, date: 2024-01-15, url: "{base}/loop"}}
  - {{id: slow, publisher: P, title: T, date: 2024-01-15, url: "{base}/slow"}}
  - {{id: refused, publisher: P, title: T, date: 2024-01-15, url: "{refused}",
      archive_url: "{base}/lost-copy"}}
---
Body.
"""


@pytest.fixture(scope="module")
def checked(server, tmp_path_factory):
    refused = f"http://127.0.0.1:{closed_port()}/x"
    files = {"content/a.md": entry(server, refused),
             "content/b.md": f"---\ntitle: B\ndate: 2024-01-16\nsources:\n"
                             f"  - {{id: s, publisher: P, title: T, date: 2024-01-16, url: \"{server}/gone\"}}\n"
                             f"---\nBody.\n"}
    Handler.asked.clear()
    result = build_site(tmp_path_factory.mktemp("links"), files, "check", "--links", "--timeout", "2")
    return result, server, refused


def test_each_failure_is_reported_at_its_line(checked):
    result, base, refused = checked
    assert result.exit_code == 3, result
    errors = {(path, line): message for path, line, message in result.errors()}
    assert errors[("content/a.md", 8)].startswith(f"{base}/gone: HTTP 404 Not Found; the source does not answer")
    assert "readers still have its archived copy" in errors[("content/a.md", 8)]
    assert "add an archive_url" in errors[("content/a.md", 10)]
    assert errors[("content/a.md", 10)].startswith(f"{base}/moved-away: HTTP 404")   # followed, then gone
    assert errors[("content/a.md", 11)].startswith(f"{base}/loop: redirects in a loop (HTTP 302)")
    assert errors[("content/a.md", 12)].startswith(f"{base}/slow: no answer within 2 s")
    assert errors[("content/a.md", 13)].startswith(f"{refused}: connection refused")
    assert errors[("content/a.md", 14)].startswith(f"{base}/lost-copy: HTTP 404 Not Found; the archived copy")
    assert errors[("content/b.md", 5)].startswith(f"{base}/gone: HTTP 404")   # the same address, each place
    assert len(errors) == 7 and len(result.stderr.splitlines()) == 7, result.stderr


def test_what_answers_is_not_reported(checked):
    result, base, _ = checked
    reported = result.stderr
    for answering in ("/good:", "/moved:", "/no-head:"):
        assert base + answering not in reported
    assert "Asked 9 addresses: 6 did not answer, cited in 7 places" in result.stdout


def test_head_first_get_on_an_http_error_and_each_address_once(checked):
    asked = Handler.asked
    assert ("HEAD", "/good") in asked and ("HEAD", "/gone") in asked
    assert ("HEAD", "/no-head") in asked and ("GET", "/no-head") in asked
    assert asked.count(("HEAD", "/gone")) == 1          # cited twice, asked once
    assert ("HEAD", "/moved") in asked                    # and the redirect followed to /good


def test_a_site_whose_links_answer_exits_0(server, tmp_path):
    files = {"content/a.md": f"---\ntitle: A\ndate: 2024-01-15\nsources:\n"
                             f"  - {{id: s, publisher: P, title: T, date: 2024-01-15, url: \"{server}/moved\"}}\n"
                             f"---\nBody.\n"}
    result = build_site(tmp_path, files, "check", "--links")
    assert result.exit_code == 0, result
    assert "Asked 1 address: all answered" in result.stdout


def test_content_errors_come_first_and_no_link_is_asked(server, tmp_path):
    Handler.asked.clear()
    files = {"content/a.md": f"---\ntitle: A\nsources:\n"
                             f"  - {{id: s, publisher: P, title: T, date: 2024-01-15, url: \"{server}/good\"}}\n"
                             f"---\nBody.\n"}
    result = build_site(tmp_path, files, "check", "--links")
    assert result.exit_code == 1 and "missing required key 'date'" in result.stderr
    assert Handler.asked == []


@pytest.mark.parametrize("args, message", [
    (("build", "--links"), "--links is only for 'check'"),
    (("check", "--timeout", "3"), "--timeout is only for 'check --links'"),
    (("check", "--links", "--timeout", "0"), "--timeout must be a number of seconds above 0"),
])
def test_misused_options_are_usage_errors(tmp_path, args, message):
    result = build_site(tmp_path, {}, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_a_build_never_touches_the_network(tmp_path, monkeypatch):
    """Sources with addresses, archived copies, a host in base_url: still no connection."""
    tried = []

    def refuse(self, address, *args):
        tried.append(address)
        raise OSError(f"the build tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: tried.append(a) or (_ for _ in ()).throw(OSError()))
    files = {"content/a.md": entry("https://example.org", "https://example.com/x")}
    pyproject = PYPROJECT.replace('base_url = "/"', 'base_url = "https://example.org/t/"')
    for command in ("build", "check"):
        result = build_site(tmp_path, files, command, pyproject=pyproject)
        assert result.exit_code == 0, result
    assert tried == []


def test_probe_names_an_unknown_host(monkeypatch):
    def unknown(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    assert linkcheck.probe("http://no-such-host.invalid/", timeout=1) == "the host name does not resolve"


def test_when_nothing_answers_the_check_asks_whether_the_machine_is_online(tmp_path):
    first, second = (f"http://127.0.0.1:{closed_port()}/{n}" for n in "ab")
    files = {"content/a.md": f"---\ntitle: A\ndate: 2024-01-15\nsources:\n"
                             f"  - {{id: a, publisher: P, title: T, date: 2024-01-15, url: \"{first}\"}}\n"
                             f"  - {{id: b, publisher: P, title: T, date: 2024-01-15, url: \"{second}\"}}\n"
                             f"---\nBody.\n"}
    result = build_site(tmp_path, files, "check", "--links", "--timeout", "1")
    assert result.exit_code == 3
    assert "Asked 2 addresses: 2 did not answer, cited in 2 places; none answered at all: is this machine online?" \
        in result.stdout
