from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import strategy
from oscar.apps.partner.availability import Unavailable


class NotOnSale(Unavailable):
    message = _("该商品未上架，暂不可购买")


class ReviewedStockRequired(strategy.StockRequired):
    """Stock must be available, and the listing visible to the public: a
    direct POST to the basket cannot buy what the storefront does not show."""

    def availability_policy(self, product, stockrecord):
        if not product.is_visible_to_public:
            return NotOnSale()
        return super().availability_policy(product, stockrecord)


class Default(
    strategy.UseFirstStockRecord, ReviewedStockRequired, strategy.NoTax, strategy.Structured
):
    """Oscar's default strategy with the review rule; prices are CNY, tax included."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
