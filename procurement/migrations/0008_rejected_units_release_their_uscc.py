import common.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0007_lines_record_their_price_rule'),
        ('regions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='buyerorganisation',
            name='uscc',
            field=models.CharField(max_length=18, validators=[common.validators.validate_uscc], verbose_name='统一社会信用代码'),
        ),
        migrations.AddConstraint(
            model_name='buyerorganisation',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'active'])), fields=('uscc',), name='buyer_org_uscc_held_once'),
        ),
    ]
