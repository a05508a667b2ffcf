"""Programme offices (工作专班): which region a programme user oversees."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class ProgrammeOffice(TimeStampedModel):
    """One user's seat in the programme office of a region: the province, city
    or county and everything below it, or the whole country when ``region`` is
    empty. A user may sit in several; ``oversight.rules.regions_visible_to``
    is the one place that reads these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="programme_offices",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("负责地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("不选表示全国。"),
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作专班成员")
        verbose_name_plural = _("工作专班成员")
        ordering = ["region__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=Q(region__isnull=False),
                name="programme_office_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(region__isnull=True),
                name="programme_office_once_national",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.region or _('全国')}"
