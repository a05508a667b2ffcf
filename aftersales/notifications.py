"""E-mails about after-sales cases, each linking to the page where the
reader sees or acts on the case; sent once the transaction commits."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.models import AfterSalesCase
from common.notifications import notify_by_email


def _buyer_link(case: AfterSalesCase) -> str:
    return reverse("aftersales:case", kwargs={"pk": case.pk})


def _producer_link(case: AfterSalesCase) -> str:
    return reverse(
        "aftersales:workspace-case", kwargs={"producer_pk": case.producer_id, "pk": case.pk}
    )


def _details(case: AfterSalesCase) -> dict:
    return {
        "number": case.order.number,
        "kind": case.get_kind_display(),
        "amount": case.amount,
        "status": case.get_status_display(),
    }


def case_requested_notify(*, case: AfterSalesCase) -> None:
    """Tell the line's producer a buyer asks for a refund, and by when to answer."""
    with translation.override(settings.LANGUAGE_CODE):
        notify_by_email(
            users=case.producer.partner.users.all(),
            subject=_("订单 %(number)s 有新的售后申请（%(kind)s）") % _details(case),
            body=_(
                "买家申请%(kind)s，退款金额 %(amount)s 元。请在 %(deadline)s 前同意或拒绝，逾期由平台处理。"
            )
            % {**_details(case), "deadline": case.respond_by.strftime("%Y-%m-%d %H:%M")},
            link=_producer_link(case),
        )


def case_decided_notify(*, case: AfterSalesCase) -> None:
    """Tell the buyer (and the producer, when staff decided) where the case stands."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("订单 %(number)s 的售后申请有了处理结果：%(status)s") % _details(case)
        body = _("您的%(kind)s申请（%(amount)s 元）当前状态：%(status)s。") % _details(case)
        if case.order.user_id:
            notify_by_email(
                users=[case.order.user], subject=subject, body=body, link=_buyer_link(case)
            )
        if case.producer_id:
            notify_by_email(
                users=case.producer.partner.users.all(),
                subject=subject,
                body=body,
                link=_producer_link(case),
            )


def case_refunded_notify(*, case: AfterSalesCase) -> None:
    """Tell the buyer the money is on its way back (or owed, for bank transfers)."""
    with translation.override(settings.LANGUAGE_CODE):
        if case.bank_refund_id:
            body = _("%(amount)s 元将由平台通过银行转账退还给您，到账后我们会登记退款流水号。")
        else:
            body = _("%(amount)s 元已原路退回您的银行卡，到账时间以发卡行为准。")
        users = [case.order.user] if case.order.user_id else []
        notify_by_email(
            users=users,
            subject=_("订单 %(number)s 已退款 %(amount)s 元") % _details(case),
            body=body % _details(case),
            link=_buyer_link(case),
        )
        if case.producer_id:
            notify_by_email(
                users=case.producer.partner.users.all(),
                subject=_("订单 %(number)s 已退款 %(amount)s 元") % _details(case),
                body=_("售后单（%(kind)s）已退款 %(amount)s 元。") % _details(case),
                link=_producer_link(case),
            )
