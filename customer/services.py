"""Registration that does not tell anyone whether an address has an account.

Whoever registers sees the same page and the address gets one mail: for a new
address the account is made inactive and the mail holds its activation link;
for an address that has an account its owner is told that someone tried to
register with it (and how to sign in or reset the password). Both paths hash
the password once, so they also take the same time."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from oscar.apps.customer.forms import generate_username
from oscar.apps.customer.utils import normalise_email

from common.sites import site_url
from customer.rules import registration_is_pending
from customer.tokens import activation_token

User = get_user_model()


def _mail(*, user, subject: str, body: str) -> None:
    # After commit: never a mail for an account that was rolled back.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )


def _activation_mail(*, user) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = site_url(
        reverse(
            "customer:activate",
            kwargs={"uidb64": uid, "token": activation_token.make_token(user)},
        )
    )
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    _mail(
        user=user,
        subject=_("请激活您在%(shop)s的账户") % {"shop": settings.OSCAR_SHOP_NAME},
        body=_(
            "您好：\n\n感谢注册%(shop)s。请在 %(days)d 天内打开下面的链接激活账户，"
            "然后用注册时设置的密码登录：\n\n%(link)s\n\n"
            "如果不是您本人注册，请忽略这封邮件，账户不会被激活。"
        )
        % {"shop": settings.OSCAR_SHOP_NAME, "days": days, "link": link},
    )


def _already_registered_mail(*, user) -> None:
    _mail(
        user=user,
        subject=_("有人用您的邮箱地址在%(shop)s注册") % {"shop": settings.OSCAR_SHOP_NAME},
        body=_(
            "您好：\n\n刚才有人用这个邮箱地址在%(shop)s注册账户，而这个地址已经有账户了，"
            "所以没有新建账户，您的账户也没有任何改变。\n\n"
            "如果是您本人，请直接登录：\n%(login)s\n\n忘记密码可以在这里重设：\n%(reset)s\n\n"
            "如果不是您本人，请忽略这封邮件。"
        )
        % {
            "shop": settings.OSCAR_SHOP_NAME,
            "login": site_url(reverse("customer:login")),
            "reset": site_url(reverse("password-reset")),
        },
    )


@transaction.atomic
def customer_register(*, email: str, password: str) -> None:
    """Register ``email`` as above; links in the mails go to SITE_DOMAIN."""
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is None:
        user = User(email=email, username=generate_username(), is_active=False)
        user.set_password(password)
        user.save()
        _activation_mail(user=user)
        return
    # The same hashing work as making an account, whose time would tell otherwise.
    User().set_password(password)
    if registration_is_pending(existing):
        _activation_mail(user=existing)
    else:
        _already_registered_mail(user=existing)


def customer_activate(*, uidb64: str, token: str):
    """The account the link activates, now active; None for a link that is not
    (or no longer) valid. An address another active account already has (a
    double registration) is not activated twice."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64)))
    except (ValueError, OverflowError, User.DoesNotExist):
        return None
    if not registration_is_pending(user) or not activation_token.check_token(user, token):
        return None
    if User.objects.filter(email__iexact=user.email, is_active=True).exists():
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
