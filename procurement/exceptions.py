from django.utils.translation import gettext_lazy as _

from common import workflow


class ProcurementError(Exception):
    """Base class for procurement domain errors; ``str()`` is a message for people."""

    default_message = _("操作未能完成。")

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))


class ProcurementPermissionDenied(ProcurementError, workflow.TransitionNotPermitted):
    default_message = _("您在该单位没有办理此事项的权限。")


class IllegalTransition(ProcurementError, workflow.IllegalTransition):
    """The requested state change is not allowed from the current state."""

    default_message = _("当前状态下不能进行此操作。")


class SegregationOfDuties(ProcurementError):
    """The purchaser of an order may not approve it."""

    default_message = _("采购人不能审批自己提交的采购单，请由本单位其他审批人审批。")


class PlanFilingError(ProcurementError):
    """An annual plan breaks a filing rule (ratio below the minimum, deadline passed, …)."""


class OrderError(ProcurementError):
    """A purchase order cannot be built or submitted as asked."""


class AcceptanceError(ProcurementError):
    """Acceptance figures do not add up."""


class SettlementError(ProcurementError):
    """An invoice or payment cannot be recorded as asked."""


class OffPlatformError(ProcurementError):
    """An off-platform purchase or its correction cannot be recorded or verified as asked."""


class ReasonRequired(ProcurementError, workflow.ReasonRequired):
    """Rejecting an order or declining a contract needs a reason the other side can act on."""

    default_message = _("请说明原因。")
