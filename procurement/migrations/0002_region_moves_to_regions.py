import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Units, reserve-ratio rules and off-platform origins point at regions.Region."""

    dependencies = [
        ('procurement', '0001_initial'),
        ('regions', '0001_initial'),
    ]

    operations = [
        # The table keeps its name (producers_region) and the foreign keys keep
        # pointing at it: only Django's idea of where the model lives changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='buyerorganisation',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='buyer_organisations', to='regions.region', verbose_name='所在地区'),
                ),
                migrations.AlterField(
                    model_name='offplatformpurchase',
                    name='origin_county',
                    field=models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='产地县'),
                ),
                migrations.AlterField(
                    model_name='reserveratiorule',
                    name='province',
                    field=models.ForeignKey(blank=True, help_text='留空表示全国通用。', limit_choices_to={'level': 'province'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='省份'),
                ),
            ],
            database_operations=[],
        ),
    ]
