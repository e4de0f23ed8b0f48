"""`jianli web` forks its workers after it has used the database (system checks, the cache table): each worker
must get its own connection, not share the parent's socket and read another worker's rows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from jianli.employers.models import Employer
from jianli.ops.tests.test_processes import ROOT, wait_for


@pytest.mark.django_db(transaction=True)
def test_workers_do_not_share_the_parents_database_connection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("a shared PostgreSQL socket is what goes wrong")
    Employer.objects.bulk_create(Employer(uscc=f"91110000{i:010d}", name=f"公司{i}") for i in range(50))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "JIANLI_CACHE": "database", "JIANLI_DB_CONN_MAX_AGE": "600", "JIANLI_VAR_DIR": str(tmp_path / "var"),
           "JIANLI_LOG_LEVEL": "WARNING"}
    log = (tmp_path / "web.log").open("w")
    web = subprocess.Popen([sys.executable, "-m", "jianli", "web", "--addr", f"127.0.0.1:{port}", "--workers", "2",
                            "--no-collectstatic"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return 0

    try:
        assert wait_for(lambda: status("/healthz") == 200, 60), (tmp_path / "web.log").read_text()[-3000:]
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(status, ["/engineers/?q=%E5%85%AC%E5%8F%B8", "/readyz"] * 150))
    finally:
        web.terminate()
        web.wait(30)
    assert codes.count(500) == 0 and codes.count(0) == 0, (sorted(set(codes)), (tmp_path / "web.log").read_text()[-3000:])
