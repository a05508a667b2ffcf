"""ProductReviewDecision becomes a common.models.TransitionLog: existing rows
keep everything and get the statuses their action implies, replayed per product
in order (a submission starts from wherever the previous step left the listing)."""

from django.db import migrations, models


TARGETS = {"submit": "pending", "approve": "approved", "reject": "rejected"}


def replay_statuses(apps, schema_editor):
    Decision = apps.get_model("catalogue", "ProductReviewDecision")
    previous = {}
    for row in Decision.objects.order_by("product_id", "created_at", "pk").iterator():
        row.from_status = previous.get(row.product_id, "")
        # A staff edit (0036) leaves the status where it was.
        row.to_status = TARGETS.get(row.action, row.from_status)
        previous[row.product_id] = row.to_status
        row.save(update_fields=["from_status", "to_status"])


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0036_review_decision_staff_edit'),
    ]

    operations = [
        migrations.AddField(
            model_name='productreviewdecision',
            name='from_status',
            field=models.CharField(blank=True, max_length=32, verbose_name='原状态'),
        ),
        migrations.AddField(
            model_name='productreviewdecision',
            name='to_status',
            field=models.CharField(default='', max_length=32, verbose_name='新状态'),
            preserve_default=False,
        ),
        migrations.RunPython(replay_statuses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='productreviewdecision',
            name='action',
            field=models.CharField(max_length=32, verbose_name='操作'),
        ),
    ]
