from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Installed for its template tags and its start-up check; its models are abstract."""

    name = "common"
    verbose_name = _("公共组件")

    def ready(self):
        from common.checks import private_media_check

        checks.register(private_media_check)
