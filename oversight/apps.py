from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("统计监测")

    def ready(self):
        from oversight.checks import open_data_deploy_check, open_data_settings_check

        checks.register(open_data_settings_check)
        checks.register(open_data_deploy_check, deploy=True)
