"""Errors of signing in and signing up by mobile number and SMS code."""

from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class SmsResendTooSoon(DomainError):
    code = "sms_resend_too_soon"
    message = _("验证码发送过于频繁，请 %(seconds)s 秒后再试。")


class SmsDailyLimitReached(DomainError):
    code = "sms_daily_limit"
    message = _("这个手机号今天获取验证码的次数已达上限，请明天再试。")


class SmsClientLimitReached(DomainError):
    code = "sms_client_limit"
    message = _("您所在的网络获取验证码过于频繁，请稍后再试。")


class SmsNotSent(DomainError):
    code = "sms_not_sent"
    message = _("短信发送失败，请稍后再试。")


class SmsCodeNotSent(DomainError):
    code = "sms_code_not_sent"
    message = _("请先获取短信验证码。")


class SmsCodeUsed(DomainError):
    code = "sms_code_used"
    message = _("这个验证码已经用过，请重新获取。")


class SmsCodeExpired(DomainError):
    code = "sms_code_expired"
    message = _("验证码已过期，请重新获取。")


class SmsCodeExhausted(DomainError):
    code = "sms_code_exhausted"
    message = _("验证码输错次数过多，已失效，请重新获取。")


class SmsCodeWrong(DomainError):
    code = "sms_code_wrong"
    message = _("验证码不正确，还可以再试 %(remaining)s 次。")


class MobileNotRegistered(DomainError):
    code = "mobile_not_registered"
    message = _("这个手机号还没有注册账户，请先用手机号注册。")


class MobileTaken(DomainError):
    code = "mobile_taken"
    message = _("这个手机号已绑定其他账户，不能再绑定。")


class AccountDisabled(DomainError):
    code = "account_disabled"
    message = _("这个账户已停用，如有疑问请联系平台。")


class ReceiptOrderNotShipped(DomainError):
    """Receipt is confirmed for goods that were sent: every line shipped."""

    code = "receipt_order_not_shipped"
    message = _("订单 %(number)s 还没有全部发货（当前状态：%(status)s），不能确认收货。")
