import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "calendar"


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    CalendarDay = apps.get_model("registrations", "CalendarDay")
    for path in sorted(DATA_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for d in doc["days"]:
            CalendarDay.objects.update_or_create(
                date=dt.date.fromisoformat(d["date"]),
                defaults={"is_working_day": bool(d["working"]), "name": d.get("name", "")},
            )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
