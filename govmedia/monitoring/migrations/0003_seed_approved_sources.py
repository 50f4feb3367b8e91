"""Seed the approved-source list (art. 11) with the national, provincial, municipal and district outlets
shipped in engine/data/approved_sources.txt. An outlet already listed (by name) is left as supervisors keep it."""

from django.db import migrations

from govmedia.monitoring.engine.approved import shipped_outlets


def seed(apps, schema_editor):
    ApprovedSource = apps.get_model("monitoring", "ApprovedSource")
    for outlet in shipped_outlets():
        ApprovedSource.objects.get_or_create(name=outlet.name, defaults={
            "level": outlet.level, "aliases": "\n".join(outlet.aliases)})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_platform_schedules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
