"""Which names `serve` answers to: the Host header of every request is checked against them.

Without the check, any web page open in the browser could read the preview through DNS
rebinding: its script asks for evil.example, whose address the attacker then switches to
127.0.0.1, and the browser, which thinks it is still talking to evil.example, lets the page read
the answers. Such a request still says `Host: evil.example`. The rule is the one Vite
(server.allowedHosts) and webpack-dev-server (allowedHosts) settled on:

- always allowed: `localhost` and the names under `.localhost` (they never leave the machine),
  and every IP address written as such (127.0.0.1, 192.168.1.20, [::1]): a rebinding attack
  needs a name it controls, never a bare address;
- also allowed: the name given to --host, if it is a name, and each --allow-host NAME
  (`.example.org` allows example.org and every name under it);
- the port is not checked: a forwarded port (ssh -L, a container's published port) arrives
  with the port the browser used, and a port gives no protection against rebinding.
"""

from __future__ import annotations

import ipaddress
import re

# RFC 1123 names, as a browser would send them (lower case after the check)
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_NAME = re.compile(rf"{_LABEL}(\.{_LABEL})*")


class HostNameError(ValueError):
    """An --allow-host or --host value that is not a host name."""


def allowed_name(text: str) -> str:
    """An --allow-host value, checked: a host name, or one with a leading dot for every name under
    it. Raises HostNameError saying what is wrong."""
    name = text.strip().lower().rstrip(".") if text.strip() not in (".", "") else ""
    bare = name[1:] if name.startswith(".") else name
    if _is_ip(bare.strip("[]")):
        raise HostNameError(f"--allow-host {text!r}: IP addresses are always allowed; give it a name")
    if "://" in text or "/" in text:
        raise HostNameError(f"--allow-host takes a host name, not an address: {text!r} "
                            f"(e.g. --allow-host {_hostname_of(text) or 'mybox.local'})")
    if ":" in bare and not _is_ip(bare):
        raise HostNameError(f"--allow-host takes a host name without a port: {text!r} "
                            f"(e.g. --allow-host {bare.split(':')[0]}; any port is allowed)")
    if "*" in bare:
        raise HostNameError(f"--allow-host {text!r}: no wildcards; a leading dot allows every name under "
                            f"a domain (--allow-host .{bare.lstrip('*.')})")
    if not _NAME.fullmatch(bare):
        raise HostNameError(f"--allow-host {text!r} is not a host name (letters, digits, hyphens and dots, "
                            "e.g. mybox.local or .example.org)")
    if name.startswith(".") and "." not in bare:
        raise HostNameError(f"--allow-host {text!r} would allow every name under a top-level domain, which "
                            "anyone can register: name your own domain (.example.org)")
    return name


def _hostname_of(text: str) -> str:
    rest = text.split("://", 1)[-1]
    return rest.split("/", 1)[0].split(":", 1)[0].lower()


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def hostname(header: str) -> str | None:
    """The name in a Host header ("localhost:8000" -> "localhost", "[::1]:8000" -> "::1"),
    lower case, without a trailing dot; None if it is not a well-formed Host value."""
    value = header.strip().lower()
    if value.startswith("["):
        inside, bracket, port = value[1:].partition("]")
        if not bracket or (port and not re.fullmatch(r":\d{1,5}", port)) or not _is_ip(inside) or ":" not in inside:
            return None
        return inside
    name, colon, port = value.partition(":")
    if colon and not re.fullmatch(r"\d{1,5}", port):
        return None
    name = name.rstrip(".") if name != "." else ""
    return name if name and (_NAME.fullmatch(name) or _is_ip(name)) else None


class AllowedHosts:
    """The names a server answers to (see the module's docstring)."""

    def __init__(self, listen: str, extra: tuple[str, ...] = ()):
        self.listen = listen
        self.names: set[str] = set()
        self.domains: set[str] = set()
        listened = hostname(listen) if not _is_ip(listen) else None
        if listened:
            self.names.add(listened)
        for name in extra:
            if name.startswith("."):
                self.domains.add(name[1:])
            else:
                self.names.add(name)

    def allows(self, name: str) -> bool:
        if _is_ip(name) or name == "localhost" or name.endswith(".localhost") or name in self.names:
            return True
        return any(name == domain or name.endswith("." + domain) for domain in self.domains)

    def refusal(self, headers: list[str]) -> tuple[int, str] | None:
        """None when a request with these Host headers is answered; else the status and the
        explanation it gets."""
        if not headers:
            return 400, ("Refused: the request has no Host header. This preview answers only requests "
                         "that name it (every browser sends one).\n")
        if len(headers) > 1:
            return 400, "Refused: the request has more than one Host header.\n"
        name = hostname(headers[0])
        if name is None:
            return 400, f"Refused: {headers[0]!r} is not a host name.\n"
        if self.allows(name):
            return None
        return 403, (f"Refused: this preview does not answer to the name {name!r}.\n\n"
                     "It answers to localhost, to IP addresses (such as 127.0.0.1) and to the names it "
                     "was told, so that no web page can read it by pointing a name of its own at this "
                     "machine (DNS rebinding).\n"
                     f"If {name!r} is your own name for this machine, start the preview with "
                     f"--allow-host {name}\n")


__all__ = ["AllowedHosts", "HostNameError", "allowed_name", "hostname"]
