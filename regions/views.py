"""The region selects' JSON, and the staff page that keeps the
国家乡村振兴重点帮扶县 list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from common.exceptions import DomainError
from common.http import posted_pk
from common.roles import require_platform_staff
from regions.forms import KeyCountyFilterForm
from regions.models import Region
from regions.selectors import cities_of, counties_for_key_assistance
from regions.selectors import region_children as select_region_children
from regions.services import region_set_key_assistance

KEY_COUNTY_PAGE_SIZE = 50


@require_GET
@cache_control(max_age=86400, public=True)
def region_children(request, pk: int):
    """Children of a division, for the province → city → county selects."""
    return JsonResponse({"children": select_region_children(parent_id=pk)})


@login_required
@require_GET
def key_counties(request):
    """Counties with their key-assistance flag, by province, city or name."""
    require_platform_staff(request.user)
    form = KeyCountyFilterForm(request.GET or None, cities_of=cities_of)
    counties = counties_for_key_assistance(**form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regions/key_counties.html",
        {
            "form": form,
            "page": Paginator(counties, KEY_COUNTY_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def key_county_toggle(request):
    """Set or clear one county's flag, then back to the list as it was filtered."""
    require_platform_staff(request.user)
    county = get_object_or_404(Region, pk=posted_pk(request, "county"))
    flag = request.POST.get("flag")
    if flag not in ("1", "0"):
        messages.error(request, _("请选择标记或取消标记。"))
    else:
        try:
            region_set_key_assistance(region=county, flag=flag == "1", actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            text = (
                _("已将 %(county)s 标记为国家乡村振兴重点帮扶县。")
                if flag == "1"
                else _("已取消 %(county)s 的国家乡村振兴重点帮扶县标记。")
            )
            messages.success(request, text % {"county": county.full_name})
    # Back to the list as it was filtered: only its own query string is taken
    # from the form, never another address.
    back = QueryDict(request.POST.get("back", ""))
    return redirect(f"{reverse('region-key-counties')}?{back.urlencode()}")
