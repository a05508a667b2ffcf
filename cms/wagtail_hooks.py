from wagtail import hooks

from cms.choosers import product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser_viewset():
    return product_chooser_viewset
