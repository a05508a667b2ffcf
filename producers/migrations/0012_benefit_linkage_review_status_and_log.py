# Benefit-linkage figures get a review status (submitted, verified, returned)
# and a decision log, so staff can send figures back with a reason. Figures
# already verified start as verified, the rest as waiting for staff.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def status_from_is_verified(apps, schema_editor):
    BenefitLinkage = apps.get_model("producers", "BenefitLinkage")
    BenefitLinkage.objects.filter(is_verified=True).update(status="verified")


class Migration(migrations.Migration):

    dependencies = [
        ('producers', '0011_category_proposals'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BenefitLinkageDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=32, verbose_name='操作')),
                ('from_status', models.CharField(blank=True, max_length=32, verbose_name='原状态')),
                ('to_status', models.CharField(max_length=32, verbose_name='新状态')),
                ('reason', models.TextField(blank=True, verbose_name='说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
            ],
            options={
                'verbose_name': '联农带农核实记录',
                'verbose_name_plural': '联农带农核实记录',
                'ordering': ['created_at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='benefitlinkage',
            name='status',
            field=models.CharField(choices=[('submitted', '待核实'), ('verified', '已核实'), ('returned', '已退回修改')], db_index=True, default='submitted', max_length=16, verbose_name='核实状态'),
        ),
        migrations.RunPython(status_from_is_verified, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='benefitlinkage',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('is_verified', True), ('status', 'verified')), models.Q(models.Q(('status', 'verified'), _negated=True), ('is_verified', False)), _connector='OR'), name='benefit_linkage_verified_status_iff_is_verified'),
        ),
        migrations.AddField(
            model_name='benefitlinkagedecision',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddField(
            model_name='benefitlinkagedecision',
            name='linkage',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='producers.benefitlinkage', verbose_name='联农带农数据'),
        ),
        migrations.AddConstraint(
            model_name='benefitlinkagedecision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('action', 'return'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='linkage_decision_reason_for_return'),
        ),
    ]
