import oscar.apps.dashboard.apps as apps
from django.urls import URLResolver, path, register_converter


class DashboardConfig(apps.DashboardConfig):
    # Forked so that Oscar's class loader finds dashboard.catalogue's fork, and
    # for the URLs below.
    name = "dashboard"

    def get_urls(self):
        urls = super().get_urls()
        _number_keys(urls)
        return urls


class NumberKeyConverter:
    """A row's number, or the placeholder ``__fk__`` that Oscar's related-field
    widgets reverse and their JavaScript replaces with the chosen row's number.
    The placeholder, like any other non-number, resolves to no page (a 404):
    ``to_python`` raising ValueError means no match."""

    regex = "[0-9]+|__fk__"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(NumberKeyConverter, "number_key")


def _number_keys(patterns):
    """Oscar routes flat pages, attribute option groups and options by
    ``<str:pk>`` although their keys are numbers; a junk key reached the
    database lookup and raised ValueError, a 500."""
    for index, entry in enumerate(patterns):
        if isinstance(entry, URLResolver):
            _number_keys(entry.url_patterns)
        elif "<str:pk>" in str(entry.pattern):
            patterns[index] = path(
                str(entry.pattern).replace("<str:pk>", "<number_key:pk>"),
                entry.callback,
                entry.default_args,
                name=entry.name,
            )
