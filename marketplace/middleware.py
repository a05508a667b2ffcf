from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.contrib import messages
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from common.sites import LANGUAGE_QUERY_PARAMETER


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose otherwise with the language switch
    (its cookie) or the link says so (``?lang=``, for this request only).

    Django's own middleware follows the browser's Accept-Language header; the
    programme's users expect the Chinese site whatever their browser says.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.GET.get(LANGUAGE_QUERY_PARAMETER)
        if chosen not in supported:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: the strict CONTENT_SECURITY_POLICY everywhere,
    CSP_RELAXED_POLICY under CSP_RELAXED_URL_PREFIXES (the admin sites we do not
    write), so those pages still get a policy rather than none."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        relaxed = request.path_info.startswith(settings.CSP_RELAXED_URL_PREFIXES)
        if relaxed and not report_only and parts.config is None:
            parts.config = default_config(settings.CSP_RELAXED_POLICY)
        return parts


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


class StillReferencedMiddleware:
    """Deleting a row that others still refer to (a product on a contract, the
    partner of a producer) is refused with a message, back on the page it was
    asked from. The database protects those references; Oscar's dashboard
    delete views let the refusal escape as a 500. Nothing has been deleted
    when it is raised: Django collects every reference before it deletes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ProtectedError | RestrictedError):
            return None
        messages.error(request, _("不能删除：还有订单、合同、库存或生产主体等记录用到它。"))
        return redirect(request.get_full_path())
