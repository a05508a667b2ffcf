import oscar.apps.dashboard.apps as apps
from django.urls import URLResolver, path


class DashboardConfig(apps.DashboardConfig):
    # Forked so that Oscar's class loader finds dashboard.catalogue's fork, and
    # for the URLs below.
    name = "dashboard"

    def get_urls(self):
        urls = super().get_urls()
        _integer_pks(urls)
        return urls


def _integer_pks(patterns):
    """Oscar routes flat pages, attribute option groups and options by
    ``<str:pk>`` although their keys are numbers; a junk key reached the
    database lookup and raised ValueError, a 500. As ``<int:pk>`` it is a 404."""
    for index, entry in enumerate(patterns):
        if isinstance(entry, URLResolver):
            _integer_pks(entry.url_patterns)
        elif "<str:pk>" in str(entry.pattern):
            patterns[index] = path(
                str(entry.pattern).replace("<str:pk>", "<int:pk>"),
                entry.callback,
                entry.default_args,
                name=entry.name,
            )
