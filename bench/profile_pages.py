"""Where a page's time goes beyond its SQL: the production WSGI app in-process, cProfile over many requests.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianli_pages .venv/bin/python bench/profile_pages.py \
        [NAME-PREFIX] [--requests 300] [--sort tottime] [--top 40]

Reads the targets (path, cookie or token) that `bench/run.py` prepared in bench/results/plan-10000.json
(BENCH_PLAN for another): run that first (BENCH_ONLY=pages), or its `prepare` step alone again once the API token
has expired. Prints, per page, wall and CPU milliseconds per request, the queries, and the top functions of a
profile that counts CPU time only (waits on the database are the bare app's too).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("prefix", nargs="?", default="")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jianli_bench")
    os.environ.update(environment(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")
    plan = json.loads(Path(os.environ.get("BENCH_PLAN", ROOT / "bench/results/plan-10000.json")).read_text())

    from django.core.wsgi import get_wsgi_application
    from django.db import connection, reset_queries

    app = get_wsgi_application()

    def request(target: dict) -> tuple[str, bytes]:
        path, _, query = target["path"].partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "9101", "HTTP_HOST": "127.0.0.1:9101", "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        for k, v in target["headers"].items():
            environ["HTTP_" + k.upper().replace("-", "_")] = v
        status = []
        body = b"".join(app(environ, lambda s, h, *a: status.append(s)))
        return status[0], body

    for target in plan["targets"]:
        if not target["name"].startswith(args.prefix):
            continue
        for _ in range(20):
            status, body = request(target)
        assert status.startswith("200"), (target["path"], status, body[:300])
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            request(target)
        plain = (time.perf_counter() - t0) / args.requests * 1000
        cpu = (time.process_time() - c0) / args.requests * 1000
        connection.force_debug_cursor = True
        reset_queries()
        request(target)
        queries = list(connection.queries)
        connection.force_debug_cursor = False
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        profile = cProfile.Profile(time.process_time)  # CPU only: waits on the database are not ours
        profile.enable()
        for _ in range(args.requests):
            request(target)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"== {target['name']} {target['path']}: {plain:.2f} ms/request ({cpu:.2f} ms CPU), {len(queries)} queries "
              f"({sql_ms:.2f} ms in SQL), {len(body)} bytes")
        print("\n".join(out.getvalue().splitlines()[:args.top + 12]))


if __name__ == "__main__":
    main()
