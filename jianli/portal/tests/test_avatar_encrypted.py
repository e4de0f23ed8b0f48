"""头像 is personal data: stored encrypted like the 证件照, served only to its owner, never cached."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from jianli import testing
from jianli.accounts import services as accounts
from jianli.accounts.models import Profile

pytestmark = pytest.mark.django_db


def test_avatar_is_stored_encrypted_and_served_decrypted_to_its_owner_only() -> None:
    client = Client()
    assert client.post("/welcome/", {"nickname": "小李", "avatar": testing.cat_file()}).status_code == 302
    profile = Profile.objects.get(nickname="小李")
    with default_storage.open(profile.avatar, "rb") as f:
        stored = f.read()
    assert not stored.startswith(b"\xff\xd8")  # not a JPEG on disk
    response = client.get("/profile/avatar/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content.startswith(b"\xff\xd8") and response.content == profile.avatar_image()
    assert "no-store" in response["Cache-Control"]
    assert Client().get("/profile/avatar/").status_code in (302, 404)  # someone else: not this avatar


def test_changing_the_avatar_removes_the_old_file() -> None:
    profile = accounts.profile_create(nickname="王", avatar=testing.cat())
    old = profile.avatar
    accounts.profile_update(profile=profile, avatar=testing.astronaut())
    assert not default_storage.exists(old) and default_storage.exists(profile.avatar)


def test_the_migration_encrypts_avatars_stored_plain_before() -> None:
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile

    plain = default_storage.save("avatars/0123456789abcdef01234567.jpg", ContentFile(testing.cat()))
    profile = Profile.objects.create(nickname="旧", avatar=plain)
    assert profile.avatar_image() == testing.cat()  # still shown before the migration ran
    importlib.import_module("jianli.accounts.migrations.0002_encrypt_avatars").encrypt_plain_avatars(apps, None)
    profile.refresh_from_db()
    assert profile.avatar.endswith(".bin") and not default_storage.exists(plain)
    assert profile.avatar_image() == testing.cat()
