"""`Idempotency-Key` on submit: replays, mismatches, refusals, and two identical requests at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jianli.api.models import IdempotencyRecord
from jianli.api.tests.conftest import Api
from jianli.api.tests.test_applications import _complete_initial_draft
from jianli.registrations.models import Application, State


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
