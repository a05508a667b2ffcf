from django.conf import settings
from django.db import migrations, models


def remember_contributors(apps, schema_editor):
    """Existing orders: the purchaser and whoever created or submitted them
    (the order's transition log) count as contributors."""
    PurchaseOrder = apps.get_model("procurement", "PurchaseOrder")
    OrderTransition = apps.get_model("procurement", "OrderTransition")
    Through = PurchaseOrder.contributors.through
    pairs = set(PurchaseOrder.objects.values_list("pk", "purchaser_id"))
    pairs |= set(
        OrderTransition.objects.filter(action__in=["create", "submit"]).values_list(
            "order_id", "actor_id"
        )
    )
    Through.objects.bulk_create(
        [Through(purchaseorder_id=order, user_id=user) for order, user in sorted(pairs)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    """Everyone who created, edited or submitted an order is kept on it, so the
    four-eyes rule can refuse them all at approval."""


    dependencies = [
        ('procurement', '0004_contract_payment_days_legal_range'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='purchaseorder',
            name='contributors',
            field=models.ManyToManyField(blank=True, help_text='创建、修改或提交过该采购单的人；他们都不能审批它（procurement.rules）。', related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人'),
        ),
        migrations.RunPython(remember_contributors, migrations.RunPython.noop),
    ]
