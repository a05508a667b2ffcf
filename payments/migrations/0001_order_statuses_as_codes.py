"""Oscar order and line statuses were stored as Chinese display words; they
become the ASCII codes of OSCAR_ORDER_STATUS_PIPELINE, in place, and back on
reverse. Labels are shown through ORDER_STATUS_LABELS. The map is frozen here:
a migration must not follow later changes to the settings."""

from django.db import migrations

WORDS_TO_CODES = {
    "待付款": "pending_payment",
    "已付款": "paid",
    "已发货": "shipped",
    "已完成": "complete",
    "已取消": "cancelled",
}
CODES_TO_WORDS = {code: word for word, code in WORDS_TO_CODES.items()}

FIELDS = (
    ("Order", ("status",)),
    ("Line", ("status",)),
    ("OrderStatusChange", ("old_status", "new_status")),
)


def _remap(apps, mapping):
    for model_name, fields in FIELDS:
        model = apps.get_model("order", model_name)
        for field in fields:
            for old, new in mapping.items():
                model.objects.filter(**{field: old}).update(**{field: new})


def forwards(apps, schema_editor):
    _remap(apps, WORDS_TO_CODES)


def backwards(apps, schema_editor):
    _remap(apps, CODES_TO_WORDS)


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
