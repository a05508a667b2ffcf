from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("售后")

    def ready(self):
        # Registers the case workflow (templates and log labels look it up).
        from aftersales import workflows  # noqa: F401
