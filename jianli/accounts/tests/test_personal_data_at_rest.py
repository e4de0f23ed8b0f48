"""Personal data at rest: no ID number or mobile in plain text anywhere in the database, nor in the logs."""

from __future__ import annotations

import logging
import shutil
import subprocess

import pytest
from django.db import connection
from django.test import Client

from jianli import testing
from jianli.portal.tests.test_way_in import register

pytestmark = pytest.mark.django_db


def every_text_in_the_database() -> str:
    """What a dump holds: every column of every row of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                chunks.append(" ".join(str(v) for v in row))
    return "\n".join(chunks)


def test_a_registered_applicant_leaves_no_plaintext_id_number_or_mobile(caplog):
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    with caplog.at_level(logging.DEBUG):
        register(client)
        client.post("/face/", {"step": "consent", "consent": "on"})
        client.post("/face/", {"step": "finish", "scenario": "pass"})
    text = every_text_in_the_database()
    assert "张三" in text  # the scan does see the data
    assert testing.id_number() not in text and "13912345678" not in text
    assert testing.id_number() not in caplog.text and "13912345678" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_pg_dump_holds_no_plaintext_id_number():
    if connection.vendor != "postgresql" or shutil.which("pg_dump") is None:
        pytest.skip("pg_dump of a PostgreSQL database")
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    register(client)
    params = connection.get_connection_params()
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-h", params.get("host") or "127.0.0.1", "-p", str(params.get("port") or 5432),
         "-U", params.get("user") or "postgres", params["dbname"]],
        capture_output=True, text=True, timeout=60,
    )
    assert dump.returncode == 0, dump.stderr
    assert "张三" in dump.stdout  # the dump does hold the applicant
    assert testing.id_number() not in dump.stdout and "13912345678" not in dump.stdout
