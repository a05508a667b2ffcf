import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Product origins point at regions.Region (same table as before)."""

    dependencies = [
        ('catalogue', '0034_product_review'),
        ('regions', '0001_initial'),
    ]

    operations = [
        # The table keeps its name (producers_region) and the foreign keys keep
        # pointing at it: only Django's idea of where the model lives changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='product',
                    name='origin_county',
                    field=models.ForeignKey(blank=True, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='产地（县）'),
                ),
            ],
            database_operations=[],
        ),
    ]
