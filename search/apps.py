import oscar.apps.search.apps as apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.urls import path


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        from oscar.apps.order.signals import order_placed
        from oscar.core.loading import get_model

        from producers.models import Certificate, Producer
        from regions.models import Region
        from search import receivers
        from search.views import SuggestView
        from search.views.search import FacetedSearchView

        self.search_view = FacetedSearchView
        self.suggest_view = SuggestView

        Product = get_model("catalogue", "Product")
        StockRecord = get_model("partner", "StockRecord")
        Partner = get_model("partner", "Partner")
        uid = "search.index."
        post_save.connect(receivers.product_saved, sender=Product, dispatch_uid=uid + "product")
        post_delete.connect(
            receivers.product_deleted, sender=Product, dispatch_uid=uid + "product-del"
        )
        post_save.connect(
            receivers.product_row_changed, sender=StockRecord, dispatch_uid=uid + "stock"
        )
        post_delete.connect(
            receivers.product_row_changed, sender=StockRecord, dispatch_uid=uid + "stock-del"
        )
        post_save.connect(receivers.producer_saved, sender=Producer, dispatch_uid=uid + "producer")
        post_save.connect(receivers.partner_saved, sender=Partner, dispatch_uid=uid + "partner")
        post_save.connect(receivers.region_saved, sender=Region, dispatch_uid=uid + "region")
        post_save.connect(
            receivers.certificate_changed, sender=Certificate, dispatch_uid=uid + "cert"
        )
        pre_delete.connect(
            receivers.certificate_changed, sender=Certificate, dispatch_uid=uid + "cert-del"
        )
        ProductCategory = get_model("catalogue", "ProductCategory")
        post_save.connect(
            receivers.product_row_changed, sender=ProductCategory, dispatch_uid=uid + "pc"
        )
        post_delete.connect(
            receivers.product_row_changed, sender=ProductCategory, dispatch_uid=uid + "pc-del"
        )
        m2m_changed.connect(
            receivers.certificate_products_changed,
            sender=Certificate.products.through,
            dispatch_uid=uid + "cert-products",
        )
        m2m_changed.connect(
            receivers.product_categories_changed,
            sender=Product.categories.through,
            dispatch_uid=uid + "categories",
        )
        order_placed.connect(receivers.order_placed, dispatch_uid=uid + "order")

        # Content pages (search.pages): any page type with a search_text() method.
        from wagtail.signals import page_published, page_unpublished

        page_published.connect(receivers.page_published, dispatch_uid=uid + "page-pub")
        page_unpublished.connect(receivers.page_unpublished, dispatch_uid=uid + "page-unpub")

    def get_urls(self):
        from search.views import demand, synonyms

        urls = [
            path("", self.search_view.as_view(), name="search"),
            path("suggest/", self.suggest_view.as_view(), name="suggest"),
            path("not-found/", demand.staff_zero_results, name="zero-results"),
            path("synonyms/", synonyms.staff_synonyms, name="synonyms"),
            path("synonyms/delete/", synonyms.staff_synonym_delete, name="synonym-delete"),
            path(
                "not-found/workspace/<int:producer_pk>/",
                demand.workspace_zero_results,
                name="workspace-zero-results",
            ),
        ]
        return self.post_process_urls(urls)
