from cms.services import producer_pages_ensure


def producer_approved(sender, *, producer, **kwargs):
    """Runs inside the approval's transaction: the pages are made with the
    producer or not at all."""
    producer_pages_ensure(producer=producer)
