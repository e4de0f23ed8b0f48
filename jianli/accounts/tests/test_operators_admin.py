"""The operators' admin takes the same second factor as the consoles, and never shows or edits a TOTP secret."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.audit.models import AuditEvent
from jianli.testing.cast import PASSWORD, code, device_for, ops_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> User:
    from jianli.accounts.staff import staff_password_keep

    user = User.objects.create_superuser("ops", password=PASSWORD)
    staff_password_keep(user=user)
    return user


def test_a_password_alone_does_not_open_the_admin(operator) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator)
    r = client.get("/ops/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/ops/login/")
    r = client.get("/ops/admin/auth/user/")
    assert r.status_code == 302 and r["Location"].startswith("/ops/login/")
    # Django's own admin login form (password only) is not a way in either.
    r = Client().post("/ops/admin/login/", {"username": "ops", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"].startswith("/ops/login/")


def test_password_and_totp_open_the_admin_and_are_audited(operator) -> None:  # type: ignore[no-untyped-def]
    client = ops_client(operator)
    r = client.get("/ops/admin/")
    assert r.status_code == 200 and "运维管理" in r.content.decode()
    assert AuditEvent.objects.filter(action="staff_signed_in", detail__console="ops").exists()


def test_a_wrong_code_or_a_non_operator_is_refused(operator) -> None:  # type: ignore[no-untyped-def]
    device_for(operator)
    r = Client().post("/ops/login/", {"username": "ops", "password": PASSWORD, "token": "000000"})
    assert r.status_code == 422 and "动态口令不正确" in r.content.decode()
    clerk = User.objects.create_user("clerk", password=PASSWORD)
    r = Client().post("/ops/login/", {"username": "clerk", "password": PASSWORD, "token": code(device_for(clerk))})
    assert r.status_code == 422 and "用户名或密码错误" in r.content.decode()


def test_an_operator_without_an_authenticator_enrols_first(operator, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()
    r = client.post("/ops/login/", {"username": "ops", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/ops/enrol/"
    assert "<svg" in client.get("/ops/enrol/").content.decode()
    assert client.get("/ops/admin/").status_code == 302
    r = client.post("/ops/enrol/", {"token": code(TOTPDevice.objects.get(user=operator))})
    assert r.status_code == 302 and r["Location"] == "/ops/admin/"
    assert client.get("/ops/admin/").status_code == 200


def _secrets(device: TOTPDevice) -> list[str]:
    return [device.key, base64.b32encode(device.bin_key).decode().rstrip("=")]


def test_the_device_admin_never_shows_a_secret_and_cannot_edit_one(operator) -> None:  # type: ignore[no-untyped-def]
    client = ops_client(operator)
    clerk = User.objects.create_user("clerk", password=PASSWORD)
    device = device_for(clerk)
    base = "/ops/admin/otp_totp/totpdevice/"
    pages = [client.get(base), client.get(f"{base}{device.pk}/change/")]
    for r in pages:
        assert r.status_code == 200
        page = r.content.decode()
        assert all(s not in page for s in _secrets(device)) and 'name="key"' not in page
    assert client.get(f"{base}add/").status_code == 403
    for extra in ("config/", "qrcode/"):  # django-otp's QR code pages are not served
        r = client.get(f"{base}{device.pk}/{extra}", follow=True)
        assert r.headers["Content-Type"].startswith("text/html")
        assert all(s not in r.content.decode() for s in _secrets(device))
    before = device.key
    client.post(f"{base}{device.pk}/change/", {"key": "00" * 20, "user": operator.pk, "name": "x", "confirmed": "on"})
    device.refresh_from_db()
    assert (device.key, device.user_id) == (before, clerk.pk)
    # Resetting (deleting) is what operators may do: the person binds a new authenticator at the next sign-in.
    r = client.post(f"{base}{device.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not TOTPDevice.objects.filter(pk=device.pk).exists()
