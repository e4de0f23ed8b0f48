"""Faults under a steady stream of submissions through nginx (`make faults`; a test runs it with small numbers).

For each fault — kill -9 an app server's worker, restart the primary PostgreSQL, stop the task worker, stop Redis —
clients keep submitting applications (draft_submit with an Idempotency-Key, retried as a client would after an error
or a cut connection) while the fault happens, and a reader asks for a page every 0.1 s. Then every submission
must be acknowledged and in the database exactly once, every SMS those submissions queued (each queues at least
one) delivered once the worker is back, and from the fault on the service may go at most 5 s without
acknowledging a submission or answering the reader, with no manual restart (the supervisors of deploy/topology.sh
restart what died, as systemd would).

    python deploy/faults.py [--seconds 6] [--rate 4] [--only kill] [--repeat 5]   # against deploy/topology.sh's
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
RECOVERY_LIMIT = 5.0


def topology_env(run: Path) -> dict[str, str]:
    env = {}
    for line in (run / "env").read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    return env


def topology(run: Path, *args: str) -> None:
    subprocess.run([str(ROOT / "deploy" / "topology.sh"), *args], check=True,
                   env={**os.environ, "TOPOLOGY_DIR": str(run), "PY": sys.executable})


def seed(run: Path, applicants: int, tag: str) -> dict:
    env = {**os.environ, **topology_env(run), "TOPOLOGY_SEED_RUN": tag, "TOPOLOGY_SEED_APPLICANTS": str(applicants)}
    out = subprocess.run(
        [sys.executable, "-m", "jianli", "shell", "-c",
         "import runpy; runpy.run_path('tests/topology/seed.py')"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if out.returncode:
        sys.exit(f"seeding failed:\n{out.stderr[-3000:]}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("SEED "))
    return json.loads(line[5:])


@dataclass
class Stream:
    """Clients submitting, one applicant each, at a steady rate; each retries its own submission until answered."""

    base: str
    cert: str
    applicants: list[dict]
    rate: float
    acknowledged: dict[int, str] = field(default_factory=dict)
    errors: list[tuple[float, str]] = field(default_factory=list)
    successes: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def submit(self, applicant: dict, give_up: float) -> None:
        session = requests.Session()
        key = f"fault-{applicant['id']}"
        while time.monotonic() < give_up:
            try:
                r = session.post(
                    f"{self.base}/api/v1/drafts/initial/submit",
                    headers={"Authorization": f"Bearer {applicant['access']}", "Idempotency-Key": key},
                    timeout=10, verify=self.cert,
                )
                if r.status_code == 201:
                    with self.lock:
                        self.acknowledged[applicant["id"]] = r.json()["number"]
                        self.successes.append(time.monotonic())
                    return
                with self.lock:
                    self.errors.append((time.monotonic(), f"{r.status_code} {r.text[:120]}"))
            except requests.RequestException as e:
                with self.lock:
                    self.errors.append((time.monotonic(), type(e).__name__))
            time.sleep(0.3)

    def run(self, seconds: float, patience: float) -> None:
        """Start a submission every 1/rate seconds for `seconds`; each may retry for `patience` seconds."""
        start = time.monotonic()
        i = 0
        while time.monotonic() - start < seconds and i < len(self.applicants) and not self.stop.is_set():
            applicant = self.applicants[i]
            i += 1
            t = threading.Thread(target=self.submit, args=(applicant, time.monotonic() + patience), daemon=True)
            t.start()
            self.threads.append(t)
            time.sleep(1 / self.rate)
        self.started = i
        self.ended = time.monotonic()

    def join(self) -> None:
        for t in self.threads:
            t.join()


def db_counts(dsn: str, applicant_ids: list[int]) -> dict[int, int]:
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT applicant_id, count(*) FROM registrations_application "
            "WHERE applicant_id = ANY(%s) AND state <> 'draft' GROUP BY applicant_id",
            (applicant_ids,),
        ).fetchall()
    return dict(rows)


def undelivered(dsn: str, applicant_ids: list[int]) -> tuple[int, int, int]:
    """Messages about these applicants' submissions, how many still queued, and submissions with no message."""
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        total, queued = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE m.status = 'queued') FROM notifications_message m "
            "JOIN registrations_application a ON a.id = m.application_id WHERE a.applicant_id = ANY(%s)",
            (applicant_ids,),
        ).fetchone()
        silent = conn.execute(
            "SELECT count(*) FROM registrations_application a WHERE a.applicant_id = ANY(%s) AND a.state <> 'draft' "
            "AND NOT EXISTS (SELECT 1 FROM notifications_message m WHERE m.application_id = a.id)",
            (applicant_ids,),
        ).fetchone()[0]
    return total, queued, silent


def probe(base: str, cert: str, answers: list[float], stop: threading.Event) -> None:
    """A reader asking for a page every 0.1 s; the times it got one."""
    session = requests.Session()
    while not stop.is_set():
        try:
            if session.get(f"{base}/api/v1/catalogue", verify=cert, timeout=5).status_code == 200:
                answers.append(time.monotonic())
        except requests.RequestException:
            pass
        time.sleep(0.1)


