"""The pairings registry (结对帮扶关系): staff add, change and end pairings.
The rules are procurement.rules.pairing_check's; the importer applies a whole
file through ``pairing_save`` in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from procurement.exceptions import PairingAlreadyEnded, PairingDatesReversed, PairingInvalid
from procurement.lock_objects import procurement_row_lock
from procurement.models import Pairing
from procurement.rules import PairingData
from procurement.services._common import _require_staff


def pairing_save(*, actor, data: PairingData, pairing: Pairing | None = None) -> Pairing:
    """Add a pairing, or change ``pairing`` to ``data`` (checked by pairing_check)."""
    _require_staff(actor)
    with transaction.atomic():
        pairing = Pairing() if pairing is None else procurement_row_lock(pairing)
        pairing.kind = data.kind
        pairing.name = data.name
        pairing.helper_unit = data.helper_unit
        pairing.helper_region = data.helper_region
        pairing.starts_on = data.starts_on
        pairing.ends_on = data.ends_on
        try:
            pairing.full_clean(exclude=["helped_counties"])
        except ValidationError as exc:
            detail = "；".join(m for messages in exc.message_dict.values() for m in messages)
            raise PairingInvalid(params={"detail": detail}) from exc
        pairing.save()
        pairing.helped_counties.set(data.counties)
    return pairing


def pairing_end(*, actor, pairing: Pairing, ends_on: datetime.date | None = None) -> Pairing:
    """End an open pairing on ``ends_on`` (today by default): purchases after
    that day no longer count as the pairing's."""
    _require_staff(actor)
    ends_on = ends_on or timezone.localdate()
    with transaction.atomic():
        pairing = procurement_row_lock(pairing)
        if pairing.ends_on is not None:
            raise PairingAlreadyEnded(params={"ended": pairing.ends_on.isoformat()})
        if ends_on < pairing.starts_on:
            raise PairingDatesReversed()
        pairing.ends_on = ends_on
        pairing.save(update_fields=["ends_on", "updated_at"])
    return pairing
