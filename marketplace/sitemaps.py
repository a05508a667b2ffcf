"""``/sitemap.xml``: every public page a search engine should find, and only
those: live listings (``ProductQuerySet.browsable``), producer pages, the
category tree and the published Wagtail pages. Addresses are absolute on
``SITE_DOMAIN`` through the sites framework (``common.sites.site_sync``)."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from common.sites import site_url
from producers.models import Producer

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class _OnSiteScheme(Sitemap):
    def get_protocol(self, protocol=None):
        from django.conf import settings

        return settings.OSCAR_URL_SCHEMA


class ProductSitemap(_OnSiteScheme):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Product.objects.browsable().only("pk", "slug", "date_updated").order_by("pk")

    def lastmod(self, product):
        return product.date_updated


class ProducerSitemap(_OnSiteScheme):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        # A producer page with nothing on sale is no answer to a search.
        selling = Product.objects.browsable().filter(producer=OuterRef("pk"))
        return Producer.objects.filter(Exists(selling)).only("pk", "updated_at").order_by("pk")

    def location(self, producer):
        return reverse("producers:producer-detail", args=[producer.pk])

    def lastmod(self, producer):
        return producer.updated_at


class CategorySitemap(_OnSiteScheme):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Category.objects.filter(is_public=True).order_by("path")


class PageSitemap(WagtailSitemap):
    """Published, public Wagtail pages (stories, county pavilions, news), on
    ``SITE_DOMAIN`` like every other address here, whatever host name the
    Wagtail site row carries. A translated page lists each language's address
    with ``xhtml:link`` alternates (cms.models.TranslatedServing)."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = _on_site(url["location"])
            for alternate in url.get("alternates", ()):
                alternate["location"] = _on_site(alternate["location"])
        return urls


def _on_site(location: str) -> str:
    """``location`` on SITE_DOMAIN, keeping its query (a translation's ``?lang=``)."""
    parts = urlsplit(location)
    return site_url(parts.path) + (f"?{parts.query}" if parts.query else "")


SITEMAPS = {
    "pages": PageSitemap,
    "products": ProductSitemap,
    "producers": ProducerSitemap,
    "categories": CategorySitemap,
}


def robots_txt(request):
    """What crawlers may skip (accounts, baskets, work areas) and where the sitemap is."""
    return render(
        request,
        "seo/robots.txt",
        {"sitemap_url": site_url(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
