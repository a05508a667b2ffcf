from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
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
