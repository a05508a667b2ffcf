class ProducerError(Exception):
    """Base class for producer domain errors."""


class RegionNotCounty(ProducerError):
    """A producer or product origin must be a county-level division."""
