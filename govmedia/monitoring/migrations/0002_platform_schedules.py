from django.db import migrations

from govmedia.monitoring.engine.schedule import default_interval_minutes


def seed_schedules(apps, schema_editor):
    """Each platform's default reading interval, editable afterwards in the back office."""
    Platform = apps.get_model("registry", "Platform")
    PlatformSchedule = apps.get_model("monitoring", "PlatformSchedule")
    for platform in Platform.objects.all():
        PlatformSchedule.objects.get_or_create(
            platform=platform, defaults={"interval_minutes": default_interval_minutes(platform.code, "feed")})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("registry", "0002_platforms")]
    operations = [migrations.RunPython(seed_schedules, migrations.RunPython.noop)]
