from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose otherwise with the language switch.

    Django's own middleware follows the browser's Accept-Language header; the
    programme's users expect the Chinese site whatever their browser says.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NulInPathMiddleware:
    """A path with a NUL character names no page: 404.

    URL converters such as ``<str:key>`` accept it, and PostgreSQL refuses it
    in any query, so every view that looked the value up answered 500. Placed
    before the flat-page and redirect fallbacks, which would look it up too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404
        return self.get_response(request)
