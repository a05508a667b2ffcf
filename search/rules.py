"""Rules of search indexing that must hold in one place."""

from datetime import datetime, timedelta

from django.conf import settings


def rebuild_stale_before(now: datetime) -> datetime:
    """A rebuild whose last heartbeat is older than this has died (killed,
    out of memory, its machine gone): it no longer holds outbox rows, and the
    next rebuild or outbox run clears it away. A live rebuild beats after every
    batch, a few seconds apart, so SEARCH_REBUILD_STALE_SECONDS (15 minutes by
    default) is far beyond any pause of a working one."""
    return now - timedelta(seconds=settings.SEARCH_REBUILD_STALE_SECONDS)
