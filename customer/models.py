from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.models import *  # noqa: F403


class UserMobile(models.Model):
    """The verified mainland mobile number a user signs in with: one per user,
    and a number belongs to one account only (a database constraint too)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="mobile",
    )
    number = models.CharField(_("手机号"), max_length=11, unique=True)
    verified_at = models.DateTimeField(_("验证时间"))

    class Meta:
        verbose_name = _("登录手机号")
        verbose_name_plural = _("登录手机号")

    def __str__(self):
        return self.number


class SmsCodePurpose(models.TextChoices):
    LOGIN = "login", _("登录")
    SIGNUP = "signup", _("注册")
    BIND = "bind", _("绑定手机号")


class SmsCode(models.Model):
    """A one-time code sent by SMS. Only a keyed hash of the code is kept
    (customer.services.sms_code_hash); a code lives SMS_CODE_TTL_SECONDS, dies
    after SMS_CODE_MAX_ATTEMPTS wrong tries and is used once. The rows are also
    the record the send limits count (customer.rules.sms_code_send_check)."""

    phone = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=16, choices=SmsCodePurpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    client_ip = models.GenericIPAddressField(_("请求地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="customer_smscode_phone_idx"),
            models.Index(fields=["client_ip", "created_at"], name="customer_smscode_ip_idx"),
        ]

    def __str__(self):
        return f"{self.phone} · {self.get_purpose_display()}"
