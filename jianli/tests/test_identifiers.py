from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jianli import identifiers as ids
from jianli.identifiers import InvalidIdentifier

provinces = st.sampled_from(sorted(ids.PROVINCE_CODES))
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))


def build(province: int, born: dt.date, seq: int) -> str:
    first17 = f"{province:02d}0101{born:%Y%m%d}{seq:03d}"
    return first17 + ids.id_check_character(first17)


@given(provinces, births, st.integers(0, 999))
def test_valid_numbers_pass_and_derive_birth_date_and_sex(province, born, seq):
    from stdnum.cn import ric

    number = build(province, born, seq)
    assert ids.clean_id_number(number) == number
    assert ric.calc_check_digit(number) == number[17]  # python-stdnum as an independent oracle
    assert ids.birth_date(number) == born
    assert ids.sex(number) == ("M" if seq % 2 else "F")


@given(provinces, births, st.integers(0, 999))
def test_spaces_hyphens_and_lower_x_are_normalised(province, born, seq):
    number = build(province, born, seq)
    messy = f" {number[:6]}-{number[6:14]} {number[14:]} ".lower()
    assert ids.clean_id_number(messy) == number


@given(provinces, births, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(province, born, seq, pos, delta):
    number = build(province, born, seq)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    with pytest.raises(InvalidIdentifier):
        ids.clean_id_number(changed)


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "请输入身份证号码"),
        ("11010119900307", "身份证号码应为18位"),
        ("1101011990030777777", "身份证号码应为18位"),
        ("11010119900307A77X", "身份证号码前17位应为数字，最后一位为数字或X"),
        (build(11, dt.date(1990, 3, 7), 777)[:0] + "99" + build(11, dt.date(1990, 3, 7), 777)[2:], "地址码无效"),
        ("110101199002307771", "出生日期无效"),
        ("110101299001017771", "出生日期无效"),
    ],
)
def test_each_failure_has_its_own_message(value, message):
    with pytest.raises(InvalidIdentifier) as e:
        ids.clean_id_number(value)
    assert message in e.value.message


def test_wrong_check_character_is_named():
    number = build(11, dt.date(1990, 3, 7), 777)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(InvalidIdentifier) as e:
        ids.clean_id_number(wrong)
    assert e.value.message.startswith("校验位不正确")


def test_birth_date_in_the_future_is_refused():
    number = build(11, dt.date(2026, 12, 1), 1)
    with pytest.raises(InvalidIdentifier, match="出生日期无效"):
        ids.clean_id_number(number, today=dt.date(2026, 11, 25))


def test_age_turns_on_the_birthday():
    number = build(11, dt.date(1961, 11, 25), 1)
    assert ids.age_on(number, dt.date(2026, 11, 24)) == 64
    assert ids.age_on(number, dt.date(2026, 11, 25)) == 65


def test_leap_day_birth_is_valid():
    assert ids.birth_date(ids.clean_id_number(build(11, dt.date(2000, 2, 29), 5))) == dt.date(2000, 2, 29)


def test_mask_shows_first_three_and_last_four():
    assert ids.mask_id_number("11010119900307777X") == "110***********777X"


uscc_body = st.text(alphabet=ids.USCC_ALPHABET, min_size=9, max_size=9)


def make_uscc(division: str, body: str) -> str:
    first17 = f"91{division}{body}"
    return first17 + ids.uscc_check_character(first17)


@given(st.integers(110000, 659999).map(str), uscc_body)
def test_valid_uscc_passes_and_matches_stdnum(division, body):
    from stdnum.cn import uscc

    code = make_uscc(division, body)
    assert ids.clean_uscc(code.lower()) == code
    assert uscc.is_valid(code)


@given(st.integers(110000, 659999).map(str), uscc_body, st.integers(0, 16), st.sampled_from(ids.USCC_ALPHABET))
def test_uscc_single_character_change_is_caught(division, body, pos, replacement):
    code = make_uscc(division, body)
    if code[pos] == replacement:
        return
    changed = code[:pos] + replacement + code[pos + 1 :]
    with pytest.raises(InvalidIdentifier):
        ids.clean_uscc(changed)


@pytest.mark.parametrize(
    "value, message",
    [("", "请输入"), ("91110105MA01AB2C3", "应为18位"), ("91110105MA01AB2CI0", "无效字符")],
)
def test_uscc_messages(value, message):
    with pytest.raises(InvalidIdentifier, match=message):
        ids.clean_uscc(value)


@given(st.integers(3, 9), st.integers(0, 10**9 - 1))
def test_mobile_numbers(second, rest):
    number = f"1{second}{rest:09d}"
    assert ids.clean_mobile(f"+86 {number[:3]}-{number[3:7]}-{number[7:]}") == number


@pytest.mark.parametrize(
    "value, message", [("", "请输入手机号码"), ("1380013800", "应为11位"), ("12800138000", "格式不正确"), ("1380013800a", "只能包含数字")]
)
def test_mobile_messages(value, message):
    with pytest.raises(InvalidIdentifier, match=message):
        ids.clean_mobile(value)
