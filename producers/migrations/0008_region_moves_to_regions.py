import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Producers point at regions.Region; the model leaves this app, its table stays."""

    dependencies = [
        ('catalogue', '0035_region_moves_to_regions'),
        ('procurement', '0002_region_moves_to_regions'),
        ('producers', '0007_shipment'),
        ('regions', '0001_initial'),
    ]

    operations = [
        # The table keeps its name (producers_region) and the foreign keys keep
        # pointing at it: only Django's idea of where the model lives changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='producerapplication',
                    name='county',
                    field=models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='producer_applications', to='regions.region', verbose_name='所在县（区）'),
                ),
                migrations.AlterField(
                    model_name='countyreviewer',
                    name='county',
                    field=models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='reviewers', to='regions.region', verbose_name='负责县（区）'),
                ),
                migrations.AlterField(
                    model_name='producer',
                    name='county',
                    field=models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='producers', to='regions.region', verbose_name='所在县（区）'),
                ),
                migrations.AlterField(
                    model_name='producer',
                    name='licensed_counties',
                    field=models.ManyToManyField(blank=True, help_text='所在县之外、经核实可以标注为产地的县（如跨县收购基地）。', limit_choices_to={'level': 'county'}, related_name='+', to='regions.region', verbose_name='许可的其他产地县'),
                ),
                migrations.DeleteModel(
                    name='Region',
                ),
            ],
            database_operations=[],
        ),
    ]
