from django.db import migrations, models


def same_day_terms_to_one_day(apps, schema_editor):
    # Until now a contract could agree to pay on the day of acceptance (0 days);
    # the legal range now starts at one day, so such terms become one day
    # rather than stopping the migration.
    Contract = apps.get_model("procurement", "Contract")
    Contract.objects.filter(payment_days__lt=1).update(payment_days=1)


class Migration(migrations.Migration):

    dependencies = [
        ("procurement", "0003_transition_logs_share_the_workflow_log"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="contract",
            name="contract_payment_days_at_most_60",
        ),
        migrations.RunPython(same_day_terms_to_one_day, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(("payment_days__gte", 1), ("payment_days__lte", 60)),
                name="contract_payment_days_legal_range",
            ),
        ),
    ]
