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
        self._count_product_views_off_the_request()

        # The browsing pages are search's views (search sits above catalogue in
        # the app graph); Oscar's own loader plugs them in by name, so this app
        # never imports search.
        self.catalogue_view = get_class("search.views.catalogue", "CatalogueView")
        self.category_view = get_class("search.views.catalogue", "ProductCategoryView")

    def _connect_storefront_cache(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save
        from oscar.core.loading import get_model

        from catalogue import cache, receivers

        # The catalogue version is read once per request (catalogue.cache).
        request_started.connect(cache.request_started, dispatch_uid="catalogue-version-start")
        request_finished.connect(cache.request_finished, dispatch_uid="catalogue-version-end")

        for model_name in ("Category", "ProductImage", "ProductRecommendation"):
            model = get_model("catalogue", model_name)
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.storefront_changed,
                    sender=model,
                    dispatch_uid=f"catalogue-storefront-{model_name}-{signal is post_save}",
                )

    def _count_product_views_off_the_request(self):
        # Oscar's analytics receiver writes ProductRecord on every product page
        # view; ours counts it in Redis and a periodic job writes the sums
        # (catalogue.product_views). The analytics app is ready before this one.
        from oscar.apps.analytics import receivers as analytics_receivers
        from oscar.apps.catalogue.signals import product_viewed

        from catalogue import product_views

        product_viewed.disconnect(analytics_receivers.receive_product_view)
        product_viewed.connect(
            product_views.receive_product_view, dispatch_uid="catalogue-product-views"
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
