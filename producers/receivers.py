"""Producer changes that alter what the storefront shows without touching a
search document (search's receivers handle the producer itself)."""

from catalogue.cache import catalogue_version_bump


def linkage_changed(sender, **kwargs):
    """Product pages show the producer's latest verified benefit linkage."""
    catalogue_version_bump()
