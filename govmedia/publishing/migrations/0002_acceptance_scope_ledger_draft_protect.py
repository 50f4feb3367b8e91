import django.db.models.deletion
from django.db import migrations, models


def scope_acceptances(apps, schema_editor):
    """Existing acceptances cover the version current when they were made, and its occurrences then."""
    FindingAcceptance = apps.get_model("publishing", "FindingAcceptance")
    DraftVersion = apps.get_model("publishing", "DraftVersion")
    VersionFinding = apps.get_model("publishing", "VersionFinding")
    for acceptance in FindingAcceptance.objects.filter(version__isnull=True):
        versions = DraftVersion.objects.filter(draft_id=acceptance.draft_id).order_by("-number")
        version = versions.filter(created_at__lte=acceptance.accepted_at).first() or versions.first()
        acceptance.version = version
        acceptance.occurrences = max(1, VersionFinding.objects.filter(
            version=version, category=acceptance.category, text=acceptance.text).count())
        acceptance.save(update_fields=["version", "occurrences"])


class Migration(migrations.Migration):

    dependencies = [
        ("publishing", "0001_drafts_reviews_ledger"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="findingacceptance", name="one_acceptance"),
        migrations.AddField(
            model_name="findingacceptance",
            name="occurrences",
            field=models.PositiveIntegerField(default=1, verbose_name="保留时出现次数"),
        ),
        migrations.AddField(
            model_name="findingacceptance",
            name="version",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="acceptances", to="publishing.draftversion",
                                    verbose_name="保留时的版本"),
        ),
        migrations.RunPython(scope_acceptances, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="findingacceptance",
            name="version",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="acceptances",
                                    to="publishing.draftversion", verbose_name="保留时的版本"),
        ),
        migrations.AddConstraint(
            model_name="findingacceptance",
            constraint=models.UniqueConstraint(fields=("version", "category", "text"),
                                               name="one_acceptance_per_version"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="draft",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="ledger_entries", to="publishing.draft", verbose_name="稿件"),
        ),
    ]
