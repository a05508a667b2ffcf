from common import workflow


class ListingError(Exception):
    """Base class for product listing and review errors; the message is for people."""


class OriginNotLicensed(ListingError):
    """The origin on the label must be the producer's county or one it is licensed for."""


class ListingPermissionDenied(ListingError, workflow.TransitionNotPermitted):
    """Only the producer's own users edit a listing; only platform staff review it."""


class ReviewReasonRequired(ListingError, workflow.ReasonRequired):
    """A rejected listing needs a reason the producer can act on."""


class IllegalReviewTransition(ListingError, workflow.IllegalTransition):
    """The listing is not in a state this review step applies to."""


class StockBelowAllocated(ListingError):
    """Stock cannot be set below what open orders have already allocated."""


class DuplicateSku(ListingError):
    """Each of a producer's listings needs its own 商品编码."""


class CatalogueImportRejected(ListingError):
    """A catalogue file with any problem changes nothing. ``errors`` lists every
    problem found, as ``catalogue.importers.RowError`` (row 0: the whole file)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(f"catalogue import rejected: {len(self.errors)} problem(s)")
