"""Where a full initial application's CPU goes: the production WSGI app in-process, N applicants each making the
six API requests `make bench` makes (draft, data, three 100 KB attachments, submit), CPU ms and statements per
kind of request.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianli_bench .venv/bin/python bench/profile_submit.py \
        [--applications 60] [--profile out.prof] [--sql]

Writes applicants, roster entries and applications to that database (a seeded one: it names its first employer).
`--profile` saves a cProfile of CPU time (from the fourth application on); `--sql` prints the third one's statements.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime as dt
import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import environment, pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=60)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()
    os.environ.update(environment(os.environ.get("BENCH_DATABASE_URL",
                                                 "postgres://postgres@127.0.0.1:5432/jianli_bench")))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jianli.api import credentials
    from jianli.employers.models import Employer
    from jianli.testing import cast

    employer = Employer.objects.filter(is_active=True).order_by("pk").first()
    assert employer is not None, "seed the database first (jianli seed --applications N)"
    tag = secrets.randbelow(10**6)
    people = []
    for i in range(args.applications):
        a = cast.applicant(name="钱测试", born=dt.date(1975, 1, 1) + dt.timedelta(days=i), sequence=tag % 1000,
                           mobile=f"137{i:08d}")
        number = f"JLP{tag:06d}{i:06d}"
        cast.qualification(a, certificate_number=number)
        people.append((credentials.token_pair_issue(applicant=a, profile=a.profile).access_token, number))

    client = Client()  # one handler for all: a Client per applicant would load the middleware each time
    slots = [s["name"] for s in json.loads(client.get("/api/v1/forms/initial").content)["slots"] if s["required"]][:3]
    document = pdf()
    cpu: dict[str, float] = collections.defaultdict(float)
    statements: collections.Counter[str] = collections.Counter()
    show = False

    def run(kind: str, request: Callable[[], Any]) -> None:
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = request()
        cpu[kind] += time.process_time() - started
        statements[kind] += len(queries.captured_queries)
        assert response.status_code < 400, (kind, response.status_code, response.content[:300])
        if show:
            print(f"== {kind}")
            for q in queries.captured_queries:
                print("   ", q["sql"][:200])

    def one(token: str, number: str) -> None:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        run("draft", lambda: client.post("/api/v1/drafts/initial", {}, content_type="application/json"))
        run("data", lambda: client.patch("/api/v1/drafts/initial", {"step": 2, "data": {
            "qualification_number": number, "qualification_date": "2024-10-20",
            "specialties": ["房屋建筑工程"], "employer": employer.uscc, "school": "同济大学", "major": "土木工程",
            "degree": "本科", "graduation_date": "2008-07-01", "title": "工程师",
            "work_history": [{"start": "2008-07-01", "end": "", "employer": "某建设公司", "position": "监理员"}],
            "projects": [{"name": "某住宅小区", "role": "专业监理工程师", "year": "2019"}]}},
            content_type="application/json"))
        for slot in slots:
            run("upload", lambda slot=slot: client.post(f"/api/v1/drafts/initial/attachments/{slot}", {
                "file": SimpleUploadedFile(f"{slot}.pdf", document, "application/pdf")}))
        run("submit", lambda: client.post("/api/v1/drafts/initial/submit", {}, content_type="application/json",
                                          HTTP_IDEMPOTENCY_KEY=secrets.token_hex(16)))

    profile = cProfile.Profile(time.process_time) if args.profile else None
    for i, (token, number) in enumerate(people):
        show = args.sql and i == 2
        if profile and i == 3:
            profile.enable()
        one(token, number)
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    n = len(people)
    for kind in cpu:
        per = 3 * n if kind == "upload" else n
        print(f"{kind:8s} {cpu[kind] / per * 1000:6.2f} ms CPU  {statements[kind] / per:5.1f} statements")
    print(f"an application: {sum(cpu.values()) / n * 1000:.1f} ms CPU, {sum(statements.values()) / n:.0f} statements")


if __name__ == "__main__":
    main()
