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


class Bulletin(TimeStampedModel):
    """A bulletin (通报) of a region and period: the figures computed once by
    ``oversight.bulletins.bulletin_generate`` and frozen here as JSON (Decimals
    as strings). Pages and downloads read ``figures``, never the selectors, so
    a published bulletin stays as it was when late records arrive; the next
    bulletin of the region notes the difference (``correction_note``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Generation(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("不选表示全国。"),
    )
    period_kind = models.CharField(_("期间类型"), max_length=10)
    period_key = models.CharField(_("统计期间"), max_length=10, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    generation = models.CharField(
        _("生成进度"), max_length=10, choices=Generation.choices, default=Generation.QUEUED
    )
    generation_error = models.TextField(_("生成失败原因"), blank=True)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    commentary = models.TextField(_("评述"), blank=True)
    correction_note = models.TextField(_("更正说明"), blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("更正的上期通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-period_key", "region__code", "-pk"]
        indexes = [models.Index(fields=["region", "period_key", "status"])]
        constraints = [
            # One published bulletin per region and period (a second one would
            # contradict the first); drafts may be many.
            models.UniqueConstraint(
                fields=["region", "period_key"],
                condition=Q(status="published", region__isnull=False),
                name="bulletin_published_once_per_region_period",
            ),
            models.UniqueConstraint(
                fields=["period_key"],
                condition=Q(status="published", region__isnull=True),
                name="bulletin_published_once_national_period",
            ),
        ]

    def __str__(self):
        return f"{self.region or _('全国')} {self.period_key}"

    @property
    def period(self):
        from oversight.periods import period_parse

        return period_parse(self.period_key)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_ready(self) -> bool:
        return self.generation == self.Generation.DONE
