"""头像 stored before avatars were encrypted (plain JPEG files named .jpg) are encrypted in place of them."""

from __future__ import annotations

from django.db import migrations


def encrypt_plain_avatars(apps, schema_editor):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    from jianli import pii_rotation

    Profile = apps.get_model("accounts", "Profile")
    plain = Profile.objects.filter(avatar__endswith=".jpg")
    with tqdm(disable=True) as bar:
        pii_rotation.rotate_files(
            Profile, "avatar", "profile.avatar", report=pii_rotation.Report(), batch_size=500,
            budget=[plain.count()], bar=bar, queryset=plain,
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(encrypt_plain_avatars, migrations.RunPython.noop, elidable=True)]
