"""A reviewer's day in the console: search, sort, totals and paging, 领取下一件, bulk claim/release, the team lead,
the case page's context, shortcuts, the session warning and the sign-in's ?next=."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli.audit.models import AuditEvent
from jianli.registrations import services
from jianli.registrations.models import Application, BusinessType, Registration, State
from jianli.review import search, work
from jianli.testing import cast
from jianli.testing.cast import code, device_for, review_client


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "甲监理公司")
    staff = cast.staff(emp)
    reviewer = cast.reviewer()
    return {"emp": emp, "staff": staff, "reviewer": reviewer, "client": review_client(reviewer)}


def reported(world, seq: int, name: str, deadline_in: int | None = None) -> Application:  # type: ignore[no-untyped-def]
    app = cast.submitted(cast.applicant(seq, name), world["emp"])
    services.application_report(application_id=app.pk, staff=world["staff"])
    if deadline_in is not None:
        Application.objects.filter(pk=app.pk).update(deadline=timezone.localdate() + dt.timedelta(days=deadline_in))
    app.refresh_from_db()
    return app


def lead(name: str = "zuzhang") -> tuple:  # type: ignore[type-arg]
    user = cast.reviewer(name, "审查", work.TEAM_LEAD_GROUP)
    return user, review_client(user)


# ---------------------------------------------------------------- search


def test_search_by_number_opens_the_file(world) -> None:  # type: ignore[no-untyped-def]
    app = reported(world, 12, "王甲")
    r = world["client"].post("/review/search/", {"q": app.number.lower()})
    assert r.status_code == 302 and r["Location"] == f"/review/applications/{app.number}/"


def test_search_by_name_prefix_lists_and_audits_each_person_shown(world) -> None:  # type: ignore[no-untyped-def]
    a = reported(world, 12, "王建国")
    b = reported(world, 14, "王建华")
    other = reported(world, 16, "李四")
    with CaptureQueriesContext(connection) as ctx:
        page = world["client"].post("/review/search/", {"q": "王建"}).content.decode()
    assert a.number in page and b.number in page and other.number not in page
    assert "王建国" in page and "甲监理公司" in page
    rows = next(q["sql"] for q in ctx.captured_queries if 'FROM "registrations_application"' in q["sql"])
    # A row shows neither the 申报信息 nor the applicant's mobile or face: they are not read (or decrypted).
    for column in ('"registrations_application"."data"', '"accounts_applicant"."mobile"',
                   '"accounts_applicant"."id_photo_embedding"'):
        assert column not in rows, column
    audited = set(AuditEvent.objects.filter(action="personal_data_viewed", detail__what="search:name")
                  .values_list("applicant_id", flat=True))
    assert audited == {a.applicant_id, b.applicant_id}


def test_search_by_id_number_is_by_post_and_never_echoed_in_a_url(world) -> None:  # type: ignore[no-untyped-def]
    app = reported(world, 12, "王甲")
    reported(world, 14, "李乙")
    number = app.applicant.id_number
    r = world["client"].post("/review/search/", {"q": number})
    found = r.context["found"]
    assert found.kind == "id_number" and [a.pk for a in found.rows] == [app.pk]
    assert number not in r.content.decode()  # the form does not keep it in a link; only the masked id elsewhere
    # A link with the number in it searches nothing.
    r = world["client"].get("/review/search/", {"q": number})
    assert "found" not in r.context and number not in r.content.decode()


def test_search_by_registration_number(world) -> None:  # type: ignore[no-untyped-def]
    app = reported(world, 12, "王甲")
    reg = cast.registration(app.applicant, world["emp"], timezone.localdate() + dt.timedelta(days=400))
    r = world["client"].post("/review/search/", {"q": reg.number})
    assert r.context["found"].kind == "registration" and app.number in r.content.decode()


@pytest.mark.parametrize("q, kind, message", [
    ("", "", "请输入办件编号、姓名、身份证号码或注册号"),
    ("11010119850307012", "id_number", "身份证号码应为18位"),
    ("王\u202e甲", "", "不能包含改变文字方向的控制字符"),
    ("张" * 51, "name", "不能超过50个字"),
])
def test_bad_search_is_a_message_at_the_field_and_keeps_what_was_typed(world, q: str, kind: str, message: str) -> None:  # type: ignore[no-untyped-def]
    r = world["client"].post("/review/search/", {"q": q, "kind": kind})
    assert r.status_code == 422 and message in r.context["errors"]["q"]
    assert r.context["values"]["q"] == q.strip()


def test_kind_of_what_was_typed() -> None:
    assert search.kind_of("jl2026120100000001") == "number"
    assert search.kind_of("11010119850307012X") == "id_number"
    assert search.kind_of("11202600000012") == "registration"
    assert search.kind_of("王") == "name"


# ---------------------------------------------------------------- sort, totals, previous / next


def test_sortable_columns(world) -> None:  # type: ignore[no-untyped-def]
    late = reported(world, 12, "王甲", deadline_in=9)
    early = reported(world, 14, "李乙", deadline_in=3)
    c = world["client"]
    assert [a.pk for a in c.get("/review/").context["page"].rows] == [late.pk, early.pk]
    assert [a.pk for a in c.get("/review/?sort=-submitted").context["page"].rows] == [early.pk, late.pk]
    assert [a.pk for a in c.get("/review/?sort=deadline").context["page"].rows] == [early.pk, late.pk]
    assert [a.pk for a in c.get("/review/?sort=-deadline").context["page"].rows] == [late.pk, early.pk]
    assert c.get("/review/?sort=nonsense").context["sort"] == "submitted"


def test_totals_from_the_counts_and_previous_next(world) -> None:  # type: ignore[no-untyped-def]
    apps = [reported(world, 100 + 2 * i, f"人{i}") for i in range(23)]
    c = world["client"]
    first = c.get("/review/")
    assert first.context["total"] == 23 and first.context["exact"] and "共 <strong>23</strong> 件" in first.content.decode()
    assert first.context["page"].prev_cursor is None and first.context["page"].next_cursor
    second = c.get("/review/", {"after": first.context["page"].next_cursor})
    assert [a.pk for a in second.context["page"].rows] == [a.pk for a in apps[20:]]
    assert second.context["page"].next_cursor is None and second.context["page"].prev_cursor
    assert 'rel="prev"' in second.content.decode()
    back = c.get("/review/", {"before": second.context["page"].prev_cursor})
    assert [a.pk for a in back.context["page"].rows] == [a.pk for a in apps[:20]]
    assert back.context["page"].prev_cursor is None and back.context["page"].next_cursor
    # Narrowed by an employer, the state's count is shown as such, not as the filter's total.
    narrowed = c.get("/review/?employer=乙")
    assert not narrowed.context["exact"] and "该状态共" in narrowed.content.decode()


# ---------------------------------------------------------------- 领取下一件 and bulk


def test_claim_next_takes_the_file_due_first_and_the_next_reviewer_the_one_after(world) -> None:  # type: ignore[no-untyped-def]
    later = reported(world, 12, "王甲", deadline_in=9)
    sooner = reported(world, 14, "李乙", deadline_in=2)
    r = world["client"].post("/review/next/")
    assert r["Location"] == f"/review/applications/{sooner.number}/"
    other = cast.reviewer("lisi")
    assert work.claim_next(user=other).pk == later.pk
    r = world["client"].post("/review/next/", follow=True)
    assert "待审查队列中没有办件" in r.content.decode()
    assert Application.objects.get(pk=sooner.pk).claimed_by_id == world["reviewer"].pk


def test_bulk_claim_and_release(world) -> None:  # type: ignore[no-untyped-def]
    a, b, taken = (reported(world, 12 + 2 * i, n) for i, n in enumerate(["王甲", "李乙", "赵丙"]))
    services.application_claim(application_id=taken.pk, user=cast.reviewer("lisi"))
    c = world["client"]
    r = c.post("/review/bulk/", {"action": "claim", "numbers": [a.number, b.number, taken.number]}, follow=True)
    page = r.content.decode()
    assert "已领取 2 件" in page and f"{taken.number}：" in page
    assert set(Application.objects.filter(claimed_by=world["reviewer"]).values_list("pk", flat=True)) == {a.pk, b.pk}
    r = c.post("/review/bulk/", {"action": "release", "numbers": [a.number, b.number]}, follow=True)
    assert "已释放 2 件" in r.content.decode()
    assert Application.objects.filter(pk__in=[a.pk, b.pk], state=State.AWAITING_REVIEW, claimed_by=None).count() == 2
    assert "请先勾选办件" in c.post("/review/bulk/", {"action": "claim"}, follow=True).content.decode()


# ---------------------------------------------------------------- team lead


def test_team_lead_sees_each_reviewers_load_and_reassigns(world) -> None:  # type: ignore[no-untyped-def]
    a = reported(world, 12, "王甲")
    b = reported(world, 14, "李乙")
    services.application_claim(application_id=a.pk, user=world["reviewer"])
    other = cast.reviewer("lisi")
    boss, boss_client = lead()
    assert world["client"].get("/review/team/").status_code == 403
    page = boss_client.get("/review/team/")
    loads = {load.user.username: load.in_review for load in page.context["loads"]}
    assert loads == {"shencha": 1, "lisi": 0, "zuzhang": 0}
    r = boss_client.post(f"/review/applications/{a.number}/reassign/", {"to": other.pk}, follow=True)
    assert "已改派给" in r.content.decode()
    assert Application.objects.get(pk=a.pk).claimed_by_id == other.pk
    event = Application.objects.get(pk=a.pk).events.last()
    assert event.action == "reassign" and event.actor_user_id == boss.pk
    # A file nobody has claimed yet, handed out from the queue.
    r = boss_client.post("/review/bulk/", {"action": "reassign", "to": other.pk, "numbers": [b.number]}, follow=True)
    assert "已改派 1 件" in r.content.decode()
    assert Application.objects.get(pk=b.pk).state == State.IN_REVIEW
    assert {ld.user.username: ld.in_review for ld in work.reviewer_load()}["lisi"] == 2
    # The old claimer no longer acts on it; a reviewer is no team lead.
    r = world["client"].post(f"/review/applications/{a.number}/approve/", follow=True)
    assert "其他审查人员" in r.content.decode()
    r = world["client"].post(f"/review/applications/{a.number}/reassign/", {"to": world["reviewer"].pk}, follow=True)
    assert "您不是组长" in r.content.decode()
    r = boss_client.post(f"/review/applications/{a.number}/reassign/", {"to": ""}, follow=True)
    assert "请选择审查人员" in r.content.decode()


def test_a_team_lead_alone_reaches_the_console_but_does_not_decide(world) -> None:  # type: ignore[no-untyped-def]
    user = cast.reviewer("zuzhang2", work.TEAM_LEAD_GROUP)
    c = review_client(user)
    assert c.get("/review/").status_code == 200 and c.get("/review/team/").status_code == 200
    app = reported(world, 12, "王甲")
    r = c.post(f"/review/applications/{app.number}/claim/", follow=True)
    assert "您不是审查人员" in r.content.decode()


# ---------------------------------------------------------------- the case page


def test_case_page_shows_registration_certificate_other_cases_roster_and_earlier_decisions(world) -> None:  # type: ignore[no-untyped-def]
    emp = world["emp"]
    person = cast.applicant(12, "王甲")
    earlier = cast.in_review(cast.submitted(person, emp), world["staff"], world["reviewer"])
    services.application_approve(application_id=earlier.pk, user=world["reviewer"], comment="材料齐全")
    until = timezone.localdate() + dt.timedelta(days=60)  # the renewal window is open
    Registration.objects.filter(applicant=person).update(valid_until=until)
    renewal = cast.submitted(person, emp, BusinessType.RENEWAL, data={"employer": emp.uscc})
    services.application_report(application_id=renewal.pk, staff=world["staff"])
    # Another open case, as data from before the one-change-at-a-time rule may hold.
    change = Application.objects.create(applicant=person, business_type=BusinessType.CHANGE, employer=emp,
                                        state=State.AWAITING_EMPLOYER, data={"employer": emp.uscc},
                                        submitted_at=timezone.now())
    change.issue_number()
    change.save()
    person.refresh_from_db()
    r = world["client"].get(f"/review/applications/{renewal.number}/")
    case = r.context["case"]
    page = r.content.decode()
    reg = person.registration
    assert case.registration == reg and case.certificate.number in page and reg.number in page
    assert [a.pk for a in case.open_cases] == [change.pk] and change.number in page
    assert [a.pk for a in case.past_cases] == [earlier.pk] and "准予注册" in page and "材料齐全" in page
    assert case.qualification.certificate_number in page


def test_case_page_flags_a_typed_qualification_that_differs_from_the_roster(world) -> None:  # type: ignore[no-untyped-def]
    app = reported(world, 12, "王甲")
    Application.objects.filter(pk=app.pk).update(data={**app.data, "qualification_number": "WRONG-999"})
    page = world["client"].get(f"/review/applications/{app.number}/").content.decode()
    assert "资格证书编号与监理工程师职业资格库中的记录不符" in page


def test_shortcut_hints_on_a_claimed_file(world) -> None:  # type: ignore[no-untyped-def]
    app = reported(world, 12, "王甲")
    c = world["client"]
    page = c.get(f"/review/applications/{app.number}/").content.decode()
    assert 'data-key="c"' in page and "<kbd>C</kbd>" in page and 'data-key="a"' not in page
    c.post(f"/review/applications/{app.number}/claim/")
    page = c.get(f"/review/applications/{app.number}/").content.decode()
    for key in "abr":
        assert f'data-key="{key}"' in page and f"<kbd>{key.upper()}</kbd>" in page
    assert 'data-draft="approve"' in page and 'data-draft="correction"' in page and "js/review.js" in page


# ---------------------------------------------------------------- session and sign-in


def test_staff_pages_carry_the_seconds_left_and_extending_renews(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_AGE = 600
    c = world["client"]
    r = c.get("/review/")
    assert 'data-idle-seconds="600"' in r.content.decode()
    assert 'data-signed-out="/review/login/?next=/review/"' in r.content.decode()
    settings.JIANLI_SESSION_ABSOLUTE_SECONDS = 300  # the absolute lifetime ends first
    body = c.post("/review/session/extend/").json()
    assert body["signed_in"] and 0 < body["seconds_left"] <= 300
    assert Client().post("/review/session/extend/").status_code == 401


def _sign_in(user, next_url: str):  # type: ignore[no-untyped-def]
    from jianli.testing.cast import PASSWORD

    device = device_for(user)
    return Client().post(f"/review/login/?next={next_url}",
                         {"username": user.username, "password": PASSWORD, "token": code(device)})


@pytest.mark.parametrize("next_url, expected", [
    ("/review/applications/JL1/", "/review/applications/JL1/"),
    ("/review/%3Fstate%3Din_review", "/review/?state=in_review"),
    ("https://evil.example/", "/review/"),
    ("//evil.example/", "/review/"),
    ("javascript:alert(1)", "/review/"),
])
def test_sign_in_honours_a_safe_next(db, next_url: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    user = cast.reviewer()
    r = _sign_in(user, next_url)
    assert r.status_code == 302 and r["Location"] == expected


def test_a_signed_out_page_sends_to_sign_in_and_back(world) -> None:  # type: ignore[no-untyped-def]
    app = reported(world, 12, "王甲")
    c = Client()
    r = c.get(f"/review/applications/{app.number}/")
    assert r["Location"] == f"/review/login/?next=%2Freview%2Fapplications%2F{app.number}%2F"
    # A decision sent after the session ended comes back to the page the form was on.
    r = c.post(f"/review/applications/{app.number}/approve/", {"comment": "同意"},
               HTTP_REFERER=f"http://testserver/review/applications/{app.number}/")
    assert r["Location"] == f"/review/login/?next=%2Freview%2Fapplications%2F{app.number}%2F"
    r = c.post(f"/review/applications/{app.number}/approve/", HTTP_REFERER="https://evil.example/x")
    assert r["Location"] == "/review/login/"
