"""`make bench`: the pages that matter at national scale, measured under the production server against a bare
WSGI app (bench/bare.py) running the same SELECTs under the same gunicorn.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianli_bench .venv/bin/python bench/run.py

For each size in BENCH_ROWS (default 10000; BENCH_FULL=1 adds 1000000, in BENCH_DATABASE_URL + "_big"):
recreate the database, migrate, `jianli seed --applications N`, sign in the actors (an applicant, a reviewer,
an employer's 经办人) and capture each page's SQL through Django's test client, start `jianli web` and the bare
app, run wrk (BENCH_CONNECTIONS connections, BENCH_SECONDS each) on each page for both, interleaved, three
rounds; then submissions (full initial applications through the API at 8 clients) and face checks (the local
model, one client). Writes bench/results/N.json and bench/results/N.md (req/s, p50, p99, ratio to bare: the
median of the rounds).
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import pyspy  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PY = os.environ.get("PY", sys.executable)
APP_PORT, BARE_PORT = int(os.environ.get("BENCH_PORT", "9101")), int(os.environ.get("BENCH_PORT", "9101")) + 1
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = os.cpu_count() or 1
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
PARTS = ("pages", "submit", "face", "memory")
ONLY = [p for p in os.environ.get("BENCH_ONLY", ",".join(PARTS)).split(",") if p in PARTS]


def environment(database_url: str) -> dict[str, str]:
    """A production configuration on plain HTTP (no proxy in front), keys of its own, the local face model."""
    var = ROOT / "bench" / "var"
    var.mkdir(parents=True, exist_ok=True)
    keys = var / "keys.json"
    if not keys.exists():
        keys.write_text(json.dumps({
            "secret": secrets.token_urlsafe(50),
            "pii": "b1:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "lookup": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        }))
    k = json.loads(keys.read_text())
    env = {**os.environ}
    env.update({
        "DATABASE_URL": database_url, "JIANLI_DEBUG": "0", "JIANLI_SECRET_KEY": k["secret"],
        "JIANLI_PII_KEY": k["pii"], "JIANLI_PII_LOOKUP_KEY": k["lookup"], "JIANLI_VAR_DIR": str(var),
        "JIANLI_SSL_REDIRECT": "0", "JIANLI_HSTS_SECONDS": "0", "JIANLI_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "JIANLI_FACE_PROVIDER": "local", "JIANLI_FACE_LIVENESS": "0", "JIANLI_DB_CONN_MAX_AGE": "600",
        "JIANLI_WEB_WORKERS": str(WORKERS), "JIANLI_DEMO": "0",
        # The cache (rate limits) in Redis as in production; BENCH_REDIS_URL="" uses the database instead.
        **({"REDIS_URL": REDIS} if REDIS else {"JIANLI_CACHE": "database"}),
        # Messages queue in the database (no task worker runs during the bench): nothing is sent.
        "JIANLI_SMS_PROVIDER": "tencent", "JIANLI_SMS_SECRET_ID": "bench", "JIANLI_SMS_SECRET_KEY": "bench",
        "JIANLI_RATE_API_PROFILE_PER_ADDRESS": "1000000", "JIANLI_RATE_CHECK_PER_ADDRESS": "1000000",
        "JIANLI_RATE_SMS_PER_ADDRESS": "1000000", "JIANLI_RATE_SMS_PER_NUMBER": "1000000",
        "JIANLI_RATE_API_KEY_PER_MINUTE": "1000000", "JIANLI_RATE_FACE_START_PER_ADDRESS": "1000000",
        "JIANLI_RATE_FACE_FINISH_PER_ADDRESS": "1000000", "PYTHONPATH": str(ROOT),
    })
    return env


def sh(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


# ------------------------------------------------------------------ prepare (runs inside Django)


def prepare(rows: int, out: Path) -> None:
    """Actors and their credentials, the URLs to measure, and each URL's SQL as Jianli runs it."""
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jianli import testing
    from jianli.accounts.models import Applicant, Profile
    from jianli.accounts.staff import staff_password_keep
    from jianli.api import credentials
    from jianli.registrations.models import Application, BusinessType, State
    from jianli.testing import cast
    from jianli.testing.cast import code, device_for, ops_client

    # The applicant with the most applications: the progress page's earlier applications are not empty.
    app = (
        Application.objects.exclude(state=State.DRAFT).exclude(number=None)
        .filter(applicant_id=Application.objects.filter(business_type=BusinessType.INITIAL)
                .exclude(state=State.DRAFT).values("applicant_id").order_by("-id")[:1])
        .order_by("-id").first()
    )
    person = Applicant.objects.get(pk=app.applicant_id)
    profile = getattr(person, "profile", None) or Profile.objects.create(nickname="工", applicant=person)
    web = Client()
    cast.sign_in(web, person)
    web.get(f"/progress/{app.pk}/")
    access = credentials.token_pair_issue(applicant=person, profile=profile).access_token

    reviewer = cast.reviewer(f"bench{secrets.token_hex(3)}")
    reviewer.groups.add(Group.objects.get_or_create(name="审查")[0])
    staff_password_keep(user=reviewer)
    review = Client()
    r = review.post("/review/login/", {"username": reviewer.username, "password": cast.PASSWORD,
                                       "token": code(device_for(reviewer))})
    assert r.status_code == 302, r.content[:500]

    employer = Application.objects.exclude(employer=None).order_by("-id").first().employer
    staff = cast.staff(employer, f"bench{secrets.token_hex(3)}")
    staff_password_keep(user=staff.user)
    office = Client()
    uscc, username = staff.user.username.split("/", 1)
    r = office.post("/office/login/", {"uscc": uscc, "username": username, "password": cast.PASSWORD,
                                       "token": code(device_for(staff.user))})
    assert r.status_code == 302, r.content[:500]

    # The ministry's review system (API key) and the operators' admin (a superuser with OTP).
    review_key = credentials.api_key_create(name="审查系统", scopes=["ministry:review"], user=reviewer)[0]
    operator = cast.reviewer(f"ops{secrets.token_hex(3)}")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    admin = ops_client(operator)
    api_page = "/api/v1/review/applications?state=awaiting_review&limit=50"
    api_deep = Client().get(api_page, HTTP_X_API_KEY=review_key).json().get("next_cursor") or ""
    for _ in range(20):  # twenty pages in
        following = Client().get(f"{api_page}&cursor={api_deep}", HTTP_X_API_KEY=review_key).json()
        if not following.get("next_cursor"):
            break
        api_deep = following["next_cursor"]

    queue = Application.objects.filter(state__in=[State.AWAITING_REVIEW, State.IN_REVIEW]).exclude(submitted_at=None)
    deep = queue.order_by("submitted_at", "id")[max(queue.count() * 4 // 5, 0):][:1].first()
    after = urllib.parse.quote(f"{deep.submitted_at.isoformat()}_{deep.pk}") if deep else ""
    pages = [
        ("进度页 /progress/<id>/", f"/progress/{app.pk}/", web),
        ("API 申请详情", f"/api/v1/applications/{app.pk}", None),
        ("审查队列 第一页", "/review/", review),
        ("审查队列 深页", f"/review/?after={after}", review),
        ("审查队列 待审查", "/review/?state=awaiting_review", review),
        ("审查队列 审查中", "/review/?state=in_review", review),
        ("审查队列 延续注册", "/review/?type=renewal", review),
        ("审查队列 即将到期", "/review/?due=soon", review),
        ("审查队列 按企业", f"/review/?employer={employer.uscc}", review),
        ("企业经办 办件列表", "/office/", office),
        ("审查接口 办件队列", api_page, "api-key"),
        ("审查接口 深页", f"{api_page}&cursor={urllib.parse.quote(api_deep)}", "api-key"),
        ("运维后台 申请列表", "/ops/admin/registrations/application/", admin),
        ("运维后台 申请列表 深页", "/ops/admin/registrations/application/?p=50", admin),
        ("运维后台 审计日志", "/ops/admin/audit/auditevent/", admin),
    ]
    targets = []
    for name, path, client in pages:
        headers = {}
        if client is None:
            headers["Authorization"] = f"Bearer {access}"
            client = Client(HTTP_AUTHORIZATION=headers["Authorization"])
        elif client == "api-key":
            headers["X-API-Key"] = review_key
            client = Client(HTTP_X_API_KEY=review_key)
        else:
            headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
        client.get(path)
        with CaptureQueriesContext(connection) as q:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        sql = [x["sql"] for x in q.captured_queries if x["sql"].lstrip().upper().startswith("SELECT")]
        targets.append({"name": name, "path": path, "headers": headers, "sql": sql, "queries": len(q.captured_queries)})

    # Submissions: applicants in the roster, each signed in, with an employer to name.
    run_tag = secrets.randbelow(800) + 100  # people of this run: a rerun on the same database (BENCH_REUSE=1)
    qualifications = []
    for i in range(int(os.environ.get("BENCH_SUBMISSIONS", "120"))):
        a = cast.applicant(name="李测试", born=dt.date(1980, 1, 1) + dt.timedelta(days=i), sequence=run_tag,
                           mobile=f"139{i:08d}")
        number = f"JLB{run_tag:03d}{i:09d}"
        cast.qualification(a, certificate_number=number)
        tokens = credentials.token_pair_issue(applicant=a, profile=a.profile)
        qualifications.append({"token": tokens.access_token, "number": number})
    # Face checks: applicants with a 证件照 between the registered-user check and face verification. Every other
    # one has no stored embedding (as a photo set before embeddings were): its check computes the photo's again,
    # which is what every check did before; the two kinds alternate, under the same load.
    faces = []
    for i in range(int(os.environ.get("BENCH_FACES", "40"))):
        a = cast.applicant(name="赵测试", born=dt.date(1970, 1, 1) + dt.timedelta(days=i), sequence=run_tag,
                           mobile=f"138{i:08d}", photo=testing.grace_hopper())
        if i % 2:
            Applicant.objects.filter(pk=a.pk).update(id_photo_embedding="")
        faces.append({"token": credentials.pending_token_issue(applicant=a, profile=a.profile)[0],
                      "stored": not i % 2})
    out.write_text(json.dumps({
        "targets": targets, "submissions": qualifications, "faces": faces, "employer": employer.uscc,
        "applications": Application.objects.count(),
    }, ensure_ascii=False))


# ------------------------------------------------------------------ servers and load


class Server:
    def __init__(self, args: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.log = log.open("w")
        self.proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"server on {port} did not start; see {log}")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()


def wrk(port: int, target: dict[str, Any]) -> dict[str, float]:
    args = ["wrk", f"-t{min(2, CONNECTIONS)}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    for k, v in target["headers"].items():
        args += ["-H", f"{k}: {v}"]
    text = subprocess.run([*args, f"http://127.0.0.1:{port}{target['path']}"], capture_output=True, text=True,
                          check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", text).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", text).group(1)),  # type: ignore[union-attr]
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def call(port: int, method: str, path: str, token: str, body: Any = None, headers: dict[str, str] | None = None,
         files: dict[str, tuple[str, bytes, str]] | None = None) -> tuple[int, Any]:
    head = {"Authorization": f"Bearer {token}", **(headers or {})}
    data = None
    if files:
        boundary = secrets.token_hex(12)
        parts = []
        for field, (filename, content, ctype) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                         f"Content-Type: {ctype}\r\n\r\n".encode() + content + b"\r\n")
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        head["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        data = json.dumps(body).encode()
        head["Content-Type"] = "application/json"
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=head, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read()[:300]


def pdf(size: int = 100 * 1024) -> bytes:
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    return head + b"%" + os.urandom(size // 2).hex().encode()[: size - len(head) - 20] + b"\n%%EOF\n"


def submissions(port: int, people: list[dict[str, str]], employer: str, clients: int = 8) -> dict[str, float]:
    """Full initial applications through the API: draft, data, three 100 KB attachments, submit."""
    form = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/forms/initial").read())
    slots = [s["name"] for s in form["slots"] if s["required"]][:3]
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    queue = list(people)
    document = pdf()

    def one(person: dict[str, str]) -> None:
        t = person["token"]
        start = time.perf_counter()
        steps = [
            call(port, "POST", "/api/v1/drafts/initial", t, {}),
            call(port, "PATCH", "/api/v1/drafts/initial", t, {"step": 2, "data": {
                "qualification_number": person["number"], "qualification_date": "2024-10-20",
                "specialties": ["房屋建筑工程"], "employer": employer, "school": "同济大学", "major": "土木工程",
                "degree": "本科", "graduation_date": "2008-07-01", "title": "工程师",
                "work_history": [{"start": "2008-07-01", "end": "", "employer": "某建设公司", "position": "监理员"}],
                "projects": [{"name": "某住宅小区", "role": "专业监理工程师", "year": "2019"}]}}),
            *[call(port, "POST", f"/api/v1/drafts/initial/attachments/{slot}", t,
                   files={"file": (f"{slot}.pdf", document, "application/pdf")}) for slot in slots],
            call(port, "POST", "/api/v1/drafts/initial/submit", t, {}, {"Idempotency-Key": secrets.token_hex(16)}),
        ]
        elapsed = time.perf_counter() - start
        with lock:
            bad = [f"{s}:{b!r}"[:200] for s, b in steps if s >= 400]
            if bad:
                failures.append(bad[0])
            else:
                times.append(elapsed)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                person = queue.pop()
            one(person)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - began
    return {"per_second": len(times) / wall, "p50": _pct(times, 50), "p99": _pct(times, 99), "ok": len(times),
            "failed": len(failures), "first_failure": failures[0] if failures else ""}


def face_checks(port: int, pending: list[dict[str, Any]]) -> dict[str, Any]:
    """One client, one check at a time: the latency of the finish request (the local model compares the frame
    with the 证件照), with the photo's embedding stored and, alternating, computed again at the check."""
    sys.path.insert(0, str(ROOT))
    from jianli import testing  # plain Python: no Django set-up needed for the picture

    frame = base64.b64encode(testing.grace_hopper()).decode()
    times: dict[bool, list[float]] = {True: [], False: []}
    failures: list[str] = []
    for person in pending:
        token = person["token"]
        status, started = call(port, "POST", "/api/v1/face-verifications", token, {"consent": True})
        if status != 201:
            failures.append(f"start {status} {started!r}"[:200])
            continue
        t0 = time.perf_counter()
        status, body = call(port, "POST", f"/api/v1/face-verifications/{started['id']}/finish", token,
                            {"images": {"frame_0": frame}})
        elapsed = time.perf_counter() - t0
        if status == 200 and body.get("status") == "passed":
            times[person["stored"]].append(elapsed)
        else:
            failures.append(f"finish {status} {body!r}"[:200])
    return {"p50": _pct(times[True], 50), "p99": _pct(times[True], 99), "ok": len(times[True]) + len(times[False]),
            "recomputed_p50": _pct(times[False], 50), "recomputed_p99": _pct(times[False], 99),
            "failed": len(failures), "first_failure": failures[0] if failures else ""}


def _pct(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return round(s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))] * 1000, 1)


# ------------------------------------------------------------------ one size


def run_size(rows: int, base_url: str) -> dict[str, Any]:
    url = base_url + ("_big" if rows >= 1_000_000 else "")
    parsed = urllib.parse.urlparse(url)
    db = parsed.path.lstrip("/")
    conn = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    env = environment(url)
    log = RESULTS / "logs"
    log.mkdir(parents=True, exist_ok=True)
    print(f"== {rows} applications in {db}", flush=True)
    if os.environ.get("BENCH_REUSE") == "1":
        sh(PY, "-m", "jianli", "migrate", "--noinput", "-v", "0", env=env)
    else:
        sh("dropdb", *conn, "--if-exists", db)
        sh("createdb", *conn, db)
        sh(PY, "-m", "jianli", "migrate", "--noinput", "-v", "0", env=env)
        t0 = time.time()
        subprocess.run([PY, "-m", "jianli", "seed", "--applications", str(rows)], env=env, cwd=ROOT, check=True)
        print(f"   seeded in {time.time() - t0:.0f} s", flush=True)
        sh(PY, "-m", "jianli", "collectstatic", "--noinput", "-v", "0", env=env)
    plan = RESULTS / f"plan-{rows}.json"
    subprocess.run([PY, str(Path(__file__)), "prepare", str(rows), str(plan)], env=env, cwd=ROOT, check=True)
    prepared = json.loads(plan.read_text())
    sql = RESULTS / f"sql-{rows}.json"
    sql.write_text(json.dumps({t["path"]: t["sql"] for t in prepared["targets"]}, ensure_ascii=False))

    app = Server([PY, "-m", "jianli", "web", "--addr", f"127.0.0.1:{APP_PORT}", "--no-collectstatic"], env,
                 APP_PORT, log / f"web-{rows}.log")
    bare = Server([PY, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{BARE_PORT}", "bench.bare:app"],
                  {**env, "BENCH_SQL": str(sql)}, BARE_PORT, log / f"bare-{rows}.log")
    results: list[dict[str, Any]] = []
    submitted: dict[str, Any] = {}
    faced: dict[str, Any] = {}
    try:
        for target in prepared["targets"] if "pages" in ONLY else []:
            runs: dict[str, list[dict[str, float]]] = {"app": [], "bare": []}
            for _ in range(ROUNDS):
                runs["app"].append(wrk(APP_PORT, target))
                runs["bare"].append(wrk(BARE_PORT, target))
            med = {side: {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p99", "errors")}
                   for side, rs in runs.items()}
            row = {"name": target["name"], "path": target["path"], "queries": target["queries"], **med,
                   "ratio": round(med["app"]["rps"] / med["bare"]["rps"], 2) if med["bare"]["rps"] else None,
                   "rounds": runs,
                   "profile": pyspy.under_load(app.proc.pid, lambda t=target: wrk(APP_PORT, t), SECONDS)}
            print(f"   {target['name']}: {med['app']['rps']:.0f} req/s p50 {med['app']['p50']:.1f} ms "
                  f"p99 {med['app']['p99']:.1f} ms, bare {med['bare']['rps']:.0f} req/s, ratio {row['ratio']}",
                  flush=True)
            results.append(row)
        bare.stop()
        bare = None  # type: ignore[assignment]
        if "submit" in ONLY:
            submitted = submissions(APP_PORT, prepared["submissions"], prepared["employer"])
            print(f"   submissions: {submitted}", flush=True)
        if "face" in ONLY:
            faced = face_checks(APP_PORT, prepared["faces"])
            print(f"   face checks: {faced}", flush=True)
    finally:
        app.stop()
        if bare is not None:
            bare.stop()
    report = {"rows": rows, "applications": prepared["applications"], "workers": WORKERS,
              "connections": CONNECTIONS, "seconds": SECONDS, "rounds": ROUNDS, "pages": results,
              "submissions": submitted, "face_check": faced, "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    name = str(rows) if len(ONLY) == len(PARTS) else f"{rows}-{'-'.join(ONLY)}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    (RESULTS / f"{name}.md").write_text(markdown(report))
    return report


def memory(base_url: str) -> list[dict[str, Any]]:
    """Peak memory of the roster import (CSV) and the register export (Excel), each in a process of its own on a
    throw-away copy of the database, at BENCH_MEMORY_ROWS rows: the process's peak RSS as the kernel counts it."""
    found = []
    for rows in [int(x) for x in os.environ.get("BENCH_MEMORY_ROWS", "10000,100000").split(",")]:
        for name, script in (("import", ["bench/import_qualifications.py", str(rows), "--no-progress"]),
                             ("export", ["bench/export_memory.py", str(rows)])):
            with open(RESULTS / "logs" / f"{name}-{rows}.log", "w+") as log:
                began = time.perf_counter()
                proc = subprocess.Popen([PY, *script], env=environment(base_url),
                                        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
                _, status, usage = os.wait4(proc.pid, 0)
                log.seek(0)
                found.append({"what": name, "rows": rows, "peak_rss_mb": round(usage.ru_maxrss / 1024),
                              "seconds": round(time.perf_counter() - began), "ok": status == 0,
                              "output": log.read()[-600:]})
            print(f"   {name} {rows} rows: peak RSS {found[-1]['peak_rss_mb']} MB", flush=True)
    return found


def memory_markdown(found: list[dict[str, Any]]) -> str:
    lines = ["Peak RSS of a process that imports the roster (CSV, first import then the same file again) or exports "
             "the register (Excel), by rows:", "", "| | " + " | ".join(f"{r:,} rows" for r in
             sorted({f['rows'] for f in found})) + " |", "|---|" + "---:|" * len({f["rows"] for f in found})]
    for what in ("import", "export"):
        cells = [f"{f['peak_rss_mb']} MB" + ("" if f["ok"] else " (failed)") for f in found if f["what"] == what]
        lines.append(f"| {what} | " + " | ".join(cells) + " |")
    return "\n".join([*lines, ""])


def markdown(r: dict[str, Any]) -> str:
    lines = [
        f"{r['applications']:,} applications ({r['rows']:,} seeded), {r['workers']} gunicorn workers, wrk "
        f"{r['connections']} connections × {r['seconds']} s, median of {r['rounds']} interleaved rounds, {r['at']}.",
        "",
        "| page | queries | req/s | p50 ms | p99 ms | bare req/s | bare p99 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in r["pages"]:
        a, b = p["app"], p["bare"]
        lines.append(f"| {p['name']} | {p['queries']} | {a['rps']:.0f} | {a['p50']:.1f} | {a['p99']:.1f} | "
                     f"{b['rps']:.0f} | {b['p99']:.1f} | {p['ratio']:.2f}× |")
    profiled = [p for p in r["pages"] if p.get("profile")]
    if profiled:
        labels = [label for label, _ in pyspy.PARTS]
        lines += ["", "Where the workers' time went under the same load (py-spy, share of the samples taken while a "
                  "worker handled a request; each sample in the first part its stack passes through):", "",
                  "| page | " + " | ".join(labels) + " | top functions (self) |",
                  "|---|" + "---:|" * len(labels) + "---|"]
        for p in profiled:
            prof = p["profile"]
            top = ", ".join(f"{name} {share}%" for name, share in prof["top"][:3])
            lines.append(f"| {p['name']} | " + " | ".join(f"{prof['parts'].get(x, 0)}%" for x in labels)
                         + f" | {top} |")
    s, f = r["submissions"], r["face_check"]
    lines.append("")
    if s:
        lines.append(f"Submission (API: draft, data, three 100 KB attachments, submit; 8 clients): "
                     f"**{s['per_second']:.1f} applications/s**, p50 {s['p50']:.0f} ms, p99 {s['p99']:.0f} ms "
                     f"({s['ok']} ok, {s['failed']} failed).")
    if f:
        lines.append(f"Face check (local model, the finish request, 1 client): p50 **{f['p50']:.0f} ms**, "
                     f"p99 {f['p99']:.0f} ms with the 证件照's stored embedding; p50 {f.get('recomputed_p50', 0):.0f} ms, "
                     f"p99 {f.get('recomputed_p99', 0):.0f} ms computing it again at the check, as before "
                     f"({f['ok']} ok, {f['failed']} failed).")
    return "\n".join([*lines, ""])


def scale(small: dict[str, Any], large: dict[str, Any]) -> list[dict[str, Any]]:
    """Each figure at the largest size beside the smallest: flat is a quotient near 1 and a p99 that holds."""
    rows = []
    before = {p["name"]: p for p in small["pages"]}
    for p in large["pages"]:
        q = before.get(p["name"])
        if q:
            rows.append({"name": p["name"], "small": q["app"]["rps"], "large": p["app"]["rps"],
                         "small_p99": q["app"]["p99"], "large_p99": p["app"]["p99"],
                         "ratios": [q["ratio"], p["ratio"]]})
    s, t = small.get("submissions") or {}, large.get("submissions") or {}
    if s and t:
        rows.append({"name": "submission (applications/s)", "small": s["per_second"], "large": t["per_second"],
                     "small_p99": s["p99"], "large_p99": t["p99"], "ratios": []})
    f, g = small.get("face_check") or {}, large.get("face_check") or {}
    if f and g:  # latency, not throughput: the quotient of p50s
        rows.append({"name": "face check (p50 ms)", "small": f["p50"], "large": g["p50"],
                     "small_p99": f["p99"], "large_p99": g["p99"], "ratios": []})
    return rows


def write_scale(reports: list[dict[str, Any]]) -> None:
    small, large = min(reports, key=lambda r: r["rows"]), max(reports, key=lambda r: r["rows"])
    rows = scale(small, large)
    a, b = f"{small['applications']:,}", f"{large['applications']:,}"
    lines = [f"From {a} to {b} applications ({small['at']} and {large['at']}).", "",
             f"| | req/s at {a} | req/s at {b} | ÷ | p99 ms at {a} | p99 ms at {b} | ratio to the bare app |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        ratios = " → ".join(f"{x:.2f}×" for x in r["ratios"])
        lines.append(f"| {r['name']} | {r['small']:.1f} | {r['large']:.1f} | {r['large'] / r['small']:.2f} | "
                     f"{r['small_p99']:.1f} | {r['large_p99']:.1f} | {ratios} |")
    text = "\n".join([*lines, ""])
    (RESULTS / "scale.json").write_text(json.dumps(
        {"small": small["rows"], "large": large["rows"], "figures": rows}, ensure_ascii=False, indent=1))
    (RESULTS / "scale.md").write_text(text)
    print(text)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")
        prepare(int(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "scale":  # again from saved results: scale 10000-pages 1000000-pages
        write_scale([json.loads((RESULTS / f"{name}.json").read_text()) for name in sys.argv[2:]])
        return
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jianli_bench")
    sizes = [int(x) for x in os.environ.get("BENCH_ROWS", "10000").split(",")]
    if os.environ.get("BENCH_FULL") == "1":
        sizes.append(1_000_000)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "logs").mkdir(exist_ok=True)
    reports = []
    for rows in sizes:
        if {"pages", "submit", "face"} & set(ONLY):
            reports.append(run_size(rows, base))
            print(markdown(reports[-1]))
    if len(reports) > 1:
        write_scale(reports)
    if "memory" in ONLY:
        found = memory(base)
        (RESULTS / "memory.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
        (RESULTS / "memory.md").write_text(memory_markdown(found))
        print(memory_markdown(found))


if __name__ == "__main__":
    main()
