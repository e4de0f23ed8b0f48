import secrets

from django.db import migrations, models

import jianli.identity.models


def fill_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    FaceVerification = apps.get_model("identity", "FaceVerification")
    for pk in FaceVerification.objects.filter(public_id__isnull=True).values_list("pk", flat=True).iterator():
        FaceVerification.objects.filter(pk=pk).update(public_id=secrets.token_urlsafe(18))


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_purpose"),
    ]

    operations = [
        migrations.AddField(
            model_name="faceverification",
            name="public_id",
            field=models.CharField(max_length=32, null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="faceverification",
            name="public_id",
            field=models.CharField(
                default=jianli.identity.models.new_public_id, editable=False, max_length=32, unique=True
            ),
        ),
        # Rows from before this migration were started without a credential: none of them can be finished.
        migrations.AddField(
            model_name="faceverification",
            name="credential",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="faceverification",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
