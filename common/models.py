from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.workflow import workflow_for_log


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TransitionLog(models.Model):
    """One step of a status workflow, kept forever: who, when, from, to, why.

    Each workflow's concrete log adds only the foreign key to its object and
    registers itself with ``common.workflow.Workflow``, which writes the rows
    and knows the labels.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=32, blank=True)
    to_status = models.CharField(_("新状态"), max_length=32)
    reason = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action_label} · {self.actor}"

    def _workflow(self):
        return workflow_for_log(type(self))

    @property
    def action_label(self) -> str:
        return self._workflow().action_label(self.action)

    @property
    def from_status_label(self) -> str:
        return self._workflow().status_label(self.from_status) if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return self._workflow().status_label(self.to_status)
