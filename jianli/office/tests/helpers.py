from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.registrations.tests.cast import PASSWORD


def device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


def code(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The authenticator's code now, or `ahead` time steps later (a code is accepted once: a second sign-in within
    the same 30 s needs the next one, which the device's tolerance of one step accepts). Counted from the drift the
    server last learned: a code accepted one step late moves the device's window back by one."""
    device.refresh_from_db(fields=["drift"])
    drift = device.drift + ahead
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def office_client(staff) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    device = device_for(staff.user)
    uscc, username = staff.user.username.split("/", 1)
    r = client.post("/office/login/", {"uscc": uscc, "username": username, "password": PASSWORD, "token": code(device)})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client


def review_client(user: User) -> Client:
    client = Client()
    device = device_for(user)
    r = client.post("/review/login/", {"username": user.username, "password": PASSWORD, "token": code(device)})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client


def ops_client(user: User, *, password_chosen: bool = True) -> Client:
    """An operator signed in to the admin with password and TOTP, as at /ops/login/; the password counts as
    chosen by the operator unless `password_chosen` is False (then the admin first asks to change it)."""
    from jianli.accounts.staff import staff_password_keep

    if password_chosen:
        staff_password_keep(user=user)
    client = Client()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or device_for(user)
    r = client.post("/ops/login/", {"username": user.username, "password": PASSWORD, "token": code(device)})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client
