"""Local stand-ins for Tencent Cloud SMS and Alibaba Cloud SMS (stdlib HTTP servers): each checks the vendor's
documented signature and answers in its documented format, error codes included (13800000001 is a bad number,
13800000002 hits the vendor's limit). What arrived is kept in `requests` and served at GET /sent (JSON, newest
last), where the topology's tests read the codes "sent" to a phone (tests/topology/vendors.py serves it).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET_ID, SECRET_KEY = "AKIDtestid", "test-secret-key"


def tencent_signature_ok(headers: Any, body: bytes) -> bool:
    """TC3-HMAC-SHA256 as documented for API 3.0, recomputed from what arrived."""
    auth = headers.get("Authorization", "")
    try:
        algorithm, rest = auth.split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        secret_id, date, service, terminator = parts["Credential"].split("/")
    except ValueError:
        return False
    timestamp = int(headers["X-TC-Timestamp"])
    if algorithm != "TC3-HMAC-SHA256" or secret_id != SECRET_ID or terminator != "tc3_request":
        return False
    if dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d") != date:
        return False
    signed = parts["SignedHeaders"].split(";")
    canonical_headers = "".join(f"{h}:{headers[h].strip().lower()}\n" for h in signed)
    canonical = "\n".join(["POST", "/", "", canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), f"{date}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("TC3" + SECRET_KEY).encode()
    for part in (date, service, "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(parts["Signature"], hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest())


def aliyun_signature_ok(params: dict[str, str]) -> bool:
    """RPC signature v1.0: HMAC-SHA1 over POST&%2F&encoded(sorted query), key secret + '&'."""
    params = dict(params)
    given = params.pop("Signature", "")

    def enc(v: str) -> str:
        return urllib.parse.quote(v, safe="~").replace("+", "%20").replace("*", "%2A")

    query = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params))
    to_sign = "POST&%2F&" + enc(query)
    digest = hmac.new((SECRET_KEY + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return params.get("AccessKeyId") == SECRET_ID and hmac.compare_digest(given, base64.b64encode(digest).decode())


class FakeVendor(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, vendor: str, port: int = 0) -> None:
        self.vendor = vendor
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        server: FakeVendor = self.server  # type: ignore[assignment]
        if urllib.parse.urlsplit(self.path).path != "/sent":
            self.send_error(404)
            return
        with server.lock:
            data = json.dumps(server.requests, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802
        server: FakeVendor = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status, answer = (self.tencent if server.vendor == "tencent" else self.aliyun)(server, body)
        data = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def tencent(self, server: FakeVendor, body: bytes) -> tuple[int, dict[str, Any]]:
        request_id = str(uuid.uuid4())
        if self.headers.get("X-TC-Action") != "SendSms" or self.headers.get("X-TC-Version") != "2021-01-11":
            return 200, {"Response": {"Error": {"Code": "InvalidAction", "Message": "bad action"}, "RequestId": request_id}}
        if not tencent_signature_ok(self.headers, body):
            return 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                                "Message": "The provided credentials could not be validated."},
                                      "RequestId": request_id}}
        request = json.loads(body)
        with server.lock:
            server.requests.append(request)
        number = request["PhoneNumberSet"][0]
        code, message = {
            "+8613800000001": ("InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number"),
            "+8613800000002": ("LimitExceeded.PhoneNumberDailyLimit", "daily limit"),
        }.get(number, ("Ok", "send success"))
        return 200, {"Response": {"SendStatusSet": [{
            "SerialNo": f"2645:{uuid.uuid4().int % 10**20}", "PhoneNumber": number, "Fee": 1,
            "SessionContext": "", "Code": code, "Message": message, "IsoCode": "CN"}], "RequestId": request_id}}

    def aliyun(self, server: FakeVendor, body: bytes) -> tuple[int, dict[str, Any]]:
        params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        request_id = str(uuid.uuid4())
        if not aliyun_signature_ok(params):
            return 400, {"RequestId": request_id, "Code": "SignatureDoesNotMatch",
                         "Message": "Specified signature is not matched with our calculation."}
        with server.lock:
            server.requests.append(params)
        code = {"13800000001": "isv.MOBILE_NUMBER_ILLEGAL", "13800000002": "isv.BUSINESS_LIMIT_CONTROL"}.get(
            params["PhoneNumbers"], "OK")
        if code != "OK":
            return 200, {"RequestId": request_id, "Code": code, "Message": code}
        return 200, {"RequestId": request_id, "Code": "OK", "Message": "OK", "BizId": f"{uuid.uuid4().int % 10**15}^0"}

    def log_message(self, *args: Any) -> None:
        pass

