from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Shared building blocks; its models are abstract. After every migrate it
    writes the configured site address into the sites table (common.sites)."""

    name = "common"
    verbose_name = _("公共组件")

    def ready(self):
        from common.sites import site_sync

        post_migrate.connect(site_sync, sender=self, dispatch_uid="common.site_sync")