def longest_silence(answers: list[float], start: float, end: float) -> float:
    """The longest time between `start` (the fault) and `end` without an answer."""
    previous, longest = start, 0.0
    for t in sorted(a for a in answers if start < a <= end):
        longest, previous = max(longest, t - previous), t
    return max(longest, end - previous)


def kinds(errors: list[tuple[float, str]]) -> str:
    """' (502 ×2, ConnectionError ×1)': what the clients got instead of an answer."""
    counts = Counter(e.split(" ", 1)[0] for _, e in errors)
    return f" ({', '.join(f'{k} ×{n}' for k, n in counts.most_common())})" if counts else ""


def gunicorn_worker(run: Path, port: int) -> int:
    """A worker of app server 1, preferably one in the middle of a request (it holds a connection from nginx)."""
    master = int((run / "pids" / "app1.pid").read_text())
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        serving = subprocess.run(["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
                                 capture_output=True, text=True).stdout
        busy = [c for c in children if f"pid={c}," in serving]
        if busy:
            return int(busy[0])
        time.sleep(0.01)
    return int(children[0])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", default=os.environ.get("TOPOLOGY_DIR", str(ROOT / "var" / "topology")))
    parser.add_argument("--seconds", type=float, default=6, help="seconds of submissions around each fault")
    parser.add_argument("--rate", type=float, default=4, help="submissions started per second")
    parser.add_argument("--only", default="", help="run only the faults whose name contains this (e.g. kill)")
    parser.add_argument("--repeat", type=int, default=1, help="run each fault this many times")
    args = parser.parse_args()
    run = Path(args.run)
    env = topology_env(run)
    base = env["JIANLI_SITE_URL"]
    cert = str(run / "tls" / "cert.pem")
    dsn = env["DATABASE_URL"]
    per_fault = int(args.seconds * args.rate) + 2

    def stop_start(name: str, down: float) -> Callable[[], None]:
        def act() -> None:
            topology(run, "stop", name)
            time.sleep(down)
            topology(run, "start", name)
        return act

    def kill_app_worker() -> None:
        os.kill(gunicorn_worker(run, int(env["JIANLI_SITE_URL"].rsplit(":", 1)[1]) + 10), signal.SIGKILL)

    def restart_primary() -> None:
        # Fast shutdown; the supervisor starts it again, as systemd's Restart=always would.
        pid = int((run / "pg" / "primary" / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGINT)

    faults: list[tuple[str, Callable[[], None]]] = [
        ("kill -9 an app server worker", kill_app_worker),
        ("restart the primary PostgreSQL", restart_primary),
        ("stop the task worker", stop_start("worker", args.seconds / 2)),
        ("stop Redis", stop_start("redis", 2)),
    ]
    # `--only nothing`: the same measures with no fault, what the machine's load alone costs.
    faults = [f for f in faults if args.only in f[0]] or [("nothing", lambda: None)] * (args.only == "nothing")
    faults *= args.repeat
    data = seed(run, per_fault * len(faults), str(int(time.time()) % 100000))
    pool = data["applicants"]
    failed = False
    for n, (name, act) in enumerate(faults):
        applicants = pool[n * per_fault:(n + 1) * per_fault]
        ids = [a["id"] for a in applicants]
        stream = Stream(base, cert, applicants, args.rate)
        feeder = threading.Thread(target=stream.run, args=(args.seconds, args.seconds + 30), daemon=True)
        reads: list[float] = []
        reading = threading.Event()
        reader = threading.Thread(target=probe, args=(base, cert, reads, reading), daemon=True)
        feeder.start()
        reader.start()
        time.sleep(args.seconds / 3)
        at = time.monotonic()
        act()
        feeder.join()
        stream.join()
        reading.set()
        reader.join()
        # The service is back when it answers again: the longest time from the fault until the last submission was
        # started without any submission acknowledged, and without a page read.
        write_gap = longest_silence(stream.successes, at, stream.ended)
        read_gap = longest_silence(reads, at, stream.ended)
        counts = db_counts(dsn, ids)
        acked = set(stream.acknowledged)
        stored = sum(1 for i in acked if counts.get(i, 0) >= 1)
        lost = sum(1 for i in acked if counts.get(i, 0) == 0)
        duplicated = sum(max(0, c - 1) for c in counts.values())
        # A message claimed by a worker the fault cut off waits for its lease (3 × JIANLI_PROVIDER_TIMEOUT) and
        # the scheduler's next round.
        deadline = time.monotonic() + 60
        total, queued, silent = undelivered(dsn, ids)
        while queued and time.monotonic() < deadline:
            time.sleep(0.5)
            total, queued, silent = undelivered(dsn, ids)
        ok = lost == 0 and duplicated == 0 and queued == 0 and silent == 0 and max(write_gap, read_gap) <= RECOVERY_LIMIT
        ok &= len(acked) == stream.started
        failed |= not ok
        print(f"{name}: started {stream.started}, acknowledged {len(acked)}, stored {stored}, lost {lost}, duplicated {duplicated}"
              f" | longest without an answer after the fault: submissions {write_gap:.1f} s, reads {read_gap:.1f} s"
              f" | messages {total}, undelivered {queued}, submissions without one {silent}"
              f" | errors seen by clients {len(stream.errors)}{kinds(stream.errors)}"
              f"{'' if ok else '  << FAILED'}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
