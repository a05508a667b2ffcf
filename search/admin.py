from django.contrib import admin

from search.models import SearchSynonym
from search.querying import synonyms_changed


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ("phrase", "words")
    search_fields = ("phrase", "words")

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        synonyms_changed()
