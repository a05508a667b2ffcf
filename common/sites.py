"""The site's public address and name, from settings (``SITE_DOMAIN``,
``SITE_NAME``, ``SITE_URL_SCHEME``), for links in e-mails and the
``django.contrib.sites`` row that Oscar's e-mails read."""

from django.conf import settings

# A link's own choice of language (``?lang=en``), for that request only: how a
# shared or search-engine link to a page's English version shows English to
# whoever opens it (marketplace.middleware reads it, cms.selectors writes it).
LANGUAGE_QUERY_PARAMETER = "lang"


def site_url(path: str) -> str:
    """An absolute link to ``path`` on this site, as e-mails need it."""
    return f"{settings.OSCAR_URL_SCHEMA}://{settings.SITE_DOMAIN}{path}"


def site_sync(**kwargs) -> None:
    """Write SITE_DOMAIN and SITE_NAME into the sites row (after every migrate),
    so Oscar's order e-mails stop linking to example.com."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME},
    )
    Site.objects.clear_cache()
