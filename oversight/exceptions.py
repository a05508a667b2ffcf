"""Oversight's domain errors: one class per rule, each with a stable ``code``."""

from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class OversightError(DomainError):
    code = "oversight_error"


class PeriodInvalid(OversightError):
    """A period in the query string that names no week, month, quarter, half or year."""

    code = "period_invalid"
    message = _(
        "无法识别统计期间“%(value)s”。请按 2026（年）、2026-H2（半年）、2026-Q3（季度）、"
        "2026-10（月）或 2026-W43（周）的格式填写。"
    )


class PeriodOutOfRange(OversightError):
    code = "period_out_of_range"
    message = _("统计期间应在 %(first)s 年至 %(last)s 年之间。")


class OfficeDuplicate(OversightError):
    code = "office_duplicate"
    message = _("该用户已是这个地区的工作专班成员。")


class OfficeUserIsStaff(OversightError):
    """Platform staff already see every region; an office would narrow nothing."""

    code = "office_user_is_staff"
    message = _("平台运营人员已可查看全部地区，无需再设工作专班。")
