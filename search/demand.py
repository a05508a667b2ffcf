"""Demand signals: searches that found nothing, counted anonymously per day
(normalised text and a count; no user, session or address), shown to staff
and to producers as "what shoppers searched and did not find"."""

import re
import unicodedata
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from search.models import ZeroResultQuery

DEMAND_WINDOW_DAYS = 30
_SPACES = re.compile(r"\s+")
_MAX_LENGTH = ZeroResultQuery._meta.get_field("query").max_length


def normalise_query(text: str) -> str:
    """Full-width to half-width, lower case, one space between words."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _SPACES.sub(" ", text).strip()[:_MAX_LENGTH]


def zero_result_record(*, text: str, day=None) -> None:
    """Count one search for ``text`` that found nothing today."""
    query = normalise_query(text)
    if not query:
        return
    day = day or timezone.localdate()
    with transaction.atomic():
        rows = ZeroResultQuery.objects.filter(day=day, query=query)
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                ZeroResultQuery.objects.create(day=day, query=query, count=1)
        except IntegrityError:  # another request created it first
            rows.update(count=F("count") + 1)


def zero_result_top(*, days: int = DEMAND_WINDOW_DAYS, limit: int = 20, today=None) -> list[dict]:
    """The most searched texts that found nothing in the last ``days`` days:
    ``query``, ``searches`` and ``last_day``, most searched first."""
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)

    return list(
        ZeroResultQuery.objects.filter(day__gte=since, day__lte=today)
        .values("query")
        .annotate(searches=Sum("count"), last_day=Max("day"))
        .order_by("-searches", "query")[:limit]
    )
