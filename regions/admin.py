from django.contrib import admin

from regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_key_assistance_county"]
    list_filter = ["level", "is_key_assistance_county"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    # The flag changes on the staff page (/regions/key-counties/), which logs
    # who changed it; the tree itself comes from the dataset.
    readonly_fields = ["code", "name", "level", "parent", "is_key_assistance_county"]

    def has_add_permission(self, request):
        # The tree comes from the maintained dataset, never typed in by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
