# Invoices, certificate scans, licences and evidence leave the public media
# directory for the private storage, under the same names; safe to run again.

import common.storage
import producers.uploads
from django.db import migrations, models

DOCUMENT_FIELDS = {
    "Certificate": ["scan"],
    "ProducerApplication": ["business_licence", "food_licence_file"],
}


def move_to_private(apps, schema_editor):
    for model_name, field_names in DOCUMENT_FIELDS.items():
        common.storage.documents_move_to_private(apps.get_model("producers", model_name), field_names)


def move_to_public(apps, schema_editor):
    for model_name, field_names in DOCUMENT_FIELDS.items():
        common.storage.documents_move_to_public(apps.get_model("producers", model_name), field_names)


class Migration(migrations.Migration):

    dependencies = [
        ('producers', '0009_application_decision_is_a_transition_log'),
    ]

    operations = [
        migrations.AlterField(
            model_name='certificate',
            name='scan',
            field=models.FileField(blank=True, max_length=200, storage=common.storage.private_storage, upload_to=producers.uploads.certificate_scan_path, verbose_name='证书扫描件'),
        ),
        migrations.AlterField(
            model_name='producerapplication',
            name='business_licence',
            field=models.FileField(max_length=200, storage=common.storage.private_storage, upload_to=producers.uploads.application_document_path, verbose_name='营业执照'),
        ),
        migrations.AlterField(
            model_name='producerapplication',
            name='food_licence_file',
            field=models.FileField(blank=True, max_length=200, storage=common.storage.private_storage, upload_to=producers.uploads.application_document_path, verbose_name='食品生产许可证'),
        ),
        migrations.RunPython(move_to_private, move_to_public),
    ]
