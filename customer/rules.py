"""Rules of customer accounts."""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse

from common.order_status import order_status_label
from customer.exceptions import (
    MobileTaken,
    ReceiptOrderNotShipped,
    SmsClientLimitReached,
    SmsDailyLimitReached,
    SmsResendTooSoon,
)
from customer.models import SmsCode, UserMobile
from procurement.models import Membership
from producers.models import CountyReviewer, Producer


def registration_is_pending(user) -> bool:
    """An account registered on the storefront whose owner has not yet opened
    the activation link: inactive and never signed in. Registering its address
    again sends a new link (the first may be lost or expired)."""
    return not user.is_active and user.last_login is None


# Where each kind of user does their work, in the order a user with several
# roles is sent: staff first, then a producer's people, then buyer-unit members,
# then county reviewers. Everyone else shops.
ROLE_HOMES = (
    ("staff", "dashboard:index"),
    ("producer", "producers:workspace-index"),
    ("buyer", "procurement:home"),
    ("county_reviewer", "producers:county-queue"),
)


def user_roles(user) -> frozenset[str]:
    """The working roles of ``user`` (see ROLE_HOMES), in one query. The header
    shows each role's entry and the login sends the user to its home."""
    if not user.is_authenticated:
        return frozenset()
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            Exists(Producer.objects.filter(partner__users=OuterRef("pk"))),
            Exists(Membership.objects.filter(user=OuterRef("pk"))),
            Exists(CountyReviewer.objects.filter(user=OuterRef("pk"))),
        )
        .first()
    ) or (False, False, False)
    named = zip(("producer", "buyer", "county_reviewer"), flags, strict=True)
    roles = {name for name, held in named if held}
    if user.is_staff:
        roles.add("staff")
    return frozenset(roles)


def landing_url_for(user, *, next_url: str = "") -> str:
    """Where ``user`` lands after signing in: the page they were sent to log in
    from (``next_url``, already checked to be safe) or else their role's home
    (ROLE_HOMES); a shopper without a role lands on the home page."""
    if next_url:
        return next_url
    roles = user_roles(user)
    for role, url_name in ROLE_HOMES:
        if role in roles:
            return reverse(url_name)
    return reverse("home")


def sms_code_send_check(*, phone: str, client_ip: str | None, now: datetime) -> None:
    """May a code be sent to ``phone`` at the request of ``client_ip`` now?
    Raises the limit that refuses: one code per number every
    SMS_CODE_RESEND_SECONDS, SMS_CODES_PER_PHONE_PER_DAY per number in 24 hours,
    SMS_CODES_PER_IP_PER_HOUR per client address in an hour. Every code sent
    counts, whatever its purpose and whether it was used."""
    to_phone = SmsCode.objects.filter(phone=phone)
    last_sent = to_phone.order_by("-created_at").values_list("created_at", flat=True).first()
    wait = timedelta(seconds=settings.SMS_CODE_RESEND_SECONDS)
    if last_sent is not None and now - last_sent < wait:
        seconds = math.ceil((last_sent + wait - now).total_seconds())
        raise SmsResendTooSoon(params={"seconds": max(seconds, 1)})
    if (
        to_phone.filter(created_at__gt=now - timedelta(days=1)).count()
        >= settings.SMS_CODES_PER_PHONE_PER_DAY
    ):
        raise SmsDailyLimitReached()
    if (
        client_ip
        and SmsCode.objects.filter(
            client_ip=client_ip, created_at__gt=now - timedelta(hours=1)
        ).count()
        >= settings.SMS_CODES_PER_IP_PER_HOUR
    ):
        raise SmsClientLimitReached()


def mobile_bind_check(*, phone: str, user) -> None:
    """A number belongs to one account: binding one that another account holds
    is refused (its owner must unbind it, or sign in with it)."""
    if UserMobile.objects.filter(number=phone).exclude(user=user).exists():
        raise MobileTaken()


def email_is_required(user) -> bool:
    """Who must keep an e-mail address on their profile: everyone who signs in
    by it. A user who signed up with a mobile number signs in by SMS code, so
    for them the address is optional."""
    return not UserMobile.objects.filter(user=user).exists()


# --- Confirming receipt (确认收货) ------------------------------------------------------


def order_receipt_confirmable(order) -> bool:
    """An order whose goods were all sent (status shipped): its buyer may
    confirm receipt, and the daily command does once the wait is over."""
    return order.status == settings.ORDER_STATUS_SHIPPED


def order_receipt_confirm_check(order) -> bool:
    """Whether confirming receipt of ``order`` changes anything: False when it
    is already complete (a second submission, or the command got there first);
    raises ``ReceiptOrderNotShipped`` when its goods are not all sent."""
    if order.status == settings.ORDER_STATUS_COMPLETE:
        return False
    if not order_receipt_confirmable(order):
        raise ReceiptOrderNotShipped(
            params={"number": order.number, "status": order_status_label(order.status)}
        )
    return True


def order_receipt_auto_confirm_due(*, now: datetime) -> datetime:
    """Orders shipped (their last shipping event) before this moment are
    confirmed received by ``manage.py orders_auto_confirm_receipt``."""
    return now - timedelta(days=settings.ORDER_AUTO_CONFIRM_DAYS)
