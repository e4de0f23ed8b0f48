"""Local stand-ins for Tencent FaceID and WeChat face verification 2.0 (stdlib HTTP servers on 127.0.0.1:0).

The Tencent fake checks the TC3-HMAC-SHA256 signature the way the gateway does: the Authorization header's
credential scope, signed headers and signature, and the 5-minute timestamp window. Scenarios are chosen by the
ID number's sequence digits (see SCENARIOS), so one server serves every test.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jianli.identity.providers.tencent import tc3_authorization

SECRET_ID = "AKIDfakefakefakefakefakefakefake"
SECRET_KEY = "fake-secret-key-0123456789abcdef"
RULE_ID = "1"
WECHAT_TOKEN = "wx-access-token"

AUTH = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)/tc3_request, "
    r"SignedHeaders=(?P<signed>[a-z;-]+), Signature=(?P<sig>[0-9a-f]{64})$"
)


@dataclass
class FakeState:
    """Scenario per BizToken / verify_id, and what the server saw."""

    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    scenario: str = "pass"  # what the next flow does: pass, 2016, 2015, 1002, 15, slow, wrong_extra, other_person
    slow_seconds: float = 0.0
    broken: str = ""  # "http500" or "not_json": the gateway itself misbehaves
    calls: list[str] = field(default_factory=list)
    # WeChat login: wx.login codes issued by `login_code`, {code: (openid, unionid, issued_at)}; used ones.
    codes: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    used_codes: set[str] = field(default_factory=set)
    code_ttl: float = 300.0
    jscode_limited: bool = False
    # subscribeMessage.send: what was sent, and the openids whose users have no consent left on WeChat's side.
    sent: list[dict[str, Any]] = field(default_factory=list)
    refusing: set[str] = field(default_factory=set)

    def login_code(self, openid: str, unionid: str = "") -> str:
        """What wx.login gives the mini program of the WeChat user `openid`."""
        code = secrets.token_hex(16)
        self.codes[code] = (openid, unionid, time.monotonic())
        return code


def _tencent_error(code: str, message: str) -> dict[str, Any]:
    return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": secrets.token_hex(8)}}


class _Tencent(BaseHTTPRequestHandler):
    state: FakeState

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, body: dict[str, Any], status: int = 200) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        action = self.headers.get("X-TC-Action", "")
        self.state.calls.append(action)
        if self.state.slow_seconds:
            time.sleep(self.state.slow_seconds)
        if self.state.broken:
            raw = b"<html>502 Bad Gateway</html>"
            self.send_response(502 if self.state.broken == "http500" else 200)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            return
        error = self._check_signature(body)
        if error:
            return self._send(_tencent_error(*error))
        params = json.loads(body)
        if params.get("RuleId") != RULE_ID:
            return self._send(_tencent_error("InvalidParameterValue.RuleIdNotExist", "RuleId不存在"))
        if action == "DetectAuth":
            token = secrets.token_hex(16).upper()
            self.state.tokens[token] = {**params, "scenario": self.state.scenario, "at": time.time()}
            return self._send({"Response": {"BizToken": token, "Url": "", "RequestId": secrets.token_hex(8)}})
        if action == "GetDetectInfoEnhanced":
            flow = self.state.tokens.get(params.get("BizToken", ""))
            if flow is None:
                return self._send(_tencent_error("InvalidParameterValue.BizTokenIllegal", "BizToken不合法"))
            if flow["scenario"] == "expired" or time.time() - flow["at"] > 7200:
                return self._send(_tencent_error("InvalidParameterValue.BizTokenExpired", "BizToken过期"))
            return self._send({"Response": {"Text": self._text(flow), "RequestId": secrets.token_hex(8)}})
        return self._send(_tencent_error("InvalidAction", "接口不存在"))

    def _check_signature(self, body: bytes) -> tuple[str, str] | None:
        m = AUTH.match(self.headers.get("Authorization", ""))
        if not m:
            return "AuthFailure.InvalidAuthorization", "Authorization格式错误"
        if m["id"] != SECRET_ID:
            return "AuthFailure.SecretIdNotFound", "密钥不存在"
        try:
            timestamp = int(self.headers.get("X-TC-Timestamp", ""))
        except ValueError:
            return "AuthFailure.InvalidAuthorization", "缺少X-TC-Timestamp"
        if abs(time.time() - timestamp) > 300:
            return "AuthFailure.SignatureExpire", "签名过期"
        if m["service"] != "faceid" or m["signed"] != "content-type;host":
            return "AuthFailure.InvalidAuthorization", "凭证范围错误"
        expected = tc3_authorization(
            secret_id=SECRET_ID, secret_key=SECRET_KEY, service="faceid", host=self.headers.get("Host", ""),
            timestamp=timestamp, payload=body, content_type=self.headers.get("Content-Type", ""),
        )
        if m["date"] != expected.split("/")[1] or not hmac.compare_digest(expected, m.group(0)):
            return "AuthFailure.SignatureFailure", "签名错误"
        return None

    @staticmethod
    def _text(flow: dict[str, Any]) -> dict[str, Any]:
        scenario = flow["scenario"]
        codes = {"pass": (0, "成功", "95.12"), "2015": (2015, "比对失败", "40.10"), "2016": (2016, "比对相似度未达到通过标准", "55.20"),
                 "1002": (1002, "疑似非真人录制", None), "15": (15, "token已过期", None)}
        code, msg, sim = codes.get(scenario, codes["pass"])
        return {
            "ErrCode": code, "ErrMsg": msg, "IdCard": flow.get("IdCard"),
            "Name": "李四" if scenario == "other_person" else flow.get("Name"),
            "Sim": sim, "Extra": "app=0;n=forged" if scenario == "wrong_extra" else flow.get("Extra"),
            "LiveStatus": 0 if code != 1002 else 1002, "Comparestatus": code if code >= 2000 else 0,
        }


class _WeChat(BaseHTTPRequestHandler):
    state: FakeState

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _jscode2session(self, query: dict[str, list[str]]) -> dict[str, Any]:
        if query.get("appid") != ["wxappid"] or query.get("secret") != ["wxsecret"]:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("grant_type") != ["authorization_code"]:
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if self.state.jscode_limited:
            return {"errcode": 45011, "errmsg": "api minute-quota reach limit mustslower retry next minute"}
        code = (query.get("js_code") or [""])[0]
        if code in self.state.used_codes:
            return {"errcode": 40163, "errmsg": "code been used"}
        issued = self.state.codes.get(code)
        if issued is None or time.monotonic() - issued[2] > self.state.code_ttl:
            return {"errcode": 40029, "errmsg": "invalid code"}
        self.state.used_codes.add(code)
        answer = {"openid": issued[0], "session_key": secrets.token_urlsafe(16)}
        if issued[1]:
            answer["unionid"] = issued[1]
        return answer

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        self.state.calls.append(url.path)
        if url.path == "/sns/jscode2session":
            return self._send(self._jscode2session(query))
        if url.path == "/cgi-bin/token" and query.get("appid") == ["wxappid"] and query.get("secret") == ["wxsecret"]:
            return self._send({"access_token": WECHAT_TOKEN, "expires_in": 7200})
        return self._send({"errcode": 40013, "errmsg": "invalid appid"})

    def do_POST(self) -> None:  # noqa: N802
        from jianli.identity.providers.wechat import cert_hash

        url = urlsplit(self.path)
        self.state.calls.append(url.path)
        if self.state.slow_seconds:
            time.sleep(self.state.slow_seconds)
        if parse_qs(url.query).get("access_token") != [WECHAT_TOKEN]:
            return self._send({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"})
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        if url.path == "/cgi-bin/message/subscribe/send":
            if not data.get("touser") or not data.get("template_id") or not isinstance(data.get("data"), dict):
                return self._send({"errcode": 47003, "errmsg": "argument invalid!"})
            if data["touser"] in self.state.refusing:
                return self._send({"errcode": 43101, "errmsg": "user refuse to accept the msg"})
            self.state.sent.append(data)
            return self._send({"errcode": 0, "errmsg": "ok"})
        if url.path == "/cityservice/face/identify/getverifyid":
            seq = data.get("out_seq_no", "")
            if not data.get("openid"):
                return self._send({"errcode": 40003, "errmsg": "invalid openid"})
            if not re.fullmatch(r"[0-9A-Za-z_-]{5,32}", seq):
                return self._send({"errcode": 40097, "errmsg": "invalid args"})
            verify_id = secrets.token_urlsafe(32)
            self.state.tokens[verify_id] = {**data, "scenario": self.state.scenario}
            return self._send({"errcode": 0, "errmsg": "ok", "verify_id": verify_id, "expires_in": 3600})
        if url.path == "/cityservice/face/identify/queryverifyinfo":
            flow = self.state.tokens.get(data.get("verify_id", ""))
            if flow is None or flow["out_seq_no"] != data.get("out_seq_no"):
                return self._send({"errcode": 40097, "errmsg": "invalid verify_id"})
            if data.get("openid") != flow.get("openid"):
                # The verify_id belongs to the WeChat user who ran the check: another openid gets no result.
                return self._send({"errcode": 40003, "errmsg": "invalid openid"})
            cert = flow["cert_info"]
            if data.get("cert_hash") != cert_hash(cert["cert_type"], cert["cert_name"], cert["cert_no"]):
                return self._send({"errcode": 40097, "errmsg": "cert_hash mismatch"})
            ret = {"pass": 10000, "cancel": 90003, "timeout": 90017, "other": 90100}[flow["scenario"]]
            return self._send({"errcode": 0, "errmsg": "ok", "verify_ret": ret})
        return self._send({"errcode": 404, "errmsg": "no such api"})


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[tuple[str, FakeState]]:
    state = FakeState()
    bound = type(handler.__name__, (handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", state
    finally:
        server.shutdown()
        server.server_close()


def tencent() -> Any:
    return serve(_Tencent)


def wechat() -> Any:
    return serve(_WeChat)
