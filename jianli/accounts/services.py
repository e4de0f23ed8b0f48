"""Applicants: the registered-user check, SMS codes, registration, sign-in and profile changes."""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from PIL import ImageOps

from jianli import images, pii, ratelimit, text
from jianli.accounts import fixed_reads
from jianli.accounts.models import Applicant, PlatformIdentity, Profile
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_id_number, clean_mobile, normalise
from jianli.identity.faces import check_reference_photo
from jianli.notifications.sms import get_sms_provider

SMS_CODE_TTL = 300
# Said the same whether the number is registered or cannot be registered for another reason.
REGISTER_REFUSED = (
    "无法使用该身份证号码完成注册。如您此前已注册，请返回使用“已注册用户”验证后进行人脸识别；如有疑问，请拨打联系电话。"
)
MAX_IMAGE_UPLOAD = 8 * 1024 * 1024


def _field_error(field: str, message: str, code: str = "invalid") -> ServiceError:
    return ServiceError(code, message, fields={field: message}, status=422)


def clean_name(value: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise _field_error("name", "请输入姓名", "required")
    return text.check(name, field="name", label="姓名", max_length=50)


def clean_image(data: bytes, *, field: str, size: int, square: bool) -> bytes:
    """Decode an uploaded picture, then re-encode it as JPEG on the server (drops EXIF and anything hidden)."""
    if not data:
        raise _field_error(field, "所选文件为空，请重新选择", "empty")
    if len(data) > MAX_IMAGE_UPLOAD:
        raise _field_error(field, "图片不能超过8MB", "too_large")
    with images.opened(data, field=field, draft=(size, size)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    if square:
        image = ImageOps.fit(image, (size, size))
    else:
        image.thumbnail((size, size))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def clean_nickname(value: str) -> str:
    nickname = " ".join((value or "").split())
    if not nickname:
        raise _field_error("nickname", "请输入昵称", "required")
    return text.check(nickname, field="nickname", label="昵称", max_length=20)


def profile_create_allowed(request: HttpRequest) -> None:
    """First use takes no account: each attempt (page or API) counts against the address, picture or not."""
    ratelimit.enforce(
        "profile-addr",
        ratelimit.client_address(request),
        settings.JIANLI_RATE_API_PROFILE_PER_ADDRESS,
        "操作过于频繁，请稍后再试。",
    )


def profile_create(*, nickname: str, avatar: bytes | None) -> Profile:
    profile = Profile(nickname=clean_nickname(nickname))
    if avatar is not None:
        profile.set_avatar(clean_image(avatar, field="avatar", size=256, square=True))
    profile.save()
    return profile


def profile_update(
    *, profile: Profile, nickname: str | None = None, avatar: bytes | None = None, request: HttpRequest | None = None
) -> Profile:
    """昵称 and 头像 (page or API); a registered applicant's change is audited."""
    changed = []
    if nickname is not None:
        profile.nickname = clean_nickname(nickname)
        changed.append("nickname")
    if avatar is not None:
        profile.set_avatar(clean_image(avatar, field="avatar", size=256, square=True))
        changed.append("avatar")
    profile.save()
    if changed and profile.applicant_id is not None:
        events.profile_changed(request, profile.applicant_id, changed)
    return profile


def _clean_person(name: str, id_number: str, errors: dict[str, str]) -> tuple[str, str]:
    """姓名 and 身份证号码 cleaned; what is wrong goes into `errors` by field, so all are reported at once."""
    try:
        name = clean_name(name)
    except ServiceError as e:
        errors.update(e.fields)
    try:
        id_number = clean_id_number(id_number)
    except InvalidIdentifier as e:
        errors["id_number"] = e.message
    return name, id_number


def registered_user_check(*, name: str, id_number: str, request: HttpRequest) -> Applicant | None:
    """The registered-user check (图5): found only when both name and number match."""
    ratelimit.enforce(
        "check-addr",
        ratelimit.client_address(request),
        settings.JIANLI_RATE_CHECK_PER_ADDRESS,
        "查询过于频繁，请1分钟后再试。",
    )
    errors: dict[str, str] = {}
    name, id_number = _clean_person(name, id_number, errors)
    if errors:
        raise ServiceError("invalid", "请检查填写的信息", fields=errors, status=422)
    ratelimit.enforce(
        "check-id", pii.lookup_hash(id_number), settings.JIANLI_RATE_CHECK_PER_ID, "该证件号码查询过于频繁，请稍后再试。"
    )
    applicant = Applicant.objects.by_id_number(id_number).filter(name=name).first()
    events.registered_user_checked(request, found=applicant is not None)
    return applicant


def _code_key(mobile: str) -> str:
    return "sms-code:" + pii.lookup_hash(mobile)


def _code_digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def sms_code_send(*, mobile: str, request: HttpRequest) -> str:
    """Send a 6-digit code to the number; returns it (shown only in the embedded demo)."""
    try:
        mobile = clean_mobile(mobile)
    except InvalidIdentifier as e:
        raise _field_error("mobile", e.message, e.code) from None
    ratelimit.enforce(
        "sms-addr", ratelimit.client_address(request), settings.JIANLI_RATE_SMS_PER_ADDRESS, "发送过于频繁，请稍后再试。"
    )
    ratelimit.enforce(
        "sms-number", pii.lookup_hash(mobile), settings.JIANLI_RATE_SMS_PER_NUMBER, "该手机号码1小时内获取验证码次数已达上限，请稍后再试。"
    )
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_code_key(mobile), {"digest": _code_digest(code), "tries": 0}, SMS_CODE_TTL)
    get_sms_provider().send(mobile, f"【住建部政务服务】您的验证码为{code}，5分钟内有效。请勿告诉他人。")
    return code


def sms_code_check(*, mobile: str, code: str) -> None:
    key = _code_key(mobile)
    entry = cache.get(key)
    if not entry:
        raise _field_error("sms_code", "验证码已过期或未获取，请重新获取", "expired")
    if entry["tries"] >= 5:
        cache.delete(key)
        raise _field_error("sms_code", "验证码错误次数过多，请重新获取", "locked")
    if not hmac.compare_digest(entry["digest"], _code_digest(normalise(code or ""))):
        entry["tries"] += 1
        cache.set(key, entry, SMS_CODE_TTL)
        raise _field_error("sms_code", "验证码不正确", "mismatch")
    cache.delete(key)


def applicant_register(
    *,
    name: str,
    id_number: str,
    mobile: str,
    sms_code: str,
    id_photo: bytes | None,
    profile: Profile | None,
    request: HttpRequest | None = None,
) -> Applicant:
    """用户注册 (图6). Every field is checked; all errors come back together, per field.

    Whether the ID number is already registered is said only once everything else holds, the SMS code
    included, and then in words that do not confirm it: registration must not be a way to learn who is
    registered. Attempts are limited per address and per ID number.
    """
    if request is not None:
        ratelimit.enforce(
            "register-addr",
            ratelimit.client_address(request),
            settings.JIANLI_RATE_SIGNUP_PER_ADDRESS,
            "注册尝试过于频繁，请稍后再试。",
        )
    errors: dict[str, str] = {}
    name, id_number = _clean_person(name, id_number, errors)
    if "id_number" not in errors:
        ratelimit.enforce(
            "register-id",
            pii.lookup_hash(id_number),
            settings.JIANLI_RATE_SIGNUP_PER_ID,
            "该证件号码注册尝试过于频繁，请稍后再试。",
        )
    try:
        mobile = clean_mobile(mobile)
    except InvalidIdentifier as e:
        errors["mobile"] = e.message
    photo = None
    if not id_photo:
        errors["id_photo"] = "请上传证件照"
    else:
        try:
            photo = clean_image(id_photo, field="id_photo", size=1024, square=False)
            check_reference_photo(photo)
        except ServiceError as e:
            errors.update(e.fields)
    if "mobile" not in errors:
        try:
            sms_code_check(mobile=mobile, code=sms_code)
        except ServiceError as e:
            errors.update(e.fields)
    if errors:
        raise ServiceError("invalid", "请检查填写的信息", fields=errors, status=422)
    if Applicant.objects.by_id_number(id_number).exists():
        raise _field_error("id_number", REGISTER_REFUSED, "not_registrable")
    applicant = Applicant(name=name, id_number=id_number, mobile=mobile)
    assert photo is not None
    applicant.set_id_photo(photo)
    try:
        with transaction.atomic():
            applicant.save()
            if profile is not None and profile.applicant_id is None:
                profile.applicant = applicant
                profile.save(update_fields=["applicant"])
    except IntegrityError:
        raise _field_error("id_number", REGISTER_REFUSED, "not_registrable") from None
    events.applicant_registered(request, applicant.pk)
    return applicant


def platform_identity_bind(*, profile: Profile, platform: str, openid: str, unionid: str = "") -> PlatformIdentity:
    """Bind a mini-program login to the platform user. An openid seen before moves to this profile (the same person
    set up 头像和昵称 again); a profile holds one identity per platform, the latest login's."""
    digest = PlatformIdentity.hash_of(platform, openid)
    with transaction.atomic():
        PlatformIdentity.objects.filter(platform=platform, profile=profile).exclude(openid_hash=digest).delete()
        identity, _ = PlatformIdentity.objects.select_for_update().update_or_create(
            platform=platform, openid_hash=digest,
            defaults={"openid": openid, "unionid": unionid, "profile": profile},
        )
    return identity


OPENID_OF = fixed_reads.Select(PlatformIdentity, where=("profile", "platform"))  # read at every message sent


def platform_openid(profile: Profile | None, platform: str) -> str:
    if profile is None:
        return ""
    identity = OPENID_OF.first(profile, platform)
    return identity.openid if identity else ""
