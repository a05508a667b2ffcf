"""Who sees which entry of the dashboard menu (OSCAR_DASHBOARD_NAVIGATION's
``access_fn``): one function per role, each calling the rule the pages behind
the entry enforce, so the menu offers exactly the pages a user may open.

Oscar's default access function only knows its own dashboard URLs; every entry
of ours names one of these. The settings import this module before the app
registry is ready, so rules that query models are imported when called."""

from common.roles import is_platform_staff, may_use_django_admin


def platform_staff(user, url_name, url_args=None, url_kwargs=None) -> bool:
    return is_platform_staff(user)


def county_reviewer(user, url_name, url_args=None, url_kwargs=None) -> bool:
    from producers.selectors import reviewer_county_ids

    return bool(reviewer_county_ids(user=user))


def category_editor(user, url_name, url_args=None, url_kwargs=None) -> bool:
    from producers.services import category_proposal_may_decide

    return category_proposal_may_decide(user)


def content_editor(user, url_name, url_args=None, url_kwargs=None) -> bool:
    # Wagtail's own rule for entering its admin (/cms/).
    return user.has_perm("wagtailadmin.access_admin")


def superuser(user, url_name, url_args=None, url_kwargs=None) -> bool:
    return may_use_django_admin(user)
