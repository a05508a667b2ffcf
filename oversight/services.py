"""Appointing programme office members (工作专班)."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from common.db_routing import reporting_reads
from common.roles import is_platform_staff
from common.users import user_for_email
from oversight.bulletins import (
    bulletin_correction,
    bulletin_correction_note,
    bulletin_figures,
    bulletin_sentences,
)
from oversight.exceptions import (
    BulletinCommentaryTooLong,
    BulletinNotReady,
    BulletinPeriodPublished,
    OfficeDuplicate,
    OfficeUserIsStaff,
)
from oversight.lock_objects import bulletin_lock
from oversight.models import Bulletin, ProgrammeOffice
from oversight.rules import bulletin_check_editable

logger = logging.getLogger(__name__)


def programme_office_appoint(*, actor, email: str, region) -> ProgrammeOffice:
    """Seat the account with ``email`` (created, without a password, if there
    is none: its owner sets one through password reset) in the programme office
    of ``region`` (None: national)."""
    with transaction.atomic():
        user = user_for_email(email)
        if is_platform_staff(user):
            raise OfficeUserIsStaff()
        if ProgrammeOffice.objects.filter(user=user, region=region).exists():
            raise OfficeDuplicate()
        try:
            with transaction.atomic():
                return ProgrammeOffice.objects.create(user=user, region=region, appointed_by=actor)
        except IntegrityError as exc:  # the same appointment made at the same moment
            raise OfficeDuplicate() from exc


def programme_office_remove(*, office: ProgrammeOffice) -> None:
    with transaction.atomic():
        office.delete()


# --- bulletins --------------------------------------------------------------------

COMMENTARY_LIMIT = 5000


def bulletin_request(*, actor, region, period) -> Bulletin:
    """A new draft bulletin of ``region`` (None: national) for ``period``,
    queued for generation (``oversight.tasks.oversight_generate_bulletin``,
    run by a worker, or at once when the queue is eager). The caller has
    checked ``region_is_visible``."""
    from oversight.tasks import oversight_generate_bulletin

    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            region=region,
            period_kind=period.kind,
            period_key=period.slug,
            requested_by=actor,
        )
        transaction.on_commit(lambda: oversight_generate_bulletin.delay(bulletin.pk))
    return bulletin


def _previous_published(bulletin: Bulletin, period) -> Bulletin | None:
    return (
        Bulletin.objects.filter(
            region=bulletin.region,
            period_key=period.previous().slug,
            status=Bulletin.Status.PUBLISHED,
        )
        .order_by("-published_at", "-pk")
        .first()
    )


def bulletin_generate(*, bulletin_id: int) -> Bulletin | None:
    """Compute and freeze the figures of a draft bulletin (the task's body):
    the figures (``bulletin_figures``), the correction of the previous
    period's published bulletin if late records changed it, and the summary
    sentences in the site's language. A published bulletin is left alone."""
    bulletin = Bulletin.objects.select_related("region").filter(pk=bulletin_id).first()
    if bulletin is None or bulletin.is_published:
        return bulletin
    Bulletin.objects.filter(pk=bulletin.pk).update(generation=Bulletin.Generation.RUNNING)
    try:
        period = bulletin.period
        # The figures read the replica (issue 15: reports off the primary); the
        # bulletin itself was read, and is written below, on the primary.
        with translation.override(settings.LANGUAGE_CODE), reporting_reads():
            figures = bulletin_figures(region=bulletin.region, period=period)
            previous = _previous_published(bulletin, period)
            correction = bulletin_correction(
                previous=previous, region=bulletin.region, period=period
            )
            figures["correction"] = correction
            figures["summary"] = bulletin_sentences(figures)
            note = bulletin_correction_note(correction) if correction else ""
    except Exception as exc:  # the page shows the failure; the worker logs it
        logger.exception("bulletin %s failed", bulletin.pk)
        Bulletin.objects.filter(pk=bulletin.pk).update(
            generation=Bulletin.Generation.FAILED, generation_error=str(exc)[:500]
        )
        raise
    with transaction.atomic():
        bulletin = bulletin_lock(bulletin)
        if bulletin.is_published:
            return bulletin
        bulletin.figures = figures
        bulletin.correction_note = note
        bulletin.supersedes = previous if correction else None
        bulletin.generation = Bulletin.Generation.DONE
        bulletin.generation_error = ""
        bulletin.generated_at = timezone.now()
        bulletin.save()
    return bulletin


def bulletin_commentary_save(*, bulletin: Bulletin, commentary: str) -> Bulletin:
    """Staff's commentary on a draft; a published bulletin refuses (``BulletinFrozen``)."""
    commentary = (commentary or "").strip()
    if len(commentary) > COMMENTARY_LIMIT:
        raise BulletinCommentaryTooLong(params={"limit": COMMENTARY_LIMIT})
    with transaction.atomic():
        bulletin = bulletin_lock(bulletin)
        bulletin_check_editable(bulletin)
        bulletin.commentary = commentary
        bulletin.save(update_fields=["commentary", "updated_at"])
    return bulletin


def bulletin_publish(*, bulletin: Bulletin, actor) -> Bulletin:
    """Publish a generated draft: from now on it never changes. One published
    bulletin per region and period."""
    with transaction.atomic():
        bulletin = bulletin_lock(bulletin)
        bulletin_check_editable(bulletin)
        if not bulletin.is_ready:
            raise BulletinNotReady()
        if (
            Bulletin.objects.filter(
                region=bulletin.region,
                period_key=bulletin.period_key,
                status=Bulletin.Status.PUBLISHED,
            )
            .exclude(pk=bulletin.pk)
            .exists()
        ):
            raise BulletinPeriodPublished()
        bulletin.status = Bulletin.Status.PUBLISHED
        bulletin.published_at = timezone.now()
        bulletin.published_by = actor
        try:
            with transaction.atomic():
                bulletin.save(
                    update_fields=["status", "published_at", "published_by", "updated_at"]
                )
        except IntegrityError as exc:  # another draft of the period published at the same moment
            raise BulletinPeriodPublished() from exc
    return bulletin
