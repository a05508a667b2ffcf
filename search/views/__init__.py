from django.http import JsonResponse
from django.views import View

from search.selectors import product_suggestions


class SuggestView(View):
    """Suggestions as the visitor types: characters, pinyin or initials."""

    def get(self, request):
        prefix = request.GET.get("q", "")[:50]
        return JsonResponse({"suggestions": product_suggestions(prefix=prefix)})
