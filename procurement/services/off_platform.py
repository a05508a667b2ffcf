"""Off-platform purchases (recorded and verified) and SOEs' helped sales."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from common.uploads import document_check, document_rename
from procurement.exceptions import (
    HelpedSaleAmountNotPositive,
    HelpedSaleDateInFuture,
    HelpedSaleSoeOnly,
    OffPlatformAlreadyCorrected,
    OffPlatformAlreadyVerified,
    OffPlatformAmountNotPositive,
    OffPlatformCorrectionReasonRequired,
    OffPlatformDateInFuture,
    OffPlatformOriginNotCounty,
    OffPlatformRejectNoteRequired,
    ProcurementPermissionDenied,
)
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    BuyerOrganisation,
    HelpedSale,
    OffPlatformPurchase,
    VerificationStatus,
    money,
)
from procurement.services._common import (
    Role,
    _require_role,
    _require_staff,
)
from regions.models import Region


@transaction.atomic
def off_platform_purchase_record(
    *,
    organisation: BuyerOrganisation,
    actor,
    channel: str,
    supplier_name: str,
    origin_county: Region,
    amount: Decimal,
    purchased_on: datetime.date,
    category: str,
    evidence,
    corrects: OffPlatformPurchase | None = None,
    correction_reason: str = "",
) -> OffPlatformPurchase:
    """A new record; a correction is a new record pointing at the one it corrects."""
    _require_role(user=actor, organisation=organisation, roles=[Role.PURCHASER, Role.ADMIN])
    if origin_county.level != Region.Level.COUNTY:
        raise OffPlatformOriginNotCounty()
    amount = money(amount)
    if amount <= 0:
        raise OffPlatformAmountNotPositive()
    if purchased_on > timezone.localdate():
        raise OffPlatformDateInFuture()
    if corrects is not None:
        corrects = procurement_row_lock(corrects)
        if corrects.organisation_id != organisation.pk:
            raise ProcurementPermissionDenied()
        if not correction_reason.strip():
            raise OffPlatformCorrectionReasonRequired()
        if corrects.corrections.exclude(status=VerificationStatus.REJECTED).exists():
            raise OffPlatformAlreadyCorrected()
    document_rename(evidence, document_check(evidence))
    return OffPlatformPurchase.objects.create(
        organisation=organisation,
        channel=channel,
        supplier_name=supplier_name.strip(),
        origin_county=origin_county,
        amount=amount,
        purchased_on=purchased_on,
        category=category.strip(),
        evidence=evidence,
        corrects=corrects,
        correction_reason=correction_reason.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def off_platform_purchase_verify(
    *, record: OffPlatformPurchase, actor, approve: bool, note: str = ""
) -> OffPlatformPurchase:
    _require_staff(actor)
    record = procurement_row_lock(record)
    if record.status != VerificationStatus.PENDING:
        raise OffPlatformAlreadyVerified()
    if not approve and not note.strip():
        raise OffPlatformRejectNoteRequired()
    record.status = VerificationStatus.VERIFIED if approve else VerificationStatus.REJECTED
    record.verified_by = actor
    record.verified_at = timezone.now()
    record.verification_note = note.strip()
    record.save(
        update_fields=["status", "verified_by", "verified_at", "verification_note", "updated_at"]
    )
    return record


@transaction.atomic
def helped_sale_record(
    *,
    organisation: BuyerOrganisation,
    actor,
    buyer_name: str,
    producer,
    amount: Decimal,
    sold_on: datetime.date,
    evidence,
) -> HelpedSale:
    _require_role(user=actor, organisation=organisation, roles=[Role.PURCHASER, Role.ADMIN])
    if organisation.kind != BuyerOrganisation.Kind.SOE:
        raise HelpedSaleSoeOnly()
    amount = money(amount)
    if amount <= 0:
        raise HelpedSaleAmountNotPositive()
    if sold_on > timezone.localdate():
        raise HelpedSaleDateInFuture()
    document_rename(evidence, document_check(evidence))
    return HelpedSale.objects.create(
        organisation=organisation,
        buyer_name=buyer_name.strip(),
        producer=producer,
        amount=amount,
        sold_on=sold_on,
        evidence=evidence,
        recorded_by=actor,
    )
