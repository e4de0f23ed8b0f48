"""Identifiers are ASCII after NFKC: full-width digits are the same person, other scripts' digits are refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jianli import identifiers as ids
from jianli import testing
from jianli.accounts.models import Applicant
from jianli.testing import cast

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def test_full_width_identifiers_normalise_to_the_ascii_spelling():
    number, uscc = testing.id_number(), testing.uscc(3)
    assert ids.clean_id_number(number.translate(FULL_WIDTH)) == number
    assert ids.clean_mobile("１３９１２３４５６７８") == "13912345678"
    assert ids.clean_uscc(uscc.translate(str.maketrans("0123456789ABCDM", "０１２３４５６７８９ＡＢＣＤＭ"))) == uscc


@pytest.mark.parametrize("table", [ARABIC_INDIC, DEVANAGARI])
def test_digits_of_other_scripts_are_refused_with_a_chinese_message(table):
    number = testing.id_number()
    for clean, value, label in [
        (ids.clean_id_number, number.translate(table), "身份证号码"),
        (ids.clean_id_number, number[:10] + number[10:].translate(table), "身份证号码"),
        (ids.clean_mobile, "139" + "12345678".translate(table), "手机号码"),
        (ids.clean_uscc, testing.uscc(3)[:2] + testing.uscc(3)[2:].translate(table), "统一社会信用代码"),
    ]:
        with pytest.raises(ids.InvalidIdentifier) as refused:
            clean(value)
        assert refused.value.message.startswith(label) and "0-9" in refused.value.message


def _visitor() -> Client:
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    return client


@pytest.mark.django_db
def test_a_full_width_id_number_finds_the_same_person():
    applicant = cast.applicant()
    response = _visitor().post("/check/", {"name": applicant.name, "id_number": applicant.id_number.translate(FULL_WIDTH)})
    assert response.status_code == 302 and response["Location"] == "/face/"


@pytest.mark.django_db
def test_an_arabic_indic_id_number_is_refused_at_its_field_not_looked_up():
    applicant = cast.applicant()
    response = _visitor().post("/check/", {"name": applicant.name, "id_number": applicant.id_number.translate(ARABIC_INDIC)})
    page = response.content.decode()
    assert response.status_code == 422 and "身份证号码只能填写数字0-9" in page


@pytest.mark.django_db
def test_the_rate_limit_counts_every_spelling_of_one_number(settings):
    settings.JIANLI_RATE_CHECK_PER_ID = (2, 3600)
    number = testing.id_number()
    client = _visitor()
    for spelling in (number, f"{number[:6]} {number[6:]}"):
        assert client.post("/check/", {"name": "张三", "id_number": spelling}).status_code == 200
    response = client.post("/check/", {"name": "张三", "id_number": number.translate(FULL_WIDTH)})
    assert response.status_code == 429


@pytest.mark.django_db
def test_an_sms_code_sent_to_a_full_width_number_is_the_same_number(settings):
    from jianli.accounts import services

    request = Client().get("/").wsgi_request
    code = services.sms_code_send(mobile="１３９１２３４５６７８", request=request)
    services.sms_code_check(mobile="13912345678", code=code.translate(FULL_WIDTH))


@pytest.mark.django_db
def test_check_identifiers_reports_stored_rows_that_are_not_ascii():
    cast.applicant()
    out = io.StringIO()
    call_command("check_identifiers", stdout=out)
    assert "all stored identifiers are ASCII" in out.getvalue()
    bad = Applicant(name="李四", id_number=testing.id_number(sequence=44).translate(ARABIC_INDIC),
                    mobile="１３９１２３４５６７８")
    bad.save()
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 stored identifier"):
        call_command("check_identifiers", stdout=out)
    assert f"applicant {bad.pk} id_number" in out.getvalue() and f"applicant {bad.pk} mobile" in out.getvalue()
    assert bad.id_number[4:14] not in out.getvalue()
