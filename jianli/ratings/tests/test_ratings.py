"""好差评 (issue 17 item 4): once per ended application, changeable for JIANLI_RATING_CHANGE_DAYS, a 差评 opens a
follow-up with a deadline in working days; staff see aggregates and the follow-ups, on the page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jianli.errors import ServiceError
from jianli.ratings import services
from jianli.ratings.models import FollowUp, Rating
from jianli.registrations import calendar
from jianli.registrations.models import Application, State
from jianli.testing import cast
from jianli.testing.cast import review_client


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "甲监理公司")
    person = cast.applicant(name="王建国")
    app = cast.submitted(person, emp)
    return {"emp": emp, "person": person, "app": app, "staff": cast.staff(emp), "reviewer": cast.reviewer()}


def ended(app: Application, state: State = State.APPROVED) -> Application:
    Application.objects.filter(pk=app.pk).update(state=state, decided_at=timezone.now())
    app.refresh_from_db()
    return app


def test_an_open_application_cannot_be_rated(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as e:
        services.rating_give(application_id=world["app"].pk, applicant=world["person"], level=5)
    assert e.value.status == 409 and "办结或撤回后" in e.value.message


@pytest.mark.parametrize("state", [State.APPROVED, State.REJECTED, State.WITHDRAWN])
def test_rated_once_then_changed_within_the_period_then_no_more(world, state, settings) -> None:  # type: ignore[no-untyped-def]
    app = ended(world["app"], state)
    rating = services.rating_give(application_id=app.pk, applicant=world["person"], level="4", comment="办理很快")
    assert rating.get_level_display() == "满意"
    services.rating_give(application_id=app.pk, applicant=world["person"], level=5, comment="")
    assert Rating.objects.filter(application=app).count() == 1  # once: the second call changed it
    rating.refresh_from_db()
    assert rating.level == 5 and rating.changes == 1
    # the period counts from the first rating: 15 days (a setting)
    Rating.objects.filter(pk=rating.pk).update(created_at=timezone.now() - dt.timedelta(days=15, minutes=1))
    with pytest.raises(ServiceError) as e:
        services.rating_give(application_id=app.pk, applicant=world["person"], level=1, comment="太慢")
    assert e.value.code == "rating_closed" and "15天" in e.value.message
    rating.refresh_from_db()
    assert rating.level == 5
    settings.JIANLI_RATING_CHANGE_DAYS = 30
    services.rating_give(application_id=app.pk, applicant=world["person"], level=3)


def test_only_the_applicant_rates_and_input_is_checked(world) -> None:  # type: ignore[no-untyped-def]
    app = ended(world["app"])
    with pytest.raises(ServiceError) as e:
        services.rating_give(application_id=app.pk, applicant=cast.applicant(name="赵丙", sequence=16), level=5)
    assert e.value.status == 404
    for level, comment, field in [(0, "", "level"), ("x", "", "level"), (6, "", "level"), (2, "", "comment"),
                                  (5, "a\x00b", "comment"), (5, "长" * 501, "comment")]:
        with pytest.raises(ServiceError) as e:
            services.rating_give(application_id=app.pk, applicant=world["person"], level=level, comment=comment)
        assert field in e.value.fields
    assert not Rating.objects.exists()


def test_a_poor_rating_opens_a_follow_up_due_in_working_days(world, settings) -> None:  # type: ignore[no-untyped-def]
    app = ended(world["app"], State.REJECTED)
    services.rating_give(application_id=app.pk, applicant=world["person"], level=2, comment="退回理由没有说清楚")
    (item,) = FollowUp.objects.all()
    assert item.status == FollowUp.Status.OPEN and item.level == 2
    assert item.due == calendar.add_working_days(timezone.localdate(), 15)
    # still poor: the same item; changed to a good rating: closed, said so; poor again: a new item
    services.rating_give(application_id=app.pk, applicant=world["person"], level=1, comment="仍然不满意")
    assert FollowUp.objects.count() == 1 and FollowUp.objects.get().level == 1
    services.rating_give(application_id=app.pk, applicant=world["person"], level=4, comment="已电话解释，满意")
    item.refresh_from_db()
    assert item.status == FollowUp.Status.CLOSED and "改评为“满意”" in str(item.note)
    services.rating_give(application_id=app.pk, applicant=world["person"], level=1, comment="又不满意了")
    assert FollowUp.objects.filter(status=FollowUp.Status.OPEN).count() == 1
    settings.JIANLI_RATING_FOLLOW_UP_DAYS = 5
    other = ended(cast.submitted(cast.applicant(name="李乙", sequence=14), world["emp"]))
    services.rating_give(application_id=other.pk, applicant=other.applicant, level=1, comment="差")
    assert FollowUp.objects.get(application=other).due == calendar.add_working_days(timezone.localdate(), 5)
    # good ratings open nothing
    third = ended(cast.submitted(cast.applicant(name="钱丁", sequence=18), world["emp"]))
    services.rating_give(application_id=third.pk, applicant=third.applicant, level=3)
    assert not FollowUp.objects.filter(application=third).exists()


def test_staff_see_aggregates_and_close_follow_ups(world) -> None:  # type: ignore[no-untyped-def]
    app = ended(world["app"])
    services.rating_give(application_id=app.pk, applicant=world["person"], level=5, comment="很好的服务-私密")
    other = ended(cast.submitted(cast.applicant(name="李乙", sequence=14), world["emp"]))
    services.rating_give(application_id=other.pk, applicant=other.applicant, level=1, comment="材料被退回三次")
    client = review_client(world["reviewer"])
    page = client.get("/review/ratings/").content.decode()
    assert 'data-rating="5">1<' in page and 'data-rating="1">1<' in page and 'data-rating="3">0<' in page
    assert "<svg" in page and "平均 3.00 分" in page
    assert "很好的服务-私密" not in page  # a good rating is seen only in aggregate
    assert "材料被退回三次" in page and str(other.number) in page  # a 差评 to follow up
    item = FollowUp.objects.get()
    r = client.post(f"/review/ratings/{item.pk}/close/", {"note": ""}, follow=True)
    assert "请填写整改情况" in r.content.decode()
    client.post(f"/review/ratings/{item.pk}/close/", {"note": "已电话联系申请人，说明补正要求并改进告知书"})
    item.refresh_from_db()
    assert item.status == FollowUp.Status.CLOSED and item.closed_by == world["reviewer"]
    assert Client().get("/review/ratings/").status_code == 302


def test_the_applicant_rates_from_the_progress_page(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    cast.sign_in(client, world["person"])
    app = world["app"]
    assert "评价本次服务" not in client.get(f"/progress/{app.pk}/").content.decode()
    ended(app)
    assert "评价本次服务" in client.get(f"/progress/{app.pk}/").content.decode()
    r = client.post(f"/progress/{app.pk}/rating/", {"level": "1", "comment": ""})
    assert r.status_code == 422 and "请写明不满意的原因" in r.content.decode()
    r = client.post(f"/progress/{app.pk}/rating/", {"level": "1", "comment": "等了很久\x00"})
    assert r.status_code == 422 and "等了很久" in r.content.decode()  # nothing typed is lost
    r = client.post(f"/progress/{app.pk}/rating/", {"level": "2", "comment": "等了很久"})
    assert r.status_code == 302
    page = client.get(f"/progress/{app.pk}/").content.decode()
    assert "您的评价" in page and "不满意" in page and "修改评价" in page
    staff = review_client(world["reviewer"])
    assert "您的评价" not in staff.get(f"/progress/{app.pk}/").content.decode()


def test_the_api_reads_and_puts_the_rating(world) -> None:  # type: ignore[no-untyped-def]
    from jianli.api import credentials

    def applicant_token(person):  # type: ignore[no-untyped-def]
        return credentials.token_pair_issue(applicant=person, profile=person.profile).access_token

    token = applicant_token(world["person"])
    bearer = f"Bearer {token}"
    client = Client()
    url = f"/api/v1/applications/{world['app'].pk}/rating"
    body = client.get(url, HTTP_AUTHORIZATION=bearer).json()
    assert body["rateable"] is False and body["rating"] is None and len(body["levels"]) == 5
    r = client.put(url, {"level": 5}, content_type="application/json", HTTP_AUTHORIZATION=bearer)
    assert r.status_code == 409
    ended(world["app"])
    r = client.put(url, {"level": 2}, content_type="application/json", HTTP_AUTHORIZATION=bearer)
    assert r.status_code == 422
    r = client.put(url, {"level": "5"}, content_type="application/json", HTTP_AUTHORIZATION=bearer)
    assert r.status_code == 422  # strict types
    r = client.put(url, {"level": 4, "comment": "顺利"}, content_type="application/json", HTTP_AUTHORIZATION=bearer)
    assert r.status_code == 200 and r.json()["rating"]["label"] == "满意" and r.json()["may_change"] is True
    stranger = applicant_token(cast.applicant(name="赵丙", sequence=16))
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {stranger}").status_code == 404
