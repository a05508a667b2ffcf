from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0006_unit_name_single_line'),
    ]

    operations = [
        migrations.AddField(
            model_name='contractline',
            name='price_break_min_quantity',
            field=models.PositiveIntegerField(blank=True, help_text='单价来自哪一档阶梯价；为空表示按零售价。', null=True, verbose_name='所用阶梯价起订数量'),
        ),
        migrations.AddField(
            model_name='purchaseorderline',
            name='price_break_min_quantity',
            field=models.PositiveIntegerField(blank=True, help_text='单价来自哪一档阶梯价；为空表示按零售价。', null=True, verbose_name='所用阶梯价起订数量'),
        ),
    ]
