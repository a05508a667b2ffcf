"""Appointing and removing county reviewers (县级审核人), by platform staff.

Until a county has a reviewer, no application of that county can be
recommended; staff appoint them here rather than in the Django admin."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from common.sites import site_url
from common.users import user_for_email
from producers.exceptions import ReviewerAlreadyAppointed, ReviewerNotCounty, ReviewerStaffOnly
from producers.models import CountyReviewer
from regions.models import Region


def _require_staff(user) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise ReviewerStaffOnly()


@transaction.atomic
def county_reviewer_appoint(*, actor, email: str, county: Region) -> CountyReviewer:
    """Make the person with ``email`` a reviewer of ``county``; an address with
    no account gets one, claimed through password reset, and is told by e-mail."""
    _require_staff(actor)
    if county.level != Region.Level.COUNTY:
        raise ReviewerNotCounty()
    user = user_for_email(email)
    try:
        with transaction.atomic():
            reviewer = CountyReviewer.objects.create(user=user, county=county)
    except IntegrityError:
        raise ReviewerAlreadyAppointed(
            params={"email": user.email, "county": county.full_name}
        ) from None
    subject = _("您已被任命为%(county)s的县级审核人") % {"county": county.full_name}
    body = _(
        "您已被任命为%(county)s的县级审核人，负责推荐本县生产主体的入驻申请。"
        "请用本邮箱登录消费帮扶商城；如尚未设置密码，请在登录页使用“忘记密码”设置。\n\n"
        "待办申请：%(url)s"
    ) % {"county": county.full_name, "url": site_url(reverse("producers:county-queue"))}
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=True))
    return reviewer


@transaction.atomic
def county_reviewer_remove(*, actor, reviewer: CountyReviewer) -> None:
    _require_staff(actor)
    reviewer.delete()
