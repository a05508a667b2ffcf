from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("内容")

    def ready(self):
        from cms import receivers
        from producers.signals import producer_approved

        producer_approved.connect(receivers.producer_approved, dispatch_uid="cms-producer-pages")
