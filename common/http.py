"""Reading what a form posted."""

from django.http import Http404
from django.utils.translation import gettext as _


def posted_pk(request, name: str) -> int:
    """The primary key a form posted in ``name``; anything but digits is a 404,
    as a missing row would be, instead of a ValueError from the query."""
    value = request.POST.get(name, "")
    if not value.isascii() or not value.isdigit():
        raise Http404(_("提交的记录编号无效。"))
    return int(value)
