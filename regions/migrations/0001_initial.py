import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The region tree moves here from producers; not a row is copied."""

    initial = True

    dependencies = [
        ('producers', '0007_shipment'),
    ]

    operations = [
        # The table keeps its name (producers_region) and the foreign keys keep
        # pointing at it: only Django's idea of where the model lives changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=6, unique=True, validators=[django.core.validators.RegexValidator('^\\d{6}$', '行政区划代码应为 6 位数字。')], verbose_name='行政区划代码')),
                        ('name', models.CharField(max_length=64, verbose_name='名称')),
                        ('level', models.CharField(choices=[('province', '省级'), ('city', '地级'), ('county', '县级')], max_length=8, verbose_name='级别')),
                        ('is_key_assistance_county', models.BooleanField(default=False, help_text='由平台运营人员根据国家公布的名单维护。', verbose_name='国家乡村振兴重点帮扶县')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='regions.region', verbose_name='上级区划')),
                    ],
                    options={
                        'verbose_name': '行政区划',
                        'verbose_name_plural': '行政区划',
                        'db_table': 'producers_region',
                        'ordering': ['code'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('level', 'province'), ('parent__isnull', True)), models.Q(('level__in', ['city', 'county']), ('parent__isnull', False)), _connector='OR'), name='region_parent_matches_level'), models.CheckConstraint(condition=models.Q(('is_key_assistance_county', False), ('level', 'county'), _connector='OR'), name='region_key_assistance_only_for_counties')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
