"""`Idempotency-Key` on submit: replays, mismatches, refusals, and two identical requests at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jianli.api.models import IdempotencyRecord
from jianli.api.tests.test_applications import _complete_initial_draft
from jianli.registrations.models import Application, State
from jianli.testing.cast import Api


@pytest.mark.django_db
def test_a_refusal_is_replayed_for_the_same_key(api, alice) -> None:  # type: ignore[no-untyped-def]
    api.post("drafts/initial", token=alice.access)
    first = api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "r-1"})
    assert first.status_code == 422
    again = api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "r-1"})
    assert again.status_code == 422 and again.json() == first.json()


@pytest.mark.django_db
def test_keys_belong_to_one_caller(api, alice, bob, employer) -> None:  # type: ignore[no-untyped-def]
    _complete_initial_draft(api, alice, employer)
    assert (
        api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "same"}).status_code
        == 201
    )
    r = api.post("drafts/initial/submit", token=bob.access, **{"Idempotency-Key": "same"})
    assert r.status_code == 404  # Bob has no draft: his request ran, it did not replay Alice's answer.
    assert IdempotencyRecord.objects.filter(key="same").count() == 2


@pytest.mark.django_db
def test_an_overlong_key_is_refused(api, alice) -> None:  # type: ignore[no-untyped-def]
    r = api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "k" * 101})
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["fields"]


@pytest.mark.django_db(transaction=True)
def test_two_identical_submits_at_once_submit_once(alice, employer) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL row locks")
    _complete_initial_draft(Api(), alice, employer)
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def submit() -> None:
        barrier.wait()
        try:
            r = Api().post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "race"})
            statuses.append(r.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 201 in statuses and set(statuses) <= {201, 409}
    assert Application.objects.filter(applicant=alice.applicant).exclude(state=State.DRAFT).count() == 1


def _fault_then_retry(break_connection) -> list[int]:  # type: ignore[no-untyped-def]
    from django.db import DatabaseError

    from jianli.api.idempotency import run_once
    from jianli.errors import ServiceError

    ran: list[int] = []

    def work_cut_off() -> tuple[int, dict]:
        IdempotencyRecord.objects.create(principal="other", key="side-effect", fingerprint="x")
        break_connection()
        raise AssertionError("unreachable")

    def work() -> tuple[int, dict]:
        ran.append(1)
        return 201, {"ok": True}

    with pytest.raises(DatabaseError):
        run_once(principal="applicant:1", key="fault", fingerprint_="f", work=work_cut_off)
    connection.close()  # the next request gets a new connection, as a new request would
    try:
        answer = run_once(principal="applicant:1", key="fault", fingerprint_="f", work=work)
    except ServiceError as e:
        return [e.status]
    assert not IdempotencyRecord.objects.filter(key="side-effect").exists()  # the cut-off work left nothing
    again = run_once(principal="applicant:1", key="fault", fingerprint_="f", work=work)
    assert again.status_code == 201 and len(ran) == 1
    return [answer.status_code]


@pytest.mark.django_db(transaction=True)
def test_a_key_claimed_when_the_database_went_away_is_not_stuck_in_progress() -> None:
    """The server ends the connection mid-work: the retry runs the work instead of answering 409 for 48 hours."""
    if connection.vendor != "postgresql":
        pytest.skip("ends a PostgreSQL backend")

    def terminate_own_backend() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    assert _fault_then_retry(terminate_own_backend) == [201]


@pytest.mark.django_db(transaction=True)
def test_work_failing_on_the_database_leaves_no_claim() -> None:
    from django.db import OperationalError

    def fail() -> None:
        raise OperationalError("server closed the connection unexpectedly")

    assert _fault_then_retry(fail) == [201]
