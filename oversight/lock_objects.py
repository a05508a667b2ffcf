"""The rows oversight locks, named once."""

from common.locks import row_lock
from oversight.models import Bulletin


def bulletin_lock(bulletin: Bulletin) -> Bulletin:
    """The bulletin again, locked and fresh: publish and edit decide on what is stored."""
    return row_lock(Bulletin.objects.all(), pk=bulletin.pk)
