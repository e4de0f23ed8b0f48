"""With debug off the service does not start without what production needs; a production service refuses the
demo's conveniences. Each case starts the real production server (`jianli serve --production`) in a process."""

from __future__ import annotations

import base64
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

# Real processes on their own SQLite file, whatever DATABASE_URL says: once per CI run is enough.
once = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the SQLite pass"
)


def production_env(tmp_path: Path) -> dict[str, str]:
    """Everything a production server needs, on throw-away local state (the database cache, no Redis)."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("JIANLI_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        JIANLI_PRODUCTION="1",
        JIANLI_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        JIANLI_SECRET_KEY=secrets.token_urlsafe(50),
        JIANLI_PII_KEY="k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        JIANLI_PII_LOOKUP_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        JIANLI_CACHE="database",
        JIANLI_SMS_PROVIDER="tencent",
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "jianli", "serve", "--production", "--no-worker", "--workers", "1",
         "--addr", f"127.0.0.1:{port}"],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@once
@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("JIANLI_SECRET_KEY", "JIANLI_SECRET_KEY"),
        ("JIANLI_PII_KEY", "JIANLI_PII_KEY"),
        ("JIANLI_PII_LOOKUP_KEY", "JIANLI_PII_LOOKUP_KEY"),
        ("JIANLI_CACHE", "REDIS_URL"),
        ("JIANLI_SMS_PROVIDER", "JIANLI_SMS_PROVIDER"),
    ],
)
def test_a_production_server_without_a_required_setting_exits_naming_it(tmp_path, missing, named):
    env = production_env(tmp_path)
    del env[missing]
    server = serve(env, free_port())
    try:
        _, err = server.communicate(timeout=60)
    finally:
        server.kill()
    assert server.returncode != 0
    assert f"ImproperlyConfigured: Jianli will not start: {named}" in err
    assert not (tmp_path / "var" / "secret.key").exists() and not (tmp_path / "var" / "pii.key").exists()


@once
@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"JIANLI_FACE_ALLOW_FAKE": "1"}, "JIANLI_FACE_ALLOW_FAKE"),
        ({"JIANLI_DEMO": "1"}, "JIANLI_DEMO"),
        ({"JIANLI_DEBUG": "1"}, "JIANLI_DEBUG"),
    ],
)
def test_a_production_service_refuses_the_demo_conveniences(tmp_path, extra, named):
    env = {**production_env(tmp_path), **extra}
    result = subprocess.run(
        [sys.executable, "-m", "jianli", "check"], env=env, cwd=settings.BASE_DIR,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0 and f"{named} cannot be on in production" in result.stderr


@once
def test_the_complete_production_settings_serve_and_pass_the_deploy_check(tmp_path):
    env = production_env(tmp_path)
    check = subprocess.run(
        [sys.executable, "-m", "jianli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert check.returncode == 0, check.stderr
    port = free_port()
    server = serve(env, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[1]
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/", headers={"Host": "localhost"})
                answer = conn.getresponse()
                break
            except OSError:
                assert time.monotonic() < deadline, "the production server did not answer"
                time.sleep(0.2)
        # Plain HTTP goes to HTTPS; the page itself is the other tests' business.
        assert answer.status == 301 and answer.getheader("Location") == "https://localhost/"
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_demo_data_is_refused_unless_demo_mode_is_on(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="JIANLI_DEMO"):
        call_command("demo")
