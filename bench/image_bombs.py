#!/usr/bin/env python
"""Picture bombs against a production-mode server: refused at the header, memory flat, pages still answer.

    .venv/bin/python bench/image_bombs.py [--port 8150] [--concurrent 10]

Starts `jianli serve --production` (gunicorn, 3 workers, debug off, the local face provider) on a throw-away
var directory (SQLite there unless DATABASE_URL is set; the cache is REDIS_URL when set). It then sends, all at
once, N complete 13000×13000 PNG avatars (half through the first-use page, half through the API: 507 MB each
once decoded) and N complete 20000×20000 PNG face frames (half through the face page, half through the API:
1.2 GB each once decoded by OpenCV), while a normal page is fetched every 100 ms. Printed: how many were
refused with the pixel message, each worker's RSS before and its peak (VmHWM) after, and the normal page's
latency. Targets: every one refused, peak RSS < 400 MB per worker, the normal page < 1 s.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MESSAGE = "图片像素过多"


def server_env(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JIANLI_VAR_DIR=var_dir,
        JIANLI_DEBUG="0",
        JIANLI_DEMO="0",
        JIANLI_SECRET_KEY=secrets.token_urlsafe(50),
        JIANLI_PII_KEY="k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        JIANLI_PII_LOOKUP_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        JIANLI_FACE_PROVIDER="local",
        JIANLI_FACE_LIVENESS="0",
        JIANLI_SSL_REDIRECT="0",
        JIANLI_ALLOWED_HOSTS="127.0.0.1",
        # The bench comes from one address: the per-address limits would otherwise answer before the check.
        JIANLI_RATE_API_PROFILE_PER_ADDRESS="1000",
        JIANLI_RATE_CHECK_PER_ADDRESS="1000",
        DJANGO_SETTINGS_MODULE="jianli.settings",
        PYTHONPATH=str(ROOT),
    )
    if not env.get("REDIS_URL"):
        env["JIANLI_CACHE"] = "database"
    # Debug off refuses the console provider (jianli/production.py); the bench never sends an SMS.
    env.setdefault("JIANLI_SMS_PROVIDER", "tencent")
    return env


def prepare(env: dict[str, str], people: int) -> list[tuple[str, str]]:
    """Migrate and register `people` applicants (their 证件照 a real portrait); returns (name, ID number)."""
    subprocess.run([PY, "-m", "jianli", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([PY, "-m", "jianli", "createcachetable"], env=env, cwd=ROOT, check=True)
    script = f"""
import django, datetime as dt
django.setup()
from jianli import testing
from jianli.testing import cast
for i in range({people}):
    a = cast.applicant(name="测试" + "甲乙丙丁戊己庚辛壬癸"[i % 10], sequence=100 + i, photo=testing.astronaut())
    print(a.name, a.id_number)
"""
    out = subprocess.run([PY, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [tuple(line.split()) for line in out.splitlines() if line.strip()]  # type: ignore[misc]


class Browser:
    """A phone browser over plain HTTP: the production cookies are Secure, so they are sent by hand."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, {}  # type: ignore[var-annotated]

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        headers = kw.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        r = requests.request(method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kw)
        self.cookies.update(r.cookies.get_dict())
        return r

    def token(self, path: str) -> str:
        page = self.request("GET", path).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

    def post(self, path: str, data: dict[str, str], files: dict[str, Any] | None = None) -> requests.Response:
        data = {"csrfmiddlewaretoken": self.token(path), **data}
        return self.request("POST", path, data=data, files=files)


