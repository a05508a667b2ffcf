from django.contrib import admin

from search.models import SearchSynonym
from search.services import search_synonym_delete, search_synonym_save


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Superusers' view of the staff synonyms; programme staff use
    /search/synonyms/. Both write through search.services."""

    list_display = ("phrase", "words")
    search_fields = ("phrase", "words")

    def save_model(self, request, obj, form, change):
        if change and "phrase" in form.changed_data:
            search_synonym_delete(actor=request.user, phrase=form.initial["phrase"])
        saved = search_synonym_save(actor=request.user, phrase=obj.phrase, words=obj.words)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        search_synonym_delete(actor=request.user, phrase=obj.phrase)

    def delete_queryset(self, request, queryset):
        for phrase in queryset.values_list("phrase", flat=True):
            search_synonym_delete(actor=request.user, phrase=phrase)
