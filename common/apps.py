from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Installed only for its template tags; its models are abstract."""

    name = "common"
    verbose_name = _("公共组件")
