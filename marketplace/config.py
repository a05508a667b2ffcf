from django.urls import path
from oscar.config import Shop


class MarketplaceShop(Shop):
    """Oscar's shop with Wagtail's home page at ``/`` instead of a redirect."""

    def get_urls(self):
        # Wagtail's views cannot be imported while the app registry is loading.
        # (Its routing is cached: cms.views.home.)
        from cms import views as cms_views

        urls = [u for u in super().get_urls() if getattr(u, "name", None) != "home"]
        return [path("", cms_views.home, name="home"), *urls]