def api(base: str, path: str, body: dict[str, Any], token: str | None = None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(f"{base}/api/v1/{path}", json=body, headers=headers, timeout=60)


def workers_of(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                children.append(int(entry.name))
    return sorted(children)


def memory_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--concurrent", type=int, default=10)
    args = parser.parse_args()
    n = args.concurrent
    base = f"http://127.0.0.1:{args.port}"

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")
    from jianli.testing import png_bomb  # plain zlib: needs no settings

    started = time.perf_counter()
    avatar_bomb, frame_bomb = png_bomb(13000, 13000), png_bomb(20000, 20000)
    print(f"bombs: avatar 13000x13000 PNG {len(avatar_bomb) / 1024:.0f} KB, frame 20000x20000 PNG "
          f"{len(frame_bomb) / 1024:.0f} KB (made in {time.perf_counter() - started:.1f} s)")

    with tempfile.TemporaryDirectory() as var_dir:
        env = server_env(var_dir)
        people = prepare(env, n)
        server = subprocess.Popen(
            [PY, "-m", "jianli", "serve", "--production", "--no-worker", "--workers", "3",
             "--addr", f"127.0.0.1:{args.port}"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        try:
            run(base, server, people, avatar_bomb, frame_bomb, n)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def run(base: str, server: subprocess.Popen, people: list[tuple[str, str]],  # type: ignore[type-arg]
        avatar_bomb: bytes, frame_bomb: bytes, n: int) -> None:
    for _ in range(300):
        try:
            if requests.get(f"{base}/welcome/", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if server.poll() is not None:
            sys.exit(f"the server did not start:\n{server.stderr.read().decode()[-3000:]}")  # type: ignore[union-attr]
        time.sleep(0.2)
    workers = workers_of(server.pid)
    for _ in range(6):  # every worker has served a page before the baseline is read
        requests.get(f"{base}/welcome/", timeout=5)
    before = {pid: memory_mb(pid, "VmRSS") for pid in workers}

    # Everything up to the picture is done first, so that the bombs arrive together.
    shots: list[tuple[str, Any]] = []
    for i in range(n):
        if i % 2 == 0:
            browser = Browser(base)
            token = browser.token("/welcome/")
            shots.append(("avatar (page)", lambda b=browser, t=token: b.request(
                "POST", "/welcome/", data={"csrfmiddlewaretoken": t, "nickname": "小李"},
                files={"avatar": ("a.png", avatar_bomb, "image/png")})))
        else:
            body = {"nickname": "小王", "avatar": base64.b64encode(avatar_bomb).decode()}
            shots.append(("avatar (API)", lambda body=body: api(base, "profile", body)))
    frame_b64 = base64.b64encode(frame_bomb).decode()
    for i, (name, id_number) in enumerate(people):
        if i % 2 == 0:
            browser = Browser(base)
            browser.post("/welcome/", {"nickname": "小张"})
            assert browser.post("/check/", {"name": name, "id_number": id_number}).status_code == 302
            consent = browser.post("/face/", {"step": "consent", "consent": "on"})
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', consent.text).group(1)  # type: ignore[union-attr]
            shots.append(("face frame (page)", lambda b=browser, t=token: b.request(
                "POST", "/face/", data={"csrfmiddlewaretoken": t, "step": "finish"},
                files={"frame_0": ("f.png", frame_bomb, "image/png")})))
        else:
            profile = api(base, "profile", {"nickname": "小赵"}).json()["profile_token"]
            pending = api(base, "applicants/check", {"name": name, "id_number": id_number}, profile).json()["pending_token"]
            vid = api(base, "face-verifications", {"consent": True}, pending).json()["id"]
            body = {"images": {"frame_0": frame_b64}}
            shots.append(("face frame (API)", lambda v=vid, p=pending, body=body: api(
                base, f"face-verifications/{v}/finish", body, p)))

    latencies: list[float] = []
    stop = threading.Event()

    def normal_page() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            ok = requests.get(f"{base}/welcome/", timeout=30).status_code == 200
            latencies.append((time.perf_counter() - t) * 1000 if ok else float("inf"))
            time.sleep(0.1)

    watcher = threading.Thread(target=normal_page)
    watcher.start()
    time.sleep(0.3)
    started = time.perf_counter()
    with ThreadPoolExecutor(len(shots)) as pool:
        results = list(pool.map(lambda shot: (shot[0], shot[1]()), shots))
    elapsed = time.perf_counter() - started
    time.sleep(0.5)
    stop.set()
    watcher.join()

    refused, message = 0, ""
    for kind, r in results:
        text = json.dumps(r.json(), ensure_ascii=False) if "json" in r.headers.get("Content-Type", "") else r.text
        ok = r.status_code == 422 and MESSAGE in text
        refused += ok
        if not ok:
            print(f"  NOT REFUSED: {kind}: {r.status_code} {text[:300]!r}")
        message = message or next(iter(re.findall(r"图片像素过多[^<\"]*", text)), "")
    peak = {pid: memory_mb(pid, "VmHWM") for pid in workers}
    print(f"{refused}/{len(results)} refused (422 「{message}」) in {elapsed:.2f} s, "
          f"{n} avatars + {len(people)} face frames at once")
    for pid in workers:
        print(f"  worker {pid}: RSS {before[pid]:.0f} MB before, peak {peak[pid]:.0f} MB")
    print(f"normal page (GET /welcome/) meanwhile: {len(latencies)} requests, median "
          f"{statistics.median(latencies):.0f} ms, max {max(latencies):.0f} ms")
    good = refused == len(results) and max(peak.values()) < 400 and max(latencies) < 1000
    print("PASS" if good else "FAIL: targets are every bomb refused, peak RSS < 400 MB, normal page < 1 s")
    if not good:
        sys.exit(1)


if __name__ == "__main__":
    main()
