"""The client's address behind our own proxies: rate limits, the audit log and django-axes all see the same one."""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from jianli import testing
from jianli.audit.models import AuditEvent
from jianli.net import client_ip

CLIENT, OTHER_CLIENT, EDGE, INNER = "127.0.0.9", "127.0.0.10", "127.0.0.2", "127.0.0.3"


def request(remote: str = "10.0.0.3", forwarded: str | None = None):  # type: ignore[no-untyped-def]
    made = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        made.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return made


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.JIANLI_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_two_hops_take_the_address_the_outer_proxy_saw(settings):
    settings.JIANLI_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("10.0.0.3", "203.0.113.7, 10.0.0.2")) == "203.0.113.7"


def test_a_forged_header_stays_left_of_what_our_proxies_wrote(settings):
    settings.JIANLI_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("10.0.0.3", "1.2.3.4, 5.6.7.8,203.0.113.7, 10.0.0.2")) == "203.0.113.7"


def test_too_few_entries_or_junk_fall_back_to_the_peer(settings):
    settings.JIANLI_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("10.0.0.3", "203.0.113.7")) == "10.0.0.3"
    assert client_ip(request("10.0.0.3")) == "10.0.0.3"
    assert client_ip(request("10.0.0.3", "<script>, 10.0.0.2")) == "10.0.0.3"
    assert client_ip(request("10.0.0.3", "2001:db8::1, 10.0.0.2")) == "2001:db8::1"


# --- Through two real proxy hops --------------------------------------------------------------------------


def _proxy(listen: str, upstream: str) -> ThreadingHTTPServer:
    """A reverse proxy like nginx's `proxy_add_x_forwarded_for`: appends its peer's address, connects from `listen`."""
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("x-forwarded-for", "connection")}
            prior = self.headers.get("X-Forwarded-For")
            headers["X-Forwarded-For"] = f"{prior}, {self.client_address[0]}" if prior else self.client_address[0]
            conn = http.client.HTTPConnection(target.hostname or "", target.port, timeout=30, source_address=(listen, 0))
            conn.request(self.command, self.path, body=body or None, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = _forward

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((listen, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def edge(live_server, transactional_db) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """client → edge (127.0.0.2) → inner (127.0.0.3) → the app; the address of the edge proxy."""
    inner = _proxy(INNER, live_server.url)
    outer = _proxy(EDGE, f"http://{INNER}:{inner.server_address[1]}")
    yield f"{EDGE}:{outer.server_address[1]}"
    for server in (outer, inner):
        server.shutdown()
        server.server_close()


class Browser:
    """An HTTP client connecting from a given address, keeping cookies."""

    def __init__(self, proxy: str, source: str) -> None:
        self.proxy, self.source = proxy, source
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, str]:
        host, port = self.proxy.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(self.source, 0))
        headers["Host"] = "localhost"  # the public name; the proxies pass it on
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        for key, value in answer.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = answer.read().decode()
        conn.close()
        return answer.status, text

    def json(self, path: str, payload: dict[str, Any], **headers: str) -> tuple[int, dict[str, Any]]:
        status, text = self.call("POST", path, json.dumps(payload).encode(), **{"Content-Type": "application/json", **headers})
        return status, json.loads(text)


def test_behind_two_hops_limits_audit_and_lockout_see_the_client(edge, settings):
    settings.JIANLI_TRUSTED_PROXY_COUNT = 2
    settings.JIANLI_RATE_API_PROFILE_PER_ADDRESS = (1, 3600)
    me, neighbour = Browser(edge, CLIENT), Browser(edge, OTHER_CLIENT)

    # A forged X-Forwarded-For neither escapes the per-address limit nor lands in the audit log.
    status, body = me.json("/api/v1/profile", {"nickname": "小李"}, **{"X-Forwarded-For": "198.51.100.1"})
    assert status == 201
    token = body["profile_token"]
    status, _ = me.json("/api/v1/profile", {"nickname": "小李"}, **{"X-Forwarded-For": "198.51.100.2"})
    assert status == 429
    # Another phone behind the same proxies has its own allowance.
    assert neighbour.json("/api/v1/profile", {"nickname": "小王"})[0] == 201

    status, _ = me.json(
        "/api/v1/applicants/check", {"name": "张三", "id_number": testing.id_number()},
        Authorization=f"Bearer {token}", **{"X-Forwarded-For": "198.51.100.3"},
    )
    assert status == 200
    assert AuditEvent.objects.get(action="registered_user_checked").ip == CLIENT

    status, page = me.call("GET", "/review/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and csrf
    form = f"csrfmiddlewaretoken={csrf[1]}&username=shencha&password=wrong-password".encode()
    me.call("POST", "/review/login/", form, **{"Content-Type": "application/x-www-form-urlencoded",
                                                 "X-Forwarded-For": "198.51.100.4"})
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]
