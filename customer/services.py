"""Registration that does not tell anyone whether an address has an account.

Whoever registers sees the same page and the address gets one mail: for a new
address the account is made inactive and the mail holds its activation link;
for an address that has an account its owner is told that someone tried to
register with it (and how to sign in or reset the password). Both paths hash
the password once, so they also take the same time."""

import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from oscar.apps.customer.forms import generate_username
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class, get_model

from common.sites import site_url
from common.sms import SmsSendError, send_sms
from customer.exceptions import (
    MobileNotRegistered,
    MobileTaken,
    SmsCodeExhausted,
    SmsCodeExpired,
    SmsCodeNotSent,
    SmsCodeUsed,
    SmsCodeWrong,
    SmsNotSent,
)
from customer.lock_objects import sms_code_lock
from customer.models import SmsCode, SmsCodePurpose, UserMobile
from customer.rules import (
    mobile_bind_check,
    order_receipt_auto_confirm_due,
    order_receipt_confirm_check,
    registration_is_pending,
    sms_code_send_check,
)
from customer.tokens import activation_token
from partner.lock_objects import order_lock
from producers.exceptions import InvoiceAlreadyRequested, InvoiceProducerNotInOrder
from producers.models import InvoiceRequest, Producer
from producers.notifications import producer_users_notify
from producers.rules import invoice_details_clean, order_invoiceable_check

User = get_user_model()
logger = logging.getLogger(__name__)


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


# Signing in and up by mobile number: a one-time code sent by SMS.

SMS_CODE_DIGITS = 6


