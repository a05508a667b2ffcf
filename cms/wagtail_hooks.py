from wagtail import hooks

from cms.admin_views import story_page_viewset
from cms.choosers import product_chooser_viewset
from cms.rules import cms_admin_is_limited, story_restructure_check
from cms.selectors import stories_editable_by

# What a producer's user or a county reviewer sees in the admin menu: the pages
# (their own story; reviewers reach theirs from the dashboard) and images for
# the story's pictures. Reports, settings, snippets, documents are the editors'.
LIMITED_MENU_ITEMS = {"explorer", "images"}


@hooks.register("register_admin_viewset")
def register_product_chooser_viewset():
    return product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_story_page_viewset():
    return story_page_viewset()


@hooks.register("construct_main_menu")
def limit_main_menu(request, menu_items):
    if cms_admin_is_limited(request.user):
        menu_items[:] = [item for item in menu_items if item.name in LIMITED_MENU_ITEMS]


@hooks.register("construct_explorer_page_queryset")
def limit_explorer(parent_page, pages, request):
    """Wagtail's explorer already starts at the user's own page; a limited user
    is, besides, never listed any page but their producer's story."""
    if cms_admin_is_limited(request.user):
        return pages.filter(pk__in=stories_editable_by(user=request.user).values("pk"))
    return pages


def _restructure_check(request, page, *args, **kwargs):
    story_restructure_check(page=page, user=request.user)


for _hook in ("before_delete_page", "before_move_page", "before_copy_page"):
    hooks.register(_hook, _restructure_check)
