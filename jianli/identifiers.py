"""Chinese identifiers: 居民身份证号码 (GB 11643-1999), 统一社会信用代码 (GB 32100-2015), mobile numbers.

Plain functions: each `clean_*` returns the normalised value or raises `InvalidIdentifier` with a message
in Chinese that says exactly what is wrong.

What is typed is NFKC-normalised first (full-width １２３ from a Chinese keyboard becomes 123, the same person),
then only ASCII digits count as digits: str.isdigit() and a regular expression's Unicode digit class also accept Arabic-Indic ١٢٣ and
dozens of other scripts, which int() reads as the same numbers while their bytes, and so the lookup hash, the
rate-limit key and the unique constraint, differ.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46]
    + [50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_STRAY = re.compile(r"[\s\-‐‑–—]+")
_ID_FORMAT = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


FOREIGN_DIGITS = "{}只能填写数字0-9，其中有其他文字的数字符号，请重新输入"


class InvalidIdentifier(ValueError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def normalise(value: str) -> str:
    """NFKC, without spaces and dashes, upper case: the one spelling of an identifier (may still be invalid)."""
    return _STRAY.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def _foreign_digits(value: str) -> bool:
    """Digits of another script (Arabic-Indic, Devanagari, …) that NFKC leaves as they are."""
    return any(unicodedata.category(c) == "Nd" and not c.isascii() for c in value)


def is_ascii_identifier(value: str) -> bool:
    """Stored identifiers are their normalised spelling, all ASCII."""
    return value.isascii() and value == normalise(value)


def id_check_character(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def clean_id_number(value: str, *, today: dt.date | None = None) -> str:
    number = normalise(value)
    if not number:
        raise InvalidIdentifier("请输入身份证号码", "required")
    if _foreign_digits(number):
        raise InvalidIdentifier(FOREIGN_DIGITS.format("身份证号码"), "format")
    if len(number) != 18:
        raise InvalidIdentifier("身份证号码应为18位", "length")
    if not _ID_FORMAT.fullmatch(number):
        raise InvalidIdentifier("身份证号码前17位应为数字，最后一位为数字或X", "format")
    if int(number[:2]) not in PROVINCE_CODES:
        raise InvalidIdentifier("身份证号码的地址码无效（前两位不是有效的省级行政区代码）", "region")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier("出生日期无效", "birth_date") from None
    if birth > (today or dt.date.today()) or birth.year < 1900:
        raise InvalidIdentifier("出生日期无效", "birth_date")
    if id_check_character(number[:17]) != number[17]:
        raise InvalidIdentifier("校验位不正确，请核对身份证号码", "checksum")
    return number


def birth_date(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def age_on(id_number: str, day: dt.date) -> int:
    born = birth_date(id_number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def sex(id_number: str) -> str:
    """'M' or 'F' from the sequence digit (odd = male)."""
    return "M" if int(id_number[16]) % 2 else "F"


def mask_id_number(id_number: str) -> str:
    """First 3 and last 4 characters shown: 110***********1234."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def make_id_number(region: str, born: dt.date, sequence: int) -> str:
    """A valid 居民身份证号码 (demo and test people)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


def make_uscc(division: str, org: str) -> str:
    """A valid 统一社会信用代码 of a company (demo and test employers)."""
    first17 = f"91{division}{org}"
    assert len(first17) == 17 and all(c in USCC_ALPHABET for c in first17)
    return first17 + uscc_check_character(first17)


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def clean_uscc(value: str) -> str:
    code = normalise(value)
    if not code:
        raise InvalidIdentifier("请输入统一社会信用代码", "required")
    if _foreign_digits(code):
        raise InvalidIdentifier(FOREIGN_DIGITS.format("统一社会信用代码的数字"), "format")
    if len(code) != 18:
        raise InvalidIdentifier("统一社会信用代码应为18位", "length")
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise InvalidIdentifier(f"统一社会信用代码含有无效字符：{''.join(bad)}（不使用I、O、Z、S、V）", "format")
    if not _DIGITS.fullmatch(code[2:8]):
        raise InvalidIdentifier("统一社会信用代码第3至8位应为行政区划代码（数字）", "format")
    if uscc_check_character(code[:17]) != code[17]:
        raise InvalidIdentifier("统一社会信用代码校验位不正确", "checksum")
    return code


_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)


def clean_mobile(value: str) -> str:
    number = normalise(value)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    if not number:
        raise InvalidIdentifier("请输入手机号码", "required")
    if _foreign_digits(number):
        raise InvalidIdentifier(FOREIGN_DIGITS.format("手机号码"), "format")
    if not _DIGITS.fullmatch(number):
        raise InvalidIdentifier("手机号码只能包含数字", "format")
    if len(number) != 11:
        raise InvalidIdentifier("手机号码应为11位", "length")
    if not _MOBILE.fullmatch(number):
        raise InvalidIdentifier("手机号码格式不正确，应以13-19开头", "format")
    return number


def mask_mobile(number: str) -> str:
    return number[:3] + "****" + number[-4:] if len(number) == 11 else "*" * len(number)
