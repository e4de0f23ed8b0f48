"""Time `jianli rotate-pii` and show that a killed rotation resumes: N people with every kind of encrypted data.

    .venv/bin/python bench/rotate_pii.py [PEOPLE]     (default 2000)

Seeds a throw-away database (SQLite in a temporary folder, or, when DATABASE_URL names PostgreSQL, a database
of that name with the suffix `_rotbench`, dropped and created) under key k1, then runs the real command with the
ring `k2,k1`, kills it (SIGKILL) among the files, runs it again to the end, and verifies with `k2` alone.
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

K1 = "k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode()
K2 = "k2:" + base64.urlsafe_b64encode(b"\x02" * 32).decode()
LOOKUP = base64.urlsafe_b64encode(b"\x07" * 32).decode()
ROOT = Path(__file__).resolve().parent.parent


def database_url(folder: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{folder}/bench.sqlite3"
    import psycopg

    base, _, name = url.rpartition("/")
    name = name + "_rotbench"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def jianli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jianli", *args], env=env, cwd=ROOT, capture_output=True, text=True)


def seed(env: dict[str, str], people: int) -> None:
    code = f"""
import django; django.setup()
from jianli import testing
from jianli.testing import cast
from jianli.accounts import services as accounts
from jianli.notifications.models import Message
from jianli.registrations.models import Application, Attachment, BusinessType
photo = testing.cat()
for n in range({people}):
    a = cast.applicant(name=f"张{{n}}", sequence=n % 1000, born=__import__("datetime").date(1960 + n // 1000 % 40, 1, 1),
                       mobile=f"139{{n:08d}}", photo=photo)
    accounts.profile_update(profile=a.profile, avatar=photo)
    app = Application.objects.create(applicant=a, business_type=BusinessType.INITIAL)
    att = Attachment(application=app, slot="id_card", original_name="id.pdf", content_type="application/pdf", size=8, sha256="x")
    att.store(testing.pdf_bytes(2000))
    att.save()
    Message.objects.create(recipient_label=a.name, mobile=a.mobile, text="您的办件已受理")
"""
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    people = int(numbers[0]) if numbers else 2000
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIANLI_")}
        env.update(
            DJANGO_SETTINGS_MODULE="jianli.settings", DATABASE_URL=database_url(folder), JIANLI_VAR_DIR=folder,
            JIANLI_PII_KEY=K1, JIANLI_PII_LOOKUP_KEY=LOOKUP, JIANLI_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        )
        assert jianli(env, "migrate", "-v0").returncode == 0
        started = time.perf_counter()
        seed(env, people)
        print(f"{env['DATABASE_URL'].partition(':')[0]}: {people} people seeded in {time.perf_counter() - started:.1f} s "
              f"({people * 3} encrypted values, {people * 3} encrypted files)")

        env["JIANLI_PII_KEY"] = f"{K2},{K1}"
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "jianli", "rotate-pii", "--no-progress", "--batch-size", "100"],
                                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Killed among the files (the columns go first): once a third of the files are on k2.
        media = Path(folder, "media")
        while proc.poll() is None and sum(1 for _ in media.rglob("*.k2.bin")) < people:
            time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = time.perf_counter() - started
        check = jianli(env, "rotate-pii", "--verify", "--no-progress")
        print(f"  killed after {killed:.1f} s: {check.stdout.strip()}")

        started = time.perf_counter()
        resumed = jianli(env, "rotate-pii", "--no-progress")
        print(f"  resumed run: {time.perf_counter() - started:.1f} s — {resumed.stdout.strip()}")

        env["JIANLI_PII_KEY"] = K2
        started = time.perf_counter()
        check = jianli(env, "rotate-pii", "--verify", "--no-progress")
        print(f"  verify with k2 alone: {time.perf_counter() - started:.1f} s — {check.stdout.strip()} (exit {check.returncode})")
        files = [p for p in Path(folder, "media").rglob("*") if p.is_file()]
        left = [p for p in files if ".k2." not in p.name]
        print(f"  files in storage: {len(files)} (rows name {people * 3}); not on k2: {len(left)}")


if __name__ == "__main__":
    main()
