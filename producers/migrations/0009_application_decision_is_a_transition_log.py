"""ApplicationDecision becomes a common.models.TransitionLog: the same table and
rows; only column widths grow and the choices move to the workflow."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('producers', '0008_region_moves_to_regions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='applicationdecision',
            name='action',
            field=models.CharField(max_length=32, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='applicationdecision',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='applicationdecision',
            name='from_status',
            field=models.CharField(blank=True, max_length=32, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='applicationdecision',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='applicationdecision',
            name='to_status',
            field=models.CharField(max_length=32, verbose_name='新状态'),
        ),
    ]
