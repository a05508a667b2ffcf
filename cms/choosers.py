from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("选择商品")
    choose_another_text = _("选择其他商品")
    edit_item_text = _("编辑商品")


product_chooser_viewset = ProductChooserViewSet("product_chooser")
