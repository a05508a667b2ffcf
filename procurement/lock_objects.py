"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from django.db import models

from common.locks import row_lock
from procurement.models import AnnualPlan


def procurement_row_lock(instance: models.Model) -> models.Model:
    """The row again, locked and fresh: decisions are made on what is stored now."""
    return row_lock(type(instance).objects.all(), pk=instance.pk)


def annual_plan_lock(*, organisation, year: int) -> AnnualPlan | None:
    """The unit's plan for the year, locked, or None when it has none yet (the
    unique constraint on unit and year settles two first filings at once)."""
    pk = (
        AnnualPlan.objects.filter(organisation=organisation, year=year)
        .values_list("pk", flat=True)
        .first()
    )
    return None if pk is None else row_lock(AnnualPlan.objects.all(), pk=pk)
