from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "producers"
    verbose_name = _("生产主体")

    def ready(self):
        # Registers the application workflow (templates and log labels look it up).
        from producers import workflows  # noqa: F401
