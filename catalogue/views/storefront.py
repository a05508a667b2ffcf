"""The storefront's product page (Oscar's, with origin, producer and certificates).

The browsing pages (all products, a category) are search's views: this app's
config plugs them in (``CatalogueConfig.ready``), so catalogue never imports search."""

from functools import cache as memoize
from functools import partial

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from catalogue.cache import storefront_block_get, storefront_cache_key, storefront_cache_seconds
from catalogue.selectors import (
    product_is_visible_to,
    product_label_facts,
    variant_spec,
)

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
# Certificates are the producers app's (it sits above catalogue); the page reads
# them through the relation that app declares (product.certificates), never by
# importing it.


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        # What every request needs: the visibility check, the URL, the title,
        # the price and the basket form (its options only when the product
        # has some: Oscar's ``has_options`` reads the two flags). Not Oscar's
        # ``base_queryset``, which prefetches the children, options and
        # photos on every view: the rest of the page (photos, categories,
        # label facts, certificates) is read by blocks that are cached
        # (templates/oscar/catalogue/detail.html), so it is read only when
        # they are rendered, one query each: the count does not grow with the
        # size of the catalogue either way.
        Option = get_model("catalogue", "Option")
        return (
            Product.objects.select_related(
                "product_class",
                "parent",
                "producer__partner",
                "producer__county__parent__parent",
                "origin_county__parent__parent",
            )
            .annotate(
                has_product_class_options=Exists(
                    Option.objects.filter(productclass=OuterRef("product_class"))
                ),
                has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            )
            .prefetch_related("stockrecords")
        )

    def get_object(self, queryset=None):
        """The product as ``_load_object`` reads it (two queries, three with a
        parent's variants), kept in the cache under the catalogue version like
        the page's blocks: whatever changes it (the product, its stock
        records, producer, origin, variants) bumps the version. The page's
        remembered blocks are read in the same round trip (catalogue.cache).
        The visibility check is the caller's, on every request."""
        if hasattr(self, "object"):
            return self.object
        key = storefront_cache_key("product-object", self.kwargs.get("pk"), _model_fields())
        product = storefront_block_get(key)
        if product is None:
            product = self._load_object(queryset)
            cache.set(key, product, storefront_cache_seconds())
        return product

    def _load_object(self, queryset=None):
        product = super().get_object(queryset)
        if product.is_parent and not hasattr(product, "_prefetched_public_children"):
            # Oscar's basket form and pricing read the variants through
            # ``get_public_children``, which uses this list when present.
            prefetch_related_objects(
                [product],
                Prefetch(
                    "children",
                    queryset=Product.objects.public()
                    .prefetch_attribute_values()
                    .prefetch_related("stockrecords")
                    .order_by("pk"),
                    to_attr="_prefetched_public_children",
                ),
            )
        return product

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        # Lazy: the parts that show them are cached
        # (templates/oscar/catalogue/detail.html), and a hit never asks.
        product = self.object
        ctx["label_facts"] = SimpleLazyObject(lambda: product_label_facts(product))
        ctx["certificates"] = SimpleLazyObject(
            lambda: list(product.certificates.order_by("kind", "valid_until"))
        )
        if product.is_parent:
            variants = SimpleLazyObject(lambda: self._variant_context(product))
            for name in ("variants", "variant_chosen", "price_min", "price_max"):
                ctx[name] = partial(variants.get, name)
        return ctx

    def _variant_context(self, product) -> dict:
        """The 规格 a shopper chooses from: each variant's spec, price and
        whether it can be bought (the strategy applies the visibility rule),
        the first buyable one chosen."""
        variants = []
        for child in product.get_public_children():
            info = self.request.strategy.fetch_for_product(child)
            variants.append(
                {
                    "product": child,
                    "spec": variant_spec(child) or child.get_title(),
                    "price": info.price.incl_tax if info.price.exists else None,
                    "available": info.availability.is_available_to_buy,
                }
            )
        prices = [v["price"] for v in variants if v["price"] is not None]
        chosen = next((v["product"].pk for v in variants if v["available"]), None)
        return {
            "variants": variants,
            "variant_chosen": chosen,
            "price_min": min(prices, default=None),
            "price_max": max(prices, default=None),
        }

    def is_viewable(self, product, request):
        """Live listings for everyone; one that is not live only for those who
        may preview it."""
        return product_is_visible_to(product=product, user=request.user)

    def redirect_if_necessary(self, current_path, product):
        # Oscar redirects a wrong slug to the right one before it checks
        # viewability; the slug is made from the title, so the redirect alone
        # would tell anyone the title of a listing they may not see.
        if not self.is_viewable(product, self.request):
            raise Http404
        return super().redirect_if_necessary(current_path, product)


@memoize
def _model_fields() -> str:
    """The cached product's shape: a deploy that changes the product's or a
    stock record's fields reads no instance pickled by the code before it."""
    return ",".join(
        f"{model._meta.label}.{field.attname}"
        for model in (Product, StockRecord)
        for field in model._meta.concrete_fields
    )
