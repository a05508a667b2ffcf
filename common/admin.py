"""Admin helpers shared by the apps; common registers no models."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def document_link(field, url_name: str, *args):
    """A link to a private document's checked view, for an admin page: the file
    has no URL of its own, and uploads go through the pages that check content."""
    if not field:
        return "-"
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=args), _("查看"))
