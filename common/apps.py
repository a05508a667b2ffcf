from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Shared building blocks; its models are abstract. It registers the
    private-media start-up check, and after every migrate writes the configured
    site address into the sites table (common.sites)."""

    name = "common"
    verbose_name = _("公共组件")

    def ready(self):
        from common.checks import private_media_check
        from common.sites import site_sync

        checks.register(private_media_check)
        post_migrate.connect(site_sync, sender=self, dispatch_uid="common.site_sync")
