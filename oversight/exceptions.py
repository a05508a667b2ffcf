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


class BulletinFrozen(OversightError):
    """A published bulletin never changes: not its commentary, not its figures."""

    code = "bulletin_frozen"
    message = _("该通报已发布，内容不能再修改；更正请在下一期通报中说明。")


class BulletinNotReady(OversightError):
    code = "bulletin_not_ready"
    message = _("通报数据尚未生成完成，暂不能发布。")


class BulletinPeriodPublished(OversightError):
    """One published bulletin per region and period; later ones correct it."""

    code = "bulletin_period_published"
    message = _("该地区本期通报已发布，不能重复发布。")


class BulletinCommentaryTooLong(OversightError):
    code = "bulletin_commentary_too_long"
    message = _("评述不能超过 %(limit)s 字。")


class OpenDataEmpty(OversightError):
    """An OCDS release package holds at least one release."""

    code = "open_data_empty"
    message = _("该地区在这一期间没有已验收的合同，无可下载的开放数据。")


class OpenDataCursorInvalid(OversightError):
    code = "open_data_cursor_invalid"
    message = _("分页参数 after 应为整数，请使用上一页给出的下一页链接。")
