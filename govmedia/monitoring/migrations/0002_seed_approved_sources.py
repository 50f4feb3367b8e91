"""Seed the approved-source list (art. 11) with the national, provincial, municipal and district outlets
shipped in engine/data/approved_sources.txt. An outlet already listed (by name) is left as supervisors keep it."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "engine" / "data" / "approved_sources.txt"
LEVELS = {"national": "national", "中央": "national", "provincial": "provincial", "省级": "provincial",
          "municipal": "municipal", "市级": "municipal", "district": "district", "本区指定单位": "district"}


def outlets(text):
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        level, name, aliases = (line.split("\t") + ["", ""])[:3]
        aliases = [a.strip() for a in aliases.replace("，", ",").split(",") if a.strip()]
        yield LEVELS[level.strip()], name.strip(), aliases


def seed(apps, schema_editor):
    ApprovedSource = apps.get_model("monitoring", "ApprovedSource")
    for level, name, aliases in outlets(DATA.read_text(encoding="utf-8")):
        ApprovedSource.objects.get_or_create(name=name, defaults={"level": level, "aliases": "\n".join(aliases)})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
