"""Applications per state, kept exact by the workflow (see StateCount) and read by the queues instead of COUNT(*)."""

from __future__ import annotations

from django.db import connections, router, transaction
from django.db.models import Count, F, Q, Sum

from jianli.registrations.models import Application, State, StateCount

Key = tuple[str, str, bool]


def key(application: Application) -> Key:
    return (application.state, application.business_type, application.reported_at is not None)


def move(before: Key, after: Key) -> None:
    """One application left `before` and entered `after`; runs inside the transition's transaction."""
    if before == after:
        return
    if before[0] != State.DRAFT:
        _add(before, -1)
    if after[0] != State.DRAFT:
        _add(after, 1)


def _add(k: Key, delta: int) -> None:
    state, business_type, reported = k
    rows = StateCount.objects.filter(state=state, business_type=business_type, reported=reported)
    if not rows.update(n=F("n") + delta):
        StateCount.objects.bulk_create(
            [StateCount(state=state, business_type=business_type, reported=reported, n=0)], ignore_conflicts=True
        )
        rows.update(n=F("n") + delta)


def by_state(states: list[str] | None = None, *, reported: bool | None = True, business_type: str = "") -> dict[str, int]:
    qs = StateCount.objects.all()
    if states is not None:
        qs = qs.filter(state__in=states)
    if reported is not None:
        qs = qs.filter(reported=reported)
    if business_type:
        qs = qs.filter(business_type=business_type)
    return {s: int(n) for s, n in qs.values_list("state").annotate(t=Sum("n")).values_list("state", "t") if n}


def by_state_and_type(states: list[str], *, reported: bool = True) -> dict[tuple[str, str], int]:
    """{(state, business type): n}: what a page that shows per-state totals and a total of one type needs, in one
    query."""
    if not states:
        return {}
    # Written out: every queue page reads this, and the ORM built and compiled the statement anew each time.
    using = router.db_for_read(StateCount)
    connection = connections[using]
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {qn('state')}, {qn('business_type')}, {qn('n')} FROM {qn(StateCount._meta.db_table)} "
        f"WHERE {qn('reported')} = %s AND {qn('state')} IN ({', '.join(['%s'] * len(states))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [reported, *states])
        rows = cursor.fetchall()
    found: dict[tuple[str, str], int] = {}
    for state, kind, n in rows:
        if n:
            found[(state, kind)] = found.get((state, kind), 0) + n
    return found


def rebuild() -> int:
    """Recount from the applications table (after a bulk load or a restore); returns the number of applications."""
    rows = (
        Application.objects.exclude(state=State.DRAFT)
        .values("state", "business_type")
        .annotate(reported_n=Count("id", filter=Q(reported_at__isnull=False)), all_n=Count("id"))
    )
    with transaction.atomic():
        StateCount.objects.all().delete()
        new = []
        for r in rows:
            for reported, n in ((True, r["reported_n"]), (False, r["all_n"] - r["reported_n"])):
                if n:
                    new.append(StateCount(state=r["state"], business_type=r["business_type"], reported=reported, n=n))
        StateCount.objects.bulk_create(new)
    return sum(c.n for c in new)
