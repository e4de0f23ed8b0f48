"""Where the face check's finish request spends its time: the production app in-process, one check at a time.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianli_face .venv/bin/python bench/face_finish.py \
        [--runs 50] [--profile]

What bench/run.py's face_checks measures, without gunicorn and HTTP: applicants with Grace Hopper's 证件照 (its
embedding stored), each started, then `POST /api/v1/face-verifications/{id}/finish` with her photo as the frame,
through the WSGI app. Prints wall p50/p99 and CPU p50 of the request, the same for the local provider's check
alone (decode, detect, embed, compare) and for verification_finish, then with --profile a cProfile (CPU time).
Writes to the database it is given (applicants, attempts, audit events): never point it at jianli_bench.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import environment  # noqa: E402


def pct(values: list[float], q: int) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))] * 1000


def line(name: str, wall: list[float], cpu: list[float]) -> str:
    return (f"{name}: p50 {pct(wall, 50):.1f} ms, p99 {pct(wall, 99):.1f} ms, min {min(wall) * 1000:.1f} ms "
            f"(CPU p50 {pct(cpu, 50):.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--stages", action="store_true", help="wall ms per stage of the finish request")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jianli_face")
    if url.rstrip("/").endswith("/jianli_bench"):
        raise SystemExit("this writes applicants and attempts: use a database of your own")
    os.environ.update(environment(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jianli import testing
    from jianli.api import credentials
    from jianli.identity import faces, services
    from jianli.identity.models import FaceVerification
    from jianli.identity.providers import get_provider
    from jianli.testing import cast

    app = get_wsgi_application()
    photo = testing.grace_hopper()
    frame = base64.b64encode(photo).decode()
    tag = secrets.randbelow(800) + 100

    made = iter(range(1_000_000))

    def person() -> tuple[object, str]:
        i = next(made)
        a = cast.applicant(name="赵测试", born=dt.date(1940, 1, 1) + dt.timedelta(days=i), sequence=tag,
                           mobile=f"137{i:08d}", photo=photo)
        assert a.id_photo_embedding
        return a, credentials.pending_token_issue(applicant=a, profile=a.profile)[0]

    def post(path: str, token: str, body: dict) -> tuple[str, dict]:
        data = json.dumps(body).encode()
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "9101", "HTTP_HOST": "127.0.0.1:9101", "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(data),
            "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(data)),
            "HTTP_AUTHORIZATION": f"Bearer {token}", "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        status: list[str] = []
        out = b"".join(app(environ, lambda s, h, *a: status.append(s)))
        return status[0], json.loads(out)

    def started() -> tuple[str, str]:
        _, token = person()
        status, body = post("/api/v1/face-verifications", token, {"consent": True})
        assert status.startswith("201"), (status, body)
        return token, body["id"]

    def finish_request(token: str, public_id: str) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        status, body = post(f"/api/v1/face-verifications/{public_id}/finish", token, {"images": {"frame_0": frame}})
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert status.startswith("200") and body["status"] == "passed", (status, body)
        return wall, cpu

    def service_started() -> tuple[FaceVerification, str]:
        a, _ = person()
        credential = secrets.token_urlsafe()
        return services.verification_start(applicant=a, credential=credential)[0], credential

    def finish_service(verification: FaceVerification, credential: str) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        done = services.verification_finish(verification=verification, credential=credential, payload={"frame_0": photo})
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert done.status == FaceVerification.Status.PASSED
        return wall, cpu

    provider = get_provider("local")
    a, _ = person()
    pending, _ = services.verification_start(applicant=a, credential="bench")

    def check_only(_: object) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        provider.finish(pending, {"frame_0": photo})
        return time.perf_counter() - t0, time.process_time() - c0

    t0 = time.perf_counter()
    faces.models_ready()  # as `jianli web` does before forking its workers
    print(f"face models loaded and set up in {(time.perf_counter() - t0) * 1000:.0f} ms")
    t0 = time.perf_counter()
    finish_request(*started())
    print(f"first finish request in this process: {(time.perf_counter() - t0) * 1000:.0f} ms "
          f"(load average {os.getloadavg()[0]:.2f})")
    ready = started()
    with CaptureQueriesContext(connection) as queries:
        finish_request(*ready)
    print(f"queries in the finish request: {len(queries.captured_queries)}")
    if args.queries:
        print("\n".join(f"  {float(q['time']) * 1000:5.2f} {q['sql'][:150]}" for q in queries.captured_queries))
    for name, prepare, fn in (("finish request", started, finish_request),
                              ("verification_finish", service_started, finish_service),
                              ("the local check alone", lambda: (None,), check_only)):
        ready = [prepare() for _ in range(args.runs)]
        wall, cpu = zip(*(fn(*r) for r in ready), strict=True)
        print(line(f"{name} ({args.runs} runs)", list(wall), list(cpu)))
    if args.stages:
        stage_times(args.runs, started, finish_request)
    if args.profile:
        ready = [started() for _ in range(args.runs)]
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for r in ready:
            finish_request(*r)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


# The stages of the finish request, outermost first: each is timed as a whole (wall), what it calls included.
STAGES = [
    "jianli.identity.services:verification_finish",
    "jianli.identity.services:_limits_before_the_applicants",
    "jianli.identity.services:_claim",
    "jianli.identity.providers.local:LocalProvider.finish",
    "jianli.images:header",
    "jianli.identity.faces:decode",
    "jianli.identity.faces:_Models.detect",
    "jianli.identity.faces:_Models.embed",
    "jianli.audit.events:_record",
    "jianli.api.credentials:pending_token_exchange",
    "jianli.api.credentials:token_pair_issue",
    "jianli.identity.services:attempts_left",
]


def stage_times(runs: int, started: Any, finish_request: Any) -> None:
    """Wraps each stage's function with a timer (the code itself is unchanged) for `runs` finish requests. Each
    stage is looked up through its module or class at call time, so the wrapper is what the request calls."""
    import importlib

    spent: dict[str, list[float]] = {}
    for stage in STAGES:
        module, _, path = stage.partition(":")
        *owners, name = path.split(".")
        target: Any = importlib.import_module(module)
        for owner in owners:
            target = getattr(target, owner)
        original = getattr(target, name)

        def timed(*a: Any, __original: Any = original, __stage: str = path, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return __original(*a, **kw)
            finally:
                spent.setdefault(__stage, []).append(time.perf_counter() - t0)

        setattr(target, name, timed)
    ready = [started() for _ in range(runs)]
    spent.clear()
    walls = [finish_request(*r)[0] for r in ready]
    print(f"stages over {runs} finish requests (wall ms per request, mean; calls per request), outermost first:")
    print(f"  {'the whole request':36s} {sum(walls) / runs * 1000:6.1f}")
    for stage in STAGES:
        values = spent.get(stage.partition(":")[2], [])
        if values:
            print(f"  {stage.partition(':')[2]:36s} {sum(values) / runs * 1000:6.1f}  ({len(values) / runs:g})")


if __name__ == "__main__":
    main()
