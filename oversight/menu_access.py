"""The dashboard menu's access function for the oversight pages
(OSCAR_DASHBOARD_NAVIGATION's ``access_fn``). It lives here rather than in
``dashboard.menu_access`` because dashboard and oversight are sibling layers
that may not import each other; it calls the pages' own rule. The settings
import it before the app registry is ready, so nothing here touches models at
import time."""


def programme_office(user, url_name, url_args=None, url_kwargs=None) -> bool:
    from oversight.rules import may_use_oversight

    return may_use_oversight(user)
