"""The read replica: the read-only pages read it, a read right after one's own write and reads in a transaction
read the primary, and nothing is ever written or migrated there.

On PostgreSQL the `replica` alias is a test mirror of default (a second connection to the same database); the
replica's lag is played by a REPEATABLE READ transaction on that connection, which keeps seeing the rows as they
were when it began.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from jianli import replica
from jianli.registrations import services
from jianli.registrations.models import Application, State
from jianli.testing import cast
from jianli.testing.cast import review_client


def _mirror_alias() -> None:
    """The `replica` alias as a test mirror of default, as JIANLI_REPLICA_URL would make it (before the test
    databases are set up, so the mirror points at the test database)."""
    if connection.vendor != "postgresql" or replica.REPLICA in settings.DATABASES:
        return
    alias = copy.deepcopy(connections["default"].settings_dict)
    alias["TEST"] = {**alias["TEST"], "MIRROR": "default", "NAME": None}
    settings.DATABASES[replica.REPLICA] = alias


_mirror_alias()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the replica router is checked on PostgreSQL"),
    pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA]),
]


@pytest.fixture(autouse=True)
def _router(settings):  # type: ignore[no-untyped-def]
    settings.DATABASE_ROUTERS = ["jianli.replica.ReplicaRouter"]


@contextmanager
def replica_lagging() -> Iterator[None]:
    """The replica keeps showing the database as it is now until the block ends."""
    with transaction.atomic(using=replica.REPLICA):
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT count(*) FROM registrations_application")
        yield


def reader(user):  # type: ignore[no-untyped-def]
    """A signed-in reviewer whose sign-in (a write) no longer pins them to the primary."""
    client = review_client(user)
    client.cookies.pop(replica.PIN_COOKIE, None)
    return client


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "甲监理公司")
    staff = cast.staff(emp)
    reviewer = cast.reviewer()
    app = cast.submitted(cast.applicant(12, "王甲"), emp)
    services.application_report(application_id=app.pk, staff=staff)
    return {"app": Application.objects.get(pk=app.pk), "reviewer": reviewer}


def test_the_review_queue_reads_the_replica(world) -> None:  # type: ignore[no-untyped-def]
    client = reader(world["reviewer"])
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        page = client.get("/review/").content.decode()
    assert world["app"].number in page
    assert any("registrations_application" in q["sql"] for q in on_replica.captured_queries)
    # Sessions and users are never read there (users only joined to applications).
    froms = [q["sql"].split(" FROM ")[1].split()[0] for q in on_replica.captured_queries if " FROM " in q["sql"]]
    assert '"django_session"' not in froms and '"auth_user"' not in froms


def test_a_lagging_replica_shows_old_rows_to_others_but_not_to_the_one_who_wrote(world) -> None:  # type: ignore[no-untyped-def]
    app = world["app"]
    me = reader(world["reviewer"])
    other = reader(cast.reviewer("shencha2"))
    with replica_lagging():
        assert me.post(f"/review/applications/{app.number}/claim/").status_code == 302
        assert Application.objects.get(pk=app.pk).state == State.IN_REVIEW
        # Right after my own write I read the primary and see my claim.
        assert me.cookies[replica.PIN_COOKIE]["max-age"] == settings.JIANLI_REPLICA_PIN_SECONDS
        mine = me.get(f"/review/applications/{app.number}/").content.decode()
        assert "审查中" in mine
        # A reviewer who wrote nothing reads the replica, which has not caught up yet.
        theirs = other.get(f"/review/applications/{app.number}/").content.decode()
        assert "待审查" in theirs and "审查中" not in theirs
    # Once the replica has caught up, everyone sees the claim.
    assert "审查中" in other.get(f"/review/applications/{app.number}/").content.decode()


def test_transactions_writes_and_migrations_stay_on_the_primary(world) -> None:  # type: ignore[no-untyped-def]
    router = replica.ReplicaRouter()
    token = replica._replica_ok.set(True)
    try:
        assert router.db_for_read(Application) == replica.REPLICA
        with transaction.atomic():
            assert router.db_for_read(Application) == "default"
        app = Application.objects.get(pk=world["app"].pk)
        assert app._state.db == replica.REPLICA
        app.data = {"note": "x"}
        with CaptureQueriesContext(connections["default"]) as on_primary:
            app.save(update_fields=["data"])
        assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries)
    finally:
        replica._replica_ok.reset(token)
    assert router.db_for_read(Application) == "default"
    assert router.allow_migrate("default", "registrations") and not router.allow_migrate(replica.REPLICA, "registrations")


