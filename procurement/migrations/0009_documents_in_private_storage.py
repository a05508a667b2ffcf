# Invoices, certificate scans, licences and evidence leave the public media
# directory for the private storage, under the same names; safe to run again.

import common.storage
import procurement.models
from django.db import migrations, models

DOCUMENT_FIELDS = {
    "Invoice": ["scan"],
    "OffPlatformPurchase": ["evidence"],
    "HelpedSale": ["evidence"],
}


def move_to_private(apps, schema_editor):
    for model_name, field_names in DOCUMENT_FIELDS.items():
        common.storage.documents_move_to_private(apps.get_model("procurement", model_name), field_names)


def move_to_public(apps, schema_editor):
    for model_name, field_names in DOCUMENT_FIELDS.items():
        common.storage.documents_move_to_public(apps.get_model("procurement", model_name), field_names)


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0008_rejected_units_release_their_uscc'),
    ]

    operations = [
        migrations.AlterField(
            model_name='helpedsale',
            name='evidence',
            field=models.FileField(max_length=200, storage=common.storage.private_storage, upload_to=procurement.models.evidence_path, verbose_name='证明材料'),
        ),
        migrations.AlterField(
            model_name='invoice',
            name='scan',
            field=models.FileField(max_length=200, storage=common.storage.private_storage, upload_to=procurement.models.evidence_path, verbose_name='发票扫描件'),
        ),
        migrations.AlterField(
            model_name='offplatformpurchase',
            name='evidence',
            field=models.FileField(max_length=200, storage=common.storage.private_storage, upload_to=procurement.models.evidence_path, verbose_name='凭证扫描件'),
        ),
        migrations.RunPython(move_to_private, move_to_public),
    ]
