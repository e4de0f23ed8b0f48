"""A database fault answers 503 with Retry-After (JSON in the API), and is reported to a Sentry-speaking collector."""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sentry_sdk
from django.db import connection
from django.test import Client

from jianli.ops.errors import init_sentry


@contextmanager
def table_gone(name: str):  # type: ignore[no-untyped-def]
    """A real database error on every query of one table, as when the database is not what the code expects."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {name} RENAME TO {name}_away")
    try:
        yield
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {name}_away RENAME TO {name}")


class FakeSentry(ThreadingHTTPServer):
    """Speaks Sentry's envelope endpoint: POST /api/<project>/envelope/, a header line then item lines."""

    def __init__(self) -> None:
        self.envelopes: list[list[dict[str, Any]]] = []
        self.received = threading.Event()
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            server: FakeSentry = self.server  # type: ignore[assignment]
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            auth = self.headers.get("X-Sentry-Auth", "")
            if self.path != "/api/1/envelope/" or "sentry_key=public" not in auth:
                self.send_response(403)
                self.end_headers()
                return
            server.envelopes.append([json.loads(line) for line in body.splitlines() if line.strip()])
            server.received.set()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id":"0"}')

        def log_message(self, *args: Any) -> None:
            pass


@pytest.fixture
def fake_sentry():  # type: ignore[no-untyped-def]
    server = FakeSentry()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    init_sentry(f"http://public@127.0.0.1:{server.server_address[1]}/1", environment="test")
    yield server
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.init(dsn=None)
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_503_json_with_retry_after_and_reports_it(fake_sentry) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    with table_gone("api_apitoken"):
        r = client.get("/api/v1/applications", HTTP_AUTHORIZATION="Bearer jla_" + "a" * 40, HTTP_X_REQUEST_ID="req-503")
    assert r.status_code == 503, r.content
    assert r["Content-Type"].startswith("application/json") and r["Retry-After"]
    assert r.json()["code"] == "unavailable" and r.json()["message"] == "服务暂时不可用，请稍后再试。"
    sentry_sdk.flush(timeout=5)
    assert fake_sentry.received.wait(5)
    items = [item for envelope in fake_sentry.envelopes for item in envelope]
    event = next(item for item in items if "exception" in item)
    assert event["tags"]["request_id"] == "req-503" and event["environment"] == "test"
    assert "api_apitoken" in json.dumps(event["exception"])


@pytest.mark.django_db(transaction=True)
def test_a_page_answers_503_with_retry_after_not_500() -> None:
    client = Client(raise_request_exception=False)
    with table_gone("django_session"):
        client.cookies["sessionid"] = "x" * 32
        r = client.get("/")
    assert r.status_code == 503 and r["Retry-After"]
    assert "服务暂时不可用" in r.content.decode()
