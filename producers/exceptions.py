from common import workflow


class ProducerError(Exception):
    """Base class for producer domain errors."""


class IllegalApplicationTransition(ProducerError, workflow.IllegalTransition):
    """The requested review step is not allowed from the application's current state."""


class ApplicationPermissionDenied(ProducerError, workflow.TransitionNotPermitted):
    """The user has no role that allows this review step on this application."""


class ReasonRequired(ProducerError, workflow.ReasonRequired):
    """Returning or rejecting an application needs a reason the applicant can act on."""


class UsccAlreadyTaken(ProducerError):
    """Another producer or open application already uses this 统一社会信用代码."""


class LinkagePermissionDenied(ProducerError):
    """Only the producer's own users record benefit-linkage figures; only staff verify them."""


class LinkageYearConflict(ProducerError):
    """Two first submissions for the same producer and year raced each other."""


class ProducerPermissionDenied(ProducerError):
    """The user does not work for this producer."""


class CertificateProductNotOwned(ProducerError):
    """A certificate can only cover its own producer's products."""


class ShipmentNotAllowed(ProducerError):
    """The order is not paid, or the producer has nothing left to ship in it."""