def sms_code_hash(*, phone: str, purpose: str, code: str) -> str:
    """A keyed hash (HMAC-SHA256 under SECRET_KEY) of a code for one number and
    purpose: a million six-digit codes are quickly tried against a plain hash,
    not against one whose key the database does not hold."""
    return salted_hmac(
        "customer.SmsCode", f"{phone}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def sms_code_send(*, phone: str, purpose: str, client_ip: str | None) -> SmsCode:
    """Send a new code to ``phone`` (already normalised and valid) for
    ``purpose``, within the send limits (customer.rules.sms_code_send_check).
    The newest code of a number and purpose is the only one that counts. A
    message the provider does not take is forgotten, so it limits nobody."""
    now = timezone.now()
    code = f"{secrets.randbelow(10**SMS_CODE_DIGITS):0{SMS_CODE_DIGITS}d}"
    with transaction.atomic():
        sms_code_send_check(phone=phone, client_ip=client_ip, now=now)
        row = SmsCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=sms_code_hash(phone=phone, purpose=purpose, code=code),
            client_ip=client_ip,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
        )
    minutes = max(1, settings.SMS_CODE_TTL_SECONDS // 60)
    text = _("【%(shop)s】您的验证码是 %(code)s，%(minutes)d 分钟内有效。请勿告诉他人。") % {
        "shop": settings.OSCAR_SHOP_NAME,
        "code": code,
        "minutes": minutes,
    }
    try:
        send_sms(phone, text, template_params={"code": code})
    except SmsSendError:
        logger.exception("SMS code to %s not sent", phone)
        SmsCode.objects.filter(pk=row.pk).delete()
        raise SmsNotSent() from None
    return row


def sms_code_consume(*, phone: str, purpose: str, code: str) -> None:
    """Use the newest code sent to ``phone`` for ``purpose``, or raise why not:
    none sent, used, expired, dead after too many wrong tries, or wrong (the
    wrong try is counted and kept). The code is compared in constant time."""
    now = timezone.now()
    with transaction.atomic():
        newest = (
            SmsCode.objects.filter(phone=phone, purpose=purpose)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if newest is None:
            raise SmsCodeNotSent()
        row = sms_code_lock(pk=newest)
        if row.used_at is not None:
            raise SmsCodeUsed()
        if row.expires_at <= now:
            raise SmsCodeExpired()
        if row.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            raise SmsCodeExhausted()
        given = sms_code_hash(phone=phone, purpose=purpose, code=code.strip())
        if constant_time_compare(row.code_hash, given):
            row.used_at = now
            row.save(update_fields=["used_at"])
            return
        row.attempts += 1
        row.save(update_fields=["attempts"])
        remaining = settings.SMS_CODE_MAX_ATTEMPTS - row.attempts
    # Raised after the commit, so that the wrong try stays counted.
    if remaining <= 0:
        raise SmsCodeExhausted()
    raise SmsCodeWrong(params={"remaining": remaining})


def customer_login_by_mobile(*, phone: str, code: str):
    """The account bound to ``phone``, once the login code sent to it is used."""
    sms_code_consume(phone=phone, purpose=SmsCodePurpose.LOGIN, code=code)
    mobile = UserMobile.objects.select_related("user").filter(number=phone).first()
    if mobile is None:
        raise MobileNotRegistered()
    return mobile.user


def customer_register_by_mobile(*, phone: str, code: str) -> tuple[object, bool]:
    """(account, made now) for ``phone`` once the sign-up code sent to it is
    used: a new active account with the number bound, no e-mail address (blank,
    which Oscar allows: its mails to the user are skipped until one is added
    in the profile) and no usable password; or, for a number already bound,
    its account: whoever holds the number may sign in with it anyway."""
    sms_code_consume(phone=phone, purpose=SmsCodePurpose.SIGNUP, code=code)
    existing = UserMobile.objects.select_related("user").filter(number=phone).first()
    if existing is not None:
        return existing.user, False
    try:
        with transaction.atomic():
            user = User(username=generate_username(), email="", is_active=True)
            user.set_unusable_password()
            user.save()
            UserMobile.objects.create(user=user, number=phone, verified_at=timezone.now())
    except IntegrityError:
        # The same number signed up at the same moment in another request.
        return UserMobile.objects.select_related("user").get(number=phone).user, False
    return user, True


def mobile_bind(*, user, phone: str, code: str) -> UserMobile:
    """Bind ``phone`` to ``user`` (replacing a number bound before) once the
    code sent to it is used; a number another account holds is refused
    (customer.rules.mobile_bind_check), after the code, so that only the
    number's holder learns it has an account."""
    sms_code_consume(phone=phone, purpose=SmsCodePurpose.BIND, code=code)
    try:
        with transaction.atomic():
            mobile_bind_check(phone=phone, user=user)
            mobile, _created = UserMobile.objects.update_or_create(
                user=user, defaults={"number": phone, "verified_at": timezone.now()}
            )
    except IntegrityError:
        raise MobileTaken() from None
    return mobile


# --- Confirming receipt (确认收货) ------------------------------------------------------

EventHandler = get_class("order.processing", "EventHandler")
Order = get_model("order", "Order")


@transaction.atomic
def order_receipt_confirm(*, order_id: int, actor=None, note: str = "") -> bool:
    """The buyer received the goods: the order and its shipped lines become
    complete, with a note on the order saying who confirmed. Returns whether
    anything changed: confirming an order already complete (a double submit,
    or the command was first) changes nothing. ``actor`` None is the daily
    command."""
    order = order_lock(pk=order_id)
    if not order_receipt_confirm_check(order):
        return False
    if not note:
        note = _("买家已确认收货。")
    EventHandler(user=actor).handle_order_status_change(
        order, settings.ORDER_STATUS_COMPLETE, note_msg=note
    )
    return True


def orders_auto_confirm_receipt(*, now=None) -> list[str]:
    """Confirm receipt of every order shipped at least ``ORDER_AUTO_CONFIRM_DAYS``
    days ago (counted from its last shipping event) that its buyer has not
    confirmed; each in its own transaction under the order's row lock, so one
    buyer confirming at the same moment is not confirmed twice. Returns the
    numbers of the orders confirmed."""
    now = now or timezone.now()
    due = order_receipt_auto_confirm_due(now=now)
    candidates = (
        Order.objects.filter(status=settings.ORDER_STATUS_SHIPPED)
        .annotate(last_shipped=Max("shipping_events__date_created"))
        .filter(last_shipped__lte=due)
        .order_by("pk")
        .values_list("pk", "number")
    )
    note = _("发货后 %(days)d 天买家未确认，系统自动确认收货。") % {
        "days": settings.ORDER_AUTO_CONFIRM_DAYS
    }
    return [
        number
        for pk, number in list(candidates)
        if order_receipt_confirm(order_id=pk, actor=None, note=note)
    ]


# --- Invoices (发票): the buyer's request --------------------------------------------


@transaction.atomic
def invoice_request_create(
    *,
    order_id: int,
    producer_id: int,
    actor,
    title_kind: str,
    title: str,
    tax_number: str,
    email: str,
) -> InvoiceRequest:
    """The buyer asks one producer of a paid order for an invoice for that
    producer's lines (``producers.rules``), once; the producer's users are
    e-mailed a link to the request in their workspace."""
    order = order_lock(pk=order_id)
    if order.user_id is None or order.user_id != actor.pk:
        raise Order.DoesNotExist()
    order_invoiceable_check(order)
    producer = Producer.objects.select_related("partner").get(pk=producer_id)
    lines = list(order.lines.filter(partner_id=producer.partner_id))
    if not lines:
        raise InvoiceProducerNotInOrder()
    if InvoiceRequest.objects.filter(order=order, producer=producer).exists():
        raise InvoiceAlreadyRequested(params={"producer": producer.name})
    title_kind, title, tax_number, email = invoice_details_clean(
        title_kind=title_kind, title=title, tax_number=tax_number, email=email
    )
    invoice = InvoiceRequest.objects.create(
        order=order,
        producer=producer,
        requested_by=actor,
        title_kind=title_kind,
        title=title,
        tax_number=tax_number,
        email=email,
        amount=sum((line.line_price_incl_tax for line in lines), Decimal("0.00")),
    )
    producer_users_notify(
        producer=producer,
        subject=_("【消费帮扶商城】订单 %(number)s 申请开具发票") % {"number": order.number},
        body=_("买家为订单 %(number)s 中本主体的商品申请了发票（%(kind)s：%(title)s）。")
        % {"number": order.number, "kind": invoice.get_title_kind_display(), "title": title},
        link=reverse("producers:workspace-invoice", args=[producer.pk, invoice.pk]),
    )
    return invoice
