"""Who may use the staff pages: one rule per role. Views, the dashboard menu
(dashboard.menu_access) and the Django admin site all call these."""

from django.core.exceptions import PermissionDenied


def is_platform_staff(user) -> bool:
    """Programme staff (平台运营): every review and oversight page."""
    return bool(user.is_authenticated and user.is_staff)


def require_platform_staff(user) -> None:
    """403 for everyone who is not programme staff."""
    if not is_platform_staff(user):
        raise PermissionDenied


def may_use_django_admin(user) -> bool:
    """The Django admin edits any row without the services' checks: superusers
    only. Staff do their work in the dashboard's review pages."""
    return bool(user.is_active and user.is_superuser)
