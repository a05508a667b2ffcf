from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class PickableProductsMixin:
    """The chooser lists only the products the user may pick for a story
    (cms.selectors.products_pickable_by): a producer's user never browses
    other producers' listings, drafts included."""

    def get_object_list(self):
        from cms.selectors import products_pickable_by

        return products_pickable_by(user=self.request.user)


class ProductChooseView(PickableProductsMixin, ChooseView):
    pass


class ProductChooseResultsView(PickableProductsMixin, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("选择商品")
    choose_another_text = _("选择其他商品")
    edit_item_text = _("编辑商品")
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView


product_chooser_viewset = ProductChooserViewSet("product_chooser")
