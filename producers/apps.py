from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "producers"
    verbose_name = _("生产主体")

    def ready(self):
        # Registers the application workflow (templates and log labels look it up).
        from django.db.models.signals import post_delete, post_save

        from producers import (
            receivers,
            workflows,  # noqa: F401
        )
        from producers.models import BenefitLinkage

        for signal in (post_save, post_delete):
            signal.connect(
                receivers.linkage_changed,
                sender=BenefitLinkage,
                dispatch_uid=f"producers-storefront-linkage-{signal is post_save}",
            )
