"""The production topology on this machine (deploy/topology.sh), driven over HTTPS through nginx as people would:
the applicant on the API, the employer and the reviewer in their consoles with sessions that both app servers
honour, rate limits by the real client address, a claim made on one server holding on the other; then the journey
with one app server stopped; then deploy/faults.py with small numbers.

The service runs in production mode (JIANLI_PRODUCTION=1, debug and demo off): SMS codes are read from what the
Tencent Cloud SMS stand-in received, as from the phone, and faces are checked through the FaceID stand-in.

PostgreSQL pass only (the topology brings its own PostgreSQL 15, Redis, nginx and moto's S3 server). It runs the
topology named by TOPOLOGY_DIR, TOPOLOGY_PORT, TOPOLOGY_PG_PORT and TOPOLOGY_REDIS_PORT (destroyed first and after),
or by default its own under var/topology-test on 8530, 5442 and 6391, away from `make topology`'s.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from django.db import connection
from django_otp.oath import totp

from jianli import testing

ROOT = Path(__file__).resolve().parent.parent.parent
RUN = Path(os.environ.get("TOPOLOGY_DIR") or ROOT / "var" / "topology-test")
PORT = int(os.environ.get("TOPOLOGY_PORT") or 8530)
PG_PORT = int(os.environ.get("TOPOLOGY_PG_PORT") or 5442)
REDIS_PORT = int(os.environ.get("TOPOLOGY_REDIS_PORT") or 6391)
SMS = f"http://127.0.0.1:{PORT + 21}"
BASE = f"https://127.0.0.1:{PORT}"
APP1, APP2 = f"http://127.0.0.1:{PORT + 10}", f"http://127.0.0.1:{PORT + 11}"
CERT = str(RUN / "tls" / "cert.pem")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the topology runs once, in the PostgreSQL pass"),
    pytest.mark.skipif(
        not (shutil.which("nginx") and shutil.which("redis-server") and Path("/usr/lib/postgresql/15/bin/initdb").exists()),
        reason="needs Debian's nginx, redis-server and PostgreSQL 15 (make nginx)",
    ),
]

ENV = {**os.environ, "TOPOLOGY_DIR": str(RUN), "TOPOLOGY_PORT": str(PORT), "TOPOLOGY_PG_PORT": str(PG_PORT),
       "TOPOLOGY_REDIS_PORT": str(REDIS_PORT), "PY": sys.executable}


def topology(*args: str) -> None:
    subprocess.run([str(ROOT / "deploy" / "topology.sh"), *args], check=True, env=ENV, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, Any]]:
    topology("destroy")
    try:
        topology("up")
        env = {**ENV, **dict(line.split("=", 1) for line in (RUN / "env").read_text().splitlines() if "=" in line)}
        out = subprocess.run(
            [sys.executable, "-m", "jianli", "shell", "-c", "import runpy; runpy.run_path('tests/topology/seed.py')"],
            cwd=ROOT, env={**env, "TOPOLOGY_SEED_RUN": "1", "TOPOLOGY_SEED_APPLICANTS": "0"},
            check=True, capture_output=True, text=True, timeout=120,
        ).stdout
        import json

        yield json.loads(next(x for x in out.splitlines() if x.startswith("SEED "))[5:])
    finally:
        topology("destroy")


class Api:
    """The applicant's phone, or an integration: JSON over HTTPS, operations found by id in /api/openapi.json."""

    def __init__(self, base: str = BASE) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.verify = CERT
        schema = self.http.get(f"{base}/api/openapi.json", timeout=10, verify=CERT).json()
        self.ops = {op["operationId"]: (m.upper(), p) for p, ops in schema["paths"].items() for m, op in ops.items()}

    def __call__(self, op: str, body: Any = None, *, token: str = "", key: str = "", base: str = "",
                 files: Any = None, headers: dict[str, str] | None = None, **params: Any) -> requests.Response:
        method, path = self.ops[op]
        for k, v in params.items():
            path = path.replace("{" + k + "}", str(v))
        h = dict(headers or {})
        if base:  # straight to an app server: say what nginx says about the client's connection
            h.setdefault("X-Forwarded-Proto", "https")
        if token:
            h["Authorization"] = f"Bearer {token}"
        if key:
            h["X-API-Key"] = key
        r = self.http.request(method, (base or self.base) + path, json=body if files is None else None, files=files,
                              headers=h, timeout=20, verify=CERT)
        assert r.status_code < 500, (op, r.status_code, r.text[:500])
        return r


