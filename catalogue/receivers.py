"""Changes that alter what the storefront shows but write no search index row
(search's receivers bump the catalogue version for those that do)."""

from catalogue.cache import catalogue_version_bump


def storefront_changed(sender, **kwargs):
    """A category (the tree, names, links) or a product photo (cards, galleries)
    changed: cached storefront blocks are stale."""
    catalogue_version_bump()
