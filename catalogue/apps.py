import oscar.apps.catalogue.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue"

    def ready(self):
        super().ready()
        # Registers the listing review workflow (templates and log labels look it up).
        from catalogue import workflows  # noqa: F401

        self._connect_storefront_cache()

        # The browsing pages are search's views (search sits above catalogue in
        # the app graph); Oscar's own loader plugs them in by name, so this app
        # never imports search.
        self.catalogue_view = get_class("search.views.catalogue", "CatalogueView")
        self.category_view = get_class("search.views.catalogue", "ProductCategoryView")

    def _connect_storefront_cache(self):
        from django.db.models.signals import post_delete, post_save
        from oscar.core.loading import get_model

        from catalogue import receivers

        for model_name in ("Category", "ProductImage"):
            model = get_model("catalogue", model_name)
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.storefront_changed,
                    sender=model,
                    dispatch_uid=f"catalogue-storefront-{model_name}-{signal is post_save}",
                )

    def get_urls(self):
        from catalogue.views import price_watch, review

        urls = super().get_urls()
        urls += [
            path("review/", review.review_queue, name="review-queue"),
            path("review/<int:product_pk>/", review.review_detail, name="review-detail"),
            path("price-watch/", price_watch.price_watch, name="price-watch"),
            path("price-watch/import/", price_watch.price_watch_import, name="price-watch-import"),
        ]
        return self.post_process_urls(urls)
