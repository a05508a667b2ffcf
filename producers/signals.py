"""What producers announce to the apps above them.

``producer_approved`` is sent inside the approval's transaction, once, when an
application becomes a producer (not when a repeated approval changes nothing),
with ``producer`` and ``application``. cms creates the producer's story page and
its county page from it."""

from django.dispatch import Signal

producer_approved = Signal()
