from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from regions.selectors import region_children as select_region_children


@require_GET
@cache_control(max_age=86400, public=True)
def region_children(request, pk: int):
    """Children of a division, for the province → city → county selects."""
    return JsonResponse({"children": select_region_children(parent_id=pk)})
