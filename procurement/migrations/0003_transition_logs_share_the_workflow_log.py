"""The order and contract logs become common.models.TransitionLog rows: each row
now names its action. Existing rows keep everything and get the action their
from/to statuses imply; a contract's same-status rows were a freight or a terms
change, told apart by the reason the service wrote."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


ORDER_ACTIONS = {
    ("", "draft"): "create",
    ("draft", "submitted"): "submit",
    ("submitted", "approved"): "approve",
    ("submitted", "rejected"): "reject",
}
CONTRACT_ACTIONS = {
    ("", "awaiting"): "create",
    ("awaiting", "confirmed"): "confirm",
    ("awaiting", "declined"): "decline",
    ("confirmed", "shipped"): "ship",
    ("shipped", "accepted"): "accept",
    ("accepted", "settled"): "settle",
}
# How the services worded a freight change ("运费由 ¥x 调整为 ¥y"), in either language.
FREIGHT_WORDS = ("运费", "freight")


def _contract_action(row) -> str:
    if row.from_status == row.to_status:
        reason = row.reason.lower()
        return "set_freight" if any(w in reason for w in FREIGHT_WORDS) else "set_terms"
    return CONTRACT_ACTIONS.get((row.from_status, row.to_status), "")


def name_actions(apps, schema_editor):
    OrderTransition = apps.get_model("procurement", "OrderTransition")
    ContractTransition = apps.get_model("procurement", "ContractTransition")
    for row in OrderTransition.objects.filter(action="").iterator():
        row.action = ORDER_ACTIONS.get((row.from_status, row.to_status), "")
        row.save(update_fields=["action"])
    for row in ContractTransition.objects.filter(action="").iterator():
        row.action = _contract_action(row)
        row.save(update_fields=["action"])


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0002_region_moves_to_regions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='contracttransition',
            name='action',
            field=models.CharField(default='', max_length=32, verbose_name='操作'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='ordertransition',
            name='action',
            field=models.CharField(default='', max_length=32, verbose_name='操作'),
            preserve_default=False,
        ),
        migrations.RunPython(name_actions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='contracttransition',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='contracttransition',
            name='from_status',
            field=models.CharField(blank=True, max_length=32, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='contracttransition',
            name='to_status',
            field=models.CharField(max_length=32, verbose_name='新状态'),
        ),
        migrations.AlterField(
            model_name='ordertransition',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='ordertransition',
            name='from_status',
            field=models.CharField(blank=True, max_length=32, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='ordertransition',
            name='to_status',
            field=models.CharField(max_length=32, verbose_name='新状态'),
        ),
    ]
