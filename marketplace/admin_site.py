"""The Django admin (/django-admin/) for superusers only.

It edits any row without the checks the services make, so programme staff do
their work in the dashboard's review pages instead; a staff member who opens
the admin is sent to the dashboard with a message, anyone else signed in gets
403. Installed as the default admin site by SuperuserAdminConfig, so every
``admin.site.register`` in the apps lands here."""

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from common.roles import is_platform_staff, may_use_django_admin


class SuperuserAdminSite(AdminSite):
    def has_permission(self, request):
        return may_use_django_admin(request.user)

    def login(self, request, extra_context=None):
        # Django's admin shows its login form again to a signed-in user it
        # refuses; say why instead. Posting the form (signing in as someone
        # else) still works.
        if request.method == "GET" and request.user.is_authenticated:
            if not self.has_permission(request):
                if is_platform_staff(request.user):
                    messages.error(
                        request,
                        _(
                            "Django 管理后台仅供超级管理员使用，审核与监管工作请在管理后台的菜单中办理。"
                        ),
                    )
                    return redirect("dashboard:index")
                raise PermissionDenied
        return super().login(request, extra_context)


class SuperuserAdminConfig(AdminConfig):
    default_site = "marketplace.admin_site.SuperuserAdminSite"