class Console:
    """A staff member's browser: a session cookie, CSRF tokens from the forms, the Referer a browser sends."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.http.verify = CERT

    def get(self, path: str) -> str:
        r = self.http.get(BASE + path, timeout=20, verify=CERT)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        return r.text

    def post(self, path: str, form: dict[str, str], page: str) -> requests.Response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(page)).group(1)  # type: ignore[union-attr]
        return self.http.post(BASE + path, data={"csrfmiddlewaretoken": token, **form},
                              headers={"Referer": BASE + page}, timeout=20, allow_redirects=True, verify=CERT)


def code(key: str) -> str:
    return f"{totp(bytes.fromhex(key)):06d}"


def sms_code(mobile: str, since: int) -> str:
    """The code in the newest SMS with a code the gateway took for this number after the first `since` it had taken
    (the task worker may deliver a notice of an earlier step to the same number in between)."""
    sent = requests.get(f"{SMS}/sent", timeout=5).json()[since:]
    codes = [re.search(r"验证码为(\d{6})", m["TemplateParamSet"][0]) for m in sent
             if m["PhoneNumberSet"] == [f"+86{mobile}"]]
    found = [c.group(1) for c in codes if c]
    assert found, sent
    return found[-1]


def sign_in_applicant(api: Api, number: str) -> str:
    profile = api("profile_create", {"nickname": "周工"}).json()["profile_token"]
    assert api("applicant_check", {"name": "周杰", "id_number": number}, token=profile).json()["found"] is False
    before = len(requests.get(f"{SMS}/sent", timeout=5).json())
    r = api("sms_code_send", {"mobile": "13700001111"}, token=profile)
    assert r.status_code == 202 and r.json()["demo_code"] is None, r.text  # production: the code goes to the phone only
    r = api("applicant_register", {"name": "周杰", "id_number": number, "mobile": "13700001111",
                                   "sms_code": sms_code("13700001111", before),
                                   "id_photo": base64.b64encode(testing.grace_hopper()).decode()}, token=profile)
    assert r.status_code == 201, r.text
    pending = r.json()["pending_token"]
    started = api("face_start", {"consent": True}, token=pending).json()
    assert started["provider"] == "tencent" and started["client"]["biz_token"], started
    r = api("face_finish", {}, token=pending, verification_id=started["id"])
    assert r.json()["status"] == "passed", r.text
    return str(r.json()["tokens"]["access_token"])


def apply(api: Api, access: str, uscc: str, certificate: str) -> dict[str, Any]:
    assert api("draft_create", token=access, business_type="initial").status_code == 200
    data = {"qualification_number": certificate, "qualification_date": "2024-10-20",
            "exam_category": "土木建筑工程", "specialties": ["房屋建筑工程"], "employer": uscc, "school": "同济大学",
            "major": "土木工程", "degree": "本科", "graduation_date": "2008-07-01", "title": "工程师",
            "work_history": [{"start": "2008-07-01", "end": "", "employer": "某建设公司", "position": "监理员"}],
            "projects": [{"name": "某住宅小区", "role": "专业监理工程师", "year": "2019"}]}
    r = api("draft_update", {"step": 2, "data": data}, token=access, business_type="initial")
    assert r.json()["errors"] == {}, r.json()["errors"]
    for slot in r.json()["missing_attachments"]:
        r2 = api("draft_attachment_upload", token=access, files={"file": (f"{slot}.pdf", PDF, "application/pdf")},
                 business_type="initial", slot=slot)
        assert r2.status_code == 201, r2.text
    r = api("draft_submit", token=access, business_type="initial", headers={"Idempotency-Key": f"topo-{access[-8:]}"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def staff_console(stack: dict[str, Any], who: str) -> Console:
    """The employer's or the reviewer's browser, signed in once (a TOTP code is good for one sign-in) and kept."""
    if who in stack:
        return stack[who]  # type: ignore[no-any-return]
    console = Console()
    if who == "office":
        form = {"uscc": stack["employer_uscc"], "username": stack["staff"]["username"], "password": stack["password"],
                "token": code(stack["staff"]["totp_key"])}
    else:
        form = {"username": stack["reviewer"]["username"], "password": stack["password"],
                "token": code(stack["reviewer"]["totp_key"])}
    r = console.post(f"/{who}/login/", form, f"/{who}/login/")
    assert r.url.rstrip("/").endswith(f"/{who}"), (r.url, r.text[:500])
    stack[who] = console
    return console


def walk(stack: dict[str, Any], number_of_id: str, *, between: Any = None) -> None:
    api = Api()
    access = sign_in_applicant(api, number_of_id)
    app = apply(api, access, stack["employer_uscc"], stack["certificate_of"][number_of_id])
    if between:
        between()
    office = staff_console(stack, "office")
    # The session holds on every request, whichever app server nginx picks.
    for _ in range(4):
        assert app["number"] in office.get("/office/")
    page = office.post(f"/office/applications/{app['number']}/report/", {}, f"/office/applications/{app['number']}/")
    assert "已确认上报" in page.text, page.text[:800]

    reviewer = staff_console(stack, "review")
    assert app["number"] in reviewer.get("/review/")
    page = reviewer.post(f"/review/applications/{app['number']}/claim/", {}, f"/review/applications/{app['number']}/")
    assert "审查中" in page.text
    detail = f"/review/applications/{app['number']}/"
    page = reviewer.post(f"{detail}approve/", {"comment": "符合条件"}, detail)
    assert "已准予注册" in page.text, page.text[:800]
    r = api("application_read", token=access, application_id=app["id"])
    assert [s["node_label"] for s in r.json()["timeline"]] == ["已完成", "已完成", "已完成", "已完成"]


def test_the_journey_through_nginx(stack) -> None:  # type: ignore[no-untyped-def]
    api = Api()
    walk(stack, stack["journey_id_number"])

    # A claim made through one app server holds on the other.
    access = sign_in_applicant(api, stack["spare_id_numbers"][0])
    app = apply(api, access, stack["employer_uscc"], stack["certificate_of"][stack["spare_id_numbers"][0]])
    api("employer_report", key=stack["employer_key"], application_id=app["id"], base=APP1)
    reviewer = staff_console(stack, "review")
    reviewer.post(f"/review/applications/{app['number']}/claim/", {}, f"/review/applications/{app['number']}/")
    for server in (APP1, APP2):
        r = api("review_claim", key=stack["reviewer_key"], application_id=app["id"], base=server)
        assert r.status_code == 409, (server, r.status_code, r.text)

    # Attachments and photos sit encrypted in the object store, not on an app server's disk.
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{PORT + 20}", region_name="us-east-1",
                      aws_access_key_id="topology", aws_secret_access_key="topology-secret")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="jianli").get("Contents", [])]
    assert any(k.startswith("attachments/") for k in keys) and any(k.startswith("photos/") for k in keys)
    assert all(b"%PDF" not in s3.get_object(Bucket="jianli", Key=k)["Body"].read() for k in keys[:5])


def test_the_journey_goes_on_when_an_app_server_stops(stack) -> None:  # type: ignore[no-untyped-def]
    try:
        walk(stack, stack["spare_id_numbers"][1], between=lambda: topology("stop", "app1"))
        with pytest.raises(requests.ConnectionError):
            requests.get(APP1, timeout=2)
    finally:
        topology("start", "app1")


def test_rate_limits_count_the_real_client_address_on_both_servers(stack) -> None:  # type: ignore[no-untyped-def]
    """JIANLI_RATE_CHECK_PER_ADDRESS=5 a minute in the topology; the counter lives in Redis, shared by both servers."""
    api = Api()
    profile = api("profile_create", {"nickname": "试"}).json()["profile_token"]
    answers = [
        api("applicant_check", {"name": "周杰", "id_number": testing.id_number(dt.date(1991, 1, 1), i)},
            token=profile, headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
        for i in range(6)
    ]
    assert 429 in answers, answers


def test_faults(stack) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    r = subprocess.run([sys.executable, "deploy/faults.py", "--run", str(RUN), "--seconds", "3", "--rate", "3"],
                       cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=400)
    print(r.stdout, r.stderr[-3000:], f"faults took {time.monotonic() - started:.0f} s")
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert r.stdout.count("lost 0, duplicated 0") == 4
