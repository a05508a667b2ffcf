from django.conf import settings
from django.utils.functional import SimpleLazyObject

from customer.rules import user_roles


def marketplace(request):
    return {
        "show_sample_data_banner": settings.MARKETPLACE_SHOW_SAMPLE_DATA_BANNER,
        # The header's entries to each role's work (customer.rules.ROLE_HOMES);
        # asked only on pages that show them.
        "user_roles": SimpleLazyObject(lambda: user_roles(request.user)),
    }
