"""The yardstick: a bare WSGI app running, per path, the same SELECTs the Jianli page ran (captured by
bench/run.py into BENCH_SQL), under the same gunicorn. `gunicorn -w N bench.bare:app`."""

import json
import os

import psycopg

QUERIES = json.loads(open(os.environ["BENCH_SQL"], encoding="utf-8").read())
_conn = None


def app(environ, start_response):
    global _conn
    if _conn is None:
        _conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    rows = 0
    with _conn.cursor() as cur:
        for sql in QUERIES.get(environ["PATH_INFO"] + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""), []):
            cur.execute(sql.replace("%", "%%"))
            rows += len(cur.fetchall())
    body = f"<!doctype html><title>bare</title><p>{rows} rows</p>".encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
